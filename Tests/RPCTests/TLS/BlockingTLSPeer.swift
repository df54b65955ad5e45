import Glibc
@testable import RPC

/// A test peer that runs a `TLSEngine` over a blocking `RawFrameSocket`: for clients our
/// `Channel` would never be (one that offers no ALPN). Call through `offPool`.
final class BlockingTLSPeer: @unchecked Sendable {  // used by one test, sequentially
    let socket: RawFrameSocket
    let engine: TLSEngine

    init(address: SocketAddress, context: TLSContext, verifiedName: String) throws {
        socket = try RawFrameSocket(address: address)
        engine = try TLSEngine(context: context, verifiedName: verifiedName)
    }

    /// Runs the handshake until our side finishes (either way) or `timeout` passes; returns
    /// our side's final state.
    func handshake(timeout: Duration) throws -> TLSHandshake.State {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        // Bounded by the deadline and a round count.
        for _ in 0..<100 where ContinuousClock.now < deadline {
            let action = engine.advanceHandshake()
            try flush()
            switch action {
            case .startApplicationData, .none, .fail: return engine.handshake.state
            case .awaitPeer: break
            }
            var pfd = pollfd(fd: socket.fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 100) == 1 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(socket.fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return engine.handshake.state }
            _ = buffer.withUnsafeBytes { engine.receiveCiphertext(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
        return engine.handshake.state
    }

    /// Sends whatever the engine has queued (handshake flights, alerts, close_notify).
    func flush() throws {
        _ = try engine.sendCiphertext { bytes in
            try socket.send(Array(bytes))
            return bytes.count
        }
    }
}
