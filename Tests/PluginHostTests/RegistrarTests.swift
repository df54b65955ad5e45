import Foundation
import RPC
import Synchronization
import Testing

@testable import PluginHost

/// The injected `APIServerRegistrar`: the supervisor hands it the (not yet started) API
/// server, whatever it registers is served behind the per-plugin secret check.
@Suite(.serialized) struct RegistrarTests {
    @Test func customRegistrarAddsAServiceThatTheSecretCheckGuards() async throws {
        let calls = Mutex<[[String]]>([])
        // Over loopback TCP, so this test process (not the plugin) may call the API with the secret.
        try await withTestHost(plugins: ["testkit"], configure: { $0.apiTransport = .loopbackTCP }) { host in
            await host.environment.setAPIServerRegistrar { server, api in
                // The server is handed over before start: registering works.
                server.register(PluginAPIService(api: api))
                server.register(HealthService())
                calls.withLock { $0.append(server.registeredMethodPaths) }
            }
            let id = "test.testkit"
            try await host.environment.activate(id)
            // The plugin's OnActivate called the PluginAPI (KVSet) through the custom registrar.
            #expect(host.value(id, "activated") == "yes")
            let registered = calls.withLock { $0 }
            #expect(registered.count == 1)
            #expect(registered.first?.contains("/grpc.health.v1.Health/Check") == true)
            #expect(registered.first?.contains("/mattermost.pluginapi.v1.PluginAPI/KVSet") == true)

            let supervisor = try #require(await host.environment.supervisor(for: id))
            let address = try #require(await supervisor.apiAddress)
            let secret = try #require(await supervisor.currentSecrets?.api)
            let channel = try Channel(configuration: .init(target: address))
            let health = Grpc_Health_V1_Health.Client(channel: channel)

            let withSecret = try await health.check(
                Grpc_Health_V1_HealthCheckRequest(),
                metadata: [PluginEnvironmentKeys.apiSecretMetadataKey: secret])
            #expect(withSecret.message.status == .serving)

            let error = await #expect(throws: RPCError.self) {
                _ = try await health.check(
                    Grpc_Health_V1_HealthCheckRequest(),
                    metadata: [PluginEnvironmentKeys.apiSecretMetadataKey: "not-the-secret"])
            }
            #expect(error?.code == .unauthenticated)
            await channel.close()
        }
    }

    @Test func aRegistrarThatRegistersNothingLeavesThePluginWithoutAnAPI() async throws {
        try await withTestHost(plugins: ["testkit"]) { host in
            await host.environment.setAPIServerRegistrar { _, _ in }
            let id = "test.testkit"
            // testkit's OnActivate needs the API (KVSet): without it, activation fails cleanly.
            await #expect(throws: PluginStartError.self) { try await host.environment.activate(id) }
            #expect(host.value(id, "activated") == nil)
        }
    }
}
