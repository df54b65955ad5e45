import CNGHTTP2
import CRPCSystem
import Foundation
import Glibc
import Synchronization
@testable import RPC

/// A misbehaving HTTP/2 server driven by nghttp2 on its own thread, answering every request
/// the same scripted way, so tests can see how our Channel maps what real servers and proxies
/// may send (non-200 statuses, resets, GOAWAY).
final class RawHTTP2Server: @unchecked Sendable {  // state is touched only on its thread
    enum Behavior: Sendable {
        /// One HEADERS frame with END_STREAM.
        case respond([(String, String)])
        /// RST_STREAM with this HTTP/2 error code.
        case reset(UInt32)
        /// GOAWAY with this error code and last stream id 0 (the request was never processed).
        case goAway(UInt32)
    }

    let address: SocketAddress
    private let listener: Socket
    private let behaviors: [Behavior]
    /// When set: the per-stream receive window advertised, never reopened (request bodies
    /// beyond it stay unsent, as with a server that answers without reading).
    private let streamWindow: UInt32?
    private let stopped = Atomic<Bool>(false)
    /// Requests answered so far.
    let requestCount = Atomic<Int>(0)
    private var session: OpaquePointer?
    private var pendingRequests: [Int32] = []

    /// Answers request i with `behaviors[i]` (the last one repeats).
    init(behaviors: [Behavior], streamWindow: UInt32? = nil) throws {
        self.behaviors = behaviors
        self.streamWindow = streamWindow
        (listener, address) = try Socket.listen(on: .ipv4(host: "127.0.0.1", port: 0))
        Thread.detachNewThread { [self] in run() }
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    private func run() {
        defer { listener.close() }
        // Bounded: stops when told to, or after 30 s at most.
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while !stopped.load(ordering: .relaxed) && ContinuousClock.now < deadline {
            var pfd = pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 50) == 1, let client = try? listener.accept() else { continue }
            serve(client, deadline: deadline)
            client.close()
        }
    }

    private func serve(_ client: Socket, deadline: ContinuousClock.Instant) {
        var callbacks: OpaquePointer?
        nghttp2_session_callbacks_new(&callbacks)
        defer { nghttp2_session_callbacks_del(callbacks) }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, user in
            let server = Unmanaged<RawHTTP2Server>.fromOpaque(user!).takeUnretainedValue()
            let header = frame!.pointee.hd
            if header.type == UInt8(NGHTTP2_HEADERS.rawValue) && frame!.pointee.headers.cat == NGHTTP2_HCAT_REQUEST {
                server.pendingRequests.append(header.stream_id)
            }
            return 0
        }
        var options: OpaquePointer?
        nghttp2_option_new(&options)
        defer { nghttp2_option_del(options) }
        if streamWindow != nil { nghttp2_option_set_no_auto_window_update(options, 1) }
        nghttp2_session_server_new2(&session, callbacks, Unmanaged.passUnretained(self).toOpaque(), options)
        defer { nghttp2_session_del(session); session = nil }
        if let streamWindow {
            var window = nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: streamWindow)
            nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &window, 1)
        } else {
            nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil, 0)
        }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !stopped.load(ordering: .relaxed) && ContinuousClock.now < deadline {
            for stream in pendingRequests { answer(stream) }
            pendingRequests.removeAll()
            while true {
                var pointer: UnsafePointer<UInt8>?
                let length = nghttp2_session_mem_send(session, &pointer)
                guard length > 0 else { break }
                _ = send(client.fd, pointer, length, Int32(MSG_NOSIGNAL))
            }
            var pfd = pollfd(fd: client.fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 50) == 1 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(client.fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return }
            if nghttp2_session_mem_recv(session, buffer, count) < 0 { return }
        }
    }

    convenience init(behavior: Behavior, streamWindow: UInt32? = nil) throws {
        try self.init(behaviors: [behavior], streamWindow: streamWindow)
    }

    private func answer(_ stream: Int32) {
        let index = requestCount.wrappingAdd(1, ordering: .relaxed).oldValue
        switch behaviors[min(index, behaviors.count - 1)] {
        case .respond(let headers):
            _ = HeaderBlock(headers).withNV { nva, count in nghttp2_submit_response(session, stream, nva, count, nil) }
        case .reset(let code):
            nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream, code)
        case .goAway(let code):
            nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, code, nil, 0)
        }
    }
}

