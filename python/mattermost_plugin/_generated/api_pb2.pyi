from . import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LogLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LOG_LEVEL_UNSPECIFIED: _ClassVar[LogLevel]
    LOG_LEVEL_DEBUG: _ClassVar[LogLevel]
    LOG_LEVEL_INFO: _ClassVar[LogLevel]
    LOG_LEVEL_WARN: _ClassVar[LogLevel]
    LOG_LEVEL_ERROR: _ClassVar[LogLevel]
LOG_LEVEL_UNSPECIFIED: LogLevel
LOG_LEVEL_DEBUG: LogLevel
LOG_LEVEL_INFO: LogLevel
LOG_LEVEL_WARN: LogLevel
LOG_LEVEL_ERROR: LogLevel

class LogRequest(_message.Message):
    __slots__ = ("level", "message", "key_values")
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    KEY_VALUES_FIELD_NUMBER: _ClassVar[int]
    level: LogLevel
    message: str
    key_values: _containers.RepeatedCompositeFieldContainer[_common_pb2.KeyValue]
    def __init__(self, level: _Optional[_Union[LogLevel, str]] = ..., message: _Optional[str] = ..., key_values: _Optional[_Iterable[_Union[_common_pb2.KeyValue, _Mapping]]] = ...) -> None: ...

class LogResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class KVSetRequest(_message.Message):
    __slots__ = ("key", "value", "expire_in_seconds")
    KEY_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_IN_SECONDS_FIELD_NUMBER: _ClassVar[int]
    key: str
    value: bytes
    expire_in_seconds: int
    def __init__(self, key: _Optional[str] = ..., value: _Optional[bytes] = ..., expire_in_seconds: _Optional[int] = ...) -> None: ...

class KVSetResponse(_message.Message):
    __slots__ = ("error",)
    ERROR_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ...) -> None: ...

class KVGetRequest(_message.Message):
    __slots__ = ("key",)
    KEY_FIELD_NUMBER: _ClassVar[int]
    key: str
    def __init__(self, key: _Optional[str] = ...) -> None: ...

class KVGetResponse(_message.Message):
    __slots__ = ("error", "found", "value")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    FOUND_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    found: bool
    value: bytes
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., found: _Optional[bool] = ..., value: _Optional[bytes] = ...) -> None: ...

class KVDeleteRequest(_message.Message):
    __slots__ = ("key",)
    KEY_FIELD_NUMBER: _ClassVar[int]
    key: str
    def __init__(self, key: _Optional[str] = ...) -> None: ...

class KVDeleteResponse(_message.Message):
    __slots__ = ("error",)
    ERROR_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ...) -> None: ...

class KVListRequest(_message.Message):
    __slots__ = ("page", "per_page")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    page: int
    per_page: int
    def __init__(self, page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class KVListResponse(_message.Message):
    __slots__ = ("error", "keys")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    keys: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., keys: _Optional[_Iterable[str]] = ...) -> None: ...

class KVCompareAndSetRequest(_message.Message):
    __slots__ = ("key", "expect_absent", "old_value", "new_value", "expire_in_seconds")
    KEY_FIELD_NUMBER: _ClassVar[int]
    EXPECT_ABSENT_FIELD_NUMBER: _ClassVar[int]
    OLD_VALUE_FIELD_NUMBER: _ClassVar[int]
    NEW_VALUE_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_IN_SECONDS_FIELD_NUMBER: _ClassVar[int]
    key: str
    expect_absent: bool
    old_value: bytes
    new_value: bytes
    expire_in_seconds: int
    def __init__(self, key: _Optional[str] = ..., expect_absent: _Optional[bool] = ..., old_value: _Optional[bytes] = ..., new_value: _Optional[bytes] = ..., expire_in_seconds: _Optional[int] = ...) -> None: ...

class KVCompareAndSetResponse(_message.Message):
    __slots__ = ("error", "swapped")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    SWAPPED_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    swapped: bool
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., swapped: _Optional[bool] = ...) -> None: ...

