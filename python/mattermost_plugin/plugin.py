"""Plugin base class, hook decorator and the process entry point `run()`.

A plugin subclasses Plugin and marks the hooks it implements with @hook:

    class Greeter(Plugin):
        @hook
        def message_will_be_posted(self, context, post):
            post.message = post.message + " :wave:"
            return post

run() serves the hooks over gRPC on a loopback port, prints the handshake line, and
exits gracefully on the host's Shutdown request, on SIGTERM, or when stdin closes.
"""

import inspect
import logging
import os
import signal
import sys
import threading
from concurrent import futures

import grpc

from . import log, protocol
from ._stubs import health_pb2, health_pb2_grpc, hooks_pb2, hooks_pb2_grpc
from .errors import AppError

HOOK_NAMES = {
    "on_activate": "OnActivate",
    "on_deactivate": "OnDeactivate",
    "on_configuration_change": "OnConfigurationChange",
    "message_will_be_posted": "MessageWillBePosted",
    "message_has_been_posted": "MessageHasBeenPosted",
    "execute_command": "ExecuteCommand",
    "serve_http": "ServeHTTP",
}
HTTP_CHUNK_SIZE = 64 * 1024


def hook(function_or_name):
    """Marks a method as an implemented hook. Use bare (@hook) with a hook's snake_case
    method name, or with the hook's name (@hook("MessageWillBePosted"))."""

    def mark(function, name):
        if name not in HOOK_NAMES.values():
            raise ValueError("unknown hook %r" % name)
        function.__plugin_hook__ = name
        return function

    if callable(function_or_name):
        name = HOOK_NAMES.get(function_or_name.__name__)
        if name is None:
            raise ValueError("%s is not a hook method name" % function_or_name.__name__)
        return mark(function_or_name, name)
    return lambda function: mark(function, function_or_name)


class HTTPRequest:
    def __init__(self, method, url, headers, body, user_id, context):
        self.method = method
        self.url = url
        self.headers = headers  # list of (name, value)
        self.body = body
        self.user_id = user_id
        self.context = context


class HTTPResponse:
    def __init__(self, status=200, headers=None, body=b""):
        self.status = status
        self.headers = headers or []
        self.body = body if isinstance(body, bytes) else str(body).encode("utf-8")


class Plugin:
    """Base class for plugins. `self.api` (an APIClient) and `self.id` are set by run()."""

    api = None
    id = ""
    # When True, the Shutdown request and stdin closing are ignored: only SIGTERM ends the
    # process. Exists so tests can exercise the host's escalation path.
    ignore_exit_requests = False

    def on_exit(self, reason):
        """Called once before the process exits; reason is "shutdown-request",
        "sigterm" or "stdin-closed". The API client still works here."""

    def implemented_hooks(self):
        names = []
        for _, member in inspect.getmembers(type(self), callable):
            name = getattr(member, "__plugin_hook__", None)
            if name and name not in names:
                names.append(name)
        return names

    def _hook_method(self, name):
        for _, member in inspect.getmembers(self, callable):
            if getattr(member, "__plugin_hook__", None) == name:
                return member
        return None


class _ExitSignal:
    """The first reason to exit wins; later ones are ignored."""

    def __init__(self):
        self._event = threading.Event()
        self._lock = threading.Lock()
        self.reason = None

    def set(self, reason):
        with self._lock:
            if self.reason is None:
                self.reason = reason
                self._event.set()

    def wait(self):
        # Short waits keep the main thread responsive to signal handlers.
        while not self._event.wait(0.2):
            pass


