"""Python SDK for out-of-process plugins run by the Swift PluginHost (protocol v2).

Write a Plugin subclass with @hook methods and call run(plugin); see README.md.
"""

import os as _os

from . import log
from ._generated import api_pb2, common_pb2, hooks_pb2
from .api import APIClient
from .errors import AppError, Unimplemented
from .plugin import FileUpload, HookCall, HTTPRequest, HTTPResponse, Plugin, RequestCancelled, current_call, hook
from .runtime import run

Post = common_pb2.Post
"""A post (mattermost.pluginapi.v1.Post): id, create_at/update_at/edit_at/delete_at (ms since
the epoch), user_id, channel_id, root_id, message, type and props (a str -> str map)."""
User = common_pb2.User
Channel = common_pb2.Channel
Team = common_pb2.Team
TeamMember = common_pb2.TeamMember
ChannelMember = common_pb2.ChannelMember
Reaction = common_pb2.Reaction
FileInfo = common_pb2.FileInfo
Bot = common_pb2.Bot
Command = common_pb2.Command
Preference = common_pb2.Preference
UserStatus = common_pb2.UserStatus
RequestContext = common_pb2.RequestContext
PushNotification = common_pb2.PushNotification
WebSocketRequest = common_pb2.WebSocketRequest
CommandArgs = hooks_pb2.CommandArgs
CommandResponse = hooks_pb2.CommandResponse

__all__ = [
    "APIClient",
    "AppError",
    "Bot",
    "Channel",
    "ChannelMember",
    "Command",
    "CommandArgs",
    "CommandResponse",
    "FileInfo",
    "FileUpload",
    "HTTPRequest",
    "HTTPResponse",
    "HookCall",
    "Plugin",
    "Post",
    "Preference",
    "PushNotification",
    "Reaction",
    "RequestCancelled",
    "RequestContext",
    "Team",
    "TeamMember",
    "Unimplemented",
    "User",
    "UserStatus",
    "WebSocketRequest",
    "api_pb2",
    "common_pb2",
    "current_call",
    "hook",
    "hooks_pb2",
    "log",
    "run",
]

# Under the host, as early as possible (before the plugin's own module code goes on): hide
# this process from other processes of the same user, and keep the credentials descriptor
# from any child started before run() reads it (os.system, subprocess with close_fds=False).
# run() repeats both and fails the start with a clear message if they do not work.
if _os.environ.get("MATTERMOST_PLUGIN_MAGIC_COOKIE"):
    from .credentials import protect_early as _protect_early

    _protect_early()
