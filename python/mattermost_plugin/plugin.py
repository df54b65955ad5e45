"""Plugin base class, the @hook decorator, the HTTP types and the current hook call.

A plugin subclasses Plugin and marks the hooks it implements with @hook; a hook may be a
plain method (run on a worker thread) or an `async def` (run on the event loop):

    class Greeter(Plugin):
        @hook
        def message_will_be_posted(self, context, post):
            post.message = post.message + " :wave:"
            return post

run() (mattermost_plugin.runtime) serves the hooks and exits when the host asks.
"""

import asyncio
import contextvars
import inspect
import time
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterable,
    AsyncIterator,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    Optional,
    Tuple,
    TypeVar,
    Union,
    overload,
)

from ._generated import common_pb2

if TYPE_CHECKING:
    from .api import APIClient

HOOK_NAMES: Dict[str, str] = {
    "on_activate": "OnActivate",
    "on_deactivate": "OnDeactivate",
    "on_configuration_change": "OnConfigurationChange",
    "message_will_be_posted": "MessageWillBePosted",
    "message_has_been_posted": "MessageHasBeenPosted",
    "execute_command": "ExecuteCommand",
    "serve_http": "ServeHTTP",
    "message_will_be_updated": "MessageWillBeUpdated",
    "message_has_been_updated": "MessageHasBeenUpdated",
    "message_has_been_deleted": "MessageHasBeenDeleted",
    "messages_will_be_consumed": "MessagesWillBeConsumed",
    "reaction_has_been_added": "ReactionHasBeenAdded",
    "reaction_has_been_removed": "ReactionHasBeenRemoved",
    "user_has_been_created": "UserHasBeenCreated",
    "user_will_log_in": "UserWillLogIn",
    "user_has_logged_in": "UserHasLoggedIn",
    "user_has_been_deactivated": "UserHasBeenDeactivated",
    "channel_has_been_created": "ChannelHasBeenCreated",
    "user_has_joined_channel": "UserHasJoinedChannel",
    "user_has_left_channel": "UserHasLeftChannel",
    "user_has_joined_team": "UserHasJoinedTeam",
    "user_has_left_team": "UserHasLeftTeam",
    "file_will_be_uploaded": "FileWillBeUploaded",
    "on_web_socket_connect": "OnWebSocketConnect",
    "on_web_socket_disconnect": "OnWebSocketDisconnect",
    "web_socket_message_has_been_posted": "WebSocketMessageHasBeenPosted",
    "on_install": "OnInstall",
    "configuration_will_be_saved": "ConfigurationWillBeSaved",
    "notification_will_be_pushed": "NotificationWillBePushed",
    "on_plugin_event": "OnPluginEvent",
}
"""Method name -> the hook's name in the PluginHooks service."""

F = TypeVar("F", bound=Callable[..., Any])


@overload
def hook(function_or_name: F) -> F: ...


@overload
def hook(function_or_name: str) -> Callable[[F], F]: ...


def hook(function_or_name: Union[F, str]) -> Union[F, Callable[[F], F]]:
    """Marks a method as an implemented hook. Use bare (@hook) on a method named after the
    hook (see HOOK_NAMES), or with the hook's name (@hook("MessageWillBePosted"))."""

    def mark(function: F, name: str) -> F:
        if name not in HOOK_NAMES.values():
            raise ValueError("unknown hook %r" % name)
        setattr(function, "__plugin_hook__", name)
        return function

    if callable(function_or_name):
        name = HOOK_NAMES.get(function_or_name.__name__)
        if name is None:
            raise ValueError("%s is not a hook method name" % function_or_name.__name__)
        return mark(function_or_name, name)
    hook_name = function_or_name
    if hook_name not in HOOK_NAMES.values():
        raise ValueError("unknown hook %r" % hook_name)
    return lambda function: mark(function, hook_name)


class RequestCancelled(Exception):
    """Raised while reading a request body when the HTTP client went away (the host
    cancelled the call). A streaming response generator is closed for the same reason."""


class HTTPRequest:
    """An HTTP request the host forwards to `serve_http`.

    `url` is the path and query relative to the plugin's root (e.g. "/stats?day=1"),
    `headers` a list of (name, value) pairs in the order received, `user_id` the
    authenticated user ("" if none), `context` the host's RequestContext.

    The body streams in as the client sends it, under flow control (the host reads from the
    client only as fast as the plugin reads here). Read it once, one of three ways:
    `for chunk in request.iter_body()` (a sync handler), `async for chunk in
    request.aiter_body()` (an async handler), or `request.body`, the whole (rest of the) body
    as bytes, for small bodies. If the client goes away mid-body, reading raises
    RequestCancelled.
    """

    def __init__(
        self,
        method: str,
        url: str,
        headers: List[Tuple[str, str]],
        body: bytes = b"",
        user_id: str = "",
        context: Optional[common_pb2.RequestContext] = None,
        *,
        body_chunks: Optional[Iterator[bytes]] = None,
    ) -> None:
        self.method = method
        self.url = url
        self.headers = headers
        self.user_id = user_id
        self.context = context if context is not None else common_pb2.RequestContext()
        self._chunks: Iterator[bytes] = body_chunks if body_chunks is not None else iter([bytes(body)] if body else [])
        self._body: Optional[bytes] = None

    def header(self, name: str) -> Optional[str]:
        """The first header called `name` (case-insensitive), or None."""
        lowered = name.lower()
        return next((value for key, value in self.headers if key.lower() == lowered), None)

    @property
    def body(self) -> bytes:
        """The whole body (what was not yet read through iter_body), read into memory once."""
        if self._body is None:
            self._body = b"".join(self._chunks)
        return self._body

    def iter_body(self) -> Iterator[bytes]:
        """The body's chunks as they arrive (blocking between chunks)."""
        return self._chunks

    async def aiter_body(self) -> AsyncIterator[bytes]:
        """The body's chunks as they arrive, each awaited without blocking the event loop."""
        loop = asyncio.get_running_loop()
        end = object()
        while True:
            chunk = await loop.run_in_executor(None, next, self._chunks, end)
            if chunk is end:
                return
            yield chunk  # type: ignore[misc]


