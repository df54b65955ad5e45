"""The contract between the host and a plugin process: environment names and the handshake.

The Swift side (Sources/PluginHost/PluginEnvironmentKeys.swift) uses the same values.
"""

# A plugin run by hand (without the host) refuses to start: the host sets this variable.
MAGIC_COOKIE_KEY = "MATTERMOST_PLUGIN_MAGIC_COOKIE"
MAGIC_COOKIE_VALUE = "6d0b1f5e-run-me-from-the-mattermost-plugin-host"

# Where the plugin's PluginAPI server listens: "127.0.0.1:PORT", "[::1]:PORT" or "unix:/path".
API_TARGET_ENV = "MATTERMOST_PLUGIN_API_TARGET"
PLUGIN_ID_ENV = "MATTERMOST_PLUGIN_ID"
# Per-launch secret the plugin must send on every PluginAPI call.
API_SECRET_ENV = "MATTERMOST_PLUGIN_API_SECRET"
API_SECRET_METADATA_KEY = "mattermost-plugin-secret"

CORE_PROTOCOL_VERSION = 1
APP_PROTOCOL_VERSION = 1


def handshake_line(host, port):
    """The go-plugin style line printed on stdout once the hooks server listens."""
    return "%d|%d|tcp|%s:%d|grpc" % (CORE_PROTOCOL_VERSION, APP_PROTOCOL_VERSION, host, port)
