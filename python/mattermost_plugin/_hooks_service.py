"""The gRPC side of a plugin: PluginHooks and Health behind the hooks secret.

Every incoming call must carry `mattermost-hooks-secret` equal to this launch's secret
(compared in constant time); any other call is answered UNAUTHENTICATED before its request
is even decoded, and no hook runs.

The server is grpcio's thread-pool server: a plain hook runs on the worker thread that took
the call (the cheapest path, as fast as a bare grpcio server), an `async def` hook runs on the
SDK's event loop thread while the worker waits for it, and is cancelled when the host's
deadline passes. Both see their call through plugin.current_call().
"""

import asyncio
import concurrent.futures
import hmac
import inspect
import json
import threading
import time
from typing import Any, Callable, Coroutine, Iterator, Optional

import grpc

from . import log, protocol
from ._generated import health_pb2, health_pb2_grpc, hooks_pb2, hooks_pb2_grpc
from ._more_hooks import MoreHooksMixin
from .errors import AppError
from .plugin import HookCall, HTTPRequest, HTTPResponse, Plugin, _current_call

HTTP_CHUNK_SIZE = 64 * 1024
# Longer than any real deadline (about 31 years).
NO_DEADLINE_SECONDS = 1e9


class HooksSecretInterceptor(grpc.ServerInterceptor):
    """Lets a call through only with exactly one `mattermost-hooks-secret` equal to `secret`."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _authorized(self, metadata: Any) -> bool:
        presented = [value for key, value in (metadata or ()) if key == protocol.HOOKS_SECRET_METADATA_KEY]
        if len(presented) != 1:
            return False
        value = presented[0]
        candidate = value.encode("utf-8") if isinstance(value, str) else bytes(value)
        return hmac.compare_digest(candidate, self._secret)

    def intercept_service(self, continuation: Callable[[Any], Any], handler_call_details: Any) -> Any:
        handler = continuation(handler_call_details)
        if self._authorized(handler_call_details.invocation_metadata):
            return handler
        # The refusal keeps the method's shape (streaming or not) but never decodes the request.
        streaming_request = handler is not None and handler.request_streaming
        streaming_response = handler is not None and handler.response_streaming
        serializer = handler.response_serializer if handler is not None else None
        if streaming_request and streaming_response:
            return grpc.stream_stream_rpc_method_handler(_refuse, response_serializer=serializer)
        if streaming_request:
            return grpc.stream_unary_rpc_method_handler(_refuse, response_serializer=serializer)
        if streaming_response:
            return grpc.unary_stream_rpc_method_handler(_refuse, response_serializer=serializer)
        return grpc.unary_unary_rpc_method_handler(_refuse, response_serializer=serializer)


def _refuse(request: Any, context: grpc.ServicerContext) -> None:
    context.abort(grpc.StatusCode.UNAUTHENTICATED, "missing or wrong mattermost-hooks-secret")


class EventLoopThread:
    """An asyncio event loop on a daemon thread of its own, started on first use, where
    `async def` hooks (and an `async def` on_exit) run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: Optional[asyncio.AbstractEventLoop] = None

    def loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="hooks-event-loop", daemon=True).start()
                self._loop = loop
            return self._loop

    def run(self, coroutine: Coroutine[Any, Any, Any], timeout: Optional[float] = None) -> Any:
        """Runs `coroutine` on the loop and waits for its result; past `timeout` seconds it is
        cancelled and concurrent.futures.TimeoutError raised."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop())
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise


class HooksServicer(MoreHooksMixin, hooks_pb2_grpc.PluginHooksServicer):
    """Turns PluginHooks calls into calls of the plugin's hook methods (the hooks beyond
    lifecycle, posting, commands and HTTP are in MoreHooksMixin)."""

    def __init__(self, plugin: Plugin, event_loop: EventLoopThread, request_exit: Callable[[str], None]) -> None:
        self._plugin = plugin
        self._event_loop = event_loop
        self._request_exit = request_exit

    def _call(self, name: str, context: grpc.ServicerContext, *arguments: Any) -> Any:
        method = self._plugin._hook_method(name)
        if method is None:
            raise _Abort(grpc.StatusCode.UNIMPLEMENTED, "hook %s is not implemented" % name)
        remaining = context.time_remaining()
        if remaining is not None and remaining > NO_DEADLINE_SECONDS:
            remaining = None  # grpcio reports "no deadline" as the far end of time
        call = HookCall(name, None if remaining is None else time.monotonic() + remaining)
        if not inspect.iscoroutinefunction(method):
            token = _current_call.set(call)
            try:
                return method(*arguments)
            finally:
                _current_call.reset(token)

        async def in_call() -> Any:
            _current_call.set(call)  # the task runs in a copy of the context: no reset needed
            return await method(*arguments)

        try:
            return self._event_loop.run(in_call(), remaining)
        except concurrent.futures.TimeoutError:
            raise _Abort(grpc.StatusCode.DEADLINE_EXCEEDED, "hook %s passed its deadline" % name) from None

    def _call_with_error_field(self, name: str, response: Any, context: grpc.ServicerContext, *arguments: Any) -> Any:
        """For hooks whose response has an `error` field: AppError fills it; any other
        exception is logged and reported there as a 500."""
        try:
            return self._call(name, context, *arguments)
        except _Abort as abort:
            context.abort(abort.code, abort.details)
        except AppError as error:
            error.fill(response.error)
        except Exception as error:  # noqa: BLE001 - a failing hook is reported, not fatal
            log.exception("hook %s failed" % name, error)
            _unexpected(name, error).fill(response.error)
        return None

    def Implemented(self, request: Any, context: grpc.ServicerContext) -> Any:
        return hooks_pb2.ImplementedResponse(hooks=self._plugin.implemented_hooks())

    def OnActivate(self, request: Any, context: grpc.ServicerContext) -> Any:
        response = hooks_pb2.OnActivateResponse()
        try:
            self._plugin.configuration = json.loads(request.configuration_json or "{}")
        except ValueError as error:
            AppError("configuration is not JSON: %s" % error, id="plugin.config.invalid_json", status_code=400).fill(
                response.error
            )
            return response
        self._call_with_error_field("OnActivate", response, context)
        return response

    def OnDeactivate(self, request: Any, context: grpc.ServicerContext) -> Any:
        response = hooks_pb2.OnDeactivateResponse()
        self._call_with_error_field("OnDeactivate", response, context)
        return response

    def OnConfigurationChange(self, request: Any, context: grpc.ServicerContext) -> Any:
        response = hooks_pb2.OnConfigurationChangeResponse()
        try:
            configuration = json.loads(request.configuration_json or "{}")
        except ValueError as error:
            AppError("configuration is not JSON: %s" % error, id="plugin.config.invalid_json", status_code=400).fill(
                response.error
            )
            return response
        self._plugin.configuration = configuration
        self._call_with_error_field("OnConfigurationChange", response, context, configuration)
        return response

    def MessageWillBePosted(self, request: Any, context: grpc.ServicerContext) -> Any:
        response = hooks_pb2.MessageWillBePostedResponse()
        try:
            result = self._call("MessageWillBePosted", context, request.context, request.post)
        except AppError as error:
            # Raising AppError rejects the post, like returning its reason does.
            response.rejection_reason = error.message or "rejected by plugin"
            return response
        except Exception as error:  # noqa: BLE001
            _abort_unexpected("MessageWillBePosted", error, context)
        if isinstance(result, str):
            response.rejection_reason = result or "rejected by plugin"
        elif result is not None:
            response.post.CopyFrom(result)
        return response

    def MessageHasBeenPosted(self, request: Any, context: grpc.ServicerContext) -> Any:
        try:
            self._call("MessageHasBeenPosted", context, request.context, request.post)
        except Exception as error:  # noqa: BLE001 - AppError too: this response has no error field
            _abort_unexpected("MessageHasBeenPosted", error, context)
        return hooks_pb2.MessageHasBeenPostedResponse()

    def ExecuteCommand(self, request: Any, context: grpc.ServicerContext) -> Any:
        response = hooks_pb2.ExecuteCommandResponse()
        result = self._call_with_error_field("ExecuteCommand", response, context, request.context, request.args)
        if isinstance(result, str):
            response.response.response_type = "ephemeral"
            response.response.text = result
        elif result is not None:
            response.response.CopyFrom(result)
        return response

    def ServeHTTP(self, request_iterator: Iterator[Any], context: grpc.ServicerContext) -> Iterator[Any]:
        head = None
        body = bytearray()
        for chunk in request_iterator:
            if head is None:
                if not chunk.HasField("head"):
                    context.abort(grpc.StatusCode.INVALID_ARGUMENT, "ServeHTTP stream must start with a head")
                head = chunk.head
            body.extend(chunk.body_chunk)
        if head is None:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "ServeHTTP stream without a head")
            return
        request = HTTPRequest(
            head.method,
            head.url,
            [(header.name, header.value) for header in head.headers],
            bytes(body),
            head.user_id,
            head.context,
        )
        try:
            result = self._call("ServeHTTP", context, request)
            if result is None:
                result = HTTPResponse(404, [("Content-Type", "text/plain; charset=utf-8")], b"not found")
        except AppError as error:
            status = error.status_code if 100 <= error.status_code <= 599 else 500
            result = HTTPResponse(status, [("Content-Type", "text/plain; charset=utf-8")], error.message)
        except _Abort as abort:
            context.abort(abort.code, abort.details)
        except Exception as error:  # noqa: BLE001 - a failing handler is an HTTP 500, not a broken stream
            log.exception("hook ServeHTTP failed", error)
            result = HTTPResponse(500, [("Content-Type", "text/plain; charset=utf-8")], b"internal plugin error")
        payload = result.body_bytes()
        first = hooks_pb2.ServeHTTPResponse()
        first.head.status_code = result.status
        for name, value in result.headers:
            first.head.headers.add(name=name, value=value)
        first.body_chunk = payload[:HTTP_CHUNK_SIZE]
        yield first
        for offset in range(HTTP_CHUNK_SIZE, len(payload), HTTP_CHUNK_SIZE):
            yield hooks_pb2.ServeHTTPResponse(body_chunk=payload[offset : offset + HTTP_CHUNK_SIZE])

    def Shutdown(self, request: Any, context: grpc.ServicerContext) -> Any:
        if not self._plugin.ignore_exit_requests:
            self._request_exit("shutdown-request")
        return hooks_pb2.ShutdownResponse()


class HealthServicer(health_pb2_grpc.HealthServicer):
    """Reports SERVING for the whole server ("") and for the "plugin" service."""

    def Check(self, request: Any, context: grpc.ServicerContext) -> Any:
        if request.service not in ("", "plugin"):
            context.abort(grpc.StatusCode.NOT_FOUND, "unknown service %r" % request.service)
        return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)


class _Abort(Exception):
    """Ends the call with a gRPC status (not a hook failure): not implemented, deadline passed."""

    def __init__(self, code: grpc.StatusCode, details: str) -> None:
        super().__init__(details)
        self.code = code
        self.details = details


def _unexpected(name: str, error: Exception) -> AppError:
    return AppError(
        "hook %s failed: %s" % (name, error),
        id="plugin.hook.failed",
        status_code=500,
        detailed_error=type(error).__name__,
    )


def _abort_unexpected(name: str, error: Exception, context: grpc.ServicerContext) -> None:
    if isinstance(error, _Abort):
        context.abort(error.code, error.details)
    if isinstance(error, AppError):
        log.error("hook %s raised AppError" % name, id=error.id, status_code=error.status_code, error=error.message)
    else:
        log.exception("hook %s failed" % name, error)
    context.abort(grpc.StatusCode.INTERNAL, _unexpected(name, error).message)


def add_services(server: grpc.Server, servicer: HooksServicer) -> None:
    hooks_pb2_grpc.add_PluginHooksServicer_to_server(servicer, server)
    health_pb2_grpc.add_HealthServicer_to_server(HealthServicer(), server)
