"""Starts plugin processes the way the Swift host does (protocol v2), for the SDK's tests.

A real grpcio PluginAPI server on a Unix socket in a fresh 0700 folder checks the API
secret; the plugin gets an allowlisted environment, the credentials on descriptor 3 (one
end of a socket pair), and a hooks socket path in the same folder.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent import futures
from typing import Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
SDK = os.path.dirname(HERE)
if SDK not in sys.path:
    sys.path.insert(0, SDK)

import grpc  # noqa: E402

from mattermost_plugin import protocol  # noqa: E402
from mattermost_plugin._generated import api_pb2, api_pb2_grpc, hooks_pb2_grpc  # noqa: E402

TIMEOUT = 10
_MOVE_TO_FD3 = (
    "import os, sys\n"
    "fd = int(sys.argv[1])\n"
    "if fd != 3:\n"
    "    os.dup2(fd, 3)\n"
    "    os.close(fd)\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)


class RecordingAPI(api_pb2_grpc.PluginAPIServicer):
    """A PluginAPI that keeps KV writes and log calls, and checks the secret like the host."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.kv: Dict[str, bytes] = {}
        self.logs: List[api_pb2.LogRequest] = []
        self.presented: List[Optional[str]] = []
        # The W3C trace headers each KVSet arrived with, by key.
        self.kv_trace: Dict[str, Dict[str, str]] = {}
        self.lock = threading.Lock()

    def _check(self, context) -> None:
        presented = dict(context.invocation_metadata()).get(protocol.API_SECRET_METADATA_KEY)
        with self.lock:
            self.presented.append(presented)
        if presented != self.secret:
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "wrong plugin secret")

    def Log(self, request, context):
        self._check(context)
        with self.lock:
            self.logs.append(request)
        return api_pb2.LogResponse()

    def KVSet(self, request, context):
        self._check(context)
        trace = {key: value for key, value in context.invocation_metadata() if key in protocol.TRACE_METADATA_KEYS}
        with self.lock:
            self.kv_trace[request.key] = trace
            self.kv[request.key] = request.value
        return api_pb2.KVSetResponse()

    def KVGet(self, request, context):
        self._check(context)
        with self.lock:
            value = self.kv.get(request.key)
        return api_pb2.KVGetResponse(found=value is not None, value=value or b"")

    def GetUser(self, request, context):
        self._check(context)
        response = api_pb2.UserResponse()
        response.error.id = "app.user.missing"
        response.error.message = "no such user"
        response.error.status_code = 404
        return response

    def GetServerVersion(self, request, context):
        self._check(context)
        return api_pb2.GetServerVersionResponse(version="9.9.9")

    def wait_for_key(self, key: str, timeout: float = TIMEOUT) -> Optional[bytes]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if key in self.kv:
                    return self.kv[key]
            time.sleep(0.02)
        return None


