"""Client for the host's PluginAPI service.

Connects to MATTERMOST_PLUGIN_API_TARGET and sends the per-launch API secret (read from the
credentials descriptor by run(), never from the environment) as `mattermost-plugin-secret`
metadata on every call. Methods return plain values or protobuf messages and raise AppError
for application errors; transport failures surface as grpc.RpcError. One client serves the
whole process and is safe to use from any thread; from an `async def` hook, call it through
`await asyncio.to_thread(self.api.kv_get, key)` so the event loop keeps serving other hooks.
"""

import json
import os
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

import grpc

from . import credentials, protocol
from ._generated import api_pb2, api_pb2_grpc, common_pb2
from .errors import AppError

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


class _SecretInterceptor(grpc.UnaryUnaryClientInterceptor):
    """Adds the per-launch secret to the metadata of every call, including calls a plugin
    makes on `APIClient.stub` directly."""

    def __init__(self, secret: str) -> None:
        self._secret = secret

    def intercept_unary_unary(self, continuation: Any, client_call_details: Any, request: Any) -> Any:
        metadata = list(client_call_details.metadata or [])
        metadata.append((protocol.API_SECRET_METADATA_KEY, self._secret))
        details = _CallDetails(
            client_call_details.method,
            client_call_details.timeout,
            metadata,
            client_call_details.credentials,
            getattr(client_call_details, "wait_for_ready", None),
            getattr(client_call_details, "compression", None),
        )
        return continuation(details, request)


def _check(response: Any) -> Any:
    if response.HasField("error"):
        raise AppError.from_proto(response.error)
    return response


def _as_bytes(value: Bytes) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8")
    return bytes(value)


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

    # Logging -------------------------------------------------------------------------

    def log(self, level: str, message: str, /, **key_values: Any) -> None:
        """Logs through the host at `level` ("debug", "info", "warn" or "error"); every
        keyword argument becomes a key-value pair (any name, `message` and `level` too)."""
        request = api_pb2.LogRequest(level=LOG_LEVELS[level], message=message)
        for key, value in key_values.items():
            request.key_values.add(key=str(key), value=str(value))
        self.stub.Log(request, timeout=self.timeout)

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
        request = api_pb2.KVSetRequest(key=key, value=_as_bytes(value), expire_in_seconds=expire_in_seconds)
        _check(self.stub.KVSet(request, timeout=self.timeout))

    def kv_get(self, key: str) -> Optional[bytes]:
        """The stored bytes, or None when the key does not exist (or expired)."""
        response = _check(self.stub.KVGet(api_pb2.KVGetRequest(key=key), timeout=self.timeout))
        return bytes(response.value) if response.found else None

    def kv_delete(self, key: str) -> None:
        _check(self.stub.KVDelete(api_pb2.KVDeleteRequest(key=key), timeout=self.timeout))

    def kv_list(self, page: int = 0, per_page: int = 100) -> List[str]:
        """One page of this plugin's keys, in order."""
        request = api_pb2.KVListRequest(page=page, per_page=per_page)
        return list(_check(self.stub.KVList(request, timeout=self.timeout)).keys)

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
        return bool(_check(self.stub.KVCompareAndSet(request, timeout=self.timeout)).swapped)

    def kv_compare_and_delete(self, key: str, old_value: Bytes) -> bool:
        """Deletes the key only if its value is old_value. True when it deleted."""
        request = api_pb2.KVCompareAndDeleteRequest(key=key, old_value=_as_bytes(old_value))
        return bool(_check(self.stub.KVCompareAndDelete(request, timeout=self.timeout)).deleted)

    def kv_delete_all(self) -> None:
        _check(self.stub.KVDeleteAll(api_pb2.KVDeleteAllRequest(), timeout=self.timeout))

    # Users and channels --------------------------------------------------------------

    def get_user(self, user_id: str) -> common_pb2.User:
        request = api_pb2.GetUserRequest(user_id=user_id)
        return _check(self.stub.GetUser(request, timeout=self.timeout)).user

    def get_user_by_username(self, username: str) -> common_pb2.User:
        request = api_pb2.GetUserByUsernameRequest(username=username)
        return _check(self.stub.GetUserByUsername(request, timeout=self.timeout)).user

    def get_channel(self, channel_id: str) -> common_pb2.Channel:
        request = api_pb2.GetChannelRequest(channel_id=channel_id)
        return _check(self.stub.GetChannel(request, timeout=self.timeout)).channel

    def get_channel_by_name(self, team_id: str, name: str) -> common_pb2.Channel:
        request = api_pb2.GetChannelByNameRequest(team_id=team_id, name=name)
        return _check(self.stub.GetChannelByName(request, timeout=self.timeout)).channel

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
        request = api_pb2.CreatePostRequest(post=post)
        return _check(self.stub.CreatePost(request, timeout=self.timeout)).post

    def get_post(self, post_id: str) -> common_pb2.Post:
        request = api_pb2.GetPostRequest(post_id=post_id)
        return _check(self.stub.GetPost(request, timeout=self.timeout)).post

    def update_post(self, post: common_pb2.Post) -> common_pb2.Post:
        request = api_pb2.UpdatePostRequest(post=post)
        return _check(self.stub.UpdatePost(request, timeout=self.timeout)).post

    def delete_post(self, post_id: str) -> None:
        request = api_pb2.DeletePostRequest(post_id=post_id)
        _check(self.stub.DeletePost(request, timeout=self.timeout))

    # Configuration and server --------------------------------------------------------

    def get_plugin_config(self) -> Any:
        """The plugin's configuration, decoded from JSON (an object unless set otherwise)."""
        request = api_pb2.GetPluginConfigRequest()
        response = _check(self.stub.GetPluginConfig(request, timeout=self.timeout))
        return json.loads(response.configuration_json or "{}")

    def save_plugin_config(self, configuration: Dict[str, Any]) -> None:
        request = api_pb2.SavePluginConfigRequest(configuration_json=json.dumps(configuration))
        _check(self.stub.SavePluginConfig(request, timeout=self.timeout))

    def get_server_version(self) -> str:
        request = api_pb2.GetServerVersionRequest()
        return str(self.stub.GetServerVersion(request, timeout=self.timeout).version)

    # Events between plugins ------------------------------------------------------------

    def publish_plugin_event(self, topic: str, payload: Bytes = b"") -> int:
        """Delivers an event to every other active plugin that implements `on_plugin_event`
        (topic 1-256 bytes, payload at most 1 MiB); returns how many handled it. Waits until
        each has handled it or passed its hook timeout."""
        request = api_pb2.PublishPluginEventRequest(topic=topic, payload=_as_bytes(payload))
        return int(_check(self.stub.PublishPluginEvent(request, timeout=self.timeout)).delivered)