class KVCompareAndDeleteRequest(_message.Message):
    __slots__ = ("key", "old_value")
    KEY_FIELD_NUMBER: _ClassVar[int]
    OLD_VALUE_FIELD_NUMBER: _ClassVar[int]
    key: str
    old_value: bytes
    def __init__(self, key: _Optional[str] = ..., old_value: _Optional[bytes] = ...) -> None: ...

class KVCompareAndDeleteResponse(_message.Message):
    __slots__ = ("error", "deleted")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    deleted: bool
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., deleted: _Optional[bool] = ...) -> None: ...

class KVDeleteAllRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class KVDeleteAllResponse(_message.Message):
    __slots__ = ("error",)
    ERROR_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ...) -> None: ...

class GetUserRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class GetUserByUsernameRequest(_message.Message):
    __slots__ = ("username",)
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    username: str
    def __init__(self, username: _Optional[str] = ...) -> None: ...

class UserResponse(_message.Message):
    __slots__ = ("error", "user")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    user: _common_pb2.User
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., user: _Optional[_Union[_common_pb2.User, _Mapping]] = ...) -> None: ...

class GetChannelRequest(_message.Message):
    __slots__ = ("channel_id",)
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    def __init__(self, channel_id: _Optional[str] = ...) -> None: ...

class GetChannelByNameRequest(_message.Message):
    __slots__ = ("team_id", "name")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    name: str
    def __init__(self, team_id: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class ChannelResponse(_message.Message):
    __slots__ = ("error", "channel")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    channel: _common_pb2.Channel
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., channel: _Optional[_Union[_common_pb2.Channel, _Mapping]] = ...) -> None: ...

class CreatePostRequest(_message.Message):
    __slots__ = ("post",)
    POST_FIELD_NUMBER: _ClassVar[int]
    post: _common_pb2.Post
    def __init__(self, post: _Optional[_Union[_common_pb2.Post, _Mapping]] = ...) -> None: ...

class GetPostRequest(_message.Message):
    __slots__ = ("post_id",)
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    def __init__(self, post_id: _Optional[str] = ...) -> None: ...

class UpdatePostRequest(_message.Message):
    __slots__ = ("post",)
    POST_FIELD_NUMBER: _ClassVar[int]
    post: _common_pb2.Post
    def __init__(self, post: _Optional[_Union[_common_pb2.Post, _Mapping]] = ...) -> None: ...

class PostResponse(_message.Message):
    __slots__ = ("error", "post")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    POST_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    post: _common_pb2.Post
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., post: _Optional[_Union[_common_pb2.Post, _Mapping]] = ...) -> None: ...

class DeletePostRequest(_message.Message):
    __slots__ = ("post_id",)
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    def __init__(self, post_id: _Optional[str] = ...) -> None: ...

class DeletePostResponse(_message.Message):
    __slots__ = ("error",)
    ERROR_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ...) -> None: ...

class GetPluginConfigRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetPluginConfigResponse(_message.Message):
    __slots__ = ("error", "configuration_json")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    CONFIGURATION_JSON_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    configuration_json: str
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., configuration_json: _Optional[str] = ...) -> None: ...

class SavePluginConfigRequest(_message.Message):
    __slots__ = ("configuration_json",)
    CONFIGURATION_JSON_FIELD_NUMBER: _ClassVar[int]
    configuration_json: str
    def __init__(self, configuration_json: _Optional[str] = ...) -> None: ...

class SavePluginConfigResponse(_message.Message):
    __slots__ = ("error",)
    ERROR_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ...) -> None: ...

class GetServerVersionRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetServerVersionResponse(_message.Message):
    __slots__ = ("version",)
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: str
    def __init__(self, version: _Optional[str] = ...) -> None: ...

class AppErrorResponse(_message.Message):
    __slots__ = ("error",)
    ERROR_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ...) -> None: ...

class GetSupportedMethodsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetSupportedMethodsResponse(_message.Message):
    __slots__ = ("methods",)
    METHODS_FIELD_NUMBER: _ClassVar[int]
    methods: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, methods: _Optional[_Iterable[str]] = ...) -> None: ...

