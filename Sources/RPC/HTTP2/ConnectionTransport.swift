/// What carries an HTTP/2 connection's bytes over its socket: the socket itself (plaintext), or
/// a TLS session in between. An enum rather than a protocol: a plaintext connection pays one
/// predictable branch per read or write, and no allocation or indirect call.
enum ConnectionTransport {
    case plaintext
    case tls(TLSTransport)

    /// How far a write got.
    enum WriteProgress: Equatable {
        /// Everything is in the socket.
        case complete
        /// The socket is full: wait for EPOLLOUT.
        case blockedOnSocket
        /// The TLS handshake is not done: wait for the peer (application data waits meanwhile).
        case awaitingHandshake
    }

    /// Reads plaintext into `buffer`. A count short of `buffer.count` means the socket had no
    /// more (the read loop relies on that), unless `hasBufferedInput` says otherwise.
    @inline(__always)
    func read(from socket: Socket, into buffer: UnsafeMutableRawBufferPointer) throws -> ReadOutcome {
        switch self {
        case .plaintext: try socket.read(into: buffer)
        case .tls(let tls): try tls.read(from: socket, into: buffer)
        }
    }

    /// Writes as much of `output` as the socket takes.
    @inline(__always)
    func write(_ output: inout OutputBuffer, to socket: Socket) throws -> WriteProgress {
        switch self {
        case .plaintext: try output.write(to: socket) ? .complete : .blockedOnSocket
        case .tls(let tls): try tls.write(&output, to: socket)
        }
    }

    /// Input is buffered that no socket event will announce (TLS records already received).
    var hasBufferedInput: Bool {
        switch self {
        case .plaintext: false
        case .tls(let tls): tls.hasBufferedInput
        }
    }

    /// Bytes are waiting for the socket beyond the connection's own output buffer.
    var hasPendingOutput: Bool {
        switch self {
        case .plaintext: false
        case .tls(let tls): tls.hasPendingOutput
        }
    }

    /// Bytes the transport holds for the connection's whole life (TLS: its two ciphertext
    /// buffers), charged to the connection's memory budget.
    var fixedBufferBytes: Int {
        switch self {
        case .plaintext: 0
        case .tls: TLSTransport.bufferBytes
        }
    }

    /// Before our FIN: TLS sends close_notify (best effort, the socket may be full).
    func finishWriting(_ socket: Socket) {
        if case .tls(let tls) = self { tls.sendCloseNotify(socket) }
    }

    /// The verified certificate identity of the peer, on TLS connections where it sent one.
    var peerIdentity: TLSPeerIdentity? {
        if case .tls(let tls) = self { return tls.peerIdentity }
        return nil
    }
}
