import Foundation
import Synchronization
import Testing
@testable import RPC

/// Records the TLS identity each call's context reports.
final class TLSPeerRecorder: ServerInterceptor {
    let seen = Mutex<[TLSPeerIdentity?]>([])

    func intercept(_ call: ServerCall, next: @Sendable (ServerCall) async throws -> Void) async throws {
        seen.withLock { $0.append(call.context.tlsPeer) }
        try await next(call)
    }
}

/// Our server and channel over TLS on real loopback sockets, and peers that break the rules.
@Suite struct TLSConnectionTests {
    @Test func callsOfEveryKindAndLargeMessagesWorkOverTLS() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let harness = try await Harness.start(configure: { $0.tls = certificates.server() },
                                              configureChannel: { $0.tls = certificates.client() })
        #expect(try await harness.get("over tls") == "echo: over tls")
        let words = try await harness.channel.serverStreaming(
            Echo.expand, request: "a b c", serializer: StringSerializer(), deserializer: StringDeserializer()
        ) { responses in
            var words: [String] = []
            for try await word in responses { words.append(word) }
            return words
        }
        #expect(words == ["a", "b", "c"])
        // Many TLS records each way, through the bounded ciphertext buffers.
        let large = String(repeating: "0123456789abcdef", count: 1 << 16)
        #expect(try await harness.get(large) == "echo: \(large)")
        await harness.stop()
    }

    @Test func largeMessagesGoBothWaysRepeatedlyOverOneTLSConnection() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let harness = try await Harness.start(configure: {
            $0.tls = certificates.server()
            $0.maxReceiveMessageSize = 64 << 20
        }, configureChannel: {
            $0.tls = certificates.client()
            $0.maxReceiveMessageSize = 64 << 20
        })
        let message = (0..<(24 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        for _ in 0..<3 {
            let echoed = try await harness.channel.unary(Echo.bytes, request: message, serializer: RawBytesSerializer(),
                                                         deserializer: RawBytesDeserializer()).message
            #expect(echoed == message)
        }
        await harness.stop()
    }

    @Test func mutualTLSRequiresAClientCertificateAndShowsItsIdentity() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let recorder = TLSPeerRecorder()
        let harness = try await Harness.start(configure: { $0.tls = certificates.server(requireClientCertificates: true) },
                                              configureChannel: { $0.tls = certificates.client(withCertificate: true) },
                                              interceptors: [recorder])
        #expect(try await harness.get("mtls") == "echo: mtls")
        let peer = try #require(recorder.seen.withLock { $0.first } ?? nil)
        #expect(peer.subject.contains("CN=client"))
        #expect(peer.dnsNames == ["client.test"])
        #expect(peer.uris == ["spiffe://test/client"])

        // Without a certificate: refused during the handshake.
        var anonymous = Channel.Configuration(target: harness.address)
        anonymous.tls = certificates.client()
        let channel = try Channel(configuration: anonymous)
        let error = await #expect(throws: RPCError.self) {
            _ = try await channel.unary(Echo.get, request: "anonymous", serializer: StringSerializer(), deserializer: StringDeserializer())
        }
        #expect(error?.code == .unavailable)
        await channel.close()
        #expect(recorder.seen.withLock { $0.count } == 1)
        await harness.stop()
    }

    @Test func aServerWhoseCertificateDoesNotMatchOrIsNotTrustedIsRefused() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        for (serverCertificate, client) in [
            ("server", certificates.client(serverName: "other.example")),
            ("wrongname", certificates.client()),
            ("untrusted", certificates.client()),
        ] {
            let harness = try await Harness.start(configure: { $0.tls = certificates.server(serverCertificate) },
                                                  configureChannel: { $0.tls = client })
            let error = await #expect(throws: RPCError.self) { _ = try await harness.get("refused") }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("certificate") == true, "\(String(describing: error))")
            await harness.stop()
        }
    }

    @Test func aClientThatDoesNotOfferH2IsRefused() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let harness = try await Harness.start(configure: { $0.tls = certificates.server() })
        let peer = try BlockingTLSPeer(address: harness.address,
                                       context: TLSContext.client(certificates.client(), offersALPN: false), verifiedName: "localhost")
        let closed = try await offPool {
            _ = try peer.handshake(timeout: .seconds(5))
            return peer.socket.waitForClose(timeout: .seconds(5))
        }
        #expect(closed)
        await harness.stop()
    }

    @Test func newConnectionsGetACertificateReplacedOnDisk() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let harness = try await Harness.start(configure: {
            var tls = certificates.server()
            tls.reloadCheckInterval = .zero
            $0.tls = tls
        }, configureChannel: { $0.tls = certificates.client() })
        let context = try TLSContext.client(certificates.client())
        func servedSubject() async throws -> String? {
            let peer = try BlockingTLSPeer(address: harness.address, context: context, verifiedName: "localhost")
            return try await offPool {
                _ = try peer.handshake(timeout: .seconds(5))
                return peer.engine.handshake.peer?.subject
            }
        }
        #expect(try await servedSubject()?.contains("CN=server,") == true)
        for (from, to) in [("server2.pem", "server.pem"), ("server2.key", "server.key")] {
            try Data(contentsOf: URL(fileURLWithPath: certificates.path(from)))
                .write(to: URL(fileURLWithPath: certificates.path(to)), options: .atomic)
        }
        #expect(try await servedSubject()?.contains("CN=server-reloaded") == true)
        #expect(try await harness.get("after reload") == "echo: after reload")
        await harness.stop()
    }

    @Test func aPeerThatNeverSpeaksIsClosedAtTheHandshakeTimeout() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let harness = try await Harness.start(configure: {
            $0.tls = certificates.server()
            $0.handshakeTimeout = .milliseconds(300)
        })
        let silent = try RawFrameSocket(address: harness.address)
        let start = ContinuousClock.now
        let closed = try await offPool { silent.waitForClose(timeout: .seconds(10)) }
        #expect(closed)
        #expect(ContinuousClock.now - start >= .milliseconds(250))
        await harness.stop()
    }

    @Test func aPeerSendingGarbageLosesItsConnectionWithoutBeingBuffered() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let harness = try await Harness.start(configure: { $0.tls = certificates.server() })
        let garbage = try RawFrameSocket(address: harness.address)
        // Up to 64 MiB: the server refuses at the first bytes, so sending fails long before
        // (nothing reads, let alone buffers, the rest).
        let outcome = try await offPool { () -> (sent: Int, closed: Bool) in
            let chunk = [UInt8](repeating: 0xA5, count: 1 << 20)
            var sent = 0
            for _ in 0..<64 {
                do { try garbage.send(chunk) } catch { break }
                sent += chunk.count
            }
            return (sent, garbage.waitForClose(timeout: .seconds(5)))
        }
        #expect(outcome.closed)
        #expect(outcome.sent < 64 << 20)
        // The server still serves well-behaved clients.
        var configuration = Channel.Configuration(target: harness.address)
        configuration.tls = certificates.client()
        let channel = try Channel(configuration: configuration)
        #expect(try await channel.unary(Echo.get, request: "fine", serializer: StringSerializer(), deserializer: StringDeserializer()).message == "echo: fine")
        await channel.close()
        await harness.stop()
    }
}
