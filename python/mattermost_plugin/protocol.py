"""The contract between the host and a plugin process (protocol v2, docs/plugin-protocol.md).

The Swift side (Sources/PluginHost/PluginEnvironmentKeys.swift) uses the same values.
"""

from typing import Final

# A plugin run by hand (without the host) refuses to start: the host sets this variable.
MAGIC_COOKIE_KEY: Final = "MATTERMOST_PLUGIN_MAGIC_COOKIE"
MAGIC_COOKIE_VALUE: Final = "6d0b1f5e-run-me-from-the-mattermost-plugin-host"

PLUGIN_ID_ENV: Final = "MATTERMOST_PLUGIN_ID"
# Where the host's PluginAPI server for this plugin listens: "unix:/abs/path" or "127.0.0.1:PORT".
API_TARGET_ENV: Final = "MATTERMOST_PLUGIN_API_TARGET"
# Absolute path of the Unix socket the plugin serves its hooks on (unset: loopback TCP).
HOOKS_SOCKET_ENV: Final = "MATTERMOST_PLUGIN_HOOKS_SOCKET"
# Number of the inherited descriptor that carries the per-launch credentials (always 3).
CREDENTIALS_FD_ENV: Final = "MATTERMOST_PLUGIN_CREDENTIALS_FD"

# Metadata keys: the plugin sends the first on every PluginAPI call; the host sends the second
# on every call into the plugin, which answers UNAUTHENTICATED without it.
API_SECRET_METADATA_KEY: Final = "mattermost-plugin-secret"
HOOKS_SECRET_METADATA_KEY: Final = "mattermost-hooks-secret"
# W3C Trace Context headers: kept from a hook call and sent on with the API calls it makes.
TRACE_METADATA_KEYS: Final = ("traceparent", "tracestate")

CORE_PROTOCOL_VERSION: Final = 1
APP_PROTOCOL_VERSION: Final = 2

# Exit code of a plugin whose start-up input from the host is unusable (BSD EX_CONFIG).
EXIT_BAD_CREDENTIALS: Final = 78


def handshake_line(transport: str, address: str) -> str:
    """The line printed on stdout once the hooks server listens, e.g.
    `1|2|unix|/run/plugin/hooks.sock|grpc` or `1|2|tcp|127.0.0.1:4321|grpc`."""
    if transport not in ("unix", "tcp"):
        raise ValueError("transport must be 'unix' or 'tcp', not %r" % transport)
    return "%d|%d|%s|%s|grpc" % (CORE_PROTOCOL_VERSION, APP_PROTOCOL_VERSION, transport, address)