class _HooksServicer(hooks_pb2_grpc.PluginHooksServicer):
    def __init__(self, plugin, exit_signal):
        self._plugin = plugin
        self._exit = exit_signal

    def _call(self, name, context, *arguments):
        method = self._plugin._hook_method(name)
        if method is None:
            context.abort(grpc.StatusCode.UNIMPLEMENTED, "hook %s is not implemented" % name)
        return method(*arguments)

    def Implemented(self, request, context):
        return hooks_pb2.ImplementedResponse(hooks=self._plugin.implemented_hooks())

    def OnActivate(self, request, context):
        response = hooks_pb2.OnActivateResponse()
        try:
            self._call("OnActivate", context)
        except AppError as error:
            error.fill(response.error)
        return response

    def OnDeactivate(self, request, context):
        response = hooks_pb2.OnDeactivateResponse()
        try:
            self._call("OnDeactivate", context)
        except AppError as error:
            error.fill(response.error)
        return response

    def OnConfigurationChange(self, request, context):
        import json

        response = hooks_pb2.OnConfigurationChangeResponse()
        try:
            self._call(
                "OnConfigurationChange", context, json.loads(request.configuration_json or "{}")
            )
        except AppError as error:
            error.fill(response.error)
        return response

    def MessageWillBePosted(self, request, context):
        result = self._call("MessageWillBePosted", context, request.context, request.post)
        response = hooks_pb2.MessageWillBePostedResponse()
        if isinstance(result, str):
            response.rejection_reason = result or "rejected by plugin"
        elif result is not None:
            response.post.CopyFrom(result)
        return response

    def MessageHasBeenPosted(self, request, context):
        self._call("MessageHasBeenPosted", context, request.context, request.post)
        return hooks_pb2.MessageHasBeenPostedResponse()

    def ExecuteCommand(self, request, context):
        response = hooks_pb2.ExecuteCommandResponse()
        try:
            result = self._call("ExecuteCommand", context, request.context, request.args)
            if isinstance(result, str):
                response.response.response_type = "ephemeral"
                response.response.text = result
            elif result is not None:
                response.response.CopyFrom(result)
        except AppError as error:
            error.fill(response.error)
        return response

    def ServeHTTP(self, request_iterator, context):
        head = None
        body = bytearray()
        for chunk in request_iterator:
            if head is None:
                head = chunk.head
            body.extend(chunk.body_chunk)
        if head is None:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "ServeHTTP stream without a head")
        request = HTTPRequest(
            head.method,
            head.url,
            [(header.name, header.value) for header in head.headers],
            bytes(body),
            head.user_id,
            head.context,
        )
        result = self._call("ServeHTTP", context, request)
        if result is None:
            result = HTTPResponse(status=404, body=b"not found")
        first = hooks_pb2.ServeHTTPResponse()
        first.head.status_code = result.status
        for name, value in result.headers:
            first.head.headers.add(name=name, value=value)
        first.body_chunk = result.body[:HTTP_CHUNK_SIZE]
        yield first
        for offset in range(HTTP_CHUNK_SIZE, len(result.body), HTTP_CHUNK_SIZE):
            yield hooks_pb2.ServeHTTPResponse(body_chunk=result.body[offset : offset + HTTP_CHUNK_SIZE])

    def Shutdown(self, request, context):
        if not self._plugin.ignore_exit_requests:
            self._exit.set("shutdown-request")
        return hooks_pb2.ShutdownResponse()


class _HealthServicer(health_pb2_grpc.HealthServicer):
    """Reports SERVING for the whole server ("") and for the "plugin" service."""

    def Check(self, request, context):
        if request.service not in ("", "plugin"):
            context.abort(grpc.StatusCode.NOT_FOUND, "unknown service %r" % request.service)
        return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)


def _refuse_without_cookie():
    if os.environ.get(protocol.MAGIC_COOKIE_KEY) != protocol.MAGIC_COOKIE_VALUE:
        sys.stderr.write(
            "This is a Mattermost plugin: it is started by the plugin host, not by hand.\n"
        )
        sys.exit(1)


def _watch_stdin(exit_signal, plugin):
    """The host closing our stdin (or dying) means: exit. Only end of file counts; an
    interrupted or would-block read is retried."""

    def read_until_eof():
        import errno
        import select

        while True:
            try:
                if not os.read(0, 4096):
                    break
            except OSError as error:
                if error.errno in (errno.EINTR, errno.EAGAIN):
                    select.select([0], [], [], 1.0)
                    continue
                log.warn("stdin unreadable, treating it as closed", error=str(error))
                break
        if not plugin.ignore_exit_requests:
            exit_signal.set("stdin-closed")

    threading.Thread(target=read_until_eof, name="stdin-watch", daemon=True).start()


def run(plugin, max_workers=16):
    """Serves `plugin` until the host asks it to exit. Never returns: exits the process."""
    _refuse_without_cookie()
    log.configure()
    from .api import APIClient

    plugin.id = os.environ.get(protocol.PLUGIN_ID_ENV, "")
    plugin.api = APIClient()
    exit_signal = _ExitSignal()
    signal.signal(signal.SIGTERM, lambda signum, frame: exit_signal.set("sigterm"))

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=max_workers))
    hooks_pb2_grpc.add_PluginHooksServicer_to_server(_HooksServicer(plugin, exit_signal), server)
    health_pb2_grpc.add_HealthServicer_to_server(_HealthServicer(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    if port == 0:
        log.error("could not bind the hooks server to a loopback port")
        sys.exit(1)
    server.start()

    # The handshake goes to the real stdout; afterwards stray prints go to stderr so they
    # can never be mistaken for protocol output.
    os.write(1, (protocol.handshake_line("127.0.0.1", port) + "\n").encode("ascii"))
    sys.stdout = sys.stderr
    _watch_stdin(exit_signal, plugin)
    log.debug("plugin serving hooks", port=port)

    exit_signal.wait()
    log.info("plugin exiting", reason=exit_signal.reason)
    try:
        plugin.on_exit(exit_signal.reason)
    except Exception:  # noqa: BLE001 - a failing exit hook must not block the exit
        logging.getLogger("plugin").exception("on_exit failed")
    server.stop(grace=2.0).wait(3.0)
    plugin.api.close()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
