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
