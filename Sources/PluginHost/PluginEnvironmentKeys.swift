/// Names and values shared with the Python SDK (python/mattermost_plugin/protocol.py).
public enum PluginEnvironmentKeys {
    /// Set for every plugin; a plugin started by hand (without it) refuses to run.
    public static let magicCookieKey = "MATTERMOST_PLUGIN_MAGIC_COOKIE"
    public static let magicCookieValue = "6d0b1f5e-run-me-from-the-mattermost-plugin-host"
    /// The gRPC target of the plugin's own PluginAPI server.
    public static let apiTarget = "MATTERMOST_PLUGIN_API_TARGET"
    public static let pluginID = "MATTERMOST_PLUGIN_ID"
    /// The per-launch secret the plugin sends back in `apiSecretMetadataKey`.
    public static let apiSecret = "MATTERMOST_PLUGIN_API_SECRET"
    public static let apiSecretMetadataKey = "mattermost-plugin-secret"

    /// Variables the host sets itself; inherited copies (e.g. when the host runs under
    /// another host) are dropped so one plugin never sees another launch's secret.
    static let reserved: Set<String> = [magicCookieKey, apiTarget, pluginID, apiSecret]
}
