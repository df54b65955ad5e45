from . import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ImplementedRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ImplementedResponse(_message.Message):
    __slots__ = ("hooks",)
    HOOKS_FIELD_NUMBER: _ClassVar[int]
    hooks: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, hooks: _Optional[_Iterable[str]] = ...) -> None: ...

class OnActivateRequest(_message.Message):
    __slots__ = ("configuration_json",)
    CONFIGURATION_JSON_FIELD_NUMBER: _ClassVar[int]
    configuration_json: str
    def __init__(self, configuration_json: _Optional[str] = ...) -> None: ...

class OnActivateResponse(_message.Message):
    __slots__ = ("error",)
    ERROR_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ...) -> None: ...

class OnDeactivateRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class OnDeactivateResponse(_message.Message):
    __slots__ = ("error",)
    ERROR_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ...) -> None: ...

class OnConfigurationChangeRequest(_message.Message):
    __slots__ = ("configuration_json",)
    CONFIGURATION_JSON_FIELD_NUMBER: _ClassVar[int]
    configuration_json: str
    def __init__(self, configuration_json: _Optional[str] = ...) -> None: ...

class OnConfigurationChangeResponse(_message.Message):
    __slots__ = ("error",)
    ERROR_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ...) -> None: ...

class MessageWillBePostedRequest(_message.Message):
    __slots__ = ("context", "post")
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    POST_FIELD_NUMBER: _ClassVar[int]
    context: _common_pb2.RequestContext
    post: _common_pb2.Post
    def __init__(self, context: _Optional[_Union[_common_pb2.RequestContext, _Mapping]] = ..., post: _Optional[_Union[_common_pb2.Post, _Mapping]] = ...) -> None: ...

class MessageWillBePostedResponse(_message.Message):
    __slots__ = ("post", "rejection_reason")
    POST_FIELD_NUMBER: _ClassVar[int]
    REJECTION_REASON_FIELD_NUMBER: _ClassVar[int]
    post: _common_pb2.Post
    rejection_reason: str
    def __init__(self, post: _Optional[_Union[_common_pb2.Post, _Mapping]] = ..., rejection_reason: _Optional[str] = ...) -> None: ...

class MessageHasBeenPostedRequest(_message.Message):
    __slots__ = ("context", "post")
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    POST_FIELD_NUMBER: _ClassVar[int]
    context: _common_pb2.RequestContext
    post: _common_pb2.Post
    def __init__(self, context: _Optional[_Union[_common_pb2.RequestContext, _Mapping]] = ..., post: _Optional[_Union[_common_pb2.Post, _Mapping]] = ...) -> None: ...

class MessageHasBeenPostedResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CommandArgs(_message.Message):
    __slots__ = ("user_id", "channel_id", "team_id", "root_id", "command")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    ROOT_ID_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    channel_id: str
    team_id: str
    root_id: str
    command: str
    def __init__(self, user_id: _Optional[str] = ..., channel_id: _Optional[str] = ..., team_id: _Optional[str] = ..., root_id: _Optional[str] = ..., command: _Optional[str] = ...) -> None: ...

class CommandResponse(_message.Message):
    __slots__ = ("response_type", "text", "username", "icon_url", "goto_location", "props")
    class PropsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    RESPONSE_TYPE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    ICON_URL_FIELD_NUMBER: _ClassVar[int]
    GOTO_LOCATION_FIELD_NUMBER: _ClassVar[int]
    PROPS_FIELD_NUMBER: _ClassVar[int]
    response_type: str
    text: str
    username: str
    icon_url: str
    goto_location: str
    props: _containers.ScalarMap[str, str]
    def __init__(self, response_type: _Optional[str] = ..., text: _Optional[str] = ..., username: _Optional[str] = ..., icon_url: _Optional[str] = ..., goto_location: _Optional[str] = ..., props: _Optional[_Mapping[str, str]] = ...) -> None: ...

