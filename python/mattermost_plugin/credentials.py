"""The per-launch credentials: hidden from other processes, read once from descriptor 3.

The host passes two secrets through one end of a socket pair (never through the environment,
which other processes of the same user can read in /proc/PID/environ):

    api_secret=<64 lowercase hex>\\n      sent by the plugin on every PluginAPI call
    hooks_secret=<64 lowercase hex>\\n    expected by the plugin on every call into it

Before reading them the process makes itself non-dumpable, which turns /proc/PID/mem, environ
and fd into root-only files and refuses ptrace and pidfd_getfd to other processes of the
same user. The secrets then live only in this process's memory; the descriptor is closed so
no child inherits it.
"""

import ctypes
import os
import re
import select
import time
from dataclasses import dataclass, field
from typing import Optional

from . import protocol

PR_SET_DUMPABLE = 4
# The host writes about 160 bytes; anything past this bound is not a valid message.
MAX_CREDENTIALS_BYTES = 4096
# The host writes the credentials before it even waits for the handshake.
READ_TIMEOUT_SECONDS = 10.0
_CREDENTIALS_PATTERN = re.compile(rb"api_secret=([0-9a-f]{64})\nhooks_secret=([0-9a-f]{64})\n")


class CredentialsError(Exception):
    """The credentials descriptor is missing, unreadable or malformed (a start failure)."""


@dataclass(frozen=True)
class Credentials:
    """The two per-launch secrets, as ASCII bytes (repr hides them)."""

    api_secret: bytes = field(repr=False)
    hooks_secret: bytes = field(repr=False)


def make_undumpable() -> None:
    """prctl(PR_SET_DUMPABLE, 0): other processes of the same user (without CAP_SYS_PTRACE)
    can no longer read this process's memory, environment or descriptors. Raises OSError
    if the kernel refuses."""
    # The running interpreter's own symbols include libc's prctl (and, unlike
    # ctypes.util.find_library, this starts no helper process before the call).
    libc = ctypes.CDLL(None, use_errno=True)
    prctl = libc.prctl
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    if prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        error = ctypes.get_errno()
        raise OSError(error, "prctl(PR_SET_DUMPABLE, 0) failed: " + os.strerror(error))


def parse(data: bytes) -> Credentials:
    """Validates the exact two-line format; raises CredentialsError otherwise."""
    match = _CREDENTIALS_PATTERN.fullmatch(data)
    if match is None:
        raise CredentialsError(
            "malformed credentials (%d bytes): expected 'api_secret=<64 hex>' and "
            "'hooks_secret=<64 hex>' lines" % len(data)
        )
    return Credentials(api_secret=match.group(1), hooks_secret=match.group(2))


def read_from_descriptor(fd: int, timeout: float = READ_TIMEOUT_SECONDS) -> Credentials:
    """Reads `fd` to end of file (at most MAX_CREDENTIALS_BYTES, within `timeout` seconds),
    closes it whatever happens, and returns the parsed credentials."""
    try:
        os.set_inheritable(fd, False)
        data = bytearray()
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CredentialsError("the host did not finish writing the credentials within %gs" % timeout)
            readable, _, _ = select.select([fd], [], [], remaining)
            if not readable:
                continue
            chunk = os.read(fd, MAX_CREDENTIALS_BYTES + 1 - len(data))
            if not chunk:
                break
            data.extend(chunk)
            if len(data) > MAX_CREDENTIALS_BYTES:
                raise CredentialsError("credentials longer than %d bytes" % MAX_CREDENTIALS_BYTES)
        return parse(bytes(data))
    except OSError as error:
        raise CredentialsError("cannot read the credentials descriptor %d: %s" % (fd, error)) from None
    finally:
        try:
            os.close(fd)
        except OSError:
            pass


def descriptor_from_environment() -> int:
    """The credentials descriptor number the host announced (MATTERMOST_PLUGIN_CREDENTIALS_FD)."""
    value = os.environ.get(protocol.CREDENTIALS_FD_ENV)
    if value is None:
        raise CredentialsError(
            "%s is not set: this host does not pass credentials (protocol v2 is required)"
            % protocol.CREDENTIALS_FD_ENV
        )
    if not value.isdigit() or int(value) < 3:
        raise CredentialsError("%s=%r is not a descriptor number >= 3" % (protocol.CREDENTIALS_FD_ENV, value))
    return int(value)


def protect_early() -> None:
    """Best effort, at import time: make the process non-dumpable and the credentials
    descriptor close-on-exec. Errors are left for load() to report."""
    try:
        make_undumpable()
    except OSError:
        pass
    try:
        os.set_inheritable(descriptor_from_environment(), False)
    except (CredentialsError, OSError):
        pass


_current: Optional[Credentials] = None


def load() -> Credentials:
    """Hides the process, then reads the host's credentials once; later calls return the
    same value. Raises CredentialsError (or OSError from prctl)."""
    global _current
    if _current is None:
        make_undumpable()
        fd = descriptor_from_environment()
        # Children need not see a descriptor number that means nothing to them.
        os.environ.pop(protocol.CREDENTIALS_FD_ENV, None)
        _current = read_from_descriptor(fd)
    return _current


def current() -> Optional[Credentials]:
    """The credentials read by load(), or None before that."""
    return _current
