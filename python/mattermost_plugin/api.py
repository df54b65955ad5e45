"""Client for the host's PluginAPI service.

Connects to MATTERMOST_PLUGIN_API_TARGET and sends the per-launch API secret (read from the
credentials descriptor by run(), never from the environment) as `mattermost-plugin-secret`
metadata on every call. Methods return plain values or protobuf messages and raise AppError
for application errors, and Unimplemented (an AppError) for a method the host does not
implement (`get_supported_methods()` lists those it does); other transport failures surface
as grpc.RpcError. One client serves the
whole process and is safe to use from any thread; from an `async def` hook, call it through
`await asyncio.to_thread(self.api.kv_get, key)` so the event loop keeps serving other hooks.
"""

import json
import os
from typing import Any, Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence, Tuple, Union

import grpc

from . import credentials, protocol
from ._generated import api_pb2, api_pb2_grpc, common_pb2
from .errors import AppError, Unimplemented
from .plugin import _current_call

LOG_LEVELS = {
    "debug": api_pb2.LOG_LEVEL_DEBUG,
    "info": api_pb2.LOG_LEVEL_INFO,
    "warn": api_pb2.LOG_LEVEL_WARN,
    "error": api_pb2.LOG_LEVEL_ERROR,
}

Bytes = Union[bytes, bytearray, memoryview, str]
"""What a key-value call accepts as a value: bytes as they are, str as UTF-8."""


class _CallDetails(NamedTuple):
    method: str
    timeout: Optional[float]
    metadata: Optional[Sequence[Tuple[str, Union[str, bytes]]]]
    credentials: Optional[grpc.CallCredentials]
    wait_for_ready: Optional[bool]
    compression: Any


class _SecretInterceptor(
    grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor, grpc.StreamUnaryClientInterceptor
):
    """Adds the per-launch secret to the metadata of every call (unary and streaming), including
    calls a plugin makes on `APIClient.stub` directly; and, for a call made while a hook runs,
    the hook call's trace headers (unless the call sets its own `traceparent`), so the host's
    API server continues the hook's trace."""

    def __init__(self, secret: str) -> None:
        self._secret = secret

    def intercept_unary_unary(self, continuation: Any, client_call_details: Any, request: Any) -> Any:
        return continuation(self._with_secret(client_call_details), request)

    def intercept_unary_stream(self, continuation: Any, client_call_details: Any, request: Any) -> Any:
        return continuation(self._with_secret(client_call_details), request)

    def intercept_stream_unary(self, continuation: Any, client_call_details: Any, request_iterator: Any) -> Any:
        return continuation(self._with_secret(client_call_details), request_iterator)

    def _with_secret(self, client_call_details: Any) -> Any:
        metadata = list(client_call_details.metadata or [])
        metadata.append((protocol.API_SECRET_METADATA_KEY, self._secret))
        hook_call = _current_call.get()
        if hook_call is not None and not any(key == "traceparent" for key, _ in metadata):
            metadata.extend(hook_call.trace_headers)
        details = _CallDetails(
            client_call_details.method,
            client_call_details.timeout,
            metadata,
            client_call_details.credentials,
            getattr(client_call_details, "wait_for_ready", None),
            getattr(client_call_details, "compression", None),
        )
        return details


def _check(response: Any) -> Any:
    if response.HasField("error"):
        raise AppError.from_proto(response.error)
    return response


def _unimplemented_or(error: grpc.RpcError, method: str) -> Exception:
    """Unimplemented for an UNIMPLEMENTED status, else the error itself."""
    code = error.code() if callable(getattr(error, "code", None)) else None
    if code == grpc.StatusCode.UNIMPLEMENTED:
        return Unimplemented(method, str(error.details() or ""))
    return error


def _as_bytes(value: Bytes) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8")
    return bytes(value)


FILE_CHUNK_SIZE = 1 << 20
"""The largest chunk upload_file sends in one message (the host refuses larger ones)."""


def _page(page: int, per_page: int) -> Any:
    return api_pb2.Page(page=page, per_page=per_page)


