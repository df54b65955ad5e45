import Testing
@testable import RPC

/// The handshake's rules, without OpenSSL or sockets.
@Suite struct TLSHandshakeTests {
    @Test func completingWithH2EstablishesWithThePeer() {
        var handshake = TLSHandshake()
        #expect(handshake.stepped(.needsPeerBytes) == .awaitPeer)
        let peer = TLSPeerIdentity(subject: "CN=client", dnsNames: ["client.test"])
        #expect(handshake.stepped(.complete(alpn: "h2", peer: peer)) == .startApplicationData)
        #expect(handshake.isEstablished)
        #expect(handshake.peer == peer)
        // Later steps change nothing.
        #expect(handshake.stepped(.failed(TLSError("late"))) == .none)
        #expect(handshake.isEstablished)
    }

    @Test func completingWithoutH2Fails() {
        var none = TLSHandshake()
        guard case .fail(let error) = none.stepped(.complete(alpn: nil, peer: nil)) else {
            Issue.record("no ALPN must fail")
            return
        }
        #expect(error.message.contains("h2"))
        #expect(!none.isEstablished)

        var http1 = TLSHandshake()
        guard case .fail = http1.stepped(.complete(alpn: "http/1.1", peer: nil)) else {
            Issue.record("http/1.1 must fail")
            return
        }
        // A failed handshake stays failed.
        guard case .fail = http1.stepped(.complete(alpn: "h2", peer: nil)) else {
            Issue.record("a failed handshake must not recover")
            return
        }
    }

    @Test func anOpenSSLFailureFailsAndClosingAfterEstablishmentCloses() {
        var failing = TLSHandshake()
        #expect(failing.stepped(.failed(TLSError("bad certificate"))) == .fail(TLSError("bad certificate")))
        failing.closed()
        #expect(failing.state == .failed(TLSError("bad certificate")))

        var established = TLSHandshake()
        _ = established.stepped(.complete(alpn: "h2", peer: nil))
        established.closed()
        #expect(established.state == .closed)
    }
}
