/// Names and values shared with the Python SDK (python/mattermost_plugin/protocol.py) and
/// specified in docs/plugin-protocol.md.
public enum PluginEnvironmentKeys {
    /// Set for every plugin; a plugin started by hand (without it) refuses to run.
    public static let magicCookieKey = "MATTERMOST_PLUGIN_MAGIC_COOKIE"
    public static let magicCookieValue = "6d0b1f5e-run-me-from-the-mattermost-plugin-host"
    /// The gRPC target of the plugin's own PluginAPI server (`unix:/abs/path` or `127.0.0.1:PORT`).
    public static let apiTarget = "MATTERMOST_PLUGIN_API_TARGET"
    public static let pluginID = "MATTERMOST_PLUGIN_ID"
    /// The absolute path of the Unix socket the plugin serves its hooks on.
    public static let hooksSocket = "MATTERMOST_PLUGIN_HOOKS_SOCKET"
    /// The number of the descriptor the plugin reads its secrets from (always 3).
    public static let credentialsFD = "MATTERMOST_PLUGIN_CREDENTIALS_FD"
    /// The descriptor number of the credentials socket in the child.
    public static let credentialsDescriptor: Int32 = 3

    /// Metadata carrying the API secret on every plugin -> host call.
    public static let apiSecretMetadataKey = "mattermost-plugin-secret"
    /// Metadata carrying the hooks secret on every host -> plugin call.
    public static let hooksSecretMetadataKey = "mattermost-hooks-secret"

    /// Variables the host sets itself; copies from elsewhere (another host above us, or a
    /// configured extra) never reach a plugin.
    static let reserved: Set<String> = [magicCookieKey, apiTarget, pluginID, hooksSocket, credentialsFD]
}
