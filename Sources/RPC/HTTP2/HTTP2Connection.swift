import CNGHTTP2
import CRPCSystem
import Glibc
import Logging

/// Tuning shared by server and client connections.
struct HTTP2Settings: Sendable {
    /// SETTINGS_INITIAL_WINDOW_SIZE we advertise (per stream receive window).
    var initialStreamWindow: Int32 = 1 << 20
    /// Our connection-level receive window.
    var connectionWindow: Int32 = 16 << 20
    /// SETTINGS_MAX_CONCURRENT_STREAMS we advertise (server side).
    var maxConcurrentStreams: UInt32 = 4096
    /// SETTINGS_MAX_HEADER_LIST_SIZE we advertise.
    var maxHeaderListSize: UInt32 = 16 << 10
    /// SETTINGS_MAX_FRAME_SIZE we advertise.
    var maxFrameSize: UInt32 = 1 << 16
}

/// One HTTP/2 connection driven by an nghttp2 session on one event loop: reads feed
/// `nghttp2_session_mem_recv`, output is drained with `nghttp2_session_mem_send` into an
/// `OutputBuffer` flushed by `writev` once per loop iteration. Subclasses (server, client)
/// implement the stream hooks. Everything here runs on `loop`.
class HTTP2Connection: EventHandler {
    let loop: EventLoop
    let socket: Socket
    let logger: Logger
    let settings: HTTP2Settings
    private(set) var session: OpaquePointer?
    private var output = OutputBuffer()
    private var readBuffer: UnsafeMutableRawBufferPointer
    private var wantsWritable = false
    private var flushScheduled = false
    private(set) var isClosed = false
    /// Set by `closeAfterPendingOutput` from inside nghttp2 callbacks (where the session may not
    /// be re-entered): the read path stops processing input, flushes, then closes.
    private(set) var closeRequested: RPCError?
    /// After our FIN: input is read and dropped until the peer closes.
    private var isLingering = false
    /// Header bytes received per stream in the current header block (HPACK accounting:
    /// name + value + 32 per field), bounded by `settings.maxHeaderListSize`.
    private var headerBlockBytes: [Int32: Int] = [:]
    /// False while a client socket is still connecting: frames queue up in nghttp2 meanwhile.
    var canWrite = true
    /// What carries the bytes: the socket itself, or TLS over it. Set before `start`/`begin`.
    var transport: ConnectionTransport = .plaintext
    /// Output waiting in `output` above which we stop asking nghttp2 for more frames.
    private let outputHighWater = 1 << 20

    init(loop: EventLoop, socket: Socket, isServer: Bool, settings: HTTP2Settings, logger: Logger) throws {
        self.loop = loop
        self.socket = socket
        self.settings = settings
        self.logger = logger
        self.readBuffer = .allocate(byteCount: 256 << 10, alignment: 16)

        var callbacks: OpaquePointer?
        nghttp2_session_callbacks_new(&callbacks)
        defer { nghttp2_session_callbacks_del(callbacks) }
        Self.installCallbacks(callbacks)
        var options: OpaquePointer?
        nghttp2_option_new(&options)
        defer { nghttp2_option_del(options) }
        // We return receive windows ourselves, only as the application consumes messages.
        nghttp2_option_set_no_auto_window_update(options, 1)
        nghttp2_option_set_peer_max_concurrent_streams(options, 1 << 16)
        // Debian's nghttp2 1.52 (security update) limits incoming RST_STREAM to a burst of 1000
        // and 33 a second, then answers with GOAWAY INTERNAL_ERROR. That would close a busy,
        // honest client's connection long before our own, configurable guard applies (the
        // server's `AbuseGuard`, `maxEarlyResetsPerSecond`), so it is set out of the way.
        nghttp2_option_set_stream_reset_rate_limit(options, UInt64(Int32.max), UInt64(Int32.max))

        var created: OpaquePointer?
        let userData = Unmanaged.passUnretained(self).toOpaque()
        let result = isServer
            ? nghttp2_session_server_new2(&created, callbacks, userData, options)
            : nghttp2_session_client_new2(&created, callbacks, userData, options)
        guard result == 0, let created else {
            readBuffer.deallocate()
            throw RPCError(code: .internalError, message: "nghttp2 session creation failed (\(result))")
        }
        session = created
    }