class Page(_message.Message):
    __slots__ = ("page", "per_page")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    page: int
    per_page: int
    def __init__(self, page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class GetUserByEmailRequest(_message.Message):
    __slots__ = ("email",)
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    email: str
    def __init__(self, email: _Optional[str] = ...) -> None: ...

class GetUsersRequest(_message.Message):
    __slots__ = ("page", "in_team", "include_deleted")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    IN_TEAM_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DELETED_FIELD_NUMBER: _ClassVar[int]
    page: Page
    in_team: str
    include_deleted: bool
    def __init__(self, page: _Optional[_Union[Page, _Mapping]] = ..., in_team: _Optional[str] = ..., include_deleted: _Optional[bool] = ...) -> None: ...

class GetUsersByIdsRequest(_message.Message):
    __slots__ = ("user_ids",)
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    user_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class SearchUsersRequest(_message.Message):
    __slots__ = ("term", "team_id", "limit", "allow_inactive")
    TERM_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    ALLOW_INACTIVE_FIELD_NUMBER: _ClassVar[int]
    term: str
    team_id: str
    limit: int
    allow_inactive: bool
    def __init__(self, term: _Optional[str] = ..., team_id: _Optional[str] = ..., limit: _Optional[int] = ..., allow_inactive: _Optional[bool] = ...) -> None: ...

class UsersResponse(_message.Message):
    __slots__ = ("error", "users")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    users: _containers.RepeatedCompositeFieldContainer[_common_pb2.User]
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., users: _Optional[_Iterable[_Union[_common_pb2.User, _Mapping]]] = ...) -> None: ...

class CreateUserRequest(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _common_pb2.User
    def __init__(self, user: _Optional[_Union[_common_pb2.User, _Mapping]] = ...) -> None: ...

class UpdateUserRequest(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _common_pb2.User
    def __init__(self, user: _Optional[_Union[_common_pb2.User, _Mapping]] = ...) -> None: ...

class DeleteUserRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class GetUserStatusRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class UpdateUserStatusRequest(_message.Message):
    __slots__ = ("user_id", "status")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    status: str
    def __init__(self, user_id: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class UserStatusResponse(_message.Message):
    __slots__ = ("error", "status")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    status: _common_pb2.UserStatus
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., status: _Optional[_Union[_common_pb2.UserStatus, _Mapping]] = ...) -> None: ...

class GetProfileImageRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class GetProfileImageResponse(_message.Message):
    __slots__ = ("error", "image")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    image: bytes
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., image: _Optional[bytes] = ...) -> None: ...

class SetProfileImageRequest(_message.Message):
    __slots__ = ("user_id", "image")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    image: bytes
    def __init__(self, user_id: _Optional[str] = ..., image: _Optional[bytes] = ...) -> None: ...

class CreateTeamRequest(_message.Message):
    __slots__ = ("team",)
    TEAM_FIELD_NUMBER: _ClassVar[int]
    team: _common_pb2.Team
    def __init__(self, team: _Optional[_Union[_common_pb2.Team, _Mapping]] = ...) -> None: ...

class GetTeamRequest(_message.Message):
    __slots__ = ("team_id",)
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    def __init__(self, team_id: _Optional[str] = ...) -> None: ...

class GetTeamByNameRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetTeamsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetTeamsForUserRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class TeamResponse(_message.Message):
    __slots__ = ("error", "team")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    team: _common_pb2.Team
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., team: _Optional[_Union[_common_pb2.Team, _Mapping]] = ...) -> None: ...

class TeamsResponse(_message.Message):
    __slots__ = ("error", "teams")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    TEAMS_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    teams: _containers.RepeatedCompositeFieldContainer[_common_pb2.Team]
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., teams: _Optional[_Iterable[_Union[_common_pb2.Team, _Mapping]]] = ...) -> None: ...

class GetTeamMemberRequest(_message.Message):
    __slots__ = ("team_id", "user_id")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    user_id: str
    def __init__(self, team_id: _Optional[str] = ..., user_id: _Optional[str] = ...) -> None: ...

class GetTeamMembersRequest(_message.Message):
    __slots__ = ("team_id", "page")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    page: Page
    def __init__(self, team_id: _Optional[str] = ..., page: _Optional[_Union[Page, _Mapping]] = ...) -> None: ...

