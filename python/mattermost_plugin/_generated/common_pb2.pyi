from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ChannelType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANNEL_TYPE_UNSPECIFIED: _ClassVar[ChannelType]
    CHANNEL_TYPE_OPEN: _ClassVar[ChannelType]
    CHANNEL_TYPE_PRIVATE: _ClassVar[ChannelType]
    CHANNEL_TYPE_DIRECT: _ClassVar[ChannelType]
    CHANNEL_TYPE_GROUP: _ClassVar[ChannelType]
CHANNEL_TYPE_UNSPECIFIED: ChannelType
CHANNEL_TYPE_OPEN: ChannelType
CHANNEL_TYPE_PRIVATE: ChannelType
CHANNEL_TYPE_DIRECT: ChannelType
CHANNEL_TYPE_GROUP: ChannelType

class AppError(_message.Message):
    __slots__ = ("id", "message", "detailed_error", "status_code", "where")
    ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    DETAILED_ERROR_FIELD_NUMBER: _ClassVar[int]
    STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    WHERE_FIELD_NUMBER: _ClassVar[int]
    id: str
    message: str
    detailed_error: str
    status_code: int
    where: str
    def __init__(self, id: _Optional[str] = ..., message: _Optional[str] = ..., detailed_error: _Optional[str] = ..., status_code: _Optional[int] = ..., where: _Optional[str] = ...) -> None: ...

class Post(_message.Message):
    __slots__ = ("id", "create_at", "update_at", "edit_at", "delete_at", "user_id", "channel_id", "root_id", "message", "type", "props")
    class PropsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_AT_FIELD_NUMBER: _ClassVar[int]
    EDIT_AT_FIELD_NUMBER: _ClassVar[int]
    DELETE_AT_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    ROOT_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    PROPS_FIELD_NUMBER: _ClassVar[int]
    id: str
    create_at: int
    update_at: int
    edit_at: int
    delete_at: int
    user_id: str
    channel_id: str
    root_id: str
    message: str
    type: str
    props: _containers.ScalarMap[str, str]
    def __init__(self, id: _Optional[str] = ..., create_at: _Optional[int] = ..., update_at: _Optional[int] = ..., edit_at: _Optional[int] = ..., delete_at: _Optional[int] = ..., user_id: _Optional[str] = ..., channel_id: _Optional[str] = ..., root_id: _Optional[str] = ..., message: _Optional[str] = ..., type: _Optional[str] = ..., props: _Optional[_Mapping[str, str]] = ...) -> None: ...

class User(_message.Message):
    __slots__ = ("id", "username", "email", "nickname", "first_name", "last_name", "roles", "locale", "create_at", "delete_at", "is_bot")
    ID_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    NICKNAME_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    CREATE_AT_FIELD_NUMBER: _ClassVar[int]
    DELETE_AT_FIELD_NUMBER: _ClassVar[int]
    IS_BOT_FIELD_NUMBER: _ClassVar[int]
    id: str
    username: str
    email: str
    nickname: str
    first_name: str
    last_name: str
    roles: str
    locale: str
    create_at: int
    delete_at: int
    is_bot: bool
    def __init__(self, id: _Optional[str] = ..., username: _Optional[str] = ..., email: _Optional[str] = ..., nickname: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., roles: _Optional[str] = ..., locale: _Optional[str] = ..., create_at: _Optional[int] = ..., delete_at: _Optional[int] = ..., is_bot: _Optional[bool] = ...) -> None: ...