class HostDouble:
    """One launch folder with its API server; start() runs plugins against it."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="plugin-run.")
        os.chmod(self.folder, 0o700)
        self.api_secret = secrets.token_hex(32)
        self.hooks_secret = secrets.token_hex(32)
        self.api = RecordingAPI(self.api_secret)
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        api_pb2_grpc.add_PluginAPIServicer_to_server(self.api, self.server)
        self.api_socket = os.path.join(self.folder, "api.sock")
        self.server.add_insecure_port("unix:" + self.api_socket)
        self.server.start()
        self.plugins: List["PluginProcess"] = []

    def credentials(self) -> bytes:
        return ("api_secret=%s\nhooks_secret=%s\n" % (self.api_secret, self.hooks_secret)).encode()

    def start(self, name: str, **options) -> "PluginProcess":
        plugin = PluginProcess(self, os.path.join(SDK, "test_plugins", name), **options)
        self.plugins.append(plugin)
        return plugin

    def close(self) -> None:
        for plugin in self.plugins:
            plugin.kill()
        self.server.stop(0).wait(TIMEOUT)
        shutil.rmtree(self.folder, ignore_errors=True)


class PluginProcess:
    """A plugin process started like the host starts it, with its handshake and hooks."""

    def __init__(
        self,
        host: HostDouble,
        directory: str,
        cookie: str = protocol.MAGIC_COOKIE_VALUE,
        credentials: Optional[bytes] = None,
        pass_credentials: bool = True,
        unix_hooks: bool = True,
        extra_environment: Optional[Dict[str, str]] = None,
    ) -> None:
        self.host = host
        self.hooks_socket = os.path.join(host.folder, "hooks-%d.sock" % len(host.plugins))
        env = {name: os.environ[name] for name in ("PATH", "LANG", "HOME", "TMPDIR") if name in os.environ}
        env.update(
            {
                protocol.MAGIC_COOKIE_KEY: cookie,
                protocol.PLUGIN_ID_ENV: "test." + os.path.basename(directory),
                protocol.API_TARGET_ENV: "unix:" + host.api_socket,
                "PYTHONPATH": SDK,
            }
        )
        if unix_hooks:
            env[protocol.HOOKS_SOCKET_ENV] = self.hooks_socket
        env.update(extra_environment or {})
        self.credentials_socket: Optional[socket.socket] = None
        pass_fds = ()
        child_end = None
        if pass_credentials:
            parent_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            # Descriptor 3 in the child: dup the child's end there in the child only.
            env[protocol.CREDENTIALS_FD_ENV] = "3"
            parent_end.sendall(host.credentials() if credentials is None else credentials)
            parent_end.shutdown(socket.SHUT_WR)
            self.credentials_socket = parent_end
            pass_fds = (child_end.fileno(),)
        command = [sys.executable, "-u", "plugin.py"]
        if child_end is not None:
            # A tiny exec shim moves the child's end of the pair to descriptor 3, as the host does.
            command = [sys.executable, "-c", _MOVE_TO_FD3, str(child_end.fileno())] + command
        self.process = subprocess.Popen(
            command,
            cwd=directory,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            pass_fds=pass_fds,
        )
        if child_end is not None:
            child_end.close()
        self.stderr_lines: List[str] = []
        self._stderr_thread = threading.Thread(target=self._drain_stderr, daemon=True)
        self._stderr_thread.start()
        self.channel: Optional[grpc.Channel] = None

    def _drain_stderr(self) -> None:
        for line in self.process.stderr:
            self.stderr_lines.append(line.decode("utf-8", "replace").rstrip("\n"))

    def handshake(self) -> str:
        return self.process.stdout.readline().decode().strip()

    def connect(self, secret: Optional[str] = "host's") -> "grpc.Channel":
        """Reads the handshake and opens a channel that sends `secret` (default: the right
        hooks secret; None: no secret at all) on every call."""
        line = self.handshake()
        parts = line.split("|")
        assert len(parts) == 5 and parts[:2] == ["1", "2"] and parts[4] == "grpc", line
        target = "unix:" + parts[3] if parts[2] == "unix" else parts[3]
        self.target = target
        self.channel = secure_channel(target, self.host.hooks_secret if secret == "host's" else secret)
        return self.channel

    def hooks(self, secret: Optional[str] = "host's") -> hooks_pb2_grpc.PluginHooksStub:
        return hooks_pb2_grpc.PluginHooksStub(self.connect(secret))

    def wait(self, timeout: float = TIMEOUT) -> int:
        return self.process.wait(timeout)

    def kill(self) -> None:
        if self.channel is not None:
            self.channel.close()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(TIMEOUT)
        self._stderr_thread.join(TIMEOUT)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if not stream.closed:
                stream.close()
        if self.credentials_socket is not None:
            self.credentials_socket.close()


class _SecretMetadata(grpc.UnaryUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    def __init__(self, secret: str) -> None:
        self.secret = secret

    def _details(self, details):
        metadata = list(details.metadata or []) + [(protocol.HOOKS_SECRET_METADATA_KEY, self.secret)]
        return details._replace(metadata=metadata)

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_stream_stream(self, continuation, details, request_iterator):
        return continuation(self._details(details), request_iterator)


def secure_channel(target: str, secret: Optional[str]) -> grpc.Channel:
    """A channel to a plugin's hooks that sends `secret` as the hooks secret (None: nothing)."""
    channel = grpc.insecure_channel(target)
    return channel if secret is None else grpc.intercept_channel(channel, _SecretMetadata(secret))