class CreateTeamMemberRequest(_message.Message):
    __slots__ = ("team_id", "user_id")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    user_id: str
    def __init__(self, team_id: _Optional[str] = ..., user_id: _Optional[str] = ...) -> None: ...

class DeleteTeamMemberRequest(_message.Message):
    __slots__ = ("team_id", "user_id", "requestor_id")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTOR_ID_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    user_id: str
    requestor_id: str
    def __init__(self, team_id: _Optional[str] = ..., user_id: _Optional[str] = ..., requestor_id: _Optional[str] = ...) -> None: ...

class TeamMemberResponse(_message.Message):
    __slots__ = ("error", "member")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    member: _common_pb2.TeamMember
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., member: _Optional[_Union[_common_pb2.TeamMember, _Mapping]] = ...) -> None: ...

class TeamMembersResponse(_message.Message):
    __slots__ = ("error", "members")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    members: _containers.RepeatedCompositeFieldContainer[_common_pb2.TeamMember]
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., members: _Optional[_Iterable[_Union[_common_pb2.TeamMember, _Mapping]]] = ...) -> None: ...

class CreateChannelRequest(_message.Message):
    __slots__ = ("channel",)
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    channel: _common_pb2.Channel
    def __init__(self, channel: _Optional[_Union[_common_pb2.Channel, _Mapping]] = ...) -> None: ...

class UpdateChannelRequest(_message.Message):
    __slots__ = ("channel",)
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    channel: _common_pb2.Channel
    def __init__(self, channel: _Optional[_Union[_common_pb2.Channel, _Mapping]] = ...) -> None: ...

class DeleteChannelRequest(_message.Message):
    __slots__ = ("channel_id",)
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    def __init__(self, channel_id: _Optional[str] = ...) -> None: ...

class GetDirectChannelRequest(_message.Message):
    __slots__ = ("user_id_1", "user_id_2")
    USER_ID_1_FIELD_NUMBER: _ClassVar[int]
    USER_ID_2_FIELD_NUMBER: _ClassVar[int]
    user_id_1: str
    user_id_2: str
    def __init__(self, user_id_1: _Optional[str] = ..., user_id_2: _Optional[str] = ...) -> None: ...

class GetGroupChannelRequest(_message.Message):
    __slots__ = ("user_ids",)
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    user_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class GetPublicChannelsForTeamRequest(_message.Message):
    __slots__ = ("team_id", "page")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    page: Page
    def __init__(self, team_id: _Optional[str] = ..., page: _Optional[_Union[Page, _Mapping]] = ...) -> None: ...

class GetChannelsForTeamForUserRequest(_message.Message):
    __slots__ = ("team_id", "user_id", "include_deleted")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DELETED_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    user_id: str
    include_deleted: bool
    def __init__(self, team_id: _Optional[str] = ..., user_id: _Optional[str] = ..., include_deleted: _Optional[bool] = ...) -> None: ...

class SearchChannelsRequest(_message.Message):
    __slots__ = ("team_id", "term")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    TERM_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    term: str
    def __init__(self, team_id: _Optional[str] = ..., term: _Optional[str] = ...) -> None: ...

class ChannelsResponse(_message.Message):
    __slots__ = ("error", "channels")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    channels: _containers.RepeatedCompositeFieldContainer[_common_pb2.Channel]
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., channels: _Optional[_Iterable[_Union[_common_pb2.Channel, _Mapping]]] = ...) -> None: ...

class GetChannelMemberRequest(_message.Message):
    __slots__ = ("channel_id", "user_id")
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    user_id: str
    def __init__(self, channel_id: _Optional[str] = ..., user_id: _Optional[str] = ...) -> None: ...

class GetChannelMembersRequest(_message.Message):
    __slots__ = ("channel_id", "page")
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    page: Page
    def __init__(self, channel_id: _Optional[str] = ..., page: _Optional[_Union[Page, _Mapping]] = ...) -> None: ...

class AddChannelMemberRequest(_message.Message):
    __slots__ = ("channel_id", "user_id")
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    user_id: str
    def __init__(self, channel_id: _Optional[str] = ..., user_id: _Optional[str] = ...) -> None: ...

