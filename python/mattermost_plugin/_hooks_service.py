"""The gRPC side of a plugin: PluginHooks and Health on grpc.aio, behind the hooks secret.

Every incoming call must carry `mattermost-hooks-secret` equal to this launch's secret
(compared in constant time); any other call is answered UNAUTHENTICATED before its request
is even decoded, and no hook runs. Plain hook methods run on a thread pool, `async def`
hooks on the event loop; both see their call through plugin.current_call().
"""

import asyncio
import contextvars
import functools
import hmac
import inspect
import json
import time
from concurrent.futures import Executor
from typing import Any, AsyncIterator, Awaitable, Callable

import grpc
import grpc.aio

from . import log, protocol
from ._generated import health_pb2, health_pb2_grpc, hooks_pb2, hooks_pb2_grpc
from .errors import AppError
from .plugin import HookCall, HTTPRequest, HTTPResponse, Plugin, _current_call

HTTP_CHUNK_SIZE = 64 * 1024


class HooksSecretInterceptor(grpc.aio.ServerInterceptor):  # type: ignore[misc]
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

    async def intercept_service(
        self, continuation: Callable[[Any], Awaitable[Any]], handler_call_details: Any
    ) -> Any:
        handler = await continuation(handler_call_details)
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


async def _refuse(request: Any, context: grpc.aio.ServicerContext) -> None:
    await context.abort(grpc.StatusCode.UNAUTHENTICATED, "missing or wrong mattermost-hooks-secret")