class ExecuteCommandRequest(_message.Message):
    __slots__ = ("context", "args")
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    ARGS_FIELD_NUMBER: _ClassVar[int]
    context: _common_pb2.RequestContext
    args: CommandArgs
    def __init__(self, context: _Optional[_Union[_common_pb2.RequestContext, _Mapping]] = ..., args: _Optional[_Union[CommandArgs, _Mapping]] = ...) -> None: ...

class ExecuteCommandResponse(_message.Message):
    __slots__ = ("response", "error")
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    response: CommandResponse
    error: _common_pb2.AppError
    def __init__(self, response: _Optional[_Union[CommandResponse, _Mapping]] = ..., error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ...) -> None: ...

class HTTPHeader(_message.Message):
    __slots__ = ("name", "value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: str
    def __init__(self, name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class HTTPRequestHead(_message.Message):
    __slots__ = ("context", "method", "url", "headers", "user_id")
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    context: _common_pb2.RequestContext
    method: str
    url: str
    headers: _containers.RepeatedCompositeFieldContainer[HTTPHeader]
    user_id: str
    def __init__(self, context: _Optional[_Union[_common_pb2.RequestContext, _Mapping]] = ..., method: _Optional[str] = ..., url: _Optional[str] = ..., headers: _Optional[_Iterable[_Union[HTTPHeader, _Mapping]]] = ..., user_id: _Optional[str] = ...) -> None: ...

class ServeHTTPRequest(_message.Message):
    __slots__ = ("head", "body_chunk")
    HEAD_FIELD_NUMBER: _ClassVar[int]
    BODY_CHUNK_FIELD_NUMBER: _ClassVar[int]
    head: HTTPRequestHead
    body_chunk: bytes
    def __init__(self, head: _Optional[_Union[HTTPRequestHead, _Mapping]] = ..., body_chunk: _Optional[bytes] = ...) -> None: ...

class HTTPResponseHead(_message.Message):
    __slots__ = ("status_code", "headers")
    STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    status_code: int
    headers: _containers.RepeatedCompositeFieldContainer[HTTPHeader]
    def __init__(self, status_code: _Optional[int] = ..., headers: _Optional[_Iterable[_Union[HTTPHeader, _Mapping]]] = ...) -> None: ...

class ServeHTTPResponse(_message.Message):
    __slots__ = ("head", "body_chunk")
    HEAD_FIELD_NUMBER: _ClassVar[int]
    BODY_CHUNK_FIELD_NUMBER: _ClassVar[int]
    head: HTTPResponseHead
    body_chunk: bytes
    def __init__(self, head: _Optional[_Union[HTTPResponseHead, _Mapping]] = ..., body_chunk: _Optional[bytes] = ...) -> None: ...

class ShutdownRequest(_message.Message):
    __slots__ = ("grace_period_ms",)
    GRACE_PERIOD_MS_FIELD_NUMBER: _ClassVar[int]
    grace_period_ms: int
    def __init__(self, grace_period_ms: _Optional[int] = ...) -> None: ...

class ShutdownResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MessageWillBeUpdatedRequest(_message.Message):
    __slots__ = ("context", "new_post", "old_post")
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    NEW_POST_FIELD_NUMBER: _ClassVar[int]
    OLD_POST_FIELD_NUMBER: _ClassVar[int]
    context: _common_pb2.RequestContext
    new_post: _common_pb2.Post
    old_post: _common_pb2.Post
    def __init__(self, context: _Optional[_Union[_common_pb2.RequestContext, _Mapping]] = ..., new_post: _Optional[_Union[_common_pb2.Post, _Mapping]] = ..., old_post: _Optional[_Union[_common_pb2.Post, _Mapping]] = ...) -> None: ...

class MessageWillBeUpdatedResponse(_message.Message):
    __slots__ = ("post", "rejection_reason")
    POST_FIELD_NUMBER: _ClassVar[int]
    REJECTION_REASON_FIELD_NUMBER: _ClassVar[int]
    post: _common_pb2.Post
    rejection_reason: str
    def __init__(self, post: _Optional[_Union[_common_pb2.Post, _Mapping]] = ..., rejection_reason: _Optional[str] = ...) -> None: ...

class MessageHasBeenUpdatedRequest(_message.Message):
    __slots__ = ("context", "new_post", "old_post")
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    NEW_POST_FIELD_NUMBER: _ClassVar[int]
    OLD_POST_FIELD_NUMBER: _ClassVar[int]
    context: _common_pb2.RequestContext
    new_post: _common_pb2.Post
    old_post: _common_pb2.Post
    def __init__(self, context: _Optional[_Union[_common_pb2.RequestContext, _Mapping]] = ..., new_post: _Optional[_Union[_common_pb2.Post, _Mapping]] = ..., old_post: _Optional[_Union[_common_pb2.Post, _Mapping]] = ...) -> None: ...

class MessageHasBeenUpdatedResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MessageHasBeenDeletedRequest(_message.Message):
    __slots__ = ("context", "post")
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    POST_FIELD_NUMBER: _ClassVar[int]
    context: _common_pb2.RequestContext
    post: _common_pb2.Post
    def __init__(self, context: _Optional[_Union[_common_pb2.RequestContext, _Mapping]] = ..., post: _Optional[_Union[_common_pb2.Post, _Mapping]] = ...) -> None: ...

class MessageHasBeenDeletedResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MessagesWillBeConsumedRequest(_message.Message):
    __slots__ = ("posts",)
    POSTS_FIELD_NUMBER: _ClassVar[int]
    posts: _containers.RepeatedCompositeFieldContainer[_common_pb2.Post]
    def __init__(self, posts: _Optional[_Iterable[_Union[_common_pb2.Post, _Mapping]]] = ...) -> None: ...

class MessagesWillBeConsumedResponse(_message.Message):
    __slots__ = ("changed", "posts")
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    POSTS_FIELD_NUMBER: _ClassVar[int]
    changed: bool
    posts: _containers.RepeatedCompositeFieldContainer[_common_pb2.Post]
    def __init__(self, changed: _Optional[bool] = ..., posts: _Optional[_Iterable[_Union[_common_pb2.Post, _Mapping]]] = ...) -> None: ...

class ReactionHasBeenAddedRequest(_message.Message):
    __slots__ = ("context", "reaction")
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    REACTION_FIELD_NUMBER: _ClassVar[int]
    context: _common_pb2.RequestContext
    reaction: _common_pb2.Reaction
    def __init__(self, context: _Optional[_Union[_common_pb2.RequestContext, _Mapping]] = ..., reaction: _Optional[_Union[_common_pb2.Reaction, _Mapping]] = ...) -> None: ...

class ReactionHasBeenAddedResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReactionHasBeenRemovedRequest(_message.Message):
    __slots__ = ("context", "reaction")
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    REACTION_FIELD_NUMBER: _ClassVar[int]
    context: _common_pb2.RequestContext
    reaction: _common_pb2.Reaction
    def __init__(self, context: _Optional[_Union[_common_pb2.RequestContext, _Mapping]] = ..., reaction: _Optional[_Union[_common_pb2.Reaction, _Mapping]] = ...) -> None: ...

class ReactionHasBeenRemovedResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class UserHasBeenCreatedRequest(_message.Message):
    __slots__ = ("context", "user")
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    context: _common_pb2.RequestContext
    user: _common_pb2.User
    def __init__(self, context: _Optional[_Union[_common_pb2.RequestContext, _Mapping]] = ..., user: _Optional[_Union[_common_pb2.User, _Mapping]] = ...) -> None: ...

class UserHasBeenCreatedResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class UserWillLogInRequest(_message.Message):
    __slots__ = ("context", "user")
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    context: _common_pb2.RequestContext
    user: _common_pb2.User
    def __init__(self, context: _Optional[_Union[_common_pb2.RequestContext, _Mapping]] = ..., user: _Optional[_Union[_common_pb2.User, _Mapping]] = ...) -> None: ...

class UserWillLogInResponse(_message.Message):
    __slots__ = ("rejection_reason",)
    REJECTION_REASON_FIELD_NUMBER: _ClassVar[int]
    rejection_reason: str
    def __init__(self, rejection_reason: _Optional[str] = ...) -> None: ...

class UserHasLoggedInRequest(_message.Message):
    __slots__ = ("context", "user")
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    context: _common_pb2.RequestContext
    user: _common_pb2.User
    def __init__(self, context: _Optional[_Union[_common_pb2.RequestContext, _Mapping]] = ..., user: _Optional[_Union[_common_pb2.User, _Mapping]] = ...) -> None: ...

class UserHasLoggedInResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class UserHasBeenDeactivatedRequest(_message.Message):
    __slots__ = ("context", "user")
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    context: _common_pb2.RequestContext
    user: _common_pb2.User
    def __init__(self, context: _Optional[_Union[_common_pb2.RequestContext, _Mapping]] = ..., user: _Optional[_Union[_common_pb2.User, _Mapping]] = ...) -> None: ...

class UserHasBeenDeactivatedResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ChannelHasBeenCreatedRequest(_message.Message):
    __slots__ = ("context", "channel")
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    context: _common_pb2.RequestContext
    channel: _common_pb2.Channel
    def __init__(self, context: _Optional[_Union[_common_pb2.RequestContext, _Mapping]] = ..., channel: _Optional[_Union[_common_pb2.Channel, _Mapping]] = ...) -> None: ...

class ChannelHasBeenCreatedResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ChannelMembershipRequest(_message.Message):
    __slots__ = ("context", "member", "actor")
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    context: _common_pb2.RequestContext
    member: _common_pb2.ChannelMember
    actor: _common_pb2.User
    def __init__(self, context: _Optional[_Union[_common_pb2.RequestContext, _Mapping]] = ..., member: _Optional[_Union[_common_pb2.ChannelMember, _Mapping]] = ..., actor: _Optional[_Union[_common_pb2.User, _Mapping]] = ...) -> None: ...

class ChannelMembershipResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TeamMembershipRequest(_message.Message):
    __slots__ = ("context", "member", "actor")
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    context: _common_pb2.RequestContext
    member: _common_pb2.TeamMember
    actor: _common_pb2.User
    def __init__(self, context: _Optional[_Union[_common_pb2.RequestContext, _Mapping]] = ..., member: _Optional[_Union[_common_pb2.TeamMember, _Mapping]] = ..., actor: _Optional[_Union[_common_pb2.User, _Mapping]] = ...) -> None: ...

class TeamMembershipResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class FileWillBeUploadedRequest(_message.Message):
    __slots__ = ("context", "file_info", "content_chunk")
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    FILE_INFO_FIELD_NUMBER: _ClassVar[int]
    CONTENT_CHUNK_FIELD_NUMBER: _ClassVar[int]
    context: _common_pb2.RequestContext
    file_info: _common_pb2.FileInfo
    content_chunk: bytes
    def __init__(self, context: _Optional[_Union[_common_pb2.RequestContext, _Mapping]] = ..., file_info: _Optional[_Union[_common_pb2.FileInfo, _Mapping]] = ..., content_chunk: _Optional[bytes] = ...) -> None: ...

class FileUploadDecision(_message.Message):
    __slots__ = ("file_info", "rejection_reason", "content_replaced")
    FILE_INFO_FIELD_NUMBER: _ClassVar[int]
    REJECTION_REASON_FIELD_NUMBER: _ClassVar[int]
    CONTENT_REPLACED_FIELD_NUMBER: _ClassVar[int]
    file_info: _common_pb2.FileInfo
    rejection_reason: str
    content_replaced: bool
    def __init__(self, file_info: _Optional[_Union[_common_pb2.FileInfo, _Mapping]] = ..., rejection_reason: _Optional[str] = ..., content_replaced: _Optional[bool] = ...) -> None: ...

class FileWillBeUploadedResponse(_message.Message):
    __slots__ = ("decision", "content_chunk")
    DECISION_FIELD_NUMBER: _ClassVar[int]
    CONTENT_CHUNK_FIELD_NUMBER: _ClassVar[int]
    decision: FileUploadDecision
    content_chunk: bytes
    def __init__(self, decision: _Optional[_Union[FileUploadDecision, _Mapping]] = ..., content_chunk: _Optional[bytes] = ...) -> None: ...

class WebSocketConnectionRequest(_message.Message):
    __slots__ = ("web_conn_id", "user_id")
    WEB_CONN_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    web_conn_id: str
    user_id: str
    def __init__(self, web_conn_id: _Optional[str] = ..., user_id: _Optional[str] = ...) -> None: ...

class WebSocketConnectionResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class WebSocketMessageHasBeenPostedRequest(_message.Message):
    __slots__ = ("web_conn_id", "user_id", "request")
    WEB_CONN_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    web_conn_id: str
    user_id: str
    request: _common_pb2.WebSocketRequest
    def __init__(self, web_conn_id: _Optional[str] = ..., user_id: _Optional[str] = ..., request: _Optional[_Union[_common_pb2.WebSocketRequest, _Mapping]] = ...) -> None: ...

class WebSocketMessageHasBeenPostedResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class OnInstallRequest(_message.Message):
    __slots__ = ("context", "user_id")
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    context: _common_pb2.RequestContext
    user_id: str
    def __init__(self, context: _Optional[_Union[_common_pb2.RequestContext, _Mapping]] = ..., user_id: _Optional[str] = ...) -> None: ...

class OnInstallResponse(_message.Message):
    __slots__ = ("error",)
    ERROR_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ...) -> None: ...

class ConfigurationWillBeSavedRequest(_message.Message):
    __slots__ = ("configuration_json",)
    CONFIGURATION_JSON_FIELD_NUMBER: _ClassVar[int]
    configuration_json: str
    def __init__(self, configuration_json: _Optional[str] = ...) -> None: ...

class ConfigurationWillBeSavedResponse(_message.Message):
    __slots__ = ("configuration_json", "error")
    CONFIGURATION_JSON_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    configuration_json: str
    error: _common_pb2.AppError
    def __init__(self, configuration_json: _Optional[str] = ..., error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ...) -> None: ...

class NotificationWillBePushedRequest(_message.Message):
    __slots__ = ("notification", "user_id")
    NOTIFICATION_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    notification: _common_pb2.PushNotification
    user_id: str
    def __init__(self, notification: _Optional[_Union[_common_pb2.PushNotification, _Mapping]] = ..., user_id: _Optional[str] = ...) -> None: ...

class NotificationWillBePushedResponse(_message.Message):
    __slots__ = ("notification", "rejection_reason")
    NOTIFICATION_FIELD_NUMBER: _ClassVar[int]
    REJECTION_REASON_FIELD_NUMBER: _ClassVar[int]
    notification: _common_pb2.PushNotification
    rejection_reason: str
    def __init__(self, notification: _Optional[_Union[_common_pb2.PushNotification, _Mapping]] = ..., rejection_reason: _Optional[str] = ...) -> None: ...

class OnPluginEventRequest(_message.Message):
    __slots__ = ("source_plugin_id", "topic", "payload")
    SOURCE_PLUGIN_ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    source_plugin_id: str
    topic: str
    payload: bytes
    def __init__(self, source_plugin_id: _Optional[str] = ..., topic: _Optional[str] = ..., payload: _Optional[bytes] = ...) -> None: ...

class OnPluginEventResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
