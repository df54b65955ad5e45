"""Client for the host's PluginAPI service.

Built from the environment the host sets: MATTERMOST_PLUGIN_API_TARGET says where to
connect and MATTERMOST_PLUGIN_API_SECRET is sent as metadata on every call. Methods
return plain values and raise AppError for application errors; transport failures
surface as grpc.RpcError.
"""

import json
import os

import grpc

from . import protocol
from ._stubs import api_pb2, api_pb2_grpc, common_pb2
from .errors import AppError

LOG_LEVELS = {
    "debug": api_pb2.LOG_LEVEL_DEBUG,
    "info": api_pb2.LOG_LEVEL_INFO,
    "warn": api_pb2.LOG_LEVEL_WARN,
    "error": api_pb2.LOG_LEVEL_ERROR,
}


class _SecretInterceptor(grpc.UnaryUnaryClientInterceptor):
    """Adds the per-launch secret to the metadata of every call."""

    def __init__(self, secret):
        self._secret = secret

    def intercept_unary_unary(self, continuation, client_call_details, request):
        metadata = list(client_call_details.metadata or [])
        metadata.append((protocol.API_SECRET_METADATA_KEY, self._secret))
        details = client_call_details._replace(metadata=metadata) if hasattr(
            client_call_details, "_replace"
        ) else _CallDetails(client_call_details, metadata)
        return continuation(details, request)


class _CallDetails(grpc.ClientCallDetails):
    def __init__(self, base, metadata):
        self.method = base.method
        self.timeout = base.timeout
        self.metadata = metadata
        self.credentials = base.credentials
        self.wait_for_ready = getattr(base, "wait_for_ready", None)
        self.compression = getattr(base, "compression", None)


def _check(response):
    if response.HasField("error"):
        raise AppError.from_proto(response.error)
    return response


class APIClient:
    """The plugin's handle on the host. One per process; safe to use from any thread."""

    def __init__(self, target=None, secret=None, timeout=10.0):
        self.target = target if target is not None else os.environ[protocol.API_TARGET_ENV]
        secret = secret if secret is not None else os.environ.get(protocol.API_SECRET_ENV, "")
        self.timeout = timeout
        self._channel = grpc.intercept_channel(
            grpc.insecure_channel(self.target), _SecretInterceptor(secret)
        )
        self.stub = api_pb2_grpc.PluginAPIStub(self._channel)

    def close(self):
        self._channel.close()

    # Logging -------------------------------------------------------------------------

    def log(self, level, message, **key_values):
        request = api_pb2.LogRequest(level=LOG_LEVELS[level], message=message)
        for key, value in key_values.items():
            request.key_values.add(key=str(key), value=str(value))
        self.stub.Log(request, timeout=self.timeout)

    def log_debug(self, message, **key_values):
        self.log("debug", message, **key_values)

    def log_info(self, message, **key_values):
        self.log("info", message, **key_values)

    def log_warn(self, message, **key_values):
        self.log("warn", message, **key_values)

    def log_error(self, message, **key_values):
        self.log("error", message, **key_values)

    # Key-value store -----------------------------------------------------------------

    def kv_set(self, key, value, expire_in_seconds=0):
        request = api_pb2.KVSetRequest(
            key=key, value=_as_bytes(value), expire_in_seconds=expire_in_seconds
        )
        _check(self.stub.KVSet(request, timeout=self.timeout))

    def kv_get(self, key):
        """The stored bytes, or None when the key does not exist (or expired)."""
        response = _check(self.stub.KVGet(api_pb2.KVGetRequest(key=key), timeout=self.timeout))
        return response.value if response.found else None

    def kv_delete(self, key):
        _check(self.stub.KVDelete(api_pb2.KVDeleteRequest(key=key), timeout=self.timeout))

    def kv_list(self, page=0, per_page=100):
        request = api_pb2.KVListRequest(page=page, per_page=per_page)
        return list(_check(self.stub.KVList(request, timeout=self.timeout)).keys)

    def kv_compare_and_set(self, key, old_value, new_value, expire_in_seconds=0):
        """Writes new_value only if the current value is old_value (None: key must be absent)."""
        request = api_pb2.KVCompareAndSetRequest(
            key=key,
            expect_absent=old_value is None,
            old_value=_as_bytes(old_value or b""),
            new_value=_as_bytes(new_value),
            expire_in_seconds=expire_in_seconds,
        )
        return _check(self.stub.KVCompareAndSet(request, timeout=self.timeout)).swapped

    def kv_compare_and_delete(self, key, old_value):
        request = api_pb2.KVCompareAndDeleteRequest(key=key, old_value=_as_bytes(old_value))
        return _check(self.stub.KVCompareAndDelete(request, timeout=self.timeout)).deleted

    def kv_delete_all(self):
        _check(self.stub.KVDeleteAll(api_pb2.KVDeleteAllRequest(), timeout=self.timeout))

    # Users and channels --------------------------------------------------------------

    def get_user(self, user_id):
        request = api_pb2.GetUserRequest(user_id=user_id)
        return _check(self.stub.GetUser(request, timeout=self.timeout)).user

    def get_user_by_username(self, username):
        request = api_pb2.GetUserByUsernameRequest(username=username)
        return _check(self.stub.GetUserByUsername(request, timeout=self.timeout)).user

    def get_channel(self, channel_id):
        request = api_pb2.GetChannelRequest(channel_id=channel_id)
        return _check(self.stub.GetChannel(request, timeout=self.timeout)).channel

    def get_channel_by_name(self, team_id, name):
        request = api_pb2.GetChannelByNameRequest(team_id=team_id, name=name)
        return _check(self.stub.GetChannelByName(request, timeout=self.timeout)).channel

    # Posts ---------------------------------------------------------------------------

    def create_post(self, channel_id, message, user_id="", root_id="", props=None):
        post = common_pb2.Post(
            channel_id=channel_id, message=message, user_id=user_id, root_id=root_id
        )
        post.props.update(props or {})
        request = api_pb2.CreatePostRequest(post=post)
        return _check(self.stub.CreatePost(request, timeout=self.timeout)).post

    def get_post(self, post_id):
        request = api_pb2.GetPostRequest(post_id=post_id)
        return _check(self.stub.GetPost(request, timeout=self.timeout)).post

    def update_post(self, post):
        request = api_pb2.UpdatePostRequest(post=post)
        return _check(self.stub.UpdatePost(request, timeout=self.timeout)).post

    def delete_post(self, post_id):
        request = api_pb2.DeletePostRequest(post_id=post_id)
        _check(self.stub.DeletePost(request, timeout=self.timeout))

    # Configuration and server --------------------------------------------------------

    def get_plugin_config(self):
        request = api_pb2.GetPluginConfigRequest()
        response = _check(self.stub.GetPluginConfig(request, timeout=self.timeout))
        return json.loads(response.configuration_json or "{}")

    def save_plugin_config(self, configuration):
        request = api_pb2.SavePluginConfigRequest(configuration_json=json.dumps(configuration))
        _check(self.stub.SavePluginConfig(request, timeout=self.timeout))

    def get_server_version(self):
        request = api_pb2.GetServerVersionRequest()
        return self.stub.GetServerVersion(request, timeout=self.timeout).version


def _as_bytes(value):
    if isinstance(value, str):
        return value.encode("utf-8")
    return bytes(value)