class DeleteChannelMemberRequest(_message.Message):
    __slots__ = ("channel_id", "user_id")
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    user_id: str
    def __init__(self, channel_id: _Optional[str] = ..., user_id: _Optional[str] = ...) -> None: ...

class ChannelMemberResponse(_message.Message):
    __slots__ = ("error", "member")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    member: _common_pb2.ChannelMember
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., member: _Optional[_Union[_common_pb2.ChannelMember, _Mapping]] = ...) -> None: ...

class ChannelMembersResponse(_message.Message):
    __slots__ = ("error", "members")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    members: _containers.RepeatedCompositeFieldContainer[_common_pb2.ChannelMember]
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., members: _Optional[_Iterable[_Union[_common_pb2.ChannelMember, _Mapping]]] = ...) -> None: ...

class GetUsersInChannelRequest(_message.Message):
    __slots__ = ("channel_id", "page")
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    page: Page
    def __init__(self, channel_id: _Optional[str] = ..., page: _Optional[_Union[Page, _Mapping]] = ...) -> None: ...

class EphemeralPostRequest(_message.Message):
    __slots__ = ("user_id", "post")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    POST_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    post: _common_pb2.Post
    def __init__(self, user_id: _Optional[str] = ..., post: _Optional[_Union[_common_pb2.Post, _Mapping]] = ...) -> None: ...

class DeleteEphemeralPostRequest(_message.Message):
    __slots__ = ("user_id", "post_id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    post_id: str
    def __init__(self, user_id: _Optional[str] = ..., post_id: _Optional[str] = ...) -> None: ...

class GetPostThreadRequest(_message.Message):
    __slots__ = ("post_id",)
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    def __init__(self, post_id: _Optional[str] = ...) -> None: ...

class GetPostsForChannelRequest(_message.Message):
    __slots__ = ("channel_id", "page")
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    page: Page
    def __init__(self, channel_id: _Optional[str] = ..., page: _Optional[_Union[Page, _Mapping]] = ...) -> None: ...

class GetPostsSinceRequest(_message.Message):
    __slots__ = ("channel_id", "time")
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    time: int
    def __init__(self, channel_id: _Optional[str] = ..., time: _Optional[int] = ...) -> None: ...

class GetPostsAroundRequest(_message.Message):
    __slots__ = ("channel_id", "post_id", "page")
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    post_id: str
    page: Page
    def __init__(self, channel_id: _Optional[str] = ..., post_id: _Optional[str] = ..., page: _Optional[_Union[Page, _Mapping]] = ...) -> None: ...

class SearchPostsInTeamRequest(_message.Message):
    __slots__ = ("team_id", "terms")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    TERMS_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    terms: str
    def __init__(self, team_id: _Optional[str] = ..., terms: _Optional[str] = ...) -> None: ...

class PostListResponse(_message.Message):
    __slots__ = ("error", "posts")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    POSTS_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    posts: _containers.RepeatedCompositeFieldContainer[_common_pb2.Post]
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., posts: _Optional[_Iterable[_Union[_common_pb2.Post, _Mapping]]] = ...) -> None: ...

class ReactionRequest(_message.Message):
    __slots__ = ("reaction",)
    REACTION_FIELD_NUMBER: _ClassVar[int]
    reaction: _common_pb2.Reaction
    def __init__(self, reaction: _Optional[_Union[_common_pb2.Reaction, _Mapping]] = ...) -> None: ...

class ReactionResponse(_message.Message):
    __slots__ = ("error", "reaction")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    REACTION_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    reaction: _common_pb2.Reaction
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., reaction: _Optional[_Union[_common_pb2.Reaction, _Mapping]] = ...) -> None: ...

class GetReactionsRequest(_message.Message):
    __slots__ = ("post_id",)
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    def __init__(self, post_id: _Optional[str] = ...) -> None: ...

class ReactionsResponse(_message.Message):
    __slots__ = ("error", "reactions")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    REACTIONS_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    reactions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Reaction]
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., reactions: _Optional[_Iterable[_Union[_common_pb2.Reaction, _Mapping]]] = ...) -> None: ...