class HooksServicer(hooks_pb2_grpc.PluginHooksServicer):  # type: ignore[misc]
    """Turns PluginHooks calls into calls of the plugin's hook methods."""

    def __init__(self, plugin: Plugin, executor: Executor, request_exit: Callable[[str], None]) -> None:
        self._plugin = plugin
        self._executor = executor
        self._request_exit = request_exit

    async def _call(self, name: str, context: grpc.aio.ServicerContext, *arguments: Any) -> Any:
        method = self._plugin._hook_method(name)
        if method is None:
            await context.abort(grpc.StatusCode.UNIMPLEMENTED, "hook %s is not implemented" % name)
            raise AssertionError("unreachable: abort raises")
        remaining = context.time_remaining()
        deadline = None if remaining is None else time.monotonic() + remaining
        token = _current_call.set(HookCall(name, deadline))
        try:
            if inspect.iscoroutinefunction(method):
                return await method(*arguments)
            call_context = contextvars.copy_context()
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(
                self._executor, functools.partial(call_context.run, method, *arguments)
            )
            if inspect.isawaitable(result):
                result = await result
            return result
        finally:
            _current_call.reset(token)

    async def _call_with_error_field(
        self, name: str, response: Any, context: grpc.aio.ServicerContext, *arguments: Any
    ) -> Any:
        """For hooks whose response has an `error` field: AppError fills it; any other
        exception is logged and reported there as a 500."""
        try:
            return await self._call(name, context, *arguments)
        except AppError as error:
            error.fill(response.error)
        except Exception as error:  # noqa: BLE001 - a failing hook is reported, not fatal
            log.exception("hook %s failed" % name, error)
            _unexpected(name, error).fill(response.error)
        return None

    async def Implemented(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        return hooks_pb2.ImplementedResponse(hooks=self._plugin.implemented_hooks())

    async def OnActivate(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        response = hooks_pb2.OnActivateResponse()
        await self._call_with_error_field("OnActivate", response, context)
        return response

    async def OnDeactivate(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        response = hooks_pb2.OnDeactivateResponse()
        await self._call_with_error_field("OnDeactivate", response, context)
        return response

    async def OnConfigurationChange(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        response = hooks_pb2.OnConfigurationChangeResponse()
        try:
            configuration = json.loads(request.configuration_json or "{}")
        except ValueError as error:
            AppError("configuration is not JSON: %s" % error, id="plugin.config.invalid_json", status_code=400).fill(
                response.error
            )
            return response
        await self._call_with_error_field("OnConfigurationChange", response, context, configuration)
        return response

    async def MessageWillBePosted(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        response = hooks_pb2.MessageWillBePostedResponse()
        try:
            result = await self._call("MessageWillBePosted", context, request.context, request.post)
        except AppError as error:
            # Raising AppError rejects the post, like returning its reason does.
            response.rejection_reason = error.message or "rejected by plugin"
            return response
        except Exception as error:  # noqa: BLE001
            await _abort_unexpected("MessageWillBePosted", error, context)
        if isinstance(result, str):
            response.rejection_reason = result or "rejected by plugin"
        elif result is not None:
            response.post.CopyFrom(result)
        return response

    async def MessageHasBeenPosted(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        try:
            await self._call("MessageHasBeenPosted", context, request.context, request.post)
        except Exception as error:  # noqa: BLE001 - AppError too: this response has no error field
            await _abort_unexpected("MessageHasBeenPosted", error, context)
        return hooks_pb2.MessageHasBeenPostedResponse()

    async def ExecuteCommand(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        response = hooks_pb2.ExecuteCommandResponse()
        result = await self._call_with_error_field("ExecuteCommand", response, context, request.context, request.args)
        if isinstance(result, str):
            response.response.response_type = "ephemeral"
            response.response.text = result
        elif result is not None:
            response.response.CopyFrom(result)
        return response

    async def ServeHTTP(self, request_iterator: AsyncIterator[Any], context: grpc.aio.ServicerContext) -> Any:
        head = None
        body = bytearray()
        async for chunk in request_iterator:
            if head is None:
                if not chunk.HasField("head"):
                    await context.abort(grpc.StatusCode.INVALID_ARGUMENT, "ServeHTTP stream must start with a head")
                head = chunk.head
            body.extend(chunk.body_chunk)
        if head is None:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, "ServeHTTP stream without a head")
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
            result = await self._call("ServeHTTP", context, request)
            if result is None:
                result = HTTPResponse(404, [("Content-Type", "text/plain; charset=utf-8")], b"not found")
        except AppError as error:
            status = error.status_code if 100 <= error.status_code <= 599 else 500
            result = HTTPResponse(status, [("Content-Type", "text/plain; charset=utf-8")], error.message)
        except Exception as error:  # noqa: BLE001 - a failing handler is an HTTP 500, not a broken stream
            log.exception("hook ServeHTTP failed", error)
            result = HTTPResponse(500, [("Content-Type", "text/plain; charset=utf-8")], b"internal plugin error")
        payload = result.body_bytes()
        first = hooks_pb2.ServeHTTPResponse()
        first.head.status_code = result.status
        for name, value in result.headers:
            first.head.headers.add(name=name, value=value)
        first.body_chunk = payload[:HTTP_CHUNK_SIZE]
        await context.write(first)
        for offset in range(HTTP_CHUNK_SIZE, len(payload), HTTP_CHUNK_SIZE):
            await context.write(hooks_pb2.ServeHTTPResponse(body_chunk=payload[offset : offset + HTTP_CHUNK_SIZE]))

    async def Shutdown(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        if not self._plugin.ignore_exit_requests:
            self._request_exit("shutdown-request")
        return hooks_pb2.ShutdownResponse()


class HealthServicer(health_pb2_grpc.HealthServicer):  # type: ignore[misc]
    """Reports SERVING for the whole server ("") and for the "plugin" service."""

    async def Check(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        if request.service not in ("", "plugin"):
            await context.abort(grpc.StatusCode.NOT_FOUND, "unknown service %r" % request.service)
        return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)


def _unexpected(name: str, error: Exception) -> AppError:
    return AppError(
        "hook %s failed: %s" % (name, error),
        id="plugin.hook.failed",
        status_code=500,
        detailed_error=type(error).__name__,
    )


async def _abort_unexpected(name: str, error: Exception, context: grpc.aio.ServicerContext) -> None:
    if isinstance(error, AppError):
        log.error("hook %s raised AppError" % name, id=error.id, status_code=error.status_code, error=error.message)
    else:
        log.exception("hook %s failed" % name, error)
    await context.abort(grpc.StatusCode.INTERNAL, _unexpected(name, error).message)


def add_services(server: grpc.aio.Server, servicer: HooksServicer) -> None:
    hooks_pb2_grpc.add_PluginHooksServicer_to_server(servicer, server)
    health_pb2_grpc.add_HealthServicer_to_server(HealthServicer(), server)
