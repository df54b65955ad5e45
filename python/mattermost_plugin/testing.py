"""A PluginAPI double for plugin authors' unit tests: no host, no sockets, no process.

    from mattermost_plugin.testing import MockPluginAPI

    api = MockPluginAPI()
    api.add_user(User(id="u1", username="alice"))
    plugin = MyPlugin()
    plugin.api = api
    plugin.on_activate()
    assert api.kv_get("activations") == b"1"
    assert [call.method for call in api.calls] == ["KVGet", "KVCompareAndSet", "Log"]

MockPluginAPI is an APIClient whose calls go to an in-memory host instead of a channel, so
the client's own conversions (AppError raising, bytes, JSON) are the real ones. It keeps a
key-value store with compare-and-set and expiry, users (status, profile image), teams and
their members, channels and their members, posts, ephemeral posts, reactions, files, bots,
slash commands, published WebSocket events, preferences and the plugin's configuration, and
records every call with its request message. The few methods it does not model (see
`supported_methods`) raise Unimplemented, as a host that does not implement them would.
"""

import json
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

from ._generated import api_pb2, common_pb2
from .api import APIClient
from .errors import Unimplemented


@dataclass(frozen=True)
class RecordedCall:
    """One PluginAPI call: the RPC name (e.g. "KVSet") and its request message."""

    method: str
    request: Any


@dataclass(frozen=True)
class LoggedLine:
    level: str
    message: str
    fields: Dict[str, str]


_LEVEL_NAMES = {
    api_pb2.LOG_LEVEL_DEBUG: "debug",
    api_pb2.LOG_LEVEL_INFO: "info",
    api_pb2.LOG_LEVEL_WARN: "warn",
    api_pb2.LOG_LEVEL_ERROR: "error",
}


def _error(response: Any, id: str, message: str, status_code: int, where: str) -> Any:
    response.error.id = id
    response.error.message = message
    response.error.status_code = status_code
    response.error.where = where
    return response