    deinit {
        if let session { nghttp2_session_del(session) }
        readBuffer.deallocate()
    }

    /// Registers with the loop and sends our SETTINGS. Loop thread.
    func start() throws {
        submitSettings()
        try registerWithLoop(readable: true, writable: false)
        scheduleFlush()
    }

    /// True once the socket is registered with the loop (only then does `close` unregister
    /// it: the descriptor number could belong to another registration otherwise).
    private var isRegistered = false

    func registerWithLoop(readable: Bool, writable: Bool) throws(EventLoopError) {
        try loop.register(fd: socket.fd, handler: self, readable: readable, writable: writable)
        isRegistered = true
    }

    /// Queues our SETTINGS and opens the connection window.
    func submitSettings() {
        var entries = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: UInt32(settings.initialStreamWindow)),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue), value: settings.maxHeaderListSize),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_FRAME_SIZE.rawValue), value: settings.maxFrameSize),
        ]
        if isServerSide {
            entries.append(nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: settings.maxConcurrentStreams))
        } else {
            entries.append(nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0))
        }
        nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &entries, entries.count)
        nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, settings.connectionWindow)
    }

    var isServerSide: Bool { false }

    // MARK: Hooks for subclasses (loop thread)

    func didBeginHeaders(streamID: Int32, category: nghttp2_headers_category) {}
    func didReceiveHeader(streamID: Int32, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {}
    /// A complete HEADERS block arrived (request/response headers or trailers).
    func didReceiveHeaders(streamID: Int32, category: nghttp2_headers_category, endStream: Bool) {}
    func didReceiveData(streamID: Int32, bytes: UnsafeRawBufferPointer) {}
    func didReceiveEndOfStream(streamID: Int32) {}
    func didReceiveReset(streamID: Int32, errorCode: UInt32) {}
    func didCloseStream(streamID: Int32, errorCode: UInt32) {}
    func didReceiveGoAway(lastStreamID: Int32, errorCode: UInt32) {}
    func didReceivePing(isAck: Bool) {}
    func didReceiveSettings() {}
    /// We sent a DATA frame (the server resets ping strikes on activity).
    func didSendData() {}
    /// A frame left with END_STREAM set.
    func didSendEndOfStream(streamID: Int32) {}
    /// The outbound queue of a stream, for the data provider.
    func outboundData(streamID: Int32) -> OutboundData? { nil }
    /// The connection closed (peer gone, protocol error or local close).
    func connectionDidClose(error: RPCError) {}
    /// A HEADERS frame header arrived, before nghttp2 decides what it means (it silently drops
    /// some, see `ClientStreamIDs`). Returning false fails the connection (the subclass has
    /// queued the GOAWAY).
    func willReceiveHeaders(streamID: Int32) -> Bool { true }

    // MARK: Sending

    /// The data provider used for every stream we send DATA on; it reads `outboundData(streamID:)`.
    static func dataProvider() -> nghttp2_data_provider {
        var provider = nghttp2_data_provider()
        provider.read_callback = { session, streamID, _, maxLength, flags, _, userData in
            let connection = Unmanaged<HTTP2Connection>.fromOpaque(userData!).takeUnretainedValue()
            return connection.readData(streamID: streamID, maxLength: maxLength, flags: flags!)
        }
        return provider
    }

    private func readData(streamID: Int32, maxLength: Int, flags: UnsafeMutablePointer<UInt32>) -> Int {
        guard let data = outboundData(streamID: streamID) else {
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            return 0
        }
        let length = min(maxLength, data.pendingBytes)
        if length > 0 { flags.pointee |= NGHTTP2_DATA_FLAG_NO_COPY.rawValue }
        if length == data.pendingBytes && data.ended {
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            if let trailers = data.trailers {
                flags.pointee |= NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
                trailers.withNV { nva, count in _ = nghttp2_submit_trailer(session, streamID, nva, count) }
            }
            return length
        }
        if length == 0 {
            data.isDeferred = true
            return Int(NGHTTP2_ERR_DEFERRED.rawValue)
        }
        return length
    }

    /// nghttp2 wants the payload of a NO_COPY DATA frame: header bytes, then our slices.
    fileprivate func sendData(frame: UnsafeMutablePointer<nghttp2_frame>, header: UnsafePointer<UInt8>, length: Int) -> Int32 {
        didSendData()
        output.appendCopy(UnsafeRawBufferPointer(start: header, count: 9))
        let streamID = frame.pointee.hd.stream_id
        if let data = outboundData(streamID: streamID) {
            data.take(length, into: &output)
        }
        return 0
    }

    /// Something changed in a stream's outbound queue: let nghttp2 ask again and flush soon.
    func resumeData(streamID: Int32, _ data: OutboundData) {
        if data.isDeferred {
            data.isDeferred = false
            nghttp2_session_resume_data(session, streamID)
        }
        scheduleFlush()
    }

    /// Returns `count` received bytes of `streamID` to the peer's send window.
    func consume(streamID: Int32, count: Int) {
        guard count > 0, let session, !isClosed else { return }
        if nghttp2_session_consume(session, streamID, count) != 0 {
            nghttp2_session_consume_connection(session, count)
        }
        scheduleFlush()
    }

    /// Returns `count` bytes to the stream's window only (the connection's is returned
    /// separately, when the memory they occupy is released).
    func consumeStreamWindow(streamID: Int32, count: Int) {
        guard count > 0, let session, !isClosed else { return }
        // Fails harmlessly for a stream nghttp2 already closed.
        _ = nghttp2_session_consume_stream(session, streamID, count)
        scheduleFlush()
    }

    /// Returns `count` bytes to the connection's window.
    func consumeConnectionWindow(count: Int) {
        guard count > 0, let session, !isClosed else { return }
        nghttp2_session_consume_connection(session, count)
        scheduleFlush()
    }

    // MARK: Pausing input

    /// True while we do not read the socket (the peer's bytes wait in the kernel and, once
    /// its buffers fill, TCP flow control stops the peer).
    private(set) var isReadingPaused = false

    /// Asked before every socket read: true makes the connection stop reading until
    /// `resumeReading()`.
    func shouldPauseReading() -> Bool { false }

    /// Reading just stopped; the subclass arranges for `resumeReading()`.
    func didPauseReading() {}

    private func pauseReading() {
        guard !isReadingPaused, !isClosed else { return }
        isReadingPaused = true
        loop.reregister(fd: socket.fd, readable: false, writable: wantsWritable, watchHangup: true)
        didPauseReading()
    }

    /// Reads again (and at once, whatever is waiting). Loop thread.
    func resumeReading() {
        guard isReadingPaused, !isClosed else { return }
        isReadingPaused = false
        loop.reregister(fd: socket.fd, readable: true, writable: wantsWritable)
        readAvailable()
    }

    /// True while nghttp2 is running (`mem_recv`, `mem_send`): its callbacks must not re-enter it.
    private var insideSession = false
    private var endedSinceFlush = 0

    /// A response ended (its trailers are queued). After every `earlyFlushEvery` of them the
    /// output goes out at once instead of at the end of the loop iteration, so a peer that
    /// sent a large batch of calls gets the first answers (and sends its next calls) while
    /// the rest of the batch is still being handled: the two sides overlap instead of taking
    /// turns. Never from inside nghttp2 (its callbacks must not re-enter it).
    func responseEnded() {
        endedSinceFlush &+= 1
        if endedSinceFlush >= Self.earlyFlushEvery, !insideSession { flush() }
    }

    /// Measured with 64 calls outstanding on one connection (h2load, and our own client):
    /// 16 and 32 both beat flushing once per batch (h2load 114k -> 147k / 153k calls/s, our
    /// client 68k -> 83k / 109k); 8 was slower than 16.
    static let earlyFlushEvery = 32

    /// Flushes at the end of this loop iteration, batching many small writes into one writev.
    func scheduleFlush() {
        guard !flushScheduled, !isClosed else { return }
        flushScheduled = true
        loop.executeLater { [self] in
            flushScheduled = false
            flush()
        }
    }

    /// Drains nghttp2 into the output buffer and writes it, in rounds of at most
    /// `outputHighWater` bytes, until nghttp2 has nothing more or the socket is full
    /// (then EPOLLOUT resumes it).
    func flush() {
        guard !isClosed, canWrite, let session else { return }
        endedSinceFlush = 0
        // Bounded: 16 rounds of up to 1 MiB, then yield to other connections on this loop.
        for _ in 0..<16 {
            var moreInSession = false
            while true {
                if output.count >= outputHighWater {
                    moreInSession = true
                    break
                }
                var pointer: UnsafePointer<UInt8>?
                insideSession = true
                let length = nghttp2_session_mem_send(session, &pointer)
                insideSession = false
                if length < 0 {
                    close(error: RPCError(code: .internalError, message: "HTTP/2 send failed: \(String(cString: nghttp2_strerror(Int32(length))))"))
                    return
                }
                if length == 0 { break }
                output.appendCopy(UnsafeRawBufferPointer(start: pointer, count: length))
            }
            guard writeOutput() else { return }
            if !moreInSession { return }
        }
        scheduleFlush()
    }

    /// Writes the output buffer; returns true when it is fully written and the connection is
    /// still open.
    private func writeOutput() -> Bool {
        do {
            let progress = try transport.write(&output, to: socket)
            let done = progress == .complete
            // Only a full socket waits for EPOLLOUT (a TLS handshake waits for the peer's bytes).
            let blocked = progress == .blockedOnSocket
            if blocked != wantsWritable {
                wantsWritable = blocked
                loop.reregister(fd: socket.fd, readable: !isReadingPaused, writable: blocked, watchHangup: true)
            }
            if done && nghttp2_session_want_read(session) == 0 && nghttp2_session_want_write(session) == 0 {
                lingerThenClose(error: closeRequested ?? RPCError(code: .unavailable, message: "connection finished"))
                return false
            }
            return done
        } catch {
            close(error: RPCError(code: .unavailable, message: "write failed: \(error)"))
            return false
        }
    }

    // MARK: Events

    func handleEvents(_ events: UInt32) {
        if events & EPOLLOUT.rawValue != 0 {
            flush()
        }
        if isReadingPaused {
            // Not reading; a peer that left (FIN or a dead socket) ends the connection: what it
            // sent before cannot be read now and nothing more can come.
            if events & (EPOLLHUP.rawValue | EPOLLERR.rawValue | EPOLLRDHUP.rawValue) != 0 {
                close(error: RPCError(code: .unavailable, message: "connection closed by peer"))
            }
            return
        }
        if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue | EPOLLRDHUP.rawValue) != 0 {
            readAvailable()
        }
    }

    private func readAvailable() {
        if isLingering {
            drainAndDrop()
            return
        }
        // Bounded per wake-up so one busy connection cannot starve the others on this loop.
        reads: for _ in 0..<16 {
            guard !isClosed else { return }
            if shouldPauseReading() {
                flush()
                pauseReading()
                return
            }
            let outcome: ReadOutcome
            do {
                outcome = try transport.read(from: socket, into: readBuffer)
            } catch {
                close(error: RPCError(code: .unavailable, message: "read failed: \(error)"))
                return
            }
            switch outcome {
            case .wouldBlock:
                flush()
                return
            case .endOfFile:
                close(error: RPCError(code: .unavailable, message: "connection closed by peer"))
                return
            case .bytes(let count):
                insideSession = true
                let processed = nghttp2_session_mem_recv(session, readBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count)
                insideSession = false
                if closeRequested != nil {
                    finishRequestedClose()
                    return
                }
                if processed < 0 {
                    logger.debug("closing connection after HTTP/2 error", metadata: ["error": "\(String(cString: nghttp2_strerror(Int32(processed))))"])
                    // nghttp2 queues a GOAWAY for protocol errors but not for the floods it
                    // detects itself (CONTINUATION, queued ACKs): then we add one, so the peer
                    // learns why. Either way: get it out, then close.
                    // -905 is NGHTTP2_ERR_TOO_MANY_CONTINUATIONS, which only Debian's patched
                    // 1.52 headers (deb12u2+) name; the literal keeps older headers building.
                    if processed == Int(NGHTTP2_ERR_FLOODED.rawValue) || processed == -905 {
                        nghttp2_session_terminate_session(session, NGHTTP2_ENHANCE_YOUR_CALM.rawValue)
                    }
                    closeRequested = RPCError(code: .unavailable, message: "HTTP/2 protocol error: \(String(cString: nghttp2_strerror(Int32(processed))))")
                    finishRequestedClose()
                    return
                }
                // A short read took everything there was: the next read would only say
                // EAGAIN (a syscall per wake-up), and epoll (level-triggered) reports
                // whatever arrives later.
                if count < readBuffer.count { break reads }
                // A full buffer means a bulk transfer is under way and the sender is likely
                // waiting on our window: send the WINDOW_UPDATEs this read earned now rather
                // than after the socket is drained, so its next bytes overlap our processing.
                flush()
            }
        }
        flush()
        // TLS may hold records already taken from the socket: no event would announce them.
        if transport.hasBufferedInput && !isClosed {
            loop.executeLater { [weak self] in
                if let self, !self.isReadingPaused { self.readAvailable() }
            }
        }
    }

    /// Closes once the frames queued so far (e.g. a GOAWAY) are written. Safe to call from
    /// nghttp2 callbacks: the close happens after `nghttp2_session_mem_recv` returns.
    func closeAfterPendingOutput(error: RPCError) {
        if closeRequested == nil { closeRequested = error }
        loop.executeLater { [weak self] in self?.finishRequestedClose() }
    }

    /// Counts a header field against the stream's header list limit.
    fileprivate func admitHeader(streamID: Int32, size: Int) -> Bool {
        let total = headerBlockBytes[streamID, default: 0] + size
        guard total <= Int(settings.maxHeaderListSize) else {
            headerBlockBytes[streamID] = nil
            logger.debug("resetting a stream whose headers exceed the limit", metadata: ["limit": "\(settings.maxHeaderListSize)"])
            return false
        }
        headerBlockBytes[streamID] = total
        return true
    }

    /// Callbacks refuse further input once the connection is closed or closing.
    var stopsProcessingInput: Bool { isClosed || closeRequested != nil }

    private func finishRequestedClose() {
        guard let closeRequested, !isClosed, !isLingering else { return }
        flush()
        lingerThenClose(error: closeRequested)
    }

    /// Closing with unread input makes the kernel send RST, which can destroy our last frames
    /// (GOAWAY) before the peer reads them. So: send FIN, read and drop input until the peer
    /// closes (bounded by one second), then close.
    private func lingerThenClose(error: RPCError) {
        if closeRequested == nil { closeRequested = error }
        guard !isClosed, !isLingering else { return }
        guard output.isEmpty, canWrite, !transport.hasPendingOutput else {
            close(error: error)
            return
        }
        isLingering = true
        transport.finishWriting(socket)
        socket.shutdownWrite()
        _ = loop.scheduleTimer(after: .seconds(1)) { [weak self] in
            self?.close(error: error)
        }
    }

    /// While lingering: discard input; close at the peer's EOF or on a read error.
    private func drainAndDrop() {
        for _ in 0..<16 {
            guard !isClosed else { return }
            switch try? socket.read(into: readBuffer) {
            case .bytes?: continue
            case .wouldBlock?: return
            case .endOfFile?, nil:
                close(error: closeRequested ?? RPCError(code: .unavailable, message: "connection closed"))
                return
            }
        }
    }

    /// Closes the socket and tells the subclass; idempotent.
    func close(error: RPCError) {
        guard !isClosed else { return }
        isClosed = true
        if isRegistered { loop.unregister(fd: socket.fd) }
        socket.close()
        connectionDidClose(error: error)
    }

    // MARK: nghttp2 callbacks

    private static func installCallbacks(_ callbacks: OpaquePointer?) {
        nghttp2_session_callbacks_set_on_frame_send_callback(callbacks) { _, frame, userData in
            let frame = frame!.pointee
            let connection = connectionFromUserData(userData)
            let type = UInt32(frame.hd.type)
            if (type == NGHTTP2_HEADERS.rawValue || type == NGHTTP2_DATA.rawValue)
                && frame.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0 {
                connection.didSendEndOfStream(streamID: frame.hd.stream_id)
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_begin_frame_callback(callbacks) { _, header, userData in
            guard header!.pointee.type == UInt8(NGHTTP2_HEADERS.rawValue) else { return 0 }
            let connection = connectionFromUserData(userData)
            if connection.stopsProcessingInput { return NGHTTP2_ERR_CALLBACK_FAILURE.rawValue }
            return connection.willReceiveHeaders(streamID: header!.pointee.stream_id) ? 0 : NGHTTP2_ERR_CALLBACK_FAILURE.rawValue
        }
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
            let frame = frame!.pointee
            if connectionFromUserData(userData).stopsProcessingInput { return NGHTTP2_ERR_CALLBACK_FAILURE.rawValue }
            connectionFromUserData(userData).didBeginHeaders(streamID: frame.hd.stream_id, category: frame.headers.cat)
            return 0
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, userData in
            let connection = connectionFromUserData(userData)
            let streamID = frame!.pointee.hd.stream_id
            guard connection.admitHeader(streamID: streamID, size: nameLength + valueLength + 32) else {
                // nghttp2 resets just this stream and skips the rest of its header block.
                return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue
            }
            connection.didReceiveHeader(
                streamID: frame!.pointee.hd.stream_id,
                name: UnsafeRawBufferPointer(start: name, count: nameLength),
                value: UnsafeRawBufferPointer(start: value, count: valueLength))
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
            let frame = frame!.pointee
            let connection = connectionFromUserData(userData)
            if connection.stopsProcessingInput { return NGHTTP2_ERR_CALLBACK_FAILURE.rawValue }
            let endStream = frame.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
            switch UInt32(frame.hd.type) {
            case NGHTTP2_HEADERS.rawValue:
                connection.headerBlockBytes[frame.hd.stream_id] = nil
                connection.didReceiveHeaders(streamID: frame.hd.stream_id, category: frame.headers.cat, endStream: endStream)
            case NGHTTP2_DATA.rawValue:
                if endStream { connection.didReceiveEndOfStream(streamID: frame.hd.stream_id) }
            case NGHTTP2_RST_STREAM.rawValue:
                connection.didReceiveReset(streamID: frame.hd.stream_id, errorCode: frame.rst_stream.error_code)
            case NGHTTP2_GOAWAY.rawValue:
                connection.didReceiveGoAway(lastStreamID: frame.goaway.last_stream_id, errorCode: frame.goaway.error_code)
            case NGHTTP2_PING.rawValue:
                connection.didReceivePing(isAck: frame.hd.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) != 0)
            case NGHTTP2_SETTINGS.rawValue:
                if frame.hd.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0 { connection.didReceiveSettings() }
            default:
                break
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, streamID, data, length, userData in
            if connectionFromUserData(userData).stopsProcessingInput { return NGHTTP2_ERR_CALLBACK_FAILURE.rawValue }
            connectionFromUserData(userData).didReceiveData(streamID: streamID, bytes: UnsafeRawBufferPointer(start: data, count: length))
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, errorCode, userData in
            connectionFromUserData(userData).headerBlockBytes[streamID] = nil
            connectionFromUserData(userData).didCloseStream(streamID: streamID, errorCode: errorCode)
            return 0
        }
        // Let DATA frames be as large as the peer allows (nghttp2 caps them at 16 KiB otherwise):
        // fewer frames and fewer iovecs per byte for big messages.
        nghttp2_session_callbacks_set_data_source_read_length_callback(callbacks) { _, _, _, sessionWindow, streamWindow, maxFrame, _ in
            max(1, min(Int(sessionWindow), Int(streamWindow), Int(maxFrame)))
        }
        nghttp2_session_callbacks_set_send_data_callback(callbacks) { _, frame, header, length, _, userData in
            connectionFromUserData(userData).sendData(frame: frame!, header: header!, length: length)
        }
    }
}

/// The connection behind nghttp2's `user_data` (set to an unretained `HTTP2Connection` that
/// outlives its session).
private func connectionFromUserData(_ userData: UnsafeMutableRawPointer?) -> HTTP2Connection {
    Unmanaged<HTTP2Connection>.fromOpaque(userData!).takeUnretainedValue()
}
