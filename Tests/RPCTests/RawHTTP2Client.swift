import CNGHTTP2
import CRPCSystem
import Foundation
import Glibc
@testable import RPC

/// A gRPC-frame: flag byte, big-endian length, payload.
func grpcFrame(_ payload: [UInt8]) -> [UInt8] {
    let n = payload.count
    return [0, UInt8(n >> 24 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + payload
}

/// A deliberately plain HTTP/2 client driven by nghttp2 over a blocking socket, used to send
/// requests our Channel would never produce (bad content-type, missing headers, raw bytes).
final class RawHTTP2Client: @unchecked Sendable {  // used by one test at a time, sequentially
    struct Response {
        var headers: [String: String] = [:]
        var trailers: [String: String] = [:]
        var data: [UInt8] = []
        var closed = false
        var resetCode: UInt32?
        var grpcStatus: String? { trailers["grpc-status"] ?? headers["grpc-status"] }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let fd: Int32
    private var session: OpaquePointer?
    fileprivate var responses: [Int32: Response] = [:]
    fileprivate var bodies: [Int32: (bytes: [UInt8], offset: Int)] = [:]
    /// Largest DATA payload the client sends (small values split messages across many frames).
    var dataChunkSize = Int.max
    fileprivate var headerTarget: [Int32: Bool] = [:]  // true once the first block is complete (then trailers)
    private(set) var goAwayCode: UInt32?
    private(set) var connectionClosed = false

    init(address: SocketAddress) throws {
        let (socket, inProgress) = try Socket.connect(to: address)
        fd = socket.fd
        if inProgress {
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&pfd, 1, 5000) == 1, socket.pendingError() == 0 else { throw Failure(description: "connect failed") }
        }
        var callbacks: OpaquePointer?
        nghttp2_session_callbacks_new(&callbacks)
        defer { nghttp2_session_callbacks_del(callbacks) }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, user in
            let client = Unmanaged<RawHTTP2Client>.fromOpaque(user!).takeUnretainedValue()
            let id = frame!.pointee.hd.stream_id
            let key = String(decoding: UnsafeRawBufferPointer(start: name, count: nameLength), as: UTF8.self)
            let text = String(decoding: UnsafeRawBufferPointer(start: value, count: valueLength), as: UTF8.self)
            if client.headerTarget[id] == true {
                client.responses[id, default: Response()].trailers[key] = text
            } else {
                client.responses[id, default: Response()].headers[key] = text
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, user in
            let client = Unmanaged<RawHTTP2Client>.fromOpaque(user!).takeUnretainedValue()
            let header = frame!.pointee.hd
            if header.type == UInt8(NGHTTP2_HEADERS.rawValue) { client.headerTarget[header.stream_id] = true }
            if header.type == UInt8(NGHTTP2_GOAWAY.rawValue) { client.goAwayCode = frame!.pointee.goaway.error_code }
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, id, data, length, user in
            let client = Unmanaged<RawHTTP2Client>.fromOpaque(user!).takeUnretainedValue()
            client.responses[id, default: Response()].data.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length))
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, id, code, user in
            let client = Unmanaged<RawHTTP2Client>.fromOpaque(user!).takeUnretainedValue()
            client.responses[id, default: Response()].closed = true
            if code != 0 { client.responses[id, default: Response()].resetCode = code }
            return 0
        }
        nghttp2_session_client_new(&session, callbacks, Unmanaged.passUnretained(self).toOpaque())
        nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil, 0)
        try pump(readFor: .zero)
    }

    deinit {
        if let session { nghttp2_session_del(session) }
    }

    func close() { _ = Glibc.close(fd) }

    /// Sends a request; defaults make a valid gRPC request unless overridden by `headers`.
    func request(path: String, method: String = "POST", contentType: String? = "application/grpc", te: String? = "trailers",
                 extraHeaders: [(String, String)] = [], body: [UInt8]? = nil) throws -> Int32 {
        var fields: [(String, String)] = [(":method", method), (":scheme", "http"), (":path", path), (":authority", "localhost")]
        if let contentType { fields.append(("content-type", contentType)) }
        if let te { fields.append(("te", te)) }
        fields += extraHeaders
        let block = HeaderBlock(fields)
        var provider = nghttp2_data_provider()
        provider.read_callback = { _, id, buffer, length, flags, _, user in
            let client = Unmanaged<RawHTTP2Client>.fromOpaque(user!).takeUnretainedValue()
            guard var body = client.bodies[id] else {
                flags!.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
                return 0
            }
            let count = min(length, body.bytes.count - body.offset, client.dataChunkSize)
            body.bytes.withUnsafeBytes { raw in
                UnsafeMutableRawPointer(buffer!).copyMemory(from: raw.baseAddress! + body.offset, byteCount: count)
            }
            body.offset += count
            client.bodies[id] = body
            if body.offset == body.bytes.count { flags!.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue }
            return count
        }
        let id = block.withNV { nva, count in
            body == nil
                ? nghttp2_submit_request(session, nil, nva, count, nil, nil)
                : nghttp2_submit_request(session, nil, nva, count, &provider, nil)
        }
        guard id > 0 else { throw Failure(description: "submit_request failed \(id)") }
        if let body { bodies[id] = (body, 0) }
        try pump(readFor: .zero)
        return id
    }

    /// Opens `count` streams and resets each of them, all sent with one `send` (a flood that
    /// reaches the server at once, however slowly this process is scheduled).
    func requestAndResetFlood(count: Int, path: String) throws {
        var ids: [Int32] = []
        var batch: [UInt8] = []
        func collect() {
            while true {
                var pointer: UnsafePointer<UInt8>?
                let length = nghttp2_session_mem_send(session, &pointer)
                guard length > 0, let pointer else { break }
                batch.append(contentsOf: UnsafeBufferPointer(start: pointer, count: length))
            }
        }
        for _ in 0..<count {
            let block = HeaderBlock([(":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "localhost"),
                                     ("content-type", "application/grpc"), ("te", "trailers")])
            let id = block.withNV { nva, fieldCount in nghttp2_submit_request(session, nil, nva, fieldCount, nil, nil) }
            guard id > 0 else { throw Failure(description: "submit_request failed \(id)") }
            ids.append(id)
        }
        // The HEADERS must be serialized before the resets (nghttp2 would otherwise drop a
        // request it has not sent yet instead of resetting it).
        collect()
        for id in ids {
            nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), id, NGHTTP2_CANCEL.rawValue)
        }
        collect()
        try sendRaw(batch)
    }

    func reset(stream: Int32) throws {
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream, NGHTTP2_CANCEL.rawValue)
        try pump(readFor: .zero)
    }

    func sendSettings() throws {
        nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil, 0)
        try pump(readFor: .zero)
    }

    func ping() throws {
        nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
        try pump(readFor: .zero)
    }

    /// Writes bytes straight to the socket, bypassing nghttp2 (for malformed input).
    func sendRaw(_ bytes: [UInt8]) throws {
        let written = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard written == bytes.count else { throw Failure(description: "raw send failed") }
    }

    /// Reads until the stream closes (or the connection does), bounded by `timeout`.
    func waitForEnd(stream: Int32, timeout: Duration) throws -> Response {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while responses[stream]?.closed != true && !connectionClosed {
            guard ContinuousClock.now < deadline else { throw Failure(description: "timed out waiting for stream \(stream)") }
            try pump(readFor: .milliseconds(50))
        }
        return responses[stream] ?? Response()
    }

    /// Reads until the server closes the connection, bounded by `timeout`.
    func waitForConnectionClose(timeout: Duration) throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !connectionClosed {
            guard ContinuousClock.now < deadline else { return false }
            try pump(readFor: .milliseconds(50))
        }
        return true
    }

    /// Flushes nghttp2's output, then reads what arrives within `readFor`.
    func pump(readFor: Duration) throws {
        while true {
            var pointer: UnsafePointer<UInt8>?
            let length = nghttp2_session_mem_send(session, &pointer)
            guard length > 0 else { break }
            let written = Glibc.send(fd, pointer, length, Int32(MSG_NOSIGNAL))
            if written < 0 { connectionClosed = true; return }
        }
        let millis = Int32(readFor.components.seconds * 1000 + readFor.components.attoseconds / 1_000_000_000_000_000)
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, millis) == 1 else { return }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
        if count <= 0 {
            connectionClosed = true
            return
        }
        let processed = nghttp2_session_mem_recv(session, buffer, count)
        if processed < 0 { throw Failure(description: "client nghttp2 error \(processed)") }
        try pump(readFor: .zero)
    }
}

/// Runs blocking test I/O on its own thread so it never starves Swift's cooperative pool
/// (only two threads on this machine), which the server's handlers need.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
