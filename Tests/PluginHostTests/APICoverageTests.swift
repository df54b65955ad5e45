import Foundation
import PluginHostDemo
import RPC
import Synchronization
import Testing

@testable import PluginHost

/// Every PluginAPI method end to end: a real Python plugin (`python/test_plugins/api_coverage`)
/// calls it over the real API server and reports per method; each method is asserted on its own.
@Suite(.serialized) struct APICoverageTests {
    static let plugin = "test.api-coverage"

    /// Runs `line` as a command of the coverage plugin and decodes its per-step report.
    static func report(_ host: TestHost, _ line: String) async throws -> [String: String] {
        let response = try await host.environment.executeCommand(pluginID: plugin, command(line))
        #expect(!response.hasError, "\(PluginAppError(response.error))")
        return try JSONDecoder().decode([String: String].self, from: Data(response.response.text.utf8))
    }

    @Test func methodListMatchesTheProto() {
        #expect(PluginAPIMethod.allCases.map(\.rawValue)
                == Mattermost_Pluginapi_V1_PluginAPI.methodDescriptors.map(\.method))
        #expect(PluginAPIMethod.allCases.count >= 80)
    }

    @Test func everyMethodWorksFromARealPlugin() async throws {
        try await withTestHost(
            plugins: ["api_coverage", "testkit"], maximumFileSize: 4 << 20,
            configure: { $0.callTimeout = .seconds(60) }
        ) { host in
            try await host.environment.activate("test.testkit")
            try await host.environment.activate(Self.plugin)
            // The plugin's Implemented answer, as the host application sees it.
            #expect(await host.environment.implementedHooks(of: Self.plugin) == [.executeCommand])
            #expect(await host.environment.implementedHooks(of: "no.such.plugin").isEmpty)
            let results = try await Self.report(host, "/tour")
            for method in PluginAPIMethod.allCases {
                #expect(results[method.rawValue] == "ok", "\(method.rawValue): \(results[method.rawValue] ?? "never called")")
            }

            // What the host can observe of the calls.
            let events = host.workspace.publishedEvents.filter { $0.pluginID == Self.plugin }
            #expect(events.map(\.event) == ["custom_test.api-coverage_to_user", "custom_test.api-coverage_to_channel",
                                            "custom_test.api-coverage_to_all"])
            #expect(events.map(\.broadcast) == [.user("user-alice"), .channel("channel-town-square"), .everyone])
            #expect(events.first?.payloadJSON == #"{"n": 1}"#)
            #expect(host.workspace.ephemeralPosts(for: "user-alice").isEmpty)  // sent, updated, then deleted

            // The registered command is routed to the plugin's ExecuteCommand; the unregistered one is not.
            let routed = try await host.workspace.executeCommand(command("/tourcmd hello there"), teamID: "team-demo")
            #expect(routed.response.text == "tourcmd heard: hello there")
            await #expect(throws: PluginAppError.self) {
                _ = try await host.workspace.executeCommand(command("/tourtemp"), teamID: "team-demo")
            }

            // The upload is on disk, whole, and nothing partial is left next to it.
            let stored = try FileManager.default.contentsOfDirectory(atPath: host.workspace.filesDirectory)
            #expect(stored.count == 1 && !stored[0].hasSuffix(".part"), "\(stored)")
            let size = try FileManager.default.attributesOfItem(atPath: host.workspace.filesDirectory + "/" + stored[0])[.size]
            #expect(size as? Int == 256 * 10 * 1024 + 4)
        }
    }

    @Test func badAndHostileInputsGetAppErrorsAndLeaveDataIntact() async throws {
        try await withTestHost(plugins: ["api_coverage"], maximumFileSize: 2 << 20,
                               configure: { $0.callTimeout = .seconds(60) }) { host in
            try await host.environment.activate(Self.plugin)
            let results = try await Self.report(host, "/abuse")
            let cases = [
                "username-injection", "lookup-injection", "channel-injection", "search-wildcards", "search-injection",
                "kv-injection", "message-too-long", "image-too-large", "page-too-large", "negative-page", "bad-status",
                "too-many-ids", "both-broadcasts", "payload-not-object", "group-of-two", "file-name-traversal",
                "preference-of-other-user", "http-to-unknown-plugin", "http-bad-method", "chunk-too-large",
                "upload-without-info", "file-too-large", "missing-file", "malformed-protobuf", "message-over-4mib",
                "data-intact",
            ]
            #expect(Set(results.keys) == Set(cases))
            for name in cases { #expect(results[name] == "ok", "\(name): \(results[name] ?? "missing")") }
            // Refused uploads leave no file, whole or partial.
            #expect(try FileManager.default.contentsOfDirectory(atPath: host.workspace.filesDirectory).isEmpty)
            #expect(await host.environment.state(of: Self.plugin) == .active)
        }
    }

    /// A host that implements three methods compiles (every other requirement has its default)
    /// and serves them; everything else reaches the plugin as `Unimplemented`. It also claims
    /// GetChannel without implementing it: that call is UNIMPLEMENTED too, and the method
    /// leaves the supported list from then on.
    @Test func hostWithThreeMethodsServesThemAndNothingElse() async throws {
        let api = ThreeMethodAPI()
        try await withTestHost(plugins: ["api_coverage"], api: { _ in api }) { host in
            try await host.environment.activate(Self.plugin)
            let results = try await Self.report(host, "/three")
            let cases = [
                "supported-before", "KVSet+KVGet", "GetUser", "GetUser-missing", "GetChannel-declared-but-default",
                "CreatePost", "Log", "GetServerVersion", "UploadFile", "GetFile", "PublishPluginEvent", "supported-after",
            ]
            #expect(Set(results.keys) == Set(cases))
            for name in cases { #expect(results[name] == "ok", "\(name): \(results[name] ?? "missing")") }
            #expect(api.values.withLock { $0["three"] } == Array("3".utf8))
        }
    }

    @Test func defaultImplementationsThrowTheTypedUnimplementedError() async {
        let api = ThreeMethodAPI()
        await #expect(throws: PluginAppError.unimplemented(.createPost)) { _ = try await api.createPost(PluginPost()) }
        await #expect(throws: PluginAppError.unimplemented(.getChannel)) { _ = try await api.channel(id: "c") }
        #expect(PluginAppError.unimplemented(.getFile).isUnimplemented)
        #expect(!PluginAppError(id: "app.user.missing", message: "no").isUnimplemented)
        #expect(PluginAPIService(api: api).supportedMethods == [.getSupportedMethods, .kVSet, .kVGet, .getUser, .getChannel])
    }

    /// Every requirement has a default, so a conformance with no methods compiles; it is taken to
    /// serve the methods the protocol required before it had defaults, each of which answers
    /// UNIMPLEMENTED (and then leaves the supported list) until the host implements it.
    @Test func aConformanceWithNoMethodsCompiles() async {
        struct NoMethods: PluginAPI {}
        let api = NoMethods()
        #expect(PluginAPIService(api: api).supportedMethods == PluginAPIMethod.original.union([.getSupportedMethods]))
        await #expect(throws: PluginAppError.unimplemented(.getUser)) { _ = try await api.user(id: "u") }
        await #expect(throws: PluginAppError.unimplemented(.log)) {
            try await api.log(level: .info, message: "m", keyValues: [])
        }
    }

    @Test func demoHostServesEveryMethod() throws {
        let api = DemoPluginAPI(
            pluginID: "p", store: try SQLiteKVStore(path: ":memory:"), workspace: try DemoWorkspace.seeded(),
            logger: .init(label: "test"))
        let service = PluginAPIService(api: api)
        // PublishPluginEvent is PluginHost's own: served (and listed) within a supervised
        // plugin's calls, which carry the launch's event route.
        #expect(service.supportedMethods == Set(PluginAPIMethod.allCases).subtracting([.publishPluginEvent]))
        PluginEventRoute.$current.withValue(PluginEventRoute(publisherID: "p", bus: PluginEventBus())) {
            #expect(service.supportedMethods == Set(PluginAPIMethod.allCases))
        }
    }
}

/// A host application that supports three API methods.
final class ThreeMethodAPI: PluginAPI {
    let values = Mutex<[String: [UInt8]]>([:])

    /// GetChannel is claimed but not implemented, on purpose (see the test).
    var supportedMethods: Set<PluginAPIMethod> { [.kVSet, .kVGet, .getUser, .getChannel] }

    func kvSet(key: String, value: [UInt8], expireInSeconds: Int64) async throws(PluginAppError) {
        values.withLock { $0[key] = value }
    }

    func kvGet(key: String) async throws(PluginAppError) -> [UInt8]? { values.withLock { $0[key] } }

    func user(id: String) async throws(PluginAppError) -> PluginUser {
        guard id == "u1" else { throw PluginAppError(id: "app.user.missing", message: "no user \(id)", statusCode: 404) }
        var user = PluginUser()
        user.id = id
        user.username = "only-user"
        return user
    }
}
