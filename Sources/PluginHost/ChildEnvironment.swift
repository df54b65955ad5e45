import Foundation

/// The environment a plugin process gets: not the host's, but an allowlist of it (PATH,
/// LANG, LC_*, HOME, TMPDIR), then configured extras, then what the host sets itself,
/// which nothing can override. Secrets are never in it (they travel on descriptor 3).
enum ChildEnvironment {
    static let inheritedNames: Set<String> = ["PATH", "LANG", "HOME", "TMPDIR"]
    static let inheritedPrefixes = ["LC_"]

    static func isInherited(_ name: String) -> Bool {
        inheritedNames.contains(name) || inheritedPrefixes.contains { name.hasPrefix($0) }
    }

    /// - Parameters:
    ///   - host: the host's environment.
    ///   - inheritAll: pass the host's whole environment instead of the allowlist (only for
    ///     hosts that hold no secret in theirs).
    ///   - extras: configured variables (global, then this plugin's), in that order.
    static func make(
        pluginID: String, apiTarget: String, hooksSocket: String, extras: [[String: String]],
        host: [String: String] = ProcessInfo.processInfo.environment, inheritAll: Bool = false
    ) -> [String: String] {
        // Even a whole inherited environment never carries another host's plugin variables.
        var environment = host.filter { name, _ in
            isInherited(name) || (inheritAll && !name.hasPrefix("MATTERMOST_PLUGIN_"))
        }
        for extra in extras { environment.merge(extra) { _, configured in configured } }
        for name in PluginEnvironmentKeys.reserved { environment.removeValue(forKey: name) }
        environment[PluginEnvironmentKeys.magicCookieKey] = PluginEnvironmentKeys.magicCookieValue
        environment[PluginEnvironmentKeys.pluginID] = pluginID
        environment[PluginEnvironmentKeys.apiTarget] = apiTarget
        environment[PluginEnvironmentKeys.hooksSocket] = hooksSocket
        environment[PluginEnvironmentKeys.credentialsFD] = String(PluginEnvironmentKeys.credentialsDescriptor)
        return environment
    }
}