class _InMemoryHost:
    """Implements the PluginAPI RPCs on request messages, like the host does for one plugin."""

    def __init__(self, clock: Callable[[], float], server_version: str) -> None:
        self.clock = clock
        self.server_version = server_version
        self.lock = threading.Lock()
        self.calls: List[RecordedCall] = []
        self.kv: Dict[str, Tuple[bytes, Optional[float]]] = {}
        self.users: Dict[str, common_pb2.User] = {}
        self.channels: Dict[str, common_pb2.Channel] = {}
        self.posts: Dict[str, common_pb2.Post] = {}
        self.configuration_json = "{}"
        self.next_post = 1
        self.next_id = 1
        self.statuses: Dict[str, common_pb2.UserStatus] = {}
        self.profile_images: Dict[str, bytes] = {}
        self.teams: Dict[str, common_pb2.Team] = {}
        self.team_members: Dict[Tuple[str, str], common_pb2.TeamMember] = {}
        self.channel_members: Dict[Tuple[str, str], common_pb2.ChannelMember] = {}
        self.ephemeral: Dict[Tuple[str, str], common_pb2.Post] = {}
        self.reactions: List[common_pb2.Reaction] = []
        self.files: Dict[str, Tuple[common_pb2.FileInfo, bytes]] = {}
        self.bots: Dict[str, common_pb2.Bot] = {}
        self.commands: Dict[Tuple[str, str], common_pb2.Command] = {}
        self.events: List[Any] = []
        self.preferences: Dict[Tuple[str, str, str], common_pb2.Preference] = {}

    def __getattr__(self, method: str) -> Callable[..., Any]:
        if not method[:1].isupper():
            raise AttributeError(method)
        implementation = type(self).__dict__.get("_" + method)
        if implementation is None:
            # Like a host that does not implement the method: the client raises Unimplemented.
            def unimplemented(request: Any, timeout: Optional[float] = None, metadata: Any = None) -> Any:
                raise Unimplemented(method)

            return unimplemented
        handler = implementation.__get__(self)

        def call(request: Any, timeout: Optional[float] = None, metadata: Any = None) -> Any:
            if not hasattr(request, "CopyFrom"):  # a client-streaming call: its messages, in order
                request = list(request)
            with self.lock:
                if isinstance(request, list):
                    self.calls.append(RecordedCall(method, request[0] if request else None))
                else:
                    copy = type(request)()
                    copy.CopyFrom(request)
                    self.calls.append(RecordedCall(method, copy))
                return handler(request)

        return call

    # Key-value store (the caller holds the lock) -----------------------------------

    def _live(self, key: str) -> Optional[bytes]:
        entry = self.kv.get(key)
        if entry is None:
            return None
        value, expires = entry
        if expires is not None and self.clock() >= expires:
            del self.kv[key]
            return None
        return value

    def _store(self, key: str, value: bytes, expire_in_seconds: int) -> None:
        expires = self.clock() + expire_in_seconds if expire_in_seconds > 0 else None
        self.kv[key] = (bytes(value), expires)

    @classmethod
    def implemented_methods(cls) -> List[str]:
        """The RPC names this in-memory host implements, sorted."""
        return sorted(name[1:] for name in cls.__dict__ if name[:1] == "_" and name[1:2].isupper())

    def _GetSupportedMethods(self, request: Any) -> Any:
        return api_pb2.GetSupportedMethodsResponse(methods=self.implemented_methods())

    def _Log(self, request: Any) -> Any:
        return api_pb2.LogResponse()

    def _KVSet(self, request: Any) -> Any:
        if not request.key:
            return _error(api_pb2.KVSetResponse(), "app.kv.empty_key", "empty key", 400, "KVSet")
        self._store(request.key, request.value, request.expire_in_seconds)
        return api_pb2.KVSetResponse()

    def _KVGet(self, request: Any) -> Any:
        value = self._live(request.key)
        return api_pb2.KVGetResponse(found=value is not None, value=value or b"")

    def _KVDelete(self, request: Any) -> Any:
        self.kv.pop(request.key, None)
        return api_pb2.KVDeleteResponse()

    def _KVList(self, request: Any) -> Any:
        if request.page < 0 or request.per_page <= 0:
            return _error(api_pb2.KVListResponse(), "app.kv.paging", "invalid paging", 400, "KVList")
        keys = sorted(key for key in list(self.kv) if self._live(key) is not None)
        start = request.page * request.per_page
        return api_pb2.KVListResponse(keys=keys[start : start + request.per_page])

    def _KVCompareAndSet(self, request: Any) -> Any:
        current = self._live(request.key)
        matches = current is None if request.expect_absent else current == request.old_value
        if matches:
            self._store(request.key, request.new_value, request.expire_in_seconds)
        return api_pb2.KVCompareAndSetResponse(swapped=matches)

    def _KVCompareAndDelete(self, request: Any) -> Any:
        matches = self._live(request.key) == request.old_value
        if matches:
            del self.kv[request.key]
        return api_pb2.KVCompareAndDeleteResponse(deleted=matches)

    def _KVDeleteAll(self, request: Any) -> Any:
        self.kv.clear()
        return api_pb2.KVDeleteAllResponse()

    # Users, channels, posts ----------------------------------------------------------

    def _GetUser(self, request: Any) -> Any:
        user = self.users.get(request.user_id)
        if user is None:
            return _error(api_pb2.UserResponse(), "app.user.missing", "user not found", 404, "GetUser")
        return api_pb2.UserResponse(user=user)

    def _GetUserByUsername(self, request: Any) -> Any:
        user = next((user for user in self.users.values() if user.username == request.username), None)
        if user is None:
            return _error(api_pb2.UserResponse(), "app.user.missing", "user not found", 404, "GetUserByUsername")
        return api_pb2.UserResponse(user=user)

    def _GetChannel(self, request: Any) -> Any:
        channel = self.channels.get(request.channel_id)
        if channel is None:
            return _error(api_pb2.ChannelResponse(), "app.channel.missing", "channel not found", 404, "GetChannel")
        return api_pb2.ChannelResponse(channel=channel)

    def _GetChannelByName(self, request: Any) -> Any:
        channel = next(
            (c for c in self.channels.values() if c.team_id == request.team_id and c.name == request.name), None
        )
        if channel is None:
            return _error(
                api_pb2.ChannelResponse(), "app.channel.missing", "channel not found", 404, "GetChannelByName"
            )
        return api_pb2.ChannelResponse(channel=channel)

    def _CreatePost(self, request: Any) -> Any:
        post = common_pb2.Post()
        post.CopyFrom(request.post)
        post.id = "post-%d" % self.next_post
        self.next_post += 1
        post.create_at = post.update_at = int(self.clock() * 1000)
        self.posts[post.id] = post
        return api_pb2.PostResponse(post=post)

    def _GetPost(self, request: Any) -> Any:
        post = self.posts.get(request.post_id)
        if post is None:
            return _error(api_pb2.PostResponse(), "app.post.missing", "post not found", 404, "GetPost")
        return api_pb2.PostResponse(post=post)

    def _UpdatePost(self, request: Any) -> Any:
        if request.post.id not in self.posts:
            return _error(api_pb2.PostResponse(), "app.post.missing", "post not found", 404, "UpdatePost")
        post = common_pb2.Post()
        post.CopyFrom(request.post)
        post.update_at = post.edit_at = int(self.clock() * 1000)
        self.posts[post.id] = post
        return api_pb2.PostResponse(post=post)

    def _DeletePost(self, request: Any) -> Any:
        if self.posts.pop(request.post_id, None) is None:
            return _error(api_pb2.DeletePostResponse(), "app.post.missing", "post not found", 404, "DeletePost")
        return api_pb2.DeletePostResponse()

    # Configuration and server --------------------------------------------------------

    def _GetPluginConfig(self, request: Any) -> Any:
        return api_pb2.GetPluginConfigResponse(configuration_json=self.configuration_json)

    def _SavePluginConfig(self, request: Any) -> Any:
        try:
            valid = isinstance(json.loads(request.configuration_json), dict)
        except ValueError:
            valid = False
        if not valid:
            return _error(
                api_pb2.SavePluginConfigResponse(), "app.config.invalid", "not a JSON object", 400, "SavePluginConfig"
            )
        self.configuration_json = request.configuration_json
        return api_pb2.SavePluginConfigResponse()

    def _GetServerVersion(self, request: Any) -> Any:
        return api_pb2.GetServerVersionResponse(version=self.server_version)


    # The rest of the API (the caller holds the lock) ----------------------------------

    def _new_id(self, prefix: str) -> str:
        self.next_id += 1
        return "%s-%d" % (prefix, self.next_id - 1)

    def _now_ms(self) -> int:
        return int(self.clock() * 1000)

    def _missing(self, response: Any, what: str, where: str) -> Any:
        return _error(response, "app.%s.missing" % what, "%s not found" % what, 404, where)

    @staticmethod
    def _paged(items: List[Any], page: Any) -> List[Any]:
        per_page = page.per_page or 60
        return items[page.page * per_page : (page.page + 1) * per_page]

    def _GetUserByEmail(self, request: Any) -> Any:
        user = next((u for u in self.users.values() if u.email.lower() == request.email.lower()), None)
        if user is None:
            return self._missing(api_pb2.UserResponse(), "user", "GetUserByEmail")
        return api_pb2.UserResponse(user=user)

    def _GetUsers(self, request: Any) -> Any:
        users = sorted(self.users.values(), key=lambda u: u.username)
        users = [u for u in users if request.include_deleted or not u.delete_at]
        if request.in_team:
            users = [u for u in users if (request.in_team, u.id) in self.team_members]
        return api_pb2.UsersResponse(users=self._paged(users, request.page))

    def _GetUsersByIds(self, request: Any) -> Any:
        return api_pb2.UsersResponse(users=[self.users[i] for i in request.user_ids if i in self.users])

    def _SearchUsers(self, request: Any) -> Any:
        term = request.term.lower()
        found = [
            u for u in sorted(self.users.values(), key=lambda u: u.username)
            if (request.allow_inactive or not u.delete_at)
            and any(f.lower().startswith(term) for f in (u.username, u.first_name, u.last_name, u.nickname, u.email))
        ]
        return api_pb2.UsersResponse(users=found[: request.limit or 100])

    def _CreateUser(self, request: Any) -> Any:
        if not request.user.username or any(u.username == request.user.username for u in self.users.values()):
            return _error(api_pb2.UserResponse(), "app.user.invalid", "username missing or taken", 400, "CreateUser")
        user = common_pb2.User()
        user.CopyFrom(request.user)
        user.id = self._new_id("user")
        user.create_at = self._now_ms()
        self.users[user.id] = user
        return api_pb2.UserResponse(user=user)

    def _UpdateUser(self, request: Any) -> Any:
        if request.user.id not in self.users:
            return self._missing(api_pb2.UserResponse(), "user", "UpdateUser")
        self.users[request.user.id].CopyFrom(request.user)
        return api_pb2.UserResponse(user=self.users[request.user.id])

    def _DeleteUser(self, request: Any) -> Any:
        if request.user_id not in self.users:
            return self._missing(api_pb2.AppErrorResponse(), "user", "DeleteUser")
        self.users[request.user_id].delete_at = self._now_ms()
        return api_pb2.AppErrorResponse()

    def _GetUserStatus(self, request: Any) -> Any:
        status = self.statuses.get(request.user_id) or common_pb2.UserStatus(user_id=request.user_id, status="offline")
        return api_pb2.UserStatusResponse(status=status)

    def _UpdateUserStatus(self, request: Any) -> Any:
        if request.status not in ("online", "away", "dnd", "offline"):
            return _error(api_pb2.UserStatusResponse(), "app.status.invalid", "bad status", 400, "UpdateUserStatus")
        status = common_pb2.UserStatus(user_id=request.user_id, status=request.status, manual=True,
                                       last_activity_at=self._now_ms())
        self.statuses[request.user_id] = status
        return api_pb2.UserStatusResponse(status=status)

    def _GetProfileImage(self, request: Any) -> Any:
        if request.user_id not in self.profile_images:
            return self._missing(api_pb2.GetProfileImageResponse(), "profile_image", "GetProfileImage")
        return api_pb2.GetProfileImageResponse(image=self.profile_images[request.user_id])

    def _SetProfileImage(self, request: Any) -> Any:
        self.profile_images[request.user_id] = bytes(request.image)
        return api_pb2.AppErrorResponse()

    def _CreateTeam(self, request: Any) -> Any:
        team = common_pb2.Team()
        team.CopyFrom(request.team)
        team.id = self._new_id("team")
        team.create_at = self._now_ms()
        self.teams[team.id] = team
        return api_pb2.TeamResponse(team=team)

    def _GetTeam(self, request: Any) -> Any:
        if request.team_id not in self.teams:
            return self._missing(api_pb2.TeamResponse(), "team", "GetTeam")
        return api_pb2.TeamResponse(team=self.teams[request.team_id])

    def _GetTeamByName(self, request: Any) -> Any:
        team = next((t for t in self.teams.values() if t.name == request.name), None)
        if team is None:
            return self._missing(api_pb2.TeamResponse(), "team", "GetTeamByName")
        return api_pb2.TeamResponse(team=team)

    def _GetTeams(self, request: Any) -> Any:
        return api_pb2.TeamsResponse(teams=sorted(self.teams.values(), key=lambda t: t.name))

    def _GetTeamsForUser(self, request: Any) -> Any:
        ids = [team for (team, user), m in self.team_members.items() if user == request.user_id and not m.delete_at]
        return api_pb2.TeamsResponse(teams=sorted((self.teams[i] for i in ids if i in self.teams), key=lambda t: t.name))

    def _GetTeamMember(self, request: Any) -> Any:
        member = self.team_members.get((request.team_id, request.user_id))
        if member is None:
            return self._missing(api_pb2.TeamMemberResponse(), "team_member", "GetTeamMember")
        return api_pb2.TeamMemberResponse(member=member)

    def _GetTeamMembers(self, request: Any) -> Any:
        members = sorted((m for (team, _), m in self.team_members.items() if team == request.team_id and not m.delete_at),
                         key=lambda m: m.user_id)
        return api_pb2.TeamMembersResponse(members=self._paged(members, request.page))

    def _CreateTeamMember(self, request: Any) -> Any:
        if request.team_id not in self.teams or request.user_id not in self.users:
            return self._missing(api_pb2.TeamMemberResponse(), "team", "CreateTeamMember")
        member = common_pb2.TeamMember(team_id=request.team_id, user_id=request.user_id, roles="team_user")
        self.team_members[(request.team_id, request.user_id)] = member
        return api_pb2.TeamMemberResponse(member=member)

    def _DeleteTeamMember(self, request: Any) -> Any:
        member = self.team_members.get((request.team_id, request.user_id))
        if member is None:
            return self._missing(api_pb2.AppErrorResponse(), "team_member", "DeleteTeamMember")
        member.delete_at = self._now_ms()
        return api_pb2.AppErrorResponse()

    def _CreateChannel(self, request: Any) -> Any:
        channel = common_pb2.Channel()
        channel.CopyFrom(request.channel)
        channel.id = self._new_id("channel")
        channel.create_at = self._now_ms()
        self.channels[channel.id] = channel
        if channel.creator_id:
            self.channel_members[(channel.id, channel.creator_id)] = common_pb2.ChannelMember(
                channel_id=channel.id, user_id=channel.creator_id, roles="channel_user")
        return api_pb2.ChannelResponse(channel=channel)

    def _UpdateChannel(self, request: Any) -> Any:
        if request.channel.id not in self.channels:
            return self._missing(api_pb2.ChannelResponse(), "channel", "UpdateChannel")
        self.channels[request.channel.id].CopyFrom(request.channel)
        return api_pb2.ChannelResponse(channel=self.channels[request.channel.id])

    def _DeleteChannel(self, request: Any) -> Any:
        if request.channel_id not in self.channels:
            return self._missing(api_pb2.AppErrorResponse(), "channel", "DeleteChannel")
        self.channels[request.channel_id].delete_at = self._now_ms()
        return api_pb2.AppErrorResponse()

    def _conversation(self, user_ids: List[str], kind: int) -> Any:
        members = sorted(set(user_ids))
        name = "__".join(members)
        channel = next((c for c in self.channels.values() if c.name == name and c.type == kind), None)
        if channel is None:
            channel = common_pb2.Channel(id=self._new_id("channel"), type=kind, name=name, create_at=self._now_ms())
            self.channels[channel.id] = channel
            for user in members:
                self.channel_members[(channel.id, user)] = common_pb2.ChannelMember(channel_id=channel.id, user_id=user)
        return api_pb2.ChannelResponse(channel=channel)

    def _GetDirectChannel(self, request: Any) -> Any:
        return self._conversation([request.user_id_1, request.user_id_2], common_pb2.CHANNEL_TYPE_DIRECT)

    def _GetGroupChannel(self, request: Any) -> Any:
        if not 3 <= len(set(request.user_ids)) <= 8:
            return _error(api_pb2.ChannelResponse(), "app.channel.group", "3 to 8 users", 400, "GetGroupChannel")
        return self._conversation(list(request.user_ids), common_pb2.CHANNEL_TYPE_GROUP)

    def _GetChannelMember(self, request: Any) -> Any:
        member = self.channel_members.get((request.channel_id, request.user_id))
        if member is None:
            return self._missing(api_pb2.ChannelMemberResponse(), "channel_member", "GetChannelMember")
        return api_pb2.ChannelMemberResponse(member=member)

    def _GetChannelMembers(self, request: Any) -> Any:
        members = sorted((m for (channel, _), m in self.channel_members.items() if channel == request.channel_id),
                         key=lambda m: m.user_id)
        return api_pb2.ChannelMembersResponse(members=self._paged(members, request.page))

    def _AddChannelMember(self, request: Any) -> Any:
        if request.channel_id not in self.channels or request.user_id not in self.users:
            return self._missing(api_pb2.ChannelMemberResponse(), "channel", "AddChannelMember")
        member = common_pb2.ChannelMember(channel_id=request.channel_id, user_id=request.user_id, roles="channel_user")
        self.channel_members[(request.channel_id, request.user_id)] = member
        return api_pb2.ChannelMemberResponse(member=member)

    def _DeleteChannelMember(self, request: Any) -> Any:
        if self.channel_members.pop((request.channel_id, request.user_id), None) is None:
            return self._missing(api_pb2.AppErrorResponse(), "channel_member", "DeleteChannelMember")
        return api_pb2.AppErrorResponse()

    def _SendEphemeralPost(self, request: Any) -> Any:
        post = common_pb2.Post()
        post.CopyFrom(request.post)
        post.id = post.id or self._new_id("ephemeral")
        post.create_at = post.update_at = self._now_ms()
        self.ephemeral[(request.user_id, post.id)] = post
        return api_pb2.PostResponse(post=post)

    def _UpdateEphemeralPost(self, request: Any) -> Any:
        if (request.user_id, request.post.id) not in self.ephemeral:
            return self._missing(api_pb2.PostResponse(), "ephemeral_post", "UpdateEphemeralPost")
        self.ephemeral[(request.user_id, request.post.id)].CopyFrom(request.post)
        return api_pb2.PostResponse(post=self.ephemeral[(request.user_id, request.post.id)])

    def _DeleteEphemeralPost(self, request: Any) -> Any:
        if self.ephemeral.pop((request.user_id, request.post_id), None) is None:
            return self._missing(api_pb2.AppErrorResponse(), "ephemeral_post", "DeleteEphemeralPost")
        return api_pb2.AppErrorResponse()

    def _GetPostThread(self, request: Any) -> Any:
        post = self.posts.get(request.post_id)
        if post is None:
            return self._missing(api_pb2.PostListResponse(), "post", "GetPostThread")
        root = post.root_id or post.id
        thread = [p for p in self.posts.values() if p.id == root or p.root_id == root]
        return api_pb2.PostListResponse(posts=thread)

    def _GetPostsForChannel(self, request: Any) -> Any:
        posts = [p for p in reversed(list(self.posts.values())) if p.channel_id == request.channel_id]
        return api_pb2.PostListResponse(posts=self._paged(posts, request.page))

    def _AddReaction(self, request: Any) -> Any:
        if request.reaction.post_id not in self.posts:
            return self._missing(api_pb2.ReactionResponse(), "post", "AddReaction")
        reaction = common_pb2.Reaction()
        reaction.CopyFrom(request.reaction)
        reaction.create_at = self._now_ms()
        reaction.channel_id = self.posts[reaction.post_id].channel_id
        self.reactions.append(reaction)
        return api_pb2.ReactionResponse(reaction=reaction)

    def _RemoveReaction(self, request: Any) -> Any:
        key = (request.reaction.user_id, request.reaction.post_id, request.reaction.emoji_name)
        kept = [r for r in self.reactions if (r.user_id, r.post_id, r.emoji_name) != key]
        if len(kept) == len(self.reactions):
            return self._missing(api_pb2.AppErrorResponse(), "reaction", "RemoveReaction")
        self.reactions = kept
        return api_pb2.AppErrorResponse()

    def _GetReactions(self, request: Any) -> Any:
        return api_pb2.ReactionsResponse(reactions=[r for r in self.reactions if r.post_id == request.post_id])

    def _UploadFile(self, messages: List[Any]) -> Any:
        if not messages or not messages[0].HasField("info"):
            return _error(api_pb2.FileInfoResponse(), "app.file.no_info", "no info", 400, "UploadFile")
        info = common_pb2.FileInfo()
        info.CopyFrom(messages[0].info)
        content = b"".join(bytes(m.chunk) for m in messages)
        info.id = self._new_id("file")
        info.size = len(content)
        info.create_at = self._now_ms()
        self.files[info.id] = (info, content)
        return api_pb2.FileInfoResponse(info=info)

    def _GetFile(self, request: Any) -> Any:
        if request.file_id not in self.files:
            return iter([self._missing(api_pb2.GetFileResponse(), "file", "GetFile")])
        return iter([api_pb2.GetFileResponse(chunk=self.files[request.file_id][1])])

    def _GetFileInfo(self, request: Any) -> Any:
        if request.file_id not in self.files:
            return self._missing(api_pb2.FileInfoResponse(), "file", "GetFileInfo")
        return api_pb2.FileInfoResponse(info=self.files[request.file_id][0])

    def _CreateBot(self, request: Any) -> Any:
        user = common_pb2.User(id=self._new_id("bot"), username=request.bot.username, is_bot=True,
                               create_at=self._now_ms())
        self.users[user.id] = user
        bot = common_pb2.Bot()
        bot.CopyFrom(request.bot)
        bot.user_id = user.id
        bot.create_at = bot.update_at = user.create_at
        self.bots[bot.user_id] = bot
        return api_pb2.BotResponse(bot=bot)

    def _GetBot(self, request: Any) -> Any:
        bot = self.bots.get(request.bot_user_id)
        if bot is None or (bot.delete_at and not request.include_deleted):
            return self._missing(api_pb2.BotResponse(), "bot", "GetBot")
        return api_pb2.BotResponse(bot=bot)

    def _EnsureBotUser(self, request: Any) -> Any:
        bot = next((b for b in self.bots.values() if b.username == request.bot.username), None)
        return api_pb2.BotResponse(bot=bot) if bot is not None else self._CreateBot(request)

    def _RegisterCommand(self, request: Any) -> Any:
        self.commands[(request.command.team_id, request.command.trigger)] = request.command
        return api_pb2.AppErrorResponse()

    def _UnregisterCommand(self, request: Any) -> Any:
        if self.commands.pop((request.team_id, request.trigger), None) is None:
            return self._missing(api_pb2.AppErrorResponse(), "command", "UnregisterCommand")
        return api_pb2.AppErrorResponse()

    def _ListPluginCommands(self, request: Any) -> Any:
        commands = [c for (team, _), c in sorted(self.commands.items()) if not request.team_id or team in ("", request.team_id)]
        return api_pb2.CommandsResponse(commands=commands)

    def _PublishWebSocketEvent(self, request: Any) -> Any:
        if request.user_id and request.channel_id:
            return _error(api_pb2.AppErrorResponse(), "app.websocket.broadcast", "user or channel, not both", 400,
                          "PublishWebSocketEvent")
        copy = api_pb2.PublishWebSocketEventRequest()
        copy.CopyFrom(request)
        self.events.append(copy)
        return api_pb2.AppErrorResponse()

    def _GetConfig(self, request: Any) -> Any:
        return api_pb2.GetConfigResponse(config_json="{}")

    def _GetPreferencesForUser(self, request: Any) -> Any:
        found = [p for (user, _, _), p in sorted(self.preferences.items()) if user == request.user_id]
        return api_pb2.PreferencesResponse(preferences=found)

    def _UpdatePreferencesForUser(self, request: Any) -> Any:
        for preference in request.preferences:
            self.preferences[(request.user_id, preference.category, preference.name)] = preference
        return api_pb2.AppErrorResponse()

    def _DeletePreferencesForUser(self, request: Any) -> Any:
        for preference in request.preferences:
            self.preferences.pop((request.user_id, preference.category, preference.name), None)
        return api_pb2.AppErrorResponse()