BodyChunk = Union[bytes, bytearray, memoryview, str]


@dataclass
class HTTPResponse:
    """What `serve_http` returns: a status, (name, value) header pairs and a body. Returning
    None answers 404.

    The body is bytes or a str (sent as UTF-8), or, to stream, an iterable or async iterable
    (a generator or async generator) of such chunks: the head goes out first, then each
    chunk as soon as it is produced (server-sent events work: every chunk is flushed), under
    flow control. If the client goes away, the generator is closed (GeneratorExit at its
    `yield`), so a `finally` in it runs."""

    status: int = 200
    headers: List[Tuple[str, str]] = field(default_factory=list)
    body: Union[BodyChunk, Iterable[BodyChunk], AsyncIterable[BodyChunk]] = b""

    def is_streaming(self) -> bool:
        """Whether the body is an iterable of chunks rather than bytes or a str."""
        return not isinstance(self.body, (bytes, bytearray, memoryview, str))

    def body_bytes(self) -> bytes:
        """The body as bytes (not for a streaming body)."""
        return chunk_bytes(self.body)  # type: ignore[arg-type]


def chunk_bytes(chunk: BodyChunk) -> bytes:
    """One body chunk as bytes (a str as UTF-8)."""
    return chunk.encode("utf-8") if isinstance(chunk, str) else bytes(chunk)


@dataclass
class FileUpload:
    """What `file_will_be_uploaded` returns to change a file: a replacement `info`
    (a FileInfo; None keeps the current one) and/or replacement `content` (None keeps the
    current content). Returning None lets the file through unchanged; returning a str (or
    raising AppError) rejects the upload with that reason."""

    info: Optional[common_pb2.FileInfo] = None
    content: Optional[bytes] = None


@dataclass(frozen=True)
class HookCall:
    """The hook call being served: its name, the host's deadline for it, and the trace it
    belongs to."""

    hook: str
    deadline: Optional[float]
    """time.monotonic() value at which the host gives up on this call; None without one."""
    _is_active: Callable[[], bool] = field(default=lambda: True, repr=False, compare=False)
    trace_headers: Tuple[Tuple[str, str], ...] = ()
    """The W3C Trace Context headers (`traceparent`, `tracestate`) the host sent with this
    call, if it traces hook calls. The API client sends them on with every call made while
    the hook runs (in its thread or task), so the host sees those calls in the same trace;
    forward them yourself to carry the trace elsewhere."""

    @property
    def cancelled(self) -> bool:
        """Whether the host cancelled the call (for ServeHTTP: the HTTP client went away) or
        its deadline passed: the work's result would no longer reach anyone."""
        return not self._is_active()

    def time_remaining(self) -> Optional[float]:
        """Seconds until the host's deadline (0 once passed), or None without a deadline."""
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - time.monotonic())


_current_call: contextvars.ContextVar[Optional[HookCall]] = contextvars.ContextVar("hook_call", default=None)


def current_call() -> Optional[HookCall]:
    """The hook call the calling code runs in (from a hook, sync or async, and what it calls
    in the same thread or task), or None outside a hook. For example, skip slow work when
    `current_call().time_remaining()` is too small."""
    return _current_call.get()


class Plugin:
    """Base class for plugins. `self.api` (an APIClient) and `self.id` are set by run()."""

    api: "APIClient"
    id: str = ""
    configuration: Dict[str, Any] = {}
    """The plugin's effective configuration (its settings' defaults merged with the saved
    values, validated by the host): set before `on_activate` and before each
    `on_configuration_change` runs, when the plugin implements them."""
    # When True, the Shutdown request and stdin closing are ignored: only SIGTERM ends the
    # process. Exists so tests can exercise the host's escalation path.
    ignore_exit_requests: bool = False

    def on_exit(self, reason: str) -> None:
        """Called once before the process exits (may also be `async def`); reason is
        "shutdown-request", "sigterm" or "stdin-closed". The API client still works here."""

    def implemented_hooks(self) -> List[str]:
        """The names of the hooks this plugin implements (what Implemented answers)."""
        return list(self._hook_methods())

    def _hook_methods(self) -> Dict[str, Callable[..., Any]]:
        cached: Optional[Dict[str, Callable[..., Any]]] = self.__dict__.get("_hook_method_table")
        if cached is None:
            cached = {}
            # Looked up on the class, so no property of the instance is evaluated on the way.
            for attribute, member in inspect.getmembers(type(self), callable):
                name = getattr(member, "__plugin_hook__", None)
                if name and name not in cached:
                    cached[name] = getattr(self, attribute)
            self.__dict__["_hook_method_table"] = cached
        return cached

    def _hook_method(self, name: str) -> Optional[Callable[..., Any]]:
        return self._hook_methods().get(name)
