import Testing
@testable import RPC

/// Two real OpenSSL engines connected to each other in memory (no socket): the handshake,
/// its refusals, and data both ways through the bounded ciphertext buffers.
@Suite struct TLSEngineTests {
    /// Moves ciphertext between the engines until neither makes progress (bounded).
    static func pump(_ client: TLSEngine, _ server: TLSEngine) -> (client: TLSHandshake.Action, server: TLSHandshake.Action) {
        var actions: (TLSHandshake.Action, TLSHandshake.Action) = (.none, .none)
        for _ in 0..<20 {
            actions.0 = client.advanceHandshake()
            let toServer = transfer(from: client, to: server)
            actions.1 = server.advanceHandshake()
            let toClient = transfer(from: server, to: client)
            if toServer == 0 && toClient == 0 { break }
        }
        actions.0 = client.advanceHandshake()
        return actions
    }

    @discardableResult
    static func transfer(from sender: TLSEngine, to receiver: TLSEngine) -> Int {
        var moved = 0
        _ = sender.sendCiphertext { bytes in
            let taken = receiver.receiveCiphertext(bytes)
            moved += taken
            return taken
        }
        return moved
    }

    @Test func handshakeNegotiatesH2AndDataFlowsBothWays() throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let server = try TLSEngine(context: TLSContext.server(certificates.server(requireClientCertificates: true)))
        let client = try TLSEngine(context: TLSContext.client(certificates.client(withCertificate: true)), verifiedName: "localhost")
        let actions = Self.pump(client, server)
        #expect(actions.server == .startApplicationData || server.handshake.isEstablished)
        #expect(client.handshake.isEstablished && server.handshake.isEstablished)
        #expect(server.handshake.peer?.subject.contains("CN=client") == true)
        #expect(server.handshake.peer?.uris == ["spiffe://test/client"])
        #expect(server.handshake.peer?.dnsNames == ["client.test"])

        // 1 MiB through 64 KiB ciphertext buffers: encryption stops when the buffer is full
        // and resumes once the receiver took it.
        let message = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var sent = 0
        var received: [UInt8] = []
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 1)
        defer { scratch.deallocate() }
        for _ in 0..<1000 where received.count < message.count {
            sent += try message.withUnsafeBytes { try client.encrypt(UnsafeRawBufferPointer(rebasing: $0[sent...])) }
            #expect(client.pendingCiphertextCount <= TLSEngine.ciphertextBufferSize)
            Self.transfer(from: client, to: server)
            for _ in 0..<64 {
                guard case .bytes(let count) = try server.decrypt(into: scratch) else { break }
                received.append(contentsOf: scratch[..<count])
            }
        }
        #expect(received == message)

        // close_notify ends the stream for the reader.
        client.queueCloseNotify()
        Self.transfer(from: client, to: server)
        #expect(try server.decrypt(into: scratch) == .closedByPeer)
    }

    @Test func aClientThatDoesNotOfferH2IsRefused() throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let server = try TLSEngine(context: TLSContext.server(certificates.server()))
        let client = try TLSEngine(context: TLSContext.client(certificates.client(), offersALPN: false), verifiedName: "localhost")
        _ = Self.pump(client, server)
        guard case .failed(let error) = server.handshake.state else {
            Issue.record("the server must refuse: \(server.handshake.state)")
            return
        }
        #expect(error.message.contains("h2"))
    }

    @Test func aServerNameMismatchAndAnUntrustedIssuerAreRefusedByTheClient() throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        for (serverName, clientConfiguration, expectedName) in [
            ("wrongname", certificates.client(), "localhost"),
            ("server", certificates.client(), "other.example"),
            ("untrusted", certificates.client(), "localhost"),
            ("server", certificates.client(), "10.1.2.3"),
        ] {
            let server = try TLSEngine(context: TLSContext.server(certificates.server(serverName)))
            let client = try TLSEngine(context: TLSContext.client(clientConfiguration), verifiedName: expectedName)
            _ = Self.pump(client, server)
            guard case .failed(let error) = client.handshake.state else {
                Issue.record("\(serverName) verified as \(expectedName) must fail: \(client.handshake.state)")
                continue
            }
            #expect(error.message.contains("certificate"), "\(error)")
            #expect(!server.handshake.isEstablished)
        }
    }

    @Test func anIPAddressIsVerifiedAgainstIPSubjectAlternativeNames() throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let server = try TLSEngine(context: TLSContext.server(certificates.server()))
        let client = try TLSEngine(context: TLSContext.client(certificates.client()), verifiedName: "127.0.0.1")
        _ = Self.pump(client, server)
        #expect(client.handshake.isEstablished)
    }

    @Test func configurationThatDoesNotLoadIsAClearError() throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        #expect(throws: TLSError.self) { try TLSContext.server(ServerTLSConfiguration(certificateChainFile: "/nonexistent.pem", privateKeyFile: "/nonexistent.key")) }
        // A key that does not belong to the certificate.
        let mismatched = ServerTLSConfiguration(certificateChainFile: certificates.path("server.pem"), privateKeyFile: certificates.path("client.key"))
        do {
            _ = try TLSContext.server(mismatched)
            Issue.record("a mismatched key must not load")
        } catch {
            #expect(error.message.contains("mismatch"), "\(error)")
        }
    }
}
