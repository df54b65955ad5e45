"""Application errors as Python exceptions, converted to and from the AppError message."""


class AppError(Exception):
    """An application-level failure (not found, conflict, bad input), not a transport failure."""

    def __init__(self, message, id="plugin.error", status_code=500, detailed_error="", where=""):
        super().__init__(message)
        self.message = message
        self.id = id
        self.status_code = status_code
        self.detailed_error = detailed_error
        self.where = where

    @classmethod
    def from_proto(cls, proto):
        return cls(proto.message, proto.id, proto.status_code, proto.detailed_error, proto.where)

    def fill(self, proto):
        proto.id = self.id
        proto.message = self.message
        proto.status_code = self.status_code
        proto.detailed_error = self.detailed_error
        proto.where = self.where
        return proto

    def __repr__(self):
        return "AppError(%r, id=%r, status_code=%r)" % (self.message, self.id, self.status_code)
