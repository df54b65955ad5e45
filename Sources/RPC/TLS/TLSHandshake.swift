/// The TLS handshake of one connection, as a value: what phase it is in and what the driver
/// (`TLSEngine`, on behalf of `TLSTransport`) must do after each step of OpenSSL's handshake.
/// No OpenSSL and no I/O here, so the rules (ALPN `h2` or nothing) are tested on their own.
///
///     handshaking --complete, ALPN h2--> established --close--> closed
///          \--failed, or complete without h2--> failed
struct TLSHandshake: Sendable, Equatable {
    enum State: Sendable, Equatable {
        case handshaking
        /// Application data may flow. `peer` is the verified peer certificate, if it sent one.
        case established(peer: TLSPeerIdentity?)
        case failed(TLSError)
        /// close_notify sent or received.
        case closed
    }

    /// What one call of `SSL_do_handshake` came to.
    enum StepOutcome: Sendable, Equatable {
        /// It waits for the peer's next flight (the flight it produced, if any, must go out).
        case needsPeerBytes
        /// The handshake finished with this ALPN protocol (nil: none was negotiated).
        case complete(alpn: String?, peer: TLSPeerIdentity?)
        case failed(TLSError)
    }

    enum Action: Sendable, Equatable {
        /// Send the pending handshake bytes and wait for the peer.
        case awaitPeer
        /// Handshake done: application data may flow now.
        case startApplicationData
        /// Send the pending alert (best effort) and close the connection with this error.
        case fail(TLSError)
        /// Nothing to do (the handshake is already over).
        case none
    }

    /// The only application protocol gRPC runs over.
    static let requiredProtocol = "h2"

    private(set) var state: State = .handshaking

    var isEstablished: Bool {
        if case .established = state { return true }
        return false
    }

    var peer: TLSPeerIdentity? {
        if case .established(let peer) = state { return peer }
        return nil
    }

    mutating func stepped(_ outcome: StepOutcome) -> Action {
        guard case .handshaking = state else {
            if case .failed(let error) = state { return .fail(error) }
            return .none
        }
        switch outcome {
        case .needsPeerBytes:
            return .awaitPeer
        case .complete(let alpn, let peer):
            guard alpn == Self.requiredProtocol else {
                let error = TLSError(alpn.map { "the peer negotiated ALPN \"\($0)\", not \"h2\"" }
                                     ?? "the peer did not negotiate ALPN \"h2\" (gRPC requires HTTP/2 over TLS)")
                state = .failed(error)
                return .fail(error)
            }
            state = .established(peer: peer)
            return .startApplicationData
        case .failed(let error):
            state = .failed(error)
            return .fail(error)
        }
    }

    /// close_notify went out or came in: no more application data.
    mutating func closed() {
        if case .failed = state { return }
        state = .closed
    }
}