class Channel(_message.Message):
    __slots__ = ("id", "team_id", "type", "name", "display_name", "header", "purpose", "creator_id", "create_at", "delete_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    HEADER_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    CREATOR_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_AT_FIELD_NUMBER: _ClassVar[int]
    DELETE_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    team_id: str
    type: ChannelType
    name: str
    display_name: str
    header: str
    purpose: str
    creator_id: str
    create_at: int
    delete_at: int
    def __init__(self, id: _Optional[str] = ..., team_id: _Optional[str] = ..., type: _Optional[_Union[ChannelType, str]] = ..., name: _Optional[str] = ..., display_name: _Optional[str] = ..., header: _Optional[str] = ..., purpose: _Optional[str] = ..., creator_id: _Optional[str] = ..., create_at: _Optional[int] = ..., delete_at: _Optional[int] = ...) -> None: ...

class RequestContext(_message.Message):
    __slots__ = ("session_id", "request_id", "ip_address", "accept_language", "user_agent")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    ACCEPT_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    USER_AGENT_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    request_id: str
    ip_address: str
    accept_language: str
    user_agent: str
    def __init__(self, session_id: _Optional[str] = ..., request_id: _Optional[str] = ..., ip_address: _Optional[str] = ..., accept_language: _Optional[str] = ..., user_agent: _Optional[str] = ...) -> None: ...

class KeyValue(_message.Message):
    __slots__ = ("key", "value")
    KEY_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    key: str
    value: str
    def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class Team(_message.Message):
    __slots__ = ("id", "name", "display_name", "description", "email", "open_invite", "create_at", "delete_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    OPEN_INVITE_FIELD_NUMBER: _ClassVar[int]
    CREATE_AT_FIELD_NUMBER: _ClassVar[int]
    DELETE_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    display_name: str
    description: str
    email: str
    open_invite: bool
    create_at: int
    delete_at: int
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., display_name: _Optional[str] = ..., description: _Optional[str] = ..., email: _Optional[str] = ..., open_invite: _Optional[bool] = ..., create_at: _Optional[int] = ..., delete_at: _Optional[int] = ...) -> None: ...

class TeamMember(_message.Message):
    __slots__ = ("team_id", "user_id", "roles", "delete_at")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    DELETE_AT_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    user_id: str
    roles: str
    delete_at: int
    def __init__(self, team_id: _Optional[str] = ..., user_id: _Optional[str] = ..., roles: _Optional[str] = ..., delete_at: _Optional[int] = ...) -> None: ...

class ChannelMember(_message.Message):
    __slots__ = ("channel_id", "user_id", "roles", "last_viewed_at", "msg_count", "mention_count", "notify_props", "last_update_at")
    class NotifyPropsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    LAST_VIEWED_AT_FIELD_NUMBER: _ClassVar[int]
    MSG_COUNT_FIELD_NUMBER: _ClassVar[int]
    MENTION_COUNT_FIELD_NUMBER: _ClassVar[int]
    NOTIFY_PROPS_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATE_AT_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    user_id: str
    roles: str
    last_viewed_at: int
    msg_count: int
    mention_count: int
    notify_props: _containers.ScalarMap[str, str]
    last_update_at: int
    def __init__(self, channel_id: _Optional[str] = ..., user_id: _Optional[str] = ..., roles: _Optional[str] = ..., last_viewed_at: _Optional[int] = ..., msg_count: _Optional[int] = ..., mention_count: _Optional[int] = ..., notify_props: _Optional[_Mapping[str, str]] = ..., last_update_at: _Optional[int] = ...) -> None: ...

class Reaction(_message.Message):
    __slots__ = ("user_id", "post_id", "emoji_name", "create_at", "channel_id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    EMOJI_NAME_FIELD_NUMBER: _ClassVar[int]
    CREATE_AT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    post_id: str
    emoji_name: str
    create_at: int
    channel_id: str
    def __init__(self, user_id: _Optional[str] = ..., post_id: _Optional[str] = ..., emoji_name: _Optional[str] = ..., create_at: _Optional[int] = ..., channel_id: _Optional[str] = ...) -> None: ...

class FileInfo(_message.Message):
    __slots__ = ("id", "creator_id", "post_id", "channel_id", "create_at", "update_at", "delete_at", "name", "extension", "size", "mime_type", "width", "height", "has_preview_image")
    ID_FIELD_NUMBER: _ClassVar[int]
    CREATOR_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_AT_FIELD_NUMBER: _ClassVar[int]
    DELETE_AT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    HAS_PREVIEW_IMAGE_FIELD_NUMBER: _ClassVar[int]
    id: str
    creator_id: str
    post_id: str
    channel_id: str
    create_at: int
    update_at: int
    delete_at: int
    name: str
    extension: str
    size: int
    mime_type: str
    width: int
    height: int
    has_preview_image: bool
    def __init__(self, id: _Optional[str] = ..., creator_id: _Optional[str] = ..., post_id: _Optional[str] = ..., channel_id: _Optional[str] = ..., create_at: _Optional[int] = ..., update_at: _Optional[int] = ..., delete_at: _Optional[int] = ..., name: _Optional[str] = ..., extension: _Optional[str] = ..., size: _Optional[int] = ..., mime_type: _Optional[str] = ..., width: _Optional[int] = ..., height: _Optional[int] = ..., has_preview_image: _Optional[bool] = ...) -> None: ...

class Bot(_message.Message):
    __slots__ = ("user_id", "username", "display_name", "description", "owner_id", "create_at", "update_at", "delete_at")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_AT_FIELD_NUMBER: _ClassVar[int]
    DELETE_AT_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    username: str
    display_name: str
    description: str
    owner_id: str
    create_at: int
    update_at: int
    delete_at: int
    def __init__(self, user_id: _Optional[str] = ..., username: _Optional[str] = ..., display_name: _Optional[str] = ..., description: _Optional[str] = ..., owner_id: _Optional[str] = ..., create_at: _Optional[int] = ..., update_at: _Optional[int] = ..., delete_at: _Optional[int] = ...) -> None: ...

class Command(_message.Message):
    __slots__ = ("trigger", "team_id", "display_name", "description", "auto_complete_hint", "auto_complete", "plugin_id")
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    AUTO_COMPLETE_HINT_FIELD_NUMBER: _ClassVar[int]
    AUTO_COMPLETE_FIELD_NUMBER: _ClassVar[int]
    PLUGIN_ID_FIELD_NUMBER: _ClassVar[int]
    trigger: str
    team_id: str
    display_name: str
    description: str
    auto_complete_hint: str
    auto_complete: bool
    plugin_id: str
    def __init__(self, trigger: _Optional[str] = ..., team_id: _Optional[str] = ..., display_name: _Optional[str] = ..., description: _Optional[str] = ..., auto_complete_hint: _Optional[str] = ..., auto_complete: _Optional[bool] = ..., plugin_id: _Optional[str] = ...) -> None: ...

class Preference(_message.Message):
    __slots__ = ("user_id", "category", "name", "value")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    category: str
    name: str
    value: str
    def __init__(self, user_id: _Optional[str] = ..., category: _Optional[str] = ..., name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class UserStatus(_message.Message):
    __slots__ = ("user_id", "status", "manual", "last_activity_at")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MANUAL_FIELD_NUMBER: _ClassVar[int]
    LAST_ACTIVITY_AT_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    status: str
    manual: bool
    last_activity_at: int
    def __init__(self, user_id: _Optional[str] = ..., status: _Optional[str] = ..., manual: _Optional[bool] = ..., last_activity_at: _Optional[int] = ...) -> None: ...

class WebSocketRequest(_message.Message):
    __slots__ = ("seq", "action", "data_json")
    SEQ_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    DATA_JSON_FIELD_NUMBER: _ClassVar[int]
    seq: int
    action: str
    data_json: str
    def __init__(self, seq: _Optional[int] = ..., action: _Optional[str] = ..., data_json: _Optional[str] = ...) -> None: ...

class PushNotification(_message.Message):
    __slots__ = ("ack_id", "platform", "server_id", "device_id", "post_id", "category", "sound", "message", "badge", "team_id", "channel_id", "channel_name", "type", "sender_id", "sender_name", "root_id", "is_id_loaded")
    ACK_ID_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    SERVER_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    SOUND_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    BADGE_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    SENDER_ID_FIELD_NUMBER: _ClassVar[int]
    SENDER_NAME_FIELD_NUMBER: _ClassVar[int]
    ROOT_ID_FIELD_NUMBER: _ClassVar[int]
    IS_ID_LOADED_FIELD_NUMBER: _ClassVar[int]
    ack_id: str
    platform: str
    server_id: str
    device_id: str
    post_id: str
    category: str
    sound: str
    message: str
    badge: int
    team_id: str
    channel_id: str
    channel_name: str
    type: str
    sender_id: str
    sender_name: str
    root_id: str
    is_id_loaded: bool
    def __init__(self, ack_id: _Optional[str] = ..., platform: _Optional[str] = ..., server_id: _Optional[str] = ..., device_id: _Optional[str] = ..., post_id: _Optional[str] = ..., category: _Optional[str] = ..., sound: _Optional[str] = ..., message: _Optional[str] = ..., badge: _Optional[int] = ..., team_id: _Optional[str] = ..., channel_id: _Optional[str] = ..., channel_name: _Optional[str] = ..., type: _Optional[str] = ..., sender_id: _Optional[str] = ..., sender_name: _Optional[str] = ..., root_id: _Optional[str] = ..., is_id_loaded: _Optional[bool] = ...) -> None: ...
