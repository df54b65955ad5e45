"""The PluginHooks RPCs beyond lifecycle, posting, commands and HTTP: post edits and
deletions, reactions, users, channels, teams, files, WebSocket, installation, the server
configuration, push notifications and events between plugins.

A mixin of HooksServicer (it uses its `_call`, which runs a sync or async hook method with
the host's deadline). Hooks that only tell the plugin something answer INTERNAL when the
method raises (the host logs it); hooks that may change or reject a value reject it when the
method returns a str or raises AppError, and answer INTERNAL on any other exception (the host
then lets the value through unchanged).
"""

import json
from typing import Any, Callable, Iterator, List, Optional

import grpc

from ._generated import hooks_pb2
from .errors import AppError
from .plugin import FileUpload

FILE_CHUNK_SIZE = 256 * 1024
"""Content chunks the SDK sends back; the protocol allows at most 1 MiB."""
MAX_UPLOAD_SIZE = 1 << 30
"""The most content the SDK accepts from the host for one file (the host bounds it far lower)."""


class MoreHooksMixin:
    _call: Callable[..., Any]
    _call_with_error_field: Callable[..., Any]

    def _notify(self, name: str, context: grpc.ServicerContext, response: Any, *arguments: Any) -> Any:
        try:
            self._call(name, context, *arguments)
        except Exception as error:  # noqa: BLE001 - AppError too: these responses have no error field
            _abort_unexpected(name, error, context)
        return response

    def _decide(self, name: str, context: grpc.ServicerContext, *arguments: Any) -> Any:
        """The method's result, or AppError's message as a str (a rejection)."""
        try:
            return self._call(name, context, *arguments)
        except AppError as error:
            return error.message or "rejected by plugin"
        except Exception as error:  # noqa: BLE001
            _abort_unexpected(name, error, context)
        return None

    # Posts --------------------------------------------------------------------------------

    def MessageWillBeUpdated(self, request: Any, context: grpc.ServicerContext) -> Any:
        response = hooks_pb2.MessageWillBeUpdatedResponse()
        result = self._decide("MessageWillBeUpdated", context, request.context, request.new_post, request.old_post)
        if isinstance(result, str):
            response.rejection_reason = result or "rejected by plugin"
        elif result is not None:
            response.post.CopyFrom(result)
        return response

    def MessageHasBeenUpdated(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._notify(
            "MessageHasBeenUpdated", context, hooks_pb2.MessageHasBeenUpdatedResponse(),
            request.context, request.new_post, request.old_post,
        )

    def MessageHasBeenDeleted(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._notify(
            "MessageHasBeenDeleted", context, hooks_pb2.MessageHasBeenDeletedResponse(), request.context, request.post
        )

    def MessagesWillBeConsumed(self, request: Any, context: grpc.ServicerContext) -> Any:
        response = hooks_pb2.MessagesWillBeConsumedResponse()
        try:
            result: Optional[List[Any]] = self._call("MessagesWillBeConsumed", context, list(request.posts))
        except Exception as error:  # noqa: BLE001 - this hook cannot reject
            _abort_unexpected("MessagesWillBeConsumed", error, context)
            return response
        if result is not None:
            response.changed = True
            response.posts.extend(result)
        return response

    def ReactionHasBeenAdded(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._notify(
            "ReactionHasBeenAdded", context, hooks_pb2.ReactionHasBeenAddedResponse(), request.context, request.reaction
        )

    def ReactionHasBeenRemoved(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._notify(
            "ReactionHasBeenRemoved", context, hooks_pb2.ReactionHasBeenRemovedResponse(),
            request.context, request.reaction,
        )

    # Users --------------------------------------------------------------------------------

    def UserHasBeenCreated(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._notify(
            "UserHasBeenCreated", context, hooks_pb2.UserHasBeenCreatedResponse(), request.context, request.user
        )

    def UserWillLogIn(self, request: Any, context: grpc.ServicerContext) -> Any:
        response = hooks_pb2.UserWillLogInResponse()
        result = self._decide("UserWillLogIn", context, request.context, request.user)
        if isinstance(result, str):
            response.rejection_reason = result or "rejected by plugin"
        return response

    def UserHasLoggedIn(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._notify(
            "UserHasLoggedIn", context, hooks_pb2.UserHasLoggedInResponse(), request.context, request.user
        )

    def UserHasBeenDeactivated(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._notify(
            "UserHasBeenDeactivated", context, hooks_pb2.UserHasBeenDeactivatedResponse(), request.context, request.user
        )

    # Channels and teams -----------------------------------------------------------------

    def ChannelHasBeenCreated(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._notify(
            "ChannelHasBeenCreated", context, hooks_pb2.ChannelHasBeenCreatedResponse(), request.context, request.channel
        )

    def _membership(self, name: str, request: Any, context: grpc.ServicerContext, response: Any) -> Any:
        actor = request.actor if request.HasField("actor") else None
        return self._notify(name, context, response, request.context, request.member, actor)

    def UserHasJoinedChannel(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._membership("UserHasJoinedChannel", request, context, hooks_pb2.ChannelMembershipResponse())

    def UserHasLeftChannel(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._membership("UserHasLeftChannel", request, context, hooks_pb2.ChannelMembershipResponse())

    def UserHasJoinedTeam(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._membership("UserHasJoinedTeam", request, context, hooks_pb2.TeamMembershipResponse())

    def UserHasLeftTeam(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._membership("UserHasLeftTeam", request, context, hooks_pb2.TeamMembershipResponse())

    # Files --------------------------------------------------------------------------------

    def FileWillBeUploaded(self, request_iterator: Iterator[Any], context: grpc.ServicerContext) -> Iterator[Any]:
        first = None
        content = bytearray()
        for chunk in request_iterator:
            if first is None:
                if not chunk.HasField("file_info"):
                    context.abort(grpc.StatusCode.INVALID_ARGUMENT, "FileWillBeUploaded must start with the file info")
                first = chunk
            if len(content) + len(chunk.content_chunk) > MAX_UPLOAD_SIZE:
                context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, "file larger than the SDK accepts")
            content.extend(chunk.content_chunk)
        if first is None:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "FileWillBeUploaded stream without the file info")
            return
        result = self._decide("FileWillBeUploaded", context, first.context, first.file_info, bytes(content))
        decision = hooks_pb2.FileWillBeUploadedResponse()
        decision.decision.SetInParent()
        if isinstance(result, str):
            decision.decision.rejection_reason = result or "rejected by plugin"
            yield decision
            return
        if result is None:
            yield decision
            return
        if not isinstance(result, FileUpload):
            context.abort(grpc.StatusCode.INTERNAL, "file_will_be_uploaded must return None, a str or a FileUpload")
            return
        if result.info is not None:
            decision.decision.file_info.CopyFrom(result.info)
        if result.content is None:
            yield decision
            return
        payload = bytes(result.content)
        decision.decision.content_replaced = True
        decision.content_chunk = payload[:FILE_CHUNK_SIZE]
        yield decision
        for offset in range(FILE_CHUNK_SIZE, len(payload), FILE_CHUNK_SIZE):
            yield hooks_pb2.FileWillBeUploadedResponse(content_chunk=payload[offset : offset + FILE_CHUNK_SIZE])

    # WebSocket ----------------------------------------------------------------------------

    def OnWebSocketConnect(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._notify(
            "OnWebSocketConnect", context, hooks_pb2.WebSocketConnectionResponse(), request.web_conn_id, request.user_id
        )

    def OnWebSocketDisconnect(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._notify(
            "OnWebSocketDisconnect", context, hooks_pb2.WebSocketConnectionResponse(),
            request.web_conn_id, request.user_id,
        )

    def WebSocketMessageHasBeenPosted(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._notify(
            "WebSocketMessageHasBeenPosted", context, hooks_pb2.WebSocketMessageHasBeenPostedResponse(),
            request.web_conn_id, request.user_id, request.request,
        )

    # Server -------------------------------------------------------------------------------

    def OnInstall(self, request: Any, context: grpc.ServicerContext) -> Any:
        response = hooks_pb2.OnInstallResponse()
        self._call_with_error_field("OnInstall", response, context, request.context, request.user_id)
        return response

    def ConfigurationWillBeSaved(self, request: Any, context: grpc.ServicerContext) -> Any:
        response = hooks_pb2.ConfigurationWillBeSavedResponse()
        try:
            configuration = json.loads(request.configuration_json or "{}")
            result = self._call("ConfigurationWillBeSaved", context, configuration)
        except AppError as error:
            error.fill(response.error)
            return response
        except Exception as error:  # noqa: BLE001
            _abort_unexpected("ConfigurationWillBeSaved", error, context)
            return response
        if result is not None:
            response.configuration_json = json.dumps(result)
        return response

    def NotificationWillBePushed(self, request: Any, context: grpc.ServicerContext) -> Any:
        response = hooks_pb2.NotificationWillBePushedResponse()
        result = self._decide("NotificationWillBePushed", context, request.notification, request.user_id)
        if isinstance(result, str):
            response.rejection_reason = result or "rejected by plugin"
        elif result is not None:
            response.notification.CopyFrom(result)
        return response

    # Between plugins ----------------------------------------------------------------------

    def OnPluginEvent(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._notify(
            "OnPluginEvent", context, hooks_pb2.OnPluginEventResponse(),
            request.source_plugin_id, request.topic, bytes(request.payload),
        )



def _abort_unexpected(name: str, error: Exception, context: grpc.ServicerContext) -> None:
    # Imported here: _hooks_service imports this module.
    from ._hooks_service import _abort_unexpected as abort

    abort(name, error, context)
