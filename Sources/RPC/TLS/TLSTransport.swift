/// A `TLSEngine` driven by a non-blocking socket on the event loop: reads pull ciphertext from
/// the socket into the engine and return plaintext; writes encrypt the connection's output and
/// push the ciphertext out. The handshake runs inside both, as bytes come and go, so a
/// connection needs no separate handshake phase: until it completes, reads return no data
/// and writes hold the output back. Loop-confined.
final class TLSTransport {
    private let engine: TLSEngine

    init(engine: TLSEngine) {
        self.engine = engine
    }

    var peerIdentity: TLSPeerIdentity? { engine.handshake.peer }
    var hasBufferedInput: Bool { engine.hasBufferedInput }
    var hasPendingOutput: Bool { engine.pendingCiphertextCount > 0 }

    // MARK: Reading

    /// Fills `buffer` with plaintext until it is full or the socket has nothing more.
    func read(from socket: Socket, into buffer: UnsafeMutableRawBufferPointer) throws -> ReadOutcome {
        if !engine.handshake.isEstablished {
            switch try handshake(socket) {
            case .established: break
            case .waiting: return .wouldBlock
            }
        }
        var filled = 0
        // Bounded: every round decrypts a record (up to 16 KiB) or reads the socket once.
        for _ in 0..<256 where filled < buffer.count {
            switch try engine.decrypt(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])) {
            case .bytes(let count):
                filled += count
            case .closedByPeer:
                return filled > 0 ? .bytes(filled) : .endOfFile
            case .needsCiphertext:
                switch try readCiphertext(socket) {
                case .bytes:
                    continue
                case .wouldBlock:
                    return filled > 0 ? .bytes(filled) : .wouldBlock
                case .endOfFile:
                    return filled > 0 ? .bytes(filled) : .endOfFile
                }
            }
        }
        return filled > 0 ? .bytes(filled) : .wouldBlock
    }

    private enum HandshakeProgress { case established, waiting }

    /// Advances the handshake with what the socket has; its flights go out at once.
    private func handshake(_ socket: Socket) throws -> HandshakeProgress {
        // Bounded: a handshake is a handful of flights; each round consumes a socket read.
        for _ in 0..<32 {
            switch engine.advanceHandshake() {
            case .startApplicationData, .none:
                return .established
            case .fail(let error):
                // The alert OpenSSL queued tells the peer why (no_application_protocol, bad_certificate).
                _ = try? sendCiphertext(socket)
                throw error
            case .awaitPeer:
                _ = try sendCiphertext(socket)
                switch try readCiphertext(socket) {
                case .bytes:
                    continue
                case .wouldBlock:
                    return .waiting
                case .endOfFile:
                    throw TLSError("the peer closed the connection during the TLS handshake")
                }
            }
        }
        return .waiting
    }

    /// One socket read straight into the engine's inbound buffer.
    private func readCiphertext(_ socket: Socket) throws(SocketError) -> ReadOutcome {
        try engine.receiveCiphertext { (space) throws(SocketError) -> ReadOutcome in try socket.read(into: space) }
    }

    // MARK: Writing

    /// Encrypts `output` and writes the ciphertext, until everything is out or the socket is full.
    func write(_ output: inout OutputBuffer, to socket: Socket) throws -> ConnectionTransport.WriteProgress {
        if !engine.handshake.isEstablished {
            switch engine.advanceHandshake() {
            case .startApplicationData, .none:
                break
            case .fail(let error):
                _ = try? sendCiphertext(socket)
                throw error
            case .awaitPeer:
                return try sendCiphertext(socket) ? .awaitingHandshake : .blockedOnSocket
            }
        }
        guard try sendCiphertext(socket) else { return .blockedOnSocket }
        let engine = self.engine
        let allEncrypted = try output.write { (vectors) throws -> Int in
            var taken = 0
            for vector in vectors {
                let bytes = UnsafeRawBufferPointer(start: vector.iov_base, count: vector.iov_len)
                let encrypted = try Self.encrypt(bytes, engine: engine, socket: socket)
                taken += encrypted
                if encrypted < bytes.count { break }
            }
            return taken
        }
        let allSent = try sendCiphertext(socket)
        return allEncrypted && allSent ? .complete : .blockedOnSocket
    }

    /// Encrypts a prefix of `bytes`, sending ciphertext whenever the outbound buffer fills;
    /// stops when the socket is full. Returns the plaintext bytes taken.
    private static func encrypt(_ bytes: UnsafeRawBufferPointer, engine: TLSEngine, socket: Socket) throws -> Int {
        var offset = 0
        // Bounded: each round encrypts up to a buffer's worth or finds the socket full.
        for _ in 0..<(bytes.count / 4096 + 64) where offset < bytes.count {
            let count = try engine.encrypt(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            offset += count
            if count == 0 {
                guard try engine.sendCiphertext({ (data) throws(SocketError) -> Int in try socket.write(data) }) else { break }
            }
        }
        return offset
    }

    /// Writes pending ciphertext; true when none is left.
    private func sendCiphertext(_ socket: Socket) throws(SocketError) -> Bool {
        try engine.sendCiphertext { (data) throws(SocketError) -> Int in try socket.write(data) }
    }

    /// Queues close_notify and tries to send it (the peer learns the close was intended).
    func sendCloseNotify(_ socket: Socket) {
        engine.queueCloseNotify()
        _ = try? sendCiphertext(socket)
    }
}

extension TLSTransport {
    /// A client session for a channel's next connection, verifying the configured name (or the
    /// target's host).
    convenience init(client context: TLSContext, configuration: Channel.Configuration) throws(TLSError) {
        let name: String
        if let override = configuration.tls?.serverNameOverride {
            name = override
        } else {
            switch configuration.target {
            case .ipv4(let host, _), .ipv6(let host, _): name = host
            case .unix: name = "localhost"
            }
        }
        self.init(engine: try TLSEngine(context: context, verifiedName: name))
    }
}
