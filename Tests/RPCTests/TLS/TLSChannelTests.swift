import Foundation
import Synchronization
import Testing
@testable import RPC

/// Records the `:authority` each call arrived with.
final class AuthorityRecorder: ServerInterceptor {
    let seen = Mutex<[String?]>([])

    func intercept(_ call: ServerCall, next: @Sendable (ServerCall) async throws -> Void) async throws {
        seen.withLock { $0.append(call.context.authority) }
        try await next(call)
    }
}

/// The channel's side of TLS over real loopback sockets: what it sends as `:authority`, its
/// files read again when they change, the TLS buffers in its memory budget, and a server that
/// never finishes the handshake.
@Suite struct TLSChannelTests {
    @Test func theAuthorityIsTheServerNameOverrideUnlessOneIsConfigured() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let recorder = AuthorityRecorder()
        let harness = try await Harness.start(configure: { $0.tls = certificates.server() },
                                              configureChannel: { $0.tls = certificates.client(serverName: "localhost") },
                                              interceptors: [recorder])
        #expect(try await harness.get("a") == "echo: a")
        var configuration = Channel.Configuration(target: harness.address)
        configuration.tls = certificates.client(serverName: "localhost")
        configuration.authority = "api.example:443"
        let explicit = try Channel(configuration: configuration)
        _ = try await explicit.unary(Echo.get, request: "b", serializer: StringSerializer(), deserializer: StringDeserializer())
        await explicit.close()
        // Without an override: the target's host:port.
        var plain = Channel.Configuration(target: harness.address)
        plain.tls = certificates.client()
        let byAddress = try Channel(configuration: plain)
        _ = try await byAddress.unary(Echo.get, request: "c", serializer: StringSerializer(), deserializer: StringDeserializer())
        await byAddress.close()
        let port = try #require(harness.address.port)
        #expect(recorder.seen.withLock { $0 } == ["localhost", "api.example:443", "127.0.0.1:\(port)"])
        await harness.stop()
    }

    @Test func aNewConnectionReadsTrustRootsThatChangedOnDisk() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let harness = try await Harness.start(configure: { $0.tls = certificates.server() })
        // The channel trusts a file that first holds a CA that did not sign the server's certificate.
        let trusted = certificates.path("trusted-by-client.pem")
        try FileManager.default.copyItem(atPath: certificates.path("other-ca.pem"), toPath: trusted)
        var configuration = Channel.Configuration(target: harness.address)
        var tls = ClientTLSConfiguration(trustRoots: .file(trusted))
        tls.reloadCheckInterval = .zero
        configuration.tls = tls
        configuration.connectionBackoff = ConnectionBackoff(initial: .milliseconds(50), maximum: .milliseconds(200))
        let channel = try Channel(configuration: configuration)
        await #expect(throws: RPCError.self) {
            _ = try await channel.unary(Echo.get, request: "refused", serializer: StringSerializer(), deserializer: StringDeserializer())
        }
        try Data(contentsOf: URL(fileURLWithPath: certificates.path("ca.pem")))
            .write(to: URL(fileURLWithPath: trusted), options: .atomic)
        // The next connection attempt (after the backoff) reads the new file.
        let reply = try await channel.unary(Echo.get, request: "trusted now", options: CallOptions(timeout: .seconds(10), waitForReady: true),
                                            serializer: StringSerializer(), deserializer: StringDeserializer()).message
        #expect(reply == "echo: trusted now")
        await channel.close()
        await harness.stop()
    }

    @Test func bothSidesChargeTheirTLSBuffersToTheConnectionBudget() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let harness = try await Harness.start(configure: { $0.tls = certificates.server() },
                                              configureChannel: { $0.tls = certificates.client() })
        #expect(try await harness.get("held") == "echo: held")
        // One idle connection: each side holds exactly its TLS buffers.
        #expect(await waitUntil { harness.server.heldMemoryBytes == TLSTransport.bufferBytes },
                "server holds \(harness.server.heldMemoryBytes ?? -1)")
        #expect(harness.channel.heldMemoryBytes == TLSTransport.bufferBytes)
        await harness.channel.close()
        #expect(await waitUntil { harness.server.heldMemoryBytes == 0 }, "server still holds \(harness.server.heldMemoryBytes ?? -1)")
        await harness.server.shutdown()
    }

    @Test func aServerThatNeverAnswersTheHandshakeFailsTheCallAtTheConnectTimeout() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        // Accepts TCP (the kernel's backlog) and never says a word of TLS.
        let (listener, address) = try Socket.listen(on: .ipv4(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        var configuration = Channel.Configuration(target: address)
        configuration.tls = certificates.client()
        configuration.connectTimeout = .milliseconds(300)
        configuration.connectionBackoff = ConnectionBackoff(initial: .milliseconds(100), maximum: .milliseconds(500))
        let channel = try Channel(configuration: configuration)
        do {
            _ = try await channel.unary(Echo.get, request: "hello?", options: CallOptions(timeout: .seconds(60)),
                                        serializer: StringSerializer(), deserializer: StringDeserializer())
            Issue.record("a server that never finished the handshake answered")
        } catch let error as RPCError {
            // Not DEADLINE_EXCEEDED (60 s): the connect timeout (300 ms) ended the attempt,
            // handshake included. (No bound on the time: a loaded CI machine stretches it.)
            #expect(error.code == .unavailable, "\(error)")
        }
        await channel.close()
    }
}
