import Testing

@testable import PluginHost

/// What a plugin's environment is made of, from a given host environment.
@Suite struct ChildEnvironmentTests {
    private let host = [
        "PATH": "/usr/bin", "LANG": "C.UTF-8", "LC_ALL": "C", "LC_TIME": "en_GB", "HOME": "/root",
        "TMPDIR": "/tmp", "AWS_SECRET_ACCESS_KEY": "host-only", "DATABASE_URL": "postgres://secret",
        "MATTERMOST_PLUGIN_API_SECRET": "an-outer-hosts-secret", "MATTERMOST_PLUGIN_ID": "outer",
    ]

    private func make(extras: [[String: String]] = [], inheritAll: Bool = false) -> [String: String] {
        ChildEnvironment.make(
            pluginID: "com.example.p", apiTarget: "unix:/run/p/api.sock", hooksSocket: "/run/p/hooks.sock",
            extras: extras, host: host, inheritAll: inheritAll)
    }

    @Test func onlyTheAllowlistAndTheHostsOwnVariables() {
        #expect(make() == [
            "PATH": "/usr/bin", "LANG": "C.UTF-8", "LC_ALL": "C", "LC_TIME": "en_GB", "HOME": "/root", "TMPDIR": "/tmp",
            "MATTERMOST_PLUGIN_MAGIC_COOKIE": PluginEnvironmentKeys.magicCookieValue,
            "MATTERMOST_PLUGIN_ID": "com.example.p", "MATTERMOST_PLUGIN_API_TARGET": "unix:/run/p/api.sock",
            "MATTERMOST_PLUGIN_HOOKS_SOCKET": "/run/p/hooks.sock", "MATTERMOST_PLUGIN_CREDENTIALS_FD": "3",
        ])
    }

    @Test func extrasOverrideInOrderButNeverTheHostsOwnVariables() {
        let environment = make(extras: [
            ["PYTHONPATH": "/sdk", "LANG": "de_DE.UTF-8", "MODE": "global"],
            ["MODE": "per-plugin", "MATTERMOST_PLUGIN_HOOKS_SOCKET": "/elsewhere", "MATTERMOST_PLUGIN_X": "y"],
        ])
        #expect(environment["PYTHONPATH"] == "/sdk")
        #expect(environment["LANG"] == "de_DE.UTF-8")
        #expect(environment["MODE"] == "per-plugin")
        #expect(environment["MATTERMOST_PLUGIN_HOOKS_SOCKET"] == "/run/p/hooks.sock")
        #expect(environment["MATTERMOST_PLUGIN_X"] == "y")
    }

    @Test func inheritingEverythingStillDropsAnotherHostsPluginVariables() {
        let environment = make(inheritAll: true)
        #expect(environment["AWS_SECRET_ACCESS_KEY"] == "host-only")
        #expect(environment["DATABASE_URL"] == "postgres://secret")
        #expect(environment["MATTERMOST_PLUGIN_API_SECRET"] == nil)
        #expect(environment["MATTERMOST_PLUGIN_ID"] == "com.example.p")
    }
}
