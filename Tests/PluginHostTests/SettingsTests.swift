import Foundation
import Testing

@testable import PluginHost

/// The manifest's settings schema and min_server_version: parsing, validation, the
/// configuration a real plugin gets before OnActivate, and a refused start.
@Suite struct SettingsSchemaTests {
    static func manifest(_ schema: String, extra: String = "") throws(ManifestError) -> PluginManifest {
        try PluginManifest.parse(Data(#"""
            {"id": "abc", "version": "1", "server": {"executable": "p.py", "runtime": "python"}\#(extra),
             "settings_schema": {"settings": \#(schema)}}
            """#.utf8))
    }

    @Test func defaultsFillTheGapsAndSavedValuesAreValidated() throws {
        let schema = try Self.manifest(#"""
            [{"key": "Greeting", "type": "text", "default": "hi", "max_length": 5},
             {"key": "On", "type": "bool", "default": false},
             {"key": "Limit", "type": "number", "default": 3, "min": 1, "max": 10},
             {"key": "Mode", "type": "radio", "default": "a", "options": [{"value": "a"}, {"value": "b"}]},
             {"key": "Free", "type": "longtext"}]
            """#).settingsSchema
        #expect(try schema.resolve(savedJSON: "") == #"{"Greeting":"hi","Limit":3,"Mode":"a","On":false}"#)
        #expect(try schema.resolve(savedJSON: #"{"Limit": 7, "Mode": "b", "Other": [1]}"#)
            == #"{"Greeting":"hi","Limit":7,"Mode":"b","On":false,"Other":[1]}"#)
        #expect(throws: SettingsError.wrongType(key: "On", expected: "bool")) {
            try schema.resolve(savedJSON: #"{"On": 1}"#)
        }
        #expect(throws: SettingsError.outOfRange(key: "Limit", value: 11)) { try schema.resolve(savedJSON: #"{"Limit": 11}"#) }
        #expect(throws: SettingsError.tooLong(key: "Greeting", maximum: 5)) {
            try schema.resolve(savedJSON: #"{"Greeting": "too long"}"#)
        }
        #expect(throws: SettingsError.notAnOption(key: "Mode", value: "c", options: ["a", "b"])) {
            try schema.resolve(savedJSON: #"{"Mode": "c"}"#)
        }
        #expect(throws: SettingsError.notAnObject) { try schema.resolve(savedJSON: "[1]") }
    }

    @Test func badSchemasAreRefusedWithTheSettingNamed() {
        #expect(throws: ManifestError.invalidSetting(
            key: "X", reason: "has type \"color\", not one of bool, text, longtext, number, dropdown, radio"
        )) { try Self.manifest(#"[{"key": "X", "type": "color"}]"#) }
        #expect(throws: ManifestError.invalidSetting(key: "X", reason: "(dropdown) has no options")) {
            try Self.manifest(#"[{"key": "X", "type": "dropdown"}]"#)
        }
        #expect(throws: ManifestError.invalidSetting(key: "x", reason: "is declared twice")) {
            try Self.manifest(#"[{"key": "X", "type": "bool"}, {"key": "x", "type": "text"}]"#)
        }
        #expect(throws: ManifestError.invalidSetting(
            key: "N", reason: "has a default that does not fit: setting \"N\" must be a number value"
        )) { try Self.manifest(#"[{"key": "N", "type": "number", "default": "ten"}]"#) }
        #expect(throws: ManifestError.invalidMinServerVersion("nine")) {
            try Self.manifest("[]", extra: #", "min_server_version": "nine""#)
        }
    }

    @Test func serverVersionsCompareByNumbers() throws {
        #expect(try #require(ServerVersion("9.11.0-swift-plugin-host")) > #require(ServerVersion("9.5")))
        #expect(try #require(ServerVersion("10.0.0")) > #require(ServerVersion("9.99.99")))
        #expect(ServerVersion("v9.1.2")?.description == "9.1.2")
        #expect(ServerVersion("9..1") == nil)
    }
}

@Suite(.serialized) struct SettingsEndToEndTests {
    @Test func configurationReachesThePluginBeforeOnActivateAndIsValidated() async throws {
        try await withTestHost(plugins: ["settings", "too_new"]) { host in
            let id = "test.settings"
            try host.workspace.setConfiguration(plugin: id, json: #"{"Limit": 42, "Mode": "safe"}"#)
            try await host.environment.activate(id)
            let expected = #"{"Enabled": true, "Greeting": "hello", "Limit": 42, "Mode": "safe"}"#
            // Sent with OnConfigurationChange before OnActivate, and with OnActivate itself.
            #expect(host.value(id, "configuration") == expected)
            #expect(host.value(id, "activated-with") == expected)

            // A later change is merged with the defaults too; a misfit never reaches the plugin.
            #expect(try await host.environment.configurationChanged(pluginID: id, json: #"{"Enabled": false}"#) == nil)
            #expect(host.value(id, "configuration") == #"{"Enabled": false, "Greeting": "hello", "Limit": 10, "Mode": "fast"}"#)
            let refused = try await host.environment.configurationChanged(pluginID: id, json: #"{"Limit": 0}"#)
            #expect(refused?.id == "plugin.settings.invalid")
            #expect(refused?.message == "setting \"Limit\" is out of range: 0.0")
            #expect(host.value(id, "configuration") == #"{"Enabled": false, "Greeting": "hello", "Limit": 10, "Mode": "fast"}"#)

            // A saved configuration that does not fit stops the start with a clear error.
            await host.environment.deactivate(id)
            try host.workspace.setConfiguration(plugin: id, json: #"{"Mode": "turbo"}"#)
            await #expect {
                try await host.environment.activate(id)
            } throws: { error in
                (error as? PluginStartError)?.reason
                    == .invalidConfiguration(#"setting "Mode" is "turbo", not one of "fast", "safe""#)
            }

            // min_server_version newer than the host: refused before any process starts.
            await #expect {
                try await host.environment.activate("test.too-new")
            } throws: { error in
                let description = "\(error)"
                return (error as? PluginStartError)?.reason
                    == .serverVersionTooOld(required: "99.0.0", actual: host.workspace.serverVersion)
                    && description.contains("needs server version 99.0.0 or later")
            }
            let state = await host.environment.state(of: "test.too-new")
            guard case .failed(let reason) = state else {
                Issue.record("expected a failed state, got \(state)")
                return
            }
            #expect(reason.contains("needs server version 99.0.0 or later (min_server_version); this server is 9.11.0"))
        }
    }
}
