import CNGHTTP2
import Foundation
import Glibc
@testable import RPC

/// A plain blocking socket that speaks HTTP/2 by hand, frame by frame, with no HTTP/2 library
/// in between: for peers that break the rules in ways nghttp2's client would refuse to
/// (stream ids out of order) or that stop half-way (no preface, a bare message prefix).
/// Its calls block: from async code, call them through `offPool`.
final class RawFrameSocket: @unchecked Sendable {  // used by one test at a time, sequentially
    struct Frame {
        var type: UInt8
        var flags: UInt8
        var streamID: UInt32
        var payload: [UInt8]
        /// GOAWAY's error code.
        var goAwayErrorCode: UInt32? {
            guard type == 7, payload.count >= 8 else { return nil }
            return UInt32(payload[4]) << 24 | UInt32(payload[5]) << 16 | UInt32(payload[6]) << 8 | UInt32(payload[7])
        }
    }

    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
    let fd: Int32
    private var received: [UInt8] = []
    private(set) var sawEndOfFile = false

    init(address: SocketAddress) throws {
        let (socket, inProgress) = try Socket.connect(to: address)
        fd = socket.fd
        // Blocking from here on: simpler for a test peer.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        if inProgress {
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&pfd, 1, 5000) == 1, socket.pendingError() == 0 else {
                Glibc.close(fd)
                throw RawHTTP2Client.Failure(description: "connect failed")
            }
        }
    }

    private var isClosed = false

    deinit { closeNow() }

    /// Closes the socket now (the server sees the peer leave).
    func closeNow() {
        guard !isClosed else { return }
        isClosed = true
        // shutdown first: it also wakes a thread blocked in send or recv on this socket.
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
    }

    func send(_ bytes: [UInt8]) throws {
        let written = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard written == bytes.count else { throw RawHTTP2Client.Failure(description: "send failed") }
    }

    /// The client preface and an empty SETTINGS frame.
    func sendPrefaceAndSettings() throws {
        try send(Self.preface + Self.frame(type: 4, flags: 0, streamID: 0, payload: []))
    }

    static func frame(type: UInt8, flags: UInt8, streamID: UInt32, payload: [UInt8]) -> [UInt8] {
        let length = payload.count
        return [UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type, flags,
                UInt8(streamID >> 24 & 0x7F), UInt8(streamID >> 16 & 0xFF), UInt8(streamID >> 8 & 0xFF), UInt8(streamID & 0xFF)]
            + payload
    }

    /// A HEADERS frame (END_HEADERS) of a gRPC request for `path`, HPACK-encoded with literals
    /// that never touch the dynamic table, so frames can be sent in any order.
    static func requestHeaders(streamID: UInt32, path: String, endStream: Bool) -> [UInt8] {
        func literal(nameIndex: UInt8, _ value: String) -> [UInt8] {
            // "Literal Header Field without Indexing — Indexed Name" (4-bit prefix).
            precondition(nameIndex < 15 && value.utf8.count < 127)
            return [nameIndex, UInt8(value.utf8.count)] + Array(value.utf8)
        }
        func literal(name: String, _ value: String) -> [UInt8] {
            [0, UInt8(name.utf8.count)] + Array(name.utf8) + [UInt8(value.utf8.count)] + Array(value.utf8)
        }
        let block: [UInt8] = [0x83, 0x86]  // :method POST, :scheme http (static table)
            + literal(nameIndex: 4, path) + literal(nameIndex: 1, "localhost")
            + literal(name: "content-type", "application/grpc") + literal(name: "te", "trailers")
        return frame(type: 1, flags: 0x4 | (endStream ? 0x1 : 0), streamID: streamID, payload: block)
    }

    static func data(streamID: UInt32, _ bytes: [UInt8], endStream: Bool = false) -> [UInt8] {
        frame(type: 0, flags: endStream ? 0x1 : 0, streamID: streamID, payload: bytes)
    }

    /// Reads frames until `predicate` holds for one (returned) or the server closes the
    /// connection or `timeout` passes (nil). The server's preface needs no special case: it
    /// is a SETTINGS frame.
    func readFrame(timeout: Duration, where predicate: (Frame) -> Bool) -> Frame? {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            while let frame = takeFrame() {
                if predicate(frame) { return frame }
            }
            guard !sawEndOfFile, ContinuousClock.now < deadline else { return nil }
            fill(until: deadline)
        }
    }

    /// Waits until the server closes the connection (true) or `timeout` passes (false).
    func waitForClose(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !sawEndOfFile, ContinuousClock.now < deadline {
            fill(until: deadline)
            received.removeAll()
        }
        return sawEndOfFile
    }

    private func fill(until deadline: ContinuousClock.Instant) {
        let left = deadline - ContinuousClock.now
        let millis = max(1, Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, min(millis, 100)) == 1 else { return }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
        if count <= 0 {
            sawEndOfFile = true
            return
        }
        received.append(contentsOf: buffer[0..<count])
    }

    private func takeFrame() -> Frame? {
        guard received.count >= 9 else { return nil }
        let length = Int(received[0]) << 16 | Int(received[1]) << 8 | Int(received[2])
        guard received.count >= 9 + length else { return nil }
        let streamID = UInt32(received[5] & 0x7F) << 24 | UInt32(received[6]) << 16 | UInt32(received[7]) << 8 | UInt32(received[8])
        let frame = Frame(type: received[3], flags: received[4], streamID: streamID, payload: Array(received[9..<(9 + length)]))
        received.removeFirst(9 + length)
        return frame
    }
}
