"""Application errors as Python exceptions, converted to and from the AppError message."""

from typing import Any


class AppError(Exception):
    """An application-level failure (not found, conflict, bad input), not a transport failure.

    Raised by PluginAPI calls whose response carries an error, and raised by hooks to report
    one: from `on_activate` it refuses activation, from `message_will_be_posted` it rejects
    the post (the reason is `message`), from `serve_http` it becomes an HTTP response with
    `status_code`, from `execute_command` and the configuration hook it is the hook's error.
    """

    def __init__(
        self,
        message: str,
        id: str = "plugin.error",
        status_code: int = 500,
        detailed_error: str = "",
        where: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.id = id
        self.status_code = status_code
        self.detailed_error = detailed_error
        self.where = where

    @classmethod
    def from_proto(cls, proto: Any) -> "AppError":
        """Builds the exception from a mattermost.pluginapi.v1.AppError message."""
        return cls(proto.message, proto.id, proto.status_code, proto.detailed_error, proto.where)

    def fill(self, proto: Any) -> Any:
        """Copies this error into a mattermost.pluginapi.v1.AppError message and returns it."""
        proto.id = self.id
        proto.message = self.message
        proto.status_code = self.status_code
        proto.detailed_error = self.detailed_error
        proto.where = self.where
        return proto

    def __repr__(self) -> str:
        return "AppError(%r, id=%r, status_code=%r)" % (self.message, self.id, self.status_code)


class Unimplemented(AppError):
    """The host does not implement this API method (it answered gRPC UNIMPLEMENTED).

    Hosts implement the parts of the API they support; `APIClient.get_supported_methods()`
    says which. A subclass of AppError, so `except AppError` still catches it.
    """

    def __init__(self, method: str, detail: str = "") -> None:
        super().__init__(
            "the host does not implement %s" % method,
            id="plugin_api.unimplemented",
            status_code=501,
            detailed_error=detail,
            where="PluginAPI." + method,
        )
        self.method = method

    def __repr__(self) -> str:
        return "Unimplemented(%r)" % self.method
