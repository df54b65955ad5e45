"""The process entry point: run(plugin) implements the plugin side of protocol v2.

In order: refuse to start without the host's magic cookie; make the process non-dumpable
and read the credentials from their descriptor (a failure exits with code 78); serve
PluginHooks and Health on the Unix socket the host named (loopback TCP when it named none),
behind the hooks secret; print the handshake line; then wait for a reason to exit: the
Shutdown request, SIGTERM, or stdin closing. on_exit(reason) runs last, while the API still
works.
"""

import inspect
import os
import select
import signal
import sys
import threading
from concurrent import futures
from typing import NoReturn, Optional, Tuple

import grpc

from . import credentials, log, protocol
from ._hooks_service import EventLoopThread, HooksSecretInterceptor, HooksServicer, add_services
from .api import APIClient
from .plugin import Plugin

SERVER_STOP_GRACE_SECONDS = 2.0


def _fail(message: str, code: int) -> NoReturn:
    sys.stderr.write("[ERROR] %s\n" % message)
    sys.stderr.flush()
    os._exit(code)


def _refuse_without_cookie() -> None:
    if os.environ.get(protocol.MAGIC_COOKIE_KEY) != protocol.MAGIC_COOKIE_VALUE:
        sys.stderr.write("This is a Mattermost plugin: it is started by the plugin host, not by hand.\n")
        sys.exit(1)


class _ExitRequest:
    """The first reason to exit wins; later ones are ignored. Settable from any thread and
    from a signal handler."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self.reason: Optional[str] = None

    def set(self, reason: str) -> None:
        with self._lock:
            if self.reason is None:
                self.reason = reason
                self._event.set()

    def wait(self) -> str:
        # Short waits keep the main thread responsive to signal handlers.
        while not self._event.wait(0.2):
            pass
        assert self.reason is not None
        return self.reason


def _watch_stdin(exit_request: _ExitRequest, plugin: Plugin) -> None:
    """The host closing our stdin (or dying) means: exit. Only end of file counts."""

    def read_until_eof() -> None:
        while True:
            try:
                if not os.read(0, 4096):
                    break
            except InterruptedError:
                continue
            except BlockingIOError:
                select.select([0], [], [], 1.0)
            except OSError as error:
                log.warn("stdin unreadable, treating it as closed", error=str(error))
                break
        if not plugin.ignore_exit_requests:
            exit_request.set("stdin-closed")

    threading.Thread(target=read_until_eof, name="stdin-watch", daemon=True).start()


def _listen_address() -> Tuple[str, str, str]:
    """(gRPC bind address, handshake transport, handshake address) for the hooks server."""
    path = os.environ.get(protocol.HOOKS_SOCKET_ENV)
    if path:
        if not os.path.isabs(path):
            _fail("%s must be an absolute path, not %r" % (protocol.HOOKS_SOCKET_ENV, path), 1)
        return "unix:" + path, "unix", path
    return "127.0.0.1:0", "tcp", ""


def run(plugin: Plugin, max_workers: int = 16) -> NoReturn:
    """Serves `plugin` until the host asks it to exit, then exits the process (status 0).

    `max_workers` bounds how many hook calls run at once (plain or `async def`).
    """
    _refuse_without_cookie()
    try:
        secrets = credentials.load()
    except (credentials.CredentialsError, OSError) as error:
        _fail("plugin start failed: %s" % error, protocol.EXIT_BAD_CREDENTIALS)
    log.configure()
    plugin.id = os.environ.get(protocol.PLUGIN_ID_ENV, "")
    plugin.api = APIClient()
    exit_request = _ExitRequest()
    signal.signal(signal.SIGTERM, lambda signum, frame: exit_request.set("sigterm"))
    event_loop = EventLoopThread()

    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="hook"),
        interceptors=[HooksSecretInterceptor(secrets.hooks_secret)],
    )
    add_services(server, HooksServicer(plugin, event_loop, exit_request.set))
    bind, transport, address = _listen_address()
    try:
        port = server.add_insecure_port(bind)
    except RuntimeError as error:
        _fail("cannot listen on %s: %s" % (bind, error), 1)
    if port == 0:
        _fail("cannot listen on %s" % bind, 1)
    if transport == "tcp":
        address = "127.0.0.1:%d" % port
    server.start()

    # The handshake goes to the real stdout; afterwards stray prints go to stderr so they
    # can never be mistaken for protocol output.
    os.write(1, (protocol.handshake_line(transport, address) + "\n").encode("ascii"))
    sys.stdout = sys.stderr
    _watch_stdin(exit_request, plugin)
    log.debug("plugin serving hooks", transport=transport, address=address)

    reason = exit_request.wait()
    log.info("plugin exiting", reason=reason)
    try:
        if inspect.iscoroutinefunction(plugin.on_exit):
            event_loop.run(plugin.on_exit(reason))
        else:
            plugin.on_exit(reason)
    except Exception as error:  # noqa: BLE001 - a failing exit hook must not block the exit
        log.exception("on_exit failed", error)
    server.stop(grace=SERVER_STOP_GRACE_SECONDS).wait(SERVER_STOP_GRACE_SECONDS + 1)
    plugin.api.close()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
