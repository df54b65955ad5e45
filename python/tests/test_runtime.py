"""The SDK's run() against real plugin processes started like the host starts them
(protocol v2): credentials on descriptor 3, hooks on a Unix socket behind the hooks secret,
a real grpcio PluginAPI server that checks the API secret.

Run: python3 -m unittest discover -s python/tests -v   (from the repository root)
"""

import hashlib
import os
import signal
import subprocess
import time
import unittest

import grpc

from host_double import TIMEOUT, HostDouble, secure_channel
from mattermost_plugin import protocol
from mattermost_plugin._generated import common_pb2, health_pb2, health_pb2_grpc, hooks_pb2, hooks_pb2_grpc


def post(message: str) -> hooks_pb2.MessageWillBePostedRequest:
    return hooks_pb2.MessageWillBePostedRequest(post=common_pb2.Post(message=message))


def command(line: str) -> hooks_pb2.ExecuteCommandRequest:
    return hooks_pb2.ExecuteCommandRequest(args=hooks_pb2.CommandArgs(command=line))


class RuntimeTests(unittest.TestCase):
    def setUp(self) -> None:
        self.host = HostDouble()

    def tearDown(self) -> None:
        self.host.close()

    # Start-up ------------------------------------------------------------------------

    def test_refuses_to_start_without_the_magic_cookie(self) -> None:
        plugin = self.host.start("testkit", cookie="wrong")
        self.assertEqual(plugin.wait(), 1)
        self.assertEqual(plugin.handshake(), "")
        plugin.kill()
        self.assertTrue(any("started by the plugin host" in line for line in plugin.stderr_lines))

    def test_malformed_credentials_fail_the_start_with_exit_code_78(self) -> None:
        bad = [
            b"api_secret=%s\n" % (b"a" * 64),  # one line missing
            b"api_secret=%s\nhooks_secret=%s\n" % (b"A" * 64, b"b" * 64),  # upper case
            b"api_secret=%s\nhooks_secret=%s\n" % (b"a" * 63, b"b" * 64),  # short
            b"api_secret=%s\nhooks_secret=%s\nextra\n" % (b"a" * 64, b"b" * 64),
            b"x" * 5000,  # past the 4096-byte bound
            b"",
        ]
        for credentials in bad:
            with self.subTest(credentials=credentials[:40]):
                plugin = self.host.start("testkit", credentials=credentials)
                self.assertEqual(plugin.wait(), protocol.EXIT_BAD_CREDENTIALS)
                self.assertEqual(plugin.handshake(), "")
                plugin.kill()
                self.assertTrue(any("plugin start failed" in line for line in plugin.stderr_lines), plugin.stderr_lines)

    def test_missing_credentials_descriptor_fails_the_start(self) -> None:
        plugin = self.host.start("testkit", pass_credentials=False)
        self.assertEqual(plugin.wait(), protocol.EXIT_BAD_CREDENTIALS)
        plugin.kill()
        self.assertTrue(any(protocol.CREDENTIALS_FD_ENV in line for line in plugin.stderr_lines))

    def test_serves_on_the_unix_socket_the_host_named(self) -> None:
        plugin = self.host.start("testkit")
        line = plugin.handshake()
        self.assertEqual(line, "1|2|unix|%s|grpc" % plugin.hooks_socket)

    def test_falls_back_to_loopback_tcp_without_a_hooks_socket(self) -> None:
        plugin = self.host.start("testkit", unix_hooks=False)
        hooks = plugin.hooks()
        self.assertTrue(plugin.target.startswith("127.0.0.1:"))
        self.assertIn("OnActivate", hooks.Implemented(hooks_pb2.ImplementedRequest(), timeout=TIMEOUT).hooks)

    # Credentials and isolation -------------------------------------------------------

    def test_credentials_are_read_once_then_the_descriptor_is_closed_and_the_process_hidden(self) -> None:
        plugin = self.host.start("testkit")
        hooks = plugin.hooks()
        # Our end of the pair reads end of file only once every copy of the plugin's end is closed.
        plugin.credentials_socket.settimeout(TIMEOUT)
        self.assertEqual(plugin.credentials_socket.recv(1), b"")
        report = hooks.ExecuteCommand(command("/isolation"), timeout=TIMEOUT).response.text
        self.assertEqual(report, "dumpable=0 secret-variables=none")
        with open("/proc/%d/environ" % plugin.process.pid, "rb") as environ:
            contents = environ.read()
        self.assertNotIn(self.host.api_secret.encode(), contents)
        self.assertNotIn(self.host.hooks_secret.encode(), contents)

    def test_a_child_started_before_run_does_not_inherit_the_credentials(self) -> None:
        plugin = self.host.start("early_child")
        hooks = plugin.hooks()
        self.assertIn("OnActivate", hooks.Implemented(hooks_pb2.ImplementedRequest(), timeout=TIMEOUT).hooks)
        plugin.process.stdin.close()
        plugin.wait()
        plugin.kill()
        self.assertIn("[INFO] child read fd 3: Bad file descriptor", plugin.stderr_lines)

    def test_api_calls_carry_the_api_secret(self) -> None:
        plugin = self.host.start("testkit")
        hooks = plugin.hooks()
        response = hooks.OnActivate(hooks_pb2.OnActivateRequest(), timeout=TIMEOUT)
        self.assertFalse(response.HasField("error"))
        self.assertEqual(self.host.api.wait_for_key("activated"), b"yes")
        self.assertEqual(set(self.host.api.presented), {self.host.api_secret})

    def test_api_calls_made_while_a_hook_runs_carry_its_trace_headers(self) -> None:
        plugin = self.host.start("traced")
        hooks = plugin.hooks()
        command_trace = {"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                         "tracestate": "congo=t61rcWkgMzE"}
        post_trace = {"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
        # A plain hook (the API call on the worker thread), then an async one (asyncio.to_thread).
        hooks.ExecuteCommand(command("/traced"), timeout=TIMEOUT, metadata=list(command_trace.items()))
        hooks.MessageWillBePosted(post("traced"), timeout=TIMEOUT, metadata=list(post_trace.items()))
        self.assertEqual(self.host.api.wait_for_key("command"), b"/traced")
        self.assertEqual(self.host.api.wait_for_key("post"), b"traced")
        self.assertEqual(self.host.api.kv_trace["command"], command_trace)
        self.assertEqual(self.host.api.kv_trace["post"], post_trace)
        # A hook call without trace headers sends none: nothing lingers from the earlier calls.
        for _ in range(4):
            hooks.ExecuteCommand(command("/untraced"), timeout=TIMEOUT)
            self.assertEqual(self.host.api.kv_trace["command"], {})

    def test_calls_without_the_right_hooks_secret_are_refused_and_run_nothing(self) -> None:
        plugin = self.host.start("testkit")
        plugin.connect()
        for secret in (None, "", "0" * 64, self.host.api_secret, self.host.hooks_secret[:-1]):
            with self.subTest(secret=secret):
                channel = secure_channel(plugin.target, secret)
                hooks = hooks_pb2_grpc.PluginHooksStub(channel)
                calls = [
                    lambda: hooks.OnActivate(hooks_pb2.OnActivateRequest(), timeout=TIMEOUT),
                    lambda: hooks.Implemented(hooks_pb2.ImplementedRequest(), timeout=TIMEOUT),
                    lambda: hooks.Shutdown(hooks_pb2.ShutdownRequest(), timeout=TIMEOUT),
                    lambda: list(hooks.ServeHTTP(iter([hooks_pb2.ServeHTTPRequest(
                        head=hooks_pb2.HTTPRequestHead(method="GET", url="/"))]), timeout=TIMEOUT)),
                    lambda: health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=TIMEOUT),
                ]
                for call in calls:
                    with self.assertRaises(grpc.RpcError) as refused:
                        call()
                    self.assertEqual(refused.exception.code(), grpc.StatusCode.UNAUTHENTICATED)
                channel.close()
        # Nothing ran: no activation, and the refused Shutdown did not end the process.
        self.assertNotIn("activated", self.host.api.kv)
        self.assertIsNone(plugin.process.poll())
        health = health_pb2_grpc.HealthStub(plugin.channel).Check(
            health_pb2.HealthCheckRequest(service="plugin"), timeout=TIMEOUT)
        self.assertEqual(health.status, health_pb2.HealthCheckResponse.SERVING)

    # Hooks ---------------------------------------------------------------------------

    def test_message_hooks_modify_reject_and_pass(self) -> None:
        plugin = self.host.start("testkit")
        hooks = plugin.hooks()
        implemented = hooks.Implemented(hooks_pb2.ImplementedRequest(), timeout=TIMEOUT).hooks
        self.assertIn("MessageWillBePosted", implemented)
        self.assertNotIn("Shutdown", implemented)
        self.assertEqual(hooks.MessageWillBePosted(post("modify me"), timeout=TIMEOUT).post.message, "modify me [modified]")
        self.assertEqual(hooks.MessageWillBePosted(post("reject me"), timeout=TIMEOUT).rejection_reason, "rejected: reject me")
        unchanged = hooks.MessageWillBePosted(post("hello"), timeout=TIMEOUT)
        self.assertFalse(unchanged.HasField("post"))
        self.assertEqual(unchanged.rejection_reason, "")

    def test_app_error_in_message_will_be_posted_rejects_the_post(self) -> None:
        plugin = self.host.start("testkit")
        hooks = plugin.hooks()
        response = hooks.MessageWillBePosted(post("apperror here"), timeout=TIMEOUT)
        self.assertEqual(response.rejection_reason, "no apperror here")
        self.assertFalse(response.HasField("post"))

    def test_other_exceptions_in_a_hook_are_internal_errors_with_the_reason(self) -> None:
        plugin = self.host.start("testkit")
        hooks = plugin.hooks()
        with self.assertRaises(grpc.RpcError) as failed:
            hooks.MessageWillBePosted(post("boom"), timeout=TIMEOUT)
        self.assertEqual(failed.exception.code(), grpc.StatusCode.INTERNAL)
        self.assertIn("boom requested", failed.exception.details())
        # The plugin keeps serving.
        self.assertEqual(hooks.MessageWillBePosted(post("modify"), timeout=TIMEOUT).post.message, "modify [modified]")

    def test_serve_http_streams_a_one_mebibyte_body_both_ways(self) -> None:
        plugin = self.host.start("testkit")
        hooks = plugin.hooks()
        body = os.urandom(1 << 20)

        def requests():
            yield hooks_pb2.ServeHTTPRequest(head=hooks_pb2.HTTPRequestHead(method="POST", url="/echo"))
            for offset in range(0, len(body), 100_000):
                yield hooks_pb2.ServeHTTPRequest(body_chunk=body[offset : offset + 100_000])

        responses = list(hooks.ServeHTTP(requests(), timeout=TIMEOUT))
        self.assertEqual(responses[0].head.status_code, 200)
        self.assertEqual(b"".join(chunk.body_chunk for chunk in responses), body)
        headers = {header.name: header.value for header in responses[0].head.headers}
        self.assertEqual(headers["X-Body-SHA256"], hashlib.sha256(body).hexdigest())

    def test_app_error_in_serve_http_keeps_its_status_code(self) -> None:
        plugin = self.host.start("testkit")
        hooks = plugin.hooks()
        request = hooks_pb2.ServeHTTPRequest(head=hooks_pb2.HTTPRequestHead(method="GET", url="/teapot"))
        responses = list(hooks.ServeHTTP(iter([request]), timeout=TIMEOUT))
        self.assertEqual(responses[0].head.status_code, 418)
        self.assertEqual(b"".join(chunk.body_chunk for chunk in responses), b"I'm a teapot")

    def test_log_with_a_field_called_message(self) -> None:
        plugin = self.host.start("testkit")
        hooks = plugin.hooks()
        reply = hooks.ExecuteCommand(command("/log-message hello there"), timeout=TIMEOUT)
        self.assertEqual(reply.response.text, "logged")
        logged = self.host.api.logs[-1]
        self.assertEqual(logged.message, "posted")
        fields = {pair.key: pair.value for pair in logged.key_values}
        self.assertEqual(fields, {"message": "hello there", "level": "not-a-level"})

    def test_hooks_see_the_call_deadline(self) -> None:
        plugin = self.host.start("testkit")
        hooks = plugin.hooks()
        name, remaining = hooks.ExecuteCommand(command("/deadline"), timeout=5).response.text.split()
        self.assertEqual(name, "ExecuteCommand")
        # grpc-timeout travels in coarse units, so the server's view may round up a little.
        self.assertTrue(0 < float(remaining) <= 5.1, remaining)
        name, remaining = hooks.ExecuteCommand(command("/deadline")).response.text.split()
        self.assertEqual(remaining, "none")

    def test_async_hooks_run_concurrently_on_the_event_loop(self) -> None:
        plugin = self.host.start("async_hooks")
        hooks = plugin.hooks()
        self.assertFalse(hooks.OnActivate(hooks_pb2.OnActivateRequest(), timeout=TIMEOUT).HasField("error"))
        self.assertEqual(self.host.api.wait_for_key("activated"), b"async")
        start = time.monotonic()
        futures = [hooks.MessageWillBePosted.future(post("sleep %d" % index), timeout=TIMEOUT) for index in range(4)]
        messages = [future.result().post.message for future in futures]
        # Four 0.5 s sleeps overlapped: well under the 2 s they would take one after another.
        self.assertLess(time.monotonic() - start, 1.5)
        self.assertEqual(messages, ["sleep %d [async, deadline]" % index for index in range(4)])
        self.assertEqual(hooks.MessageWillBePosted(post("reject"), timeout=TIMEOUT).rejection_reason, "async rejection")
        request = hooks_pb2.ServeHTTPRequest(head=hooks_pb2.HTTPRequestHead(method="GET", url="/x"))
        responses = list(hooks.ServeHTTP(iter([request]), timeout=TIMEOUT))
        self.assertEqual((responses[0].head.status_code, responses[0].body_chunk), (201, b"async /x"))

    def test_an_async_hook_past_its_deadline_is_cancelled(self) -> None:
        plugin = self.host.start("async_hooks")
        hooks = plugin.hooks()
        with self.assertRaises(grpc.RpcError) as late:
            hooks.MessageWillBePosted(post("linger on"), timeout=0.5)
        self.assertEqual(late.exception.code(), grpc.StatusCode.DEADLINE_EXCEEDED)
        self.assertEqual(self.host.api.wait_for_key("cancelled"), b"linger on")

    # Exit ----------------------------------------------------------------------------

    def test_exits_on_the_shutdown_request(self) -> None:
        plugin = self.host.start("testkit")
        hooks = plugin.hooks()
        hooks.Shutdown(hooks_pb2.ShutdownRequest(grace_period_ms=1000), timeout=TIMEOUT)
        self.assertEqual(plugin.wait(), 0)
        plugin.kill()
        self.assertTrue(any("reason=shutdown-request" in line for line in plugin.stderr_lines))

    def test_exits_when_stdin_closes(self) -> None:
        plugin = self.host.start("testkit")
        plugin.handshake()
        plugin.process.stdin.close()
        self.assertEqual(plugin.wait(), 0)

    def test_last_api_call_during_sigterm_succeeds(self) -> None:
        plugin = self.host.start("last_words")
        hooks = plugin.hooks()
        hooks.Shutdown(hooks_pb2.ShutdownRequest(), timeout=TIMEOUT)
        plugin.process.stdin.close()
        # Ignoring both requests is the point: it is still running a while later.
        with self.assertRaises(subprocess.TimeoutExpired):
            plugin.process.wait(0.3)
        os.killpg(plugin.process.pid, signal.SIGTERM)
        self.assertEqual(plugin.wait(), 0)
        self.assertEqual(self.host.api.wait_for_key("last-words"), b"sigterm")

    def test_log_lines_carry_levels(self) -> None:
        plugin = self.host.start("testkit")
        hooks = plugin.hooks()
        hooks.OnActivate(hooks_pb2.OnActivateRequest(), timeout=TIMEOUT)
        plugin.process.stdin.close()
        plugin.wait()
        plugin.kill()
        self.assertTrue(any(line.startswith("[INFO] testkit activated pid=") for line in plugin.stderr_lines))
        self.assertTrue(any(line.startswith("[DEBUG] plugin serving hooks transport=unix") for line in plugin.stderr_lines))


if __name__ == "__main__":
    unittest.main()
