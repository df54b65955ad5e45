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
from .plugin import HookCall, HTTPRequest, HTTPResponse, Plugin, RequestCancelled, _current_call, chunk_bytes

HTTP_CHUNK_SIZE = 64 * 1024
# How long a ServeHTTP request stream that ended without the host's end-of-body mark is
# watched for a cancellation before its body counts as complete.
END_MARK_GRACE_SECONDS = 0.1
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
        return self._call_as(self._hook_call(name, context), context, *arguments)

    @staticmethod
    def _hook_call(name: str, context: grpc.ServicerContext) -> HookCall:
        remaining = context.time_remaining()
        if remaining is not None and remaining > NO_DEADLINE_SECONDS:
            remaining = None  # grpcio reports "no deadline" as the far end of time
        trace = tuple(
            (key, value)
            for key, value in (context.invocation_metadata() or ())
            if key in protocol.TRACE_METADATA_KEYS and isinstance(value, str)
        )
        return HookCall(name, None if remaining is None else time.monotonic() + remaining, context.is_active, trace)

    def _call_as(self, call: HookCall, context: grpc.ServicerContext, *arguments: Any) -> Any:
        name = call.hook
        method = self._plugin._hook_method(name)
        if method is None:
            raise _Abort(grpc.StatusCode.UNIMPLEMENTED, "hook %s is not implemented" % name)
        remaining = call.time_remaining()
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
        call = self._hook_call("ServeHTTP", context)
        try:
            first = next(request_iterator, None)
        except grpc.RpcError:
            return  # cancelled before the head arrived
        if first is None or not first.HasField("head"):
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "ServeHTTP stream must start with a head")
            return
        head = first.head
        request = HTTPRequest(
            head.method,
            head.url,
            [(header.name, header.value) for header in head.headers],
            user_id=head.user_id,
            context=head.context,
            body_chunks=_request_body(first, request_iterator, context),
        )
        try:
            result = self._call_as(call, context, request)
            if result is None:
                result = HTTPResponse(404, [("Content-Type", "text/plain; charset=utf-8")], b"not found")
        except RequestCancelled:
            log.info("ServeHTTP: the HTTP client went away while the request body was read")
            return
        except AppError as error:
            status = error.status_code if 100 <= error.status_code <= 599 else 500
            result = HTTPResponse(status, [("Content-Type", "text/plain; charset=utf-8")], error.message)
        except _Abort as abort:
            context.abort(abort.code, abort.details)
        except Exception as error:  # noqa: BLE001 - a failing handler is an HTTP 500, not a broken stream
            log.exception("hook ServeHTTP failed", error)
            result = HTTPResponse(500, [("Content-Type", "text/plain; charset=utf-8")], b"internal plugin error")
        first_response = hooks_pb2.ServeHTTPResponse()
        first_response.head.status_code = result.status
        for name, value in result.headers:
            first_response.head.headers.add(name=name, value=value)
        if not result.is_streaming():
            payload = result.body_bytes()
            first_response.body_chunk = payload[:HTTP_CHUNK_SIZE]
            yield first_response
            for offset in range(HTTP_CHUNK_SIZE, len(payload), HTTP_CHUNK_SIZE):
                yield hooks_pb2.ServeHTTPResponse(body_chunk=payload[offset : offset + HTTP_CHUNK_SIZE])
            return
        # The head goes out at once; each chunk follows as the plugin produces it. grpcio
        # sends one message at a time, so a slow client pauses the generator (flow control).
        yield first_response
        if hasattr(result.body, "__aiter__"):
            chunks: Iterator[bytes] = self._async_chunks(call, result.body)
        else:
            chunks = _sync_chunks(call, result.body)
        try:
            for chunk in chunks:
                for offset in range(0, len(chunk), HTTP_CHUNK_SIZE):
                    yield hooks_pb2.ServeHTTPResponse(body_chunk=chunk[offset : offset + HTTP_CHUNK_SIZE])
        except Exception as error:  # noqa: BLE001 - the head is out: end the stream with an error
            log.exception("ServeHTTP response body failed", error)
            context.abort(grpc.StatusCode.INTERNAL, "the response body failed: %s" % error)
        finally:
            # Also when grpcio drops this generator because the client went away: the
            # plugin's generator is closed, so its `finally` runs.
            close = getattr(chunks, "close", None)
            if close is not None:
                close()

    def _async_chunks(self, call: HookCall, body: Any) -> Iterator[bytes]:
        """Drives an async iterable of chunks on the event loop, one chunk at a time;
        `aclose()`s it when this generator is closed early."""
        iterator = body.__aiter__()

        async def step() -> Any:
            _current_call.set(call)
            return await iterator.__anext__()

        try:
            while True:
                try:
                    chunk = self._event_loop.run(step(), call.time_remaining())
                except StopAsyncIteration:
                    return
                yield chunk_bytes(chunk)
        finally:
            aclose = getattr(iterator, "aclose", None)
            if aclose is not None:
                try:
                    self._event_loop.run(aclose(), 5.0)
                except Exception as error:  # noqa: BLE001 - closing is best effort
                    log.warning("closing the async response body failed: %s" % error)

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


def _request_body(first: Any, rest: Iterator[Any], context: grpc.ServicerContext) -> Iterator[bytes]:
    """The request body's chunks from the ServeHTTP stream; RequestCancelled when the host
    cancelled the call (the HTTP client went away). The host ends a complete body with a
    message holding neither head nor chunk; grpcio may report a cancelled stream as a plain
    end, so a stream that ends without that mark is checked for cancellation (an older host
    sends no mark: its bodies pay a bounded wait of END_MARK_GRACE_SECONDS)."""
    if first.body_chunk:
        yield bytes(first.body_chunk)
    marked = False
    try:
        for message in rest:
            if message.body_chunk:
                yield bytes(message.body_chunk)
            elif not message.HasField("head"):
                marked = True
    except grpc.RpcError:
        raise RequestCancelled("the HTTP client went away") from None
    if not marked and _terminates_within(context, END_MARK_GRACE_SECONDS):
        raise RequestCancelled("the HTTP client went away")


def _terminates_within(context: grpc.ServicerContext, seconds: float) -> bool:
    """Whether the call is over (cancelled or past its deadline) now or within `seconds`."""
    if not context.is_active():
        return True
    terminated = threading.Event()
    if not context.add_callback(terminated.set):
        return True
    return terminated.wait(seconds)


def _sync_chunks(call: HookCall, body: Any) -> Iterator[bytes]:
    """The chunks of a sync iterable, each produced with current_call() set; the iterable
    (a generator) is closed when this generator is."""
    iterator = iter(body)
    try:
        while True:
            token = _current_call.set(call)
            try:
                chunk = next(iterator)
            except StopIteration:
                return
            finally:
                _current_call.reset(token)
            yield chunk_bytes(chunk)
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()


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