class APIClient:
    """The plugin's handle on the host (`self.api` in a Plugin).

    `target` and `secret` default to what the host passed this process; give both to reach
    another PluginAPI server (tests, benchmarks). `timeout` bounds every call, in seconds.
    """

    def __init__(self, target: Optional[str] = None, secret: Optional[str] = None, timeout: float = 10.0) -> None:
        self.target = target if target is not None else os.environ[protocol.API_TARGET_ENV]
        if secret is None:
            loaded = credentials.current()
            if loaded is None:
                raise RuntimeError("no API secret: run() reads it from the host, or pass secret=")
            secret = loaded.api_secret.decode("ascii")
        self.timeout = timeout
        self._channel: Optional[grpc.Channel] = grpc.intercept_channel(
            grpc.insecure_channel(self.target), _SecretInterceptor(secret)
        )
        self.stub: Any = api_pb2_grpc.PluginAPIStub(self._channel)

    def close(self) -> None:
        """Closes the connection; later calls fail."""
        if self._channel is not None:
            self._channel.close()

    def _call(self, method: str, request: Any) -> Any:
        """One unary call: Unimplemented for UNIMPLEMENTED, AppError for a response's error."""
        try:
            response = getattr(self.stub, method)(request, timeout=self.timeout)
        except grpc.RpcError as error:
            raise _unimplemented_or(error, method) from None
        return _check(response) if response.DESCRIPTOR.fields_by_name.get("error") is not None else response

    # Host capabilities ---------------------------------------------------------------

    def get_supported_methods(self) -> List[str]:
        """The RPC names (e.g. "GetUser") of the API methods this host implements, sorted; the
        others raise Unimplemented."""
        return list(self._call("GetSupportedMethods", api_pb2.GetSupportedMethodsRequest()).methods)

    # Logging -------------------------------------------------------------------------

    def log(self, level: str, message: str, /, **key_values: Any) -> None:
        """Logs through the host at `level` ("debug", "info", "warn" or "error"); every
        keyword argument becomes a key-value pair (any name, `message` and `level` too)."""
        request = api_pb2.LogRequest(level=LOG_LEVELS[level], message=message)
        for key, value in key_values.items():
            request.key_values.add(key=str(key), value=str(value))
        self._call("Log", request)

    def log_debug(self, message: str, /, **key_values: Any) -> None:
        self.log("debug", message, **key_values)

    def log_info(self, message: str, /, **key_values: Any) -> None:
        self.log("info", message, **key_values)

    def log_warn(self, message: str, /, **key_values: Any) -> None:
        self.log("warn", message, **key_values)

    def log_error(self, message: str, /, **key_values: Any) -> None:
        self.log("error", message, **key_values)

    # Key-value store -----------------------------------------------------------------

    def kv_set(self, key: str, value: Bytes, expire_in_seconds: int = 0) -> None:
        """Stores `value` under `key`; with expire_in_seconds > 0 it disappears after that."""
        self._call("KVSet", api_pb2.KVSetRequest(key=key, value=_as_bytes(value), expire_in_seconds=expire_in_seconds))

    def kv_get(self, key: str) -> Optional[bytes]:
        """The stored bytes, or None when the key does not exist (or expired)."""
        response = self._call("KVGet", api_pb2.KVGetRequest(key=key))
        return bytes(response.value) if response.found else None

    def kv_delete(self, key: str) -> None:
        self._call("KVDelete", api_pb2.KVDeleteRequest(key=key))

    def kv_list(self, page: int = 0, per_page: int = 100) -> List[str]:
        """One page of this plugin's keys, in order."""
        return list(self._call("KVList", api_pb2.KVListRequest(page=page, per_page=per_page)).keys)

    def kv_compare_and_set(
        self, key: str, old_value: Optional[Bytes], new_value: Bytes, expire_in_seconds: int = 0
    ) -> bool:
        """Writes new_value only if the current value is old_value (None: key must be absent).
        True when it wrote."""
        request = api_pb2.KVCompareAndSetRequest(
            key=key,
            expect_absent=old_value is None,
            old_value=_as_bytes(old_value if old_value is not None else b""),
            new_value=_as_bytes(new_value),
            expire_in_seconds=expire_in_seconds,
        )
        return bool(self._call("KVCompareAndSet", request).swapped)

    def kv_compare_and_delete(self, key: str, old_value: Bytes) -> bool:
        """Deletes the key only if its value is old_value. True when it deleted."""
        request = api_pb2.KVCompareAndDeleteRequest(key=key, old_value=_as_bytes(old_value))
        return bool(self._call("KVCompareAndDelete", request).deleted)

    def kv_delete_all(self) -> None:
        self._call("KVDeleteAll", api_pb2.KVDeleteAllRequest())

    # Users ---------------------------------------------------------------------------

    def get_user(self, user_id: str) -> common_pb2.User:
        return self._call("GetUser", api_pb2.GetUserRequest(user_id=user_id)).user

    def get_user_by_username(self, username: str) -> common_pb2.User:
        return self._call("GetUserByUsername", api_pb2.GetUserByUsernameRequest(username=username)).user

    def get_user_by_email(self, email: str) -> common_pb2.User:
        return self._call("GetUserByEmail", api_pb2.GetUserByEmailRequest(email=email)).user

    def get_users(
        self, page: int = 0, per_page: int = 60, in_team: str = "", include_deleted: bool = False
    ) -> List[common_pb2.User]:
        """One page of users by username; `in_team` keeps that team's members only."""
        request = api_pb2.GetUsersRequest(page=_page(page, per_page), in_team=in_team, include_deleted=include_deleted)
        return list(self._call("GetUsers", request).users)

    def get_users_by_ids(self, user_ids: Sequence[str]) -> List[common_pb2.User]:
        """The users that exist among `user_ids` (at most 200)."""
        return list(self._call("GetUsersByIds", api_pb2.GetUsersByIdsRequest(user_ids=list(user_ids))).users)

    def search_users(
        self, term: str, team_id: str = "", limit: int = 100, allow_inactive: bool = False
    ) -> List[common_pb2.User]:
        """Users whose username, names, nickname or email start with `term`."""
        request = api_pb2.SearchUsersRequest(term=term, team_id=team_id, limit=limit, allow_inactive=allow_inactive)
        return list(self._call("SearchUsers", request).users)

    def create_user(self, user: common_pb2.User) -> common_pb2.User:
        """Creates a user (username and email required); the host assigns id and times."""
        return self._call("CreateUser", api_pb2.CreateUserRequest(user=user)).user

    def update_user(self, user: common_pb2.User) -> common_pb2.User:
        return self._call("UpdateUser", api_pb2.UpdateUserRequest(user=user)).user

    def delete_user(self, user_id: str) -> None:
        """Deactivates the user (sets delete_at); the account stays."""
        self._call("DeleteUser", api_pb2.DeleteUserRequest(user_id=user_id))

    def get_user_status(self, user_id: str) -> common_pb2.UserStatus:
        return self._call("GetUserStatus", api_pb2.GetUserStatusRequest(user_id=user_id)).status

    def update_user_status(self, user_id: str, status: str) -> common_pb2.UserStatus:
        """`status` is "online", "away", "dnd" or "offline"."""
        request = api_pb2.UpdateUserStatusRequest(user_id=user_id, status=status)
        return self._call("UpdateUserStatus", request).status

    def get_profile_image(self, user_id: str) -> bytes:
        return bytes(self._call("GetProfileImage", api_pb2.GetProfileImageRequest(user_id=user_id)).image)

    def set_profile_image(self, user_id: str, image: Bytes) -> None:
        """At most 1 MiB."""
        self._call("SetProfileImage", api_pb2.SetProfileImageRequest(user_id=user_id, image=_as_bytes(image)))

    # Teams ---------------------------------------------------------------------------

    def create_team(self, team: common_pb2.Team) -> common_pb2.Team:
        return self._call("CreateTeam", api_pb2.CreateTeamRequest(team=team)).team

    def get_team(self, team_id: str) -> common_pb2.Team:
        return self._call("GetTeam", api_pb2.GetTeamRequest(team_id=team_id)).team

    def get_team_by_name(self, name: str) -> common_pb2.Team:
        return self._call("GetTeamByName", api_pb2.GetTeamByNameRequest(name=name)).team

    def get_teams(self) -> List[common_pb2.Team]:
        return list(self._call("GetTeams", api_pb2.GetTeamsRequest()).teams)

    def get_teams_for_user(self, user_id: str) -> List[common_pb2.Team]:
        return list(self._call("GetTeamsForUser", api_pb2.GetTeamsForUserRequest(user_id=user_id)).teams)

    def get_team_member(self, team_id: str, user_id: str) -> common_pb2.TeamMember:
        return self._call("GetTeamMember", api_pb2.GetTeamMemberRequest(team_id=team_id, user_id=user_id)).member

    def get_team_members(self, team_id: str, page: int = 0, per_page: int = 60) -> List[common_pb2.TeamMember]:
        request = api_pb2.GetTeamMembersRequest(team_id=team_id, page=_page(page, per_page))
        return list(self._call("GetTeamMembers", request).members)

    def create_team_member(self, team_id: str, user_id: str) -> common_pb2.TeamMember:
        """Adds the user to the team."""
        request = api_pb2.CreateTeamMemberRequest(team_id=team_id, user_id=user_id)
        return self._call("CreateTeamMember", request).member

    def delete_team_member(self, team_id: str, user_id: str, requestor_id: str = "") -> None:
        """Removes the user from the team (and its channels)."""
        request = api_pb2.DeleteTeamMemberRequest(team_id=team_id, user_id=user_id, requestor_id=requestor_id)
        self._call("DeleteTeamMember", request)

    # Channels ------------------------------------------------------------------------

    def create_channel(self, channel: common_pb2.Channel) -> common_pb2.Channel:
        """Creates an open or private channel (team_id, name and type required)."""
        return self._call("CreateChannel", api_pb2.CreateChannelRequest(channel=channel)).channel

    def get_channel(self, channel_id: str) -> common_pb2.Channel:
        return self._call("GetChannel", api_pb2.GetChannelRequest(channel_id=channel_id)).channel

    def get_channel_by_name(self, team_id: str, name: str) -> common_pb2.Channel:
        request = api_pb2.GetChannelByNameRequest(team_id=team_id, name=name)
        return self._call("GetChannelByName", request).channel

    def update_channel(self, channel: common_pb2.Channel) -> common_pb2.Channel:
        return self._call("UpdateChannel", api_pb2.UpdateChannelRequest(channel=channel)).channel

    def delete_channel(self, channel_id: str) -> None:
        """Archives the channel."""
        self._call("DeleteChannel", api_pb2.DeleteChannelRequest(channel_id=channel_id))

    def get_direct_channel(self, user_id_1: str, user_id_2: str) -> common_pb2.Channel:
        """The two users' direct-message channel, created on first use."""
        request = api_pb2.GetDirectChannelRequest(user_id_1=user_id_1, user_id_2=user_id_2)
        return self._call("GetDirectChannel", request).channel

    def get_group_channel(self, user_ids: Sequence[str]) -> common_pb2.Channel:
        """The group-message channel of 3-8 users, created on first use."""
        return self._call("GetGroupChannel", api_pb2.GetGroupChannelRequest(user_ids=list(user_ids))).channel

    def get_public_channels_for_team(self, team_id: str, page: int = 0, per_page: int = 60) -> List[common_pb2.Channel]:
        request = api_pb2.GetPublicChannelsForTeamRequest(team_id=team_id, page=_page(page, per_page))
        return list(self._call("GetPublicChannelsForTeam", request).channels)

    def get_channels_for_team_for_user(
        self, team_id: str, user_id: str, include_deleted: bool = False
    ) -> List[common_pb2.Channel]:
        request = api_pb2.GetChannelsForTeamForUserRequest(
            team_id=team_id, user_id=user_id, include_deleted=include_deleted
        )
        return list(self._call("GetChannelsForTeamForUser", request).channels)

    def search_channels(self, team_id: str, term: str) -> List[common_pb2.Channel]:
        """Open channels of the team whose name or display name starts with `term`."""
        return list(self._call("SearchChannels", api_pb2.SearchChannelsRequest(team_id=team_id, term=term)).channels)

    def get_channel_member(self, channel_id: str, user_id: str) -> common_pb2.ChannelMember:
        request = api_pb2.GetChannelMemberRequest(channel_id=channel_id, user_id=user_id)
        return self._call("GetChannelMember", request).member

    def get_channel_members(
        self, channel_id: str, page: int = 0, per_page: int = 60
    ) -> List[common_pb2.ChannelMember]:
        request = api_pb2.GetChannelMembersRequest(channel_id=channel_id, page=_page(page, per_page))
        return list(self._call("GetChannelMembers", request).members)

    def add_channel_member(self, channel_id: str, user_id: str) -> common_pb2.ChannelMember:
        request = api_pb2.AddChannelMemberRequest(channel_id=channel_id, user_id=user_id)
        return self._call("AddChannelMember", request).member

    def delete_channel_member(self, channel_id: str, user_id: str) -> None:
        self._call("DeleteChannelMember", api_pb2.DeleteChannelMemberRequest(channel_id=channel_id, user_id=user_id))

    def get_users_in_channel(self, channel_id: str, page: int = 0, per_page: int = 60) -> List[common_pb2.User]:
        request = api_pb2.GetUsersInChannelRequest(channel_id=channel_id, page=_page(page, per_page))
        return list(self._call("GetUsersInChannel", request).users)

    # Posts ---------------------------------------------------------------------------

    def create_post(
        self,
        channel_id: str,
        message: str,
        user_id: str = "",
        root_id: str = "",
        props: Optional[Dict[str, str]] = None,
    ) -> common_pb2.Post:
        """Creates a post (the host assigns its id and times) and returns it."""
        post = common_pb2.Post(channel_id=channel_id, message=message, user_id=user_id, root_id=root_id)
        post.props.update(props or {})
        return self._call("CreatePost", api_pb2.CreatePostRequest(post=post)).post

    def get_post(self, post_id: str) -> common_pb2.Post:
        return self._call("GetPost", api_pb2.GetPostRequest(post_id=post_id)).post

    def update_post(self, post: common_pb2.Post) -> common_pb2.Post:
        return self._call("UpdatePost", api_pb2.UpdatePostRequest(post=post)).post

    def delete_post(self, post_id: str) -> None:
        self._call("DeletePost", api_pb2.DeletePostRequest(post_id=post_id))

    def send_ephemeral_post(self, user_id: str, post: common_pb2.Post) -> common_pb2.Post:
        """Shows `post` to `user_id` only; it is not stored with the channel's posts."""
        return self._call("SendEphemeralPost", api_pb2.EphemeralPostRequest(user_id=user_id, post=post)).post

    def update_ephemeral_post(self, user_id: str, post: common_pb2.Post) -> common_pb2.Post:
        return self._call("UpdateEphemeralPost", api_pb2.EphemeralPostRequest(user_id=user_id, post=post)).post

    def delete_ephemeral_post(self, user_id: str, post_id: str) -> None:
        self._call("DeleteEphemeralPost", api_pb2.DeleteEphemeralPostRequest(user_id=user_id, post_id=post_id))

    def get_post_thread(self, post_id: str) -> List[common_pb2.Post]:
        """The root post and its replies, oldest first."""
        return list(self._call("GetPostThread", api_pb2.GetPostThreadRequest(post_id=post_id)).posts)

    def get_posts_for_channel(self, channel_id: str, page: int = 0, per_page: int = 60) -> List[common_pb2.Post]:
        """Newest first."""
        request = api_pb2.GetPostsForChannelRequest(channel_id=channel_id, page=_page(page, per_page))
        return list(self._call("GetPostsForChannel", request).posts)

    def get_posts_since(self, channel_id: str, time: int) -> List[common_pb2.Post]:
        """Posts created or changed after `time` (ms since the epoch), newest first."""
        return list(self._call("GetPostsSince", api_pb2.GetPostsSinceRequest(channel_id=channel_id, time=time)).posts)

    def get_posts_before(
        self, channel_id: str, post_id: str, page: int = 0, per_page: int = 60
    ) -> List[common_pb2.Post]:
        request = api_pb2.GetPostsAroundRequest(channel_id=channel_id, post_id=post_id, page=_page(page, per_page))
        return list(self._call("GetPostsBefore", request).posts)

    def get_posts_after(
        self, channel_id: str, post_id: str, page: int = 0, per_page: int = 60
    ) -> List[common_pb2.Post]:
        request = api_pb2.GetPostsAroundRequest(channel_id=channel_id, post_id=post_id, page=_page(page, per_page))
        return list(self._call("GetPostsAfter", request).posts)

    def search_posts_in_team(self, team_id: str, terms: str) -> List[common_pb2.Post]:
        """Posts of the team's channels containing every word of `terms`, newest first."""
        request = api_pb2.SearchPostsInTeamRequest(team_id=team_id, terms=terms)
        return list(self._call("SearchPostsInTeam", request).posts)

    def add_reaction(self, user_id: str, post_id: str, emoji_name: str) -> common_pb2.Reaction:
        reaction = common_pb2.Reaction(user_id=user_id, post_id=post_id, emoji_name=emoji_name)
        return self._call("AddReaction", api_pb2.ReactionRequest(reaction=reaction)).reaction

    def remove_reaction(self, user_id: str, post_id: str, emoji_name: str) -> None:
        reaction = common_pb2.Reaction(user_id=user_id, post_id=post_id, emoji_name=emoji_name)
        self._call("RemoveReaction", api_pb2.ReactionRequest(reaction=reaction))

    def get_reactions(self, post_id: str) -> List[common_pb2.Reaction]:
        return list(self._call("GetReactions", api_pb2.GetReactionsRequest(post_id=post_id)).reactions)

    # Files ---------------------------------------------------------------------------

    def upload_file(
        self,
        channel_id: str,
        name: str,
        content: Union[Bytes, Iterable[Bytes]],
        creator_id: str = "",
        mime_type: str = "",
    ) -> common_pb2.FileInfo:
        """Uploads a file, streamed in chunks of at most FILE_CHUNK_SIZE: `content` is bytes, or
        an iterable of bytes (e.g. a file read piece by piece), so a large file is never held
        whole."""
        info = common_pb2.FileInfo(channel_id=channel_id, name=name, creator_id=creator_id, mime_type=mime_type)

        def pieces() -> Iterator[bytes]:
            parts = [content] if isinstance(content, (bytes, bytearray, memoryview, str)) else content
            for part in parts:
                data = _as_bytes(part)
                for start in range(0, len(data), FILE_CHUNK_SIZE):
                    yield data[start : start + FILE_CHUNK_SIZE]

        def messages() -> Iterator[Any]:
            yield api_pb2.UploadFileRequest(info=info)
            for piece in pieces():
                yield api_pb2.UploadFileRequest(chunk=piece)

        try:
            response = self.stub.UploadFile(messages(), timeout=self.timeout)
        except grpc.RpcError as error:
            raise _unimplemented_or(error, "UploadFile") from None
        return _check(response).info

    def get_file_chunks(self, file_id: str) -> Iterator[bytes]:
        """The file's content as it arrives, chunk by chunk."""
        try:
            for message in self.stub.GetFile(api_pb2.GetFileRequest(file_id=file_id), timeout=self.timeout):
                if message.HasField("error"):
                    raise AppError.from_proto(message.error)
                yield bytes(message.chunk)
        except grpc.RpcError as error:
            raise _unimplemented_or(error, "GetFile") from None

    def get_file(self, file_id: str) -> bytes:
        """The whole content of a file (use get_file_chunks for large ones)."""
        return b"".join(self.get_file_chunks(file_id))

    def get_file_info(self, file_id: str) -> common_pb2.FileInfo:
        return self._call("GetFileInfo", api_pb2.GetFileInfoRequest(file_id=file_id)).info

    def get_file_link(self, file_id: str) -> str:
        return str(self._call("GetFileLink", api_pb2.GetFileLinkRequest(file_id=file_id)).link)

    # Bots ----------------------------------------------------------------------------

    def create_bot(self, bot: common_pb2.Bot) -> common_pb2.Bot:
        """Creates a bot (username required; owner_id defaults to this plugin)."""
        return self._call("CreateBot", api_pb2.CreateBotRequest(bot=bot)).bot

    def get_bot(self, bot_user_id: str, include_deleted: bool = False) -> common_pb2.Bot:
        request = api_pb2.GetBotRequest(bot_user_id=bot_user_id, include_deleted=include_deleted)
        return self._call("GetBot", request).bot

    def ensure_bot_user(self, bot: common_pb2.Bot) -> common_pb2.Bot:
        """The bot named bot.username, created (or reactivated) if needed."""
        return self._call("EnsureBotUser", api_pb2.EnsureBotUserRequest(bot=bot)).bot

    def patch_bot(
        self, bot_user_id: str, username: str = "", display_name: str = "", description: str = ""
    ) -> common_pb2.Bot:
        """Changes the fields given (empty ones keep their value)."""
        request = api_pb2.PatchBotRequest(
            bot_user_id=bot_user_id, username=username, display_name=display_name, description=description
        )
        return self._call("PatchBot", request).bot

    def update_bot_active(self, bot_user_id: str, active: bool) -> common_pb2.Bot:
        request = api_pb2.UpdateBotActiveRequest(bot_user_id=bot_user_id, active=active)
        return self._call("UpdateBotActive", request).bot

    def get_bots(
        self, page: int = 0, per_page: int = 60, owner_id: str = "", include_deleted: bool = False
    ) -> List[common_pb2.Bot]:
        request = api_pb2.GetBotsRequest(
            page=_page(page, per_page), owner_id=owner_id, include_deleted=include_deleted
        )
        return list(self._call("GetBots", request).bots)

    # Slash commands ------------------------------------------------------------------

    def register_command(self, command: common_pb2.Command) -> None:
        """Registers /command.trigger; invocations reach this plugin's execute_command hook."""
        self._call("RegisterCommand", api_pb2.RegisterCommandRequest(command=command))

    def unregister_command(self, trigger: str, team_id: str = "") -> None:
        self._call("UnregisterCommand", api_pb2.UnregisterCommandRequest(team_id=team_id, trigger=trigger))

    def list_plugin_commands(self, team_id: str = "") -> List[common_pb2.Command]:
        """This plugin's registered commands (for one team and every team, or all)."""
        return list(self._call("ListPluginCommands", api_pb2.ListPluginCommandsRequest(team_id=team_id)).commands)

    # WebSocket events and plugin-to-plugin HTTP ---------------------------------------

    def publish_websocket_event(
        self, event: str, payload: Optional[Dict[str, Any]] = None, user_id: str = "", channel_id: str = ""
    ) -> None:
        """Sends `event` with a JSON payload to one user, one channel's members, or (neither)
        every connected client."""
        request = api_pb2.PublishWebSocketEventRequest(
            event=event, payload_json=json.dumps(payload or {}), user_id=user_id, channel_id=channel_id
        )
        self._call("PublishWebSocketEvent", request)

    def plugin_http(
        self,
        plugin_id: str,
        method: str,
        url: str,
        body: Bytes = b"",
        headers: Optional[Sequence[Tuple[str, str]]] = None,
    ) -> Tuple[int, List[Tuple[str, str]], bytes]:
        """Calls another plugin's ServeHTTP through the host; returns (status, headers, body)."""
        request = api_pb2.PluginHTTPRequest(plugin_id=plugin_id, method=method, url=url, body=_as_bytes(body))
        for name, value in headers or []:
            request.headers.add(key=name, value=value)
        response = self._call("PluginHTTP", request)
        return (
            int(response.status_code),
            [(header.key, header.value) for header in response.headers],
            bytes(response.body),
        )

    # Configuration and server --------------------------------------------------------

    def get_config(self) -> Any:
        """The server's configuration (secrets removed), decoded from JSON."""
        return json.loads(self._call("GetConfig", api_pb2.GetConfigRequest()).config_json or "{}")

    def get_plugin_config(self) -> Any:
        """The plugin's configuration, decoded from JSON (an object unless set otherwise)."""
        response = self._call("GetPluginConfig", api_pb2.GetPluginConfigRequest())
        return json.loads(response.configuration_json or "{}")

    def save_plugin_config(self, configuration: Dict[str, Any]) -> None:
        request = api_pb2.SavePluginConfigRequest(configuration_json=json.dumps(configuration))
        self._call("SavePluginConfig", request)

    def get_server_version(self) -> str:
        return str(self._call("GetServerVersion", api_pb2.GetServerVersionRequest()).version)

    # Events between plugins ------------------------------------------------------------

    def publish_plugin_event(self, topic: str, payload: Bytes = b"") -> int:
        """Delivers an event to every other active plugin that implements `on_plugin_event`
        (topic 1-256 bytes, payload at most 1 MiB); returns how many handled it. Waits until
        each has handled it or passed its hook timeout."""
        request = api_pb2.PublishPluginEventRequest(topic=topic, payload=_as_bytes(payload))
        return int(self._call("PublishPluginEvent", request).delivered)

    # Preferences ---------------------------------------------------------------------

    def get_preferences_for_user(self, user_id: str) -> List[common_pb2.Preference]:
        return list(self._call("GetPreferencesForUser", api_pb2.GetPreferencesForUserRequest(user_id=user_id)).preferences)

    def update_preferences_for_user(self, user_id: str, preferences: Sequence[common_pb2.Preference]) -> None:
        """Stores each (category, name) -> value; every preference's user_id must be user_id."""
        request = api_pb2.PreferencesRequest(user_id=user_id, preferences=list(preferences))
        self._call("UpdatePreferencesForUser", request)

    def delete_preferences_for_user(self, user_id: str, preferences: Sequence[common_pb2.Preference]) -> None:
        request = api_pb2.PreferencesRequest(user_id=user_id, preferences=list(preferences))
        self._call("DeletePreferencesForUser", request)
