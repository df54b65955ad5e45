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
key-value store with compare-and-set and expiry, users, channels, posts and the plugin's
configuration, and records every call with its request message.
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
            with self.lock:
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

    def close(self) -> None:
        pass