class MockPluginAPI(APIClient):
    """An in-memory PluginAPI for unit tests; assign it to `plugin.api`.

    `clock` (seconds, default time.monotonic) drives key expiry, so a test can pass a fake
    clock and move time forward instead of sleeping.
    """

    def __init__(
        self,
        configuration: Optional[Dict[str, Any]] = None,
        server_version: str = "9.0.0",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.target = "in-memory"
        self.timeout = 10.0
        self._channel = None
        self._host = _InMemoryHost(clock, server_version)
        self._host.configuration_json = json.dumps(configuration or {})
        self.stub = self._host

    @property
    def calls(self) -> List[RecordedCall]:
        """Every call so far, in order."""
        with self._host.lock:
            return list(self._host.calls)

    def calls_to(self, method: str) -> List[Any]:
        """The requests of every call to `method` (e.g. "KVSet"), in order."""
        return [call.request for call in self.calls if call.method == method]

    @property
    def logs(self) -> List[LoggedLine]:
        """Every Log call as (level, message, fields)."""
        return [
            LoggedLine(_LEVEL_NAMES.get(request.level, "info"), request.message,
                       {pair.key: pair.value for pair in request.key_values})
            for request in self.calls_to("Log")
        ]

    @property
    def store(self) -> Dict[str, bytes]:
        """The live key-value pairs (expired ones left out)."""
        with self._host.lock:
            return {key: value for key in list(self._host.kv) if (value := self._host._live(key)) is not None}

    @property
    def posts(self) -> List[common_pb2.Post]:
        """Posts created through the API and still present, in creation order."""
        with self._host.lock:
            return list(self._host.posts.values())

    def add_user(self, user: common_pb2.User) -> None:
        with self._host.lock:
            self._host.users[user.id] = user

    def add_channel(self, channel: common_pb2.Channel) -> None:
        with self._host.lock:
            self._host.channels[channel.id] = channel

    def add_team(self, team: common_pb2.Team) -> None:
        with self._host.lock:
            self._host.teams[team.id] = team

    @property
    def published_events(self) -> List[Any]:
        """Every PublishWebSocketEvent request, in order."""
        with self._host.lock:
            return list(self._host.events)

    @property
    def supported_methods(self) -> List[str]:
        """The RPC names this mock implements; the others raise Unimplemented, like a host
        that does not implement them."""
        return self._host.implemented_methods()

    def close(self) -> None:
        pass