class UploadFileRequest(_message.Message):
    __slots__ = ("info", "chunk")
    INFO_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    info: _common_pb2.FileInfo
    chunk: bytes
    def __init__(self, info: _Optional[_Union[_common_pb2.FileInfo, _Mapping]] = ..., chunk: _Optional[bytes] = ...) -> None: ...

class FileInfoResponse(_message.Message):
    __slots__ = ("error", "info")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    INFO_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    info: _common_pb2.FileInfo
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., info: _Optional[_Union[_common_pb2.FileInfo, _Mapping]] = ...) -> None: ...

class GetFileRequest(_message.Message):
    __slots__ = ("file_id",)
    FILE_ID_FIELD_NUMBER: _ClassVar[int]
    file_id: str
    def __init__(self, file_id: _Optional[str] = ...) -> None: ...

class GetFileResponse(_message.Message):
    __slots__ = ("error", "chunk")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    chunk: bytes
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., chunk: _Optional[bytes] = ...) -> None: ...

class GetFileInfoRequest(_message.Message):
    __slots__ = ("file_id",)
    FILE_ID_FIELD_NUMBER: _ClassVar[int]
    file_id: str
    def __init__(self, file_id: _Optional[str] = ...) -> None: ...

class GetFileLinkRequest(_message.Message):
    __slots__ = ("file_id",)
    FILE_ID_FIELD_NUMBER: _ClassVar[int]
    file_id: str
    def __init__(self, file_id: _Optional[str] = ...) -> None: ...

class GetFileLinkResponse(_message.Message):
    __slots__ = ("error", "link")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    link: str
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., link: _Optional[str] = ...) -> None: ...

class CreateBotRequest(_message.Message):
    __slots__ = ("bot",)
    BOT_FIELD_NUMBER: _ClassVar[int]
    bot: _common_pb2.Bot
    def __init__(self, bot: _Optional[_Union[_common_pb2.Bot, _Mapping]] = ...) -> None: ...

class GetBotRequest(_message.Message):
    __slots__ = ("bot_user_id", "include_deleted")
    BOT_USER_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DELETED_FIELD_NUMBER: _ClassVar[int]
    bot_user_id: str
    include_deleted: bool
    def __init__(self, bot_user_id: _Optional[str] = ..., include_deleted: _Optional[bool] = ...) -> None: ...

class EnsureBotUserRequest(_message.Message):
    __slots__ = ("bot",)
    BOT_FIELD_NUMBER: _ClassVar[int]
    bot: _common_pb2.Bot
    def __init__(self, bot: _Optional[_Union[_common_pb2.Bot, _Mapping]] = ...) -> None: ...

class PatchBotRequest(_message.Message):
    __slots__ = ("bot_user_id", "username", "display_name", "description")
    BOT_USER_ID_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    bot_user_id: str
    username: str
    display_name: str
    description: str
    def __init__(self, bot_user_id: _Optional[str] = ..., username: _Optional[str] = ..., display_name: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class UpdateBotActiveRequest(_message.Message):
    __slots__ = ("bot_user_id", "active")
    BOT_USER_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    bot_user_id: str
    active: bool
    def __init__(self, bot_user_id: _Optional[str] = ..., active: _Optional[bool] = ...) -> None: ...

class GetBotsRequest(_message.Message):
    __slots__ = ("page", "owner_id", "include_deleted")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DELETED_FIELD_NUMBER: _ClassVar[int]
    page: Page
    owner_id: str
    include_deleted: bool
    def __init__(self, page: _Optional[_Union[Page, _Mapping]] = ..., owner_id: _Optional[str] = ..., include_deleted: _Optional[bool] = ...) -> None: ...

class BotResponse(_message.Message):
    __slots__ = ("error", "bot")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    BOT_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    bot: _common_pb2.Bot
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., bot: _Optional[_Union[_common_pb2.Bot, _Mapping]] = ...) -> None: ...

