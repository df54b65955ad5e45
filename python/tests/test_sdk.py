"""Tests of the Python SDK against real processes: a test plugin is started the way the
host starts it, with a real grpcio PluginAPI server standing in for the host's API side.

Run: python3 -m unittest discover -s python/tests -v   (from the repository root)
"""

import os
import signal
import subprocess
import sys
import threading
import time
import unittest
from concurrent import futures

HERE = os.path.dirname(os.path.abspath(__file__))
SDK = os.path.dirname(HERE)
sys.path.insert(0, SDK)

import grpc  # noqa: E402

from mattermost_plugin import protocol  # noqa: E402
from mattermost_plugin._stubs import (  # noqa: E402
    api_pb2,
    api_pb2_grpc,
    common_pb2,
    health_pb2,
    health_pb2_grpc,
    hooks_pb2,
    hooks_pb2_grpc,
)

SECRET = "per-launch-secret"
TIMEOUT = 10


class RecordingAPI(api_pb2_grpc.PluginAPIServicer):
    """A PluginAPI that keeps KV writes and checks the secret like the host does."""

    def __init__(self):
        self.kv = {}
        self.secrets = []
        self.lock = threading.Lock()

    def _check(self, context):
        metadata = dict(context.invocation_metadata())
        secret = metadata.get(protocol.API_SECRET_METADATA_KEY)
        with self.lock:
            self.secrets.append(secret)
        if secret != SECRET:
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "wrong plugin secret")

    def KVSet(self, request, context):
        self._check(context)
        with self.lock:
            self.kv[request.key] = request.value
        return api_pb2.KVSetResponse()

    def KVGet(self, request, context):
        self._check(context)
        with self.lock:
            value = self.kv.get(request.key)
        if value is None:
            return api_pb2.KVGetResponse(found=False)
        return api_pb2.KVGetResponse(found=True, value=value)

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

    def wait_for_key(self, key, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if key in self.kv:
                    return self.kv[key]
            time.sleep(0.02)
        return None


class PluginUnderTest:
    """Starts a test plugin like the host does and reads its handshake."""

    def __init__(self, name, api_port, cookie=protocol.MAGIC_COOKIE_VALUE):
        directory = os.path.join(SDK, "test_plugins", name)
        env = dict(os.environ)
        env.update(
            {
                protocol.MAGIC_COOKIE_KEY: cookie,
                protocol.API_TARGET_ENV: "127.0.0.1:%d" % api_port,
                protocol.API_SECRET_ENV: SECRET,
                protocol.PLUGIN_ID_ENV: "test." + name,
                "PYTHONPATH": SDK,
            }
        )
        self.process = subprocess.Popen(
            [sys.executable, "-u", "plugin.py"],
            cwd=directory,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self.stderr_lines = []
        self._stderr_thread = threading.Thread(target=self._drain_stderr, daemon=True)
        self._stderr_thread.start()

    def _drain_stderr(self):
        for line in self.process.stderr:
            self.stderr_lines.append(line.decode("utf-8", "replace").rstrip("\n"))

    def handshake(self):
        line = self.process.stdout.readline().decode().strip()
        return line

    def hooks(self):
        line = self.handshake()
        parts = line.split("|")
        assert parts[:3] == ["1", "1", "tcp"] and parts[4] == "grpc", line
        self.channel = grpc.insecure_channel(parts[3])
        return hooks_pb2_grpc.PluginHooksStub(self.channel), self.channel

    def wait(self, timeout=TIMEOUT):
        return self.process.wait(timeout)

    def kill(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(TIMEOUT)
        self._stderr_thread.join(TIMEOUT)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if not stream.closed:
                stream.close()


class SDKTests(unittest.TestCase):
    def setUp(self):
        self.api = RecordingAPI()
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        api_pb2_grpc.add_PluginAPIServicer_to_server(self.api, self.server)
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()
        self.plugins = []

    def tearDown(self):
        for plugin in self.plugins:
            plugin.kill()
        self.server.stop(0).wait(TIMEOUT)

    def start(self, name, **kwargs):
        plugin = PluginUnderTest(name, self.port, **kwargs)
        self.plugins.append(plugin)
        return plugin

    def test_refuses_to_start_without_the_magic_cookie(self):
        plugin = self.start("testkit", cookie="wrong")
        self.assertEqual(plugin.wait(), 1)
        self.assertEqual(plugin.handshake(), "")
        plugin.kill()
        self.assertTrue(any("started by the plugin host" in line for line in plugin.stderr_lines))

    def test_hooks_reach_the_plugin_and_api_calls_carry_the_secret(self):
        plugin = self.start("testkit")
        hooks, channel = plugin.hooks()
        implemented = hooks.Implemented(hooks_pb2.ImplementedRequest(), timeout=TIMEOUT).hooks
        self.assertIn("MessageWillBePosted", implemented)
        self.assertIn("ServeHTTP", implemented)
        self.assertNotIn("Shutdown", implemented)

        response = hooks.OnActivate(hooks_pb2.OnActivateRequest(), timeout=TIMEOUT)
        self.assertFalse(response.HasField("error"))
        self.assertEqual(self.api.wait_for_key("activated"), b"yes")
        self.assertEqual(set(self.api.secrets), {SECRET})

        modified = hooks.MessageWillBePosted(
            hooks_pb2.MessageWillBePostedRequest(post=common_pb2.Post(message="modify me")), timeout=TIMEOUT
        )
        self.assertEqual(modified.post.message, "modify me [modified]")
        rejected = hooks.MessageWillBePosted(
            hooks_pb2.MessageWillBePostedRequest(post=common_pb2.Post(message="reject me")), timeout=TIMEOUT
        )
        self.assertEqual(rejected.rejection_reason, "rejected: reject me")
        unchanged = hooks.MessageWillBePosted(
            hooks_pb2.MessageWillBePostedRequest(post=common_pb2.Post(message="hello")), timeout=TIMEOUT
        )
        self.assertFalse(unchanged.HasField("post"))
        self.assertEqual(unchanged.rejection_reason, "")

        health = health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service="plugin"), timeout=TIMEOUT
        )
        self.assertEqual(health.status, health_pb2.HealthCheckResponse.SERVING)
        channel.close()

    def test_serve_http_streams_a_one_mebibyte_body_both_ways(self):
        import hashlib

        plugin = self.start("testkit")
        hooks, channel = plugin.hooks()
        body = os.urandom(1 << 20)

        def requests():
            yield hooks_pb2.ServeHTTPRequest(head=hooks_pb2.HTTPRequestHead(method="POST", url="/echo"))
            for offset in range(0, len(body), 100_000):
                yield hooks_pb2.ServeHTTPRequest(body_chunk=body[offset : offset + 100_000])

        responses = list(hooks.ServeHTTP(requests(), timeout=TIMEOUT))
        self.assertEqual(responses[0].head.status_code, 200)
        echoed = b"".join(chunk.body_chunk for chunk in responses)
        self.assertEqual(echoed, body)
        headers = {header.name: header.value for header in responses[0].head.headers}
        self.assertEqual(headers["X-Body-SHA256"], hashlib.sha256(body).hexdigest())
        channel.close()

    def test_exits_on_the_shutdown_request(self):
        plugin = self.start("testkit")
        hooks, channel = plugin.hooks()
        hooks.Shutdown(hooks_pb2.ShutdownRequest(grace_period_ms=1000), timeout=TIMEOUT)
        self.assertEqual(plugin.wait(), 0)
        channel.close()
        plugin.kill()
        self.assertTrue(any("reason=shutdown-request" in line for line in plugin.stderr_lines))

    def test_exits_when_stdin_closes(self):
        plugin = self.start("testkit")
        plugin.handshake()
        plugin.process.stdin.close()
        self.assertEqual(plugin.wait(), 0)

    def test_last_api_call_during_sigterm_succeeds(self):
        plugin = self.start("last_words")
        hooks, channel = plugin.hooks()
        hooks.Shutdown(hooks_pb2.ShutdownRequest(), timeout=TIMEOUT)
        plugin.process.stdin.close()
        # Ignoring both requests is the point: it is still running a while later.
        with self.assertRaises(subprocess.TimeoutExpired):
            plugin.process.wait(0.3)
        os.killpg(plugin.process.pid, signal.SIGTERM)
        self.assertEqual(plugin.wait(), 0)
        self.assertEqual(self.api.wait_for_key("last-words"), b"sigterm")
        channel.close()

    def test_log_lines_carry_levels(self):
        plugin = self.start("testkit")
        hooks, channel = plugin.hooks()
        hooks.OnActivate(hooks_pb2.OnActivateRequest(), timeout=TIMEOUT)
        plugin.process.stdin.close()
        plugin.wait()
        plugin.kill()
        self.assertTrue(any(line.startswith("[INFO] testkit activated pid=") for line in plugin.stderr_lines))
        self.assertTrue(any(line.startswith("[DEBUG] plugin serving hooks port=") for line in plugin.stderr_lines))
        channel.close()

    def test_app_errors_become_exceptions(self):
        from mattermost_plugin import AppError
        from mattermost_plugin.api import APIClient

        client = APIClient(target="127.0.0.1:%d" % self.port, secret=SECRET)
        self.assertEqual(client.get_server_version(), "9.9.9")
        with self.assertRaises(AppError) as raised:
            client.get_user("nobody")
        self.assertEqual(raised.exception.status_code, 404)
        self.assertEqual(raised.exception.id, "app.user.missing")
        wrong = APIClient(target="127.0.0.1:%d" % self.port, secret="not-it")
        with self.assertRaises(grpc.RpcError) as failed:
            wrong.get_server_version()
        self.assertEqual(failed.exception.code(), grpc.StatusCode.UNAUTHENTICATED)
        client.close()
        wrong.close()


if __name__ == "__main__":
    unittest.main()
