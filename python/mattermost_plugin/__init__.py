"""Python SDK for out-of-process Mattermost-style plugins run by the Swift PluginHost."""

from . import log
from .errors import AppError
from .plugin import HTTPRequest, HTTPResponse, Plugin, hook, run
from ._stubs import api_pb2, common_pb2, hooks_pb2

__all__ = [
    "AppError",
    "HTTPRequest",
    "HTTPResponse",
    "Plugin",
    "api_pb2",
    "common_pb2",
    "hook",
    "hooks_pb2",
    "log",
    "run",
]