class BotsResponse(_message.Message):
    __slots__ = ("error", "bots")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    BOTS_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    bots: _containers.RepeatedCompositeFieldContainer[_common_pb2.Bot]
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., bots: _Optional[_Iterable[_Union[_common_pb2.Bot, _Mapping]]] = ...) -> None: ...

class RegisterCommandRequest(_message.Message):
    __slots__ = ("command",)
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    command: _common_pb2.Command
    def __init__(self, command: _Optional[_Union[_common_pb2.Command, _Mapping]] = ...) -> None: ...

class UnregisterCommandRequest(_message.Message):
    __slots__ = ("team_id", "trigger")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    trigger: str
    def __init__(self, team_id: _Optional[str] = ..., trigger: _Optional[str] = ...) -> None: ...

class ListPluginCommandsRequest(_message.Message):
    __slots__ = ("team_id",)
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    def __init__(self, team_id: _Optional[str] = ...) -> None: ...

class CommandsResponse(_message.Message):
    __slots__ = ("error", "commands")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    COMMANDS_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    commands: _containers.RepeatedCompositeFieldContainer[_common_pb2.Command]
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., commands: _Optional[_Iterable[_Union[_common_pb2.Command, _Mapping]]] = ...) -> None: ...

class PublishWebSocketEventRequest(_message.Message):
    __slots__ = ("event", "payload_json", "user_id", "channel_id")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_JSON_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    event: str
    payload_json: str
    user_id: str
    channel_id: str
    def __init__(self, event: _Optional[str] = ..., payload_json: _Optional[str] = ..., user_id: _Optional[str] = ..., channel_id: _Optional[str] = ...) -> None: ...

class PluginHTTPRequest(_message.Message):
    __slots__ = ("plugin_id", "method", "url", "headers", "body")
    PLUGIN_ID_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    plugin_id: str
    method: str
    url: str
    headers: _containers.RepeatedCompositeFieldContainer[_common_pb2.KeyValue]
    body: bytes
    def __init__(self, plugin_id: _Optional[str] = ..., method: _Optional[str] = ..., url: _Optional[str] = ..., headers: _Optional[_Iterable[_Union[_common_pb2.KeyValue, _Mapping]]] = ..., body: _Optional[bytes] = ...) -> None: ...

class PluginHTTPResponse(_message.Message):
    __slots__ = ("error", "status_code", "headers", "body")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    status_code: int
    headers: _containers.RepeatedCompositeFieldContainer[_common_pb2.KeyValue]
    body: bytes
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., status_code: _Optional[int] = ..., headers: _Optional[_Iterable[_Union[_common_pb2.KeyValue, _Mapping]]] = ..., body: _Optional[bytes] = ...) -> None: ...

class GetConfigRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetConfigResponse(_message.Message):
    __slots__ = ("error", "config_json")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    CONFIG_JSON_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    config_json: str
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., config_json: _Optional[str] = ...) -> None: ...

class GetPreferencesForUserRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class PreferencesRequest(_message.Message):
    __slots__ = ("user_id", "preferences")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    PREFERENCES_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    preferences: _containers.RepeatedCompositeFieldContainer[_common_pb2.Preference]
    def __init__(self, user_id: _Optional[str] = ..., preferences: _Optional[_Iterable[_Union[_common_pb2.Preference, _Mapping]]] = ...) -> None: ...

class PreferencesResponse(_message.Message):
    __slots__ = ("error", "preferences")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    PREFERENCES_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    preferences: _containers.RepeatedCompositeFieldContainer[_common_pb2.Preference]
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., preferences: _Optional[_Iterable[_Union[_common_pb2.Preference, _Mapping]]] = ...) -> None: ...

class PublishPluginEventRequest(_message.Message):
    __slots__ = ("topic", "payload")
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    topic: str
    payload: bytes
    def __init__(self, topic: _Optional[str] = ..., payload: _Optional[bytes] = ...) -> None: ...

class PublishPluginEventResponse(_message.Message):
    __slots__ = ("error", "delivered")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.AppError
    delivered: int
    def __init__(self, error: _Optional[_Union[_common_pb2.AppError, _Mapping]] = ..., delivered: _Optional[int] = ...) -> None: ...
