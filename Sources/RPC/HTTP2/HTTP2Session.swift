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

/// One HTTP/2 connection driven by an nghttp2 session on one event loop, for either side:
/// reads feed `nghttp2_session_mem_recv`, output is drained with `nghttp2_session_mem_send`
/// into an `OutputBuffer` flushed by `writev` once per loop iteration. Stream events go to
/// `handler` (the client or server connection that owns this session), called directly.
/// The connection's life is `HTTP2SessionLifecycle`, its pings `KeepaliveState`; reading
/// stops while `budget` is spent. Everything here runs on `loop`.
final class HTTP2Session<Handler: HTTP2SessionHandler>: NGHTTP2Bridge {
    /// The owner: it holds this session and stays registered with the loop (which keeps it
    /// alive) until `close`; everything that runs later checks `isClosed` before using it.
    private unowned(unsafe) let handler: Handler
    let loop: EventLoop
    let socket: Socket
    let logger: Logger
    let settings: HTTP2Settings
    /// What the connection holds for its peer (the transport's fixed buffers included); nil
    /// for no limit.
    let budget: MemoryBudget?
    /// What carries the bytes: the socket itself, or TLS over it.
    let transport: ConnectionTransport
    private(set) var session: OpaquePointer?
    private var lifecycle: HTTP2SessionLifecycle
    private var output = OutputBuffer()
    private var readBuffer: UnsafeMutableRawBufferPointer
    /// A flush is queued for the end of this loop iteration (batches small writes).
    private var flushScheduled = false
    /// What nghttp2 is doing on this session now, if anything: its callbacks must not re-enter it.
    private enum Activity {
        case idle
        /// `mem_recv` in `readAvailable`, which flushes afterwards.
        case receiving
        /// `mem_send` producing frames for `flush`: streams closed meanwhile (by the END_STREAM
        /// or RST_STREAM being sent) are released by the handler after the write
        /// (`HTTP2SessionHandler.didWriteOutput`), so their teardown does not delay the frames.
        case sendingForFlush
        /// `mem_send` draining the last frames (the GOAWAY) in `finishClose`.
        case sendingForClose
    }
    private var activity = Activity.idle
    private var endedSinceFlush = 0
    private var insideSession: Bool { activity != .idle }
    var isSendingForFlush: Bool { activity == .sendingForFlush }
    /// A flush scheduled now would be redundant: nghttp2 is processing a server's input and
    /// `readAvailable` flushes afterwards. Not on the client: with it, calls the client resent
    /// after REFUSED_STREAM or GOAWAY sometimes never went out in the full parallel test run
    /// (ClientStatusMappingTests); the cause is not found yet.
    private var inputWillBeFlushed: Bool { Handler.side == .server && activity == .receiving }
    /// Header bytes received in the current header block (HPACK accounting: name + value +
    /// 32 per field), bounded by `settings.maxHeaderListSize`, and the stream it belongs to.
    /// One block at a time is enough: a header block is contiguous on the connection (HEADERS
    /// then CONTINUATION frames, nothing in between; RFC 9113 §6.10), so a field of another
    /// stream starts a new block. (A dictionary per stream cost two hash lookups per field.)
    private var headerBlockBytes = 0
    private var headerBlockStream: Int32 = 0
    /// Output waiting in `output` above which we stop asking nghttp2 for more frames.
    /// `output` holds at most this plus one DATA frame (`NGHTTP2Bridge.maxDataFrameLength`).
    static var outputHighWater: Int { 1 << 20 }
    private var outputHighWater: Int { Self.outputHighWater }
    /// Bytes of `output` charged to `budget`. Message bytes stop being charged to their
    /// stream's queue when nghttp2 takes them; until the socket takes them too they are
    /// still held here (a peer that opens its windows and does not read keeps them here),
    /// so they are charged again, with the frames around them, until written.
    private var chargedOutputBytes = 0
    /// Streams whose DATA `readData` deferred because the output buffer was full. One
    /// `nghttp2_session_mem_send` packs DATA frames of every stream with window (they are
    /// handed over through `sendData`, not returned), so the high-water check between
    /// calls alone does not bound the buffer.
    private var streamsHeldForOutput: Set<Int32> = []
    /// True once the socket is registered with the loop (only then does `close` unregister
    /// it: the descriptor number could belong to another registration otherwise).
    private var isRegistered = false
    private var keepalive: KeepaliveState?
    private var keepaliveTimer: TimerID?
    private var waitingForMemory = false
    /// Connection window owed to the peer for bytes received while the budget was spent.
    private var owedConnectionWindow = 0

    /// `connecting`: a client socket whose connect is still in progress (frames queue in
    /// nghttp2 until `connected()`).
    init(handler: Handler, loop: EventLoop, socket: Socket, connecting: Bool, settings: HTTP2Settings,
         keepalive: KeepaliveState.Configuration?, budget: MemoryBudget?, transport: ConnectionTransport = .plaintext,
         logger: Logger) throws {
        self.handler = handler
        self.transport = transport
        self.loop = loop
        self.socket = socket
        self.settings = settings
        self.budget = budget
        self.logger = logger
        self.lifecycle = HTTP2SessionLifecycle(connecting: connecting)
        self.keepalive = keepalive.map(KeepaliveState.init)
        self.readBuffer = .allocate(byteCount: 256 << 10, alignment: 16)
        // Held until `deinit` releases it (the transport's buffers live as long as the session).
        budget?.charge(transport.fixedBufferBytes)
        super.init()
        // On failure `deinit` runs (everything is initialized) and frees the read buffer.
        session = try makeNGHTTP2Session(server: Handler.side == .server)
    }

    deinit {
        budget?.release(transport.fixedBufferBytes + chargedOutputBytes)
        if let session { nghttp2_session_del(session) }
        readBuffer.deallocate()
    }

    var isClosed: Bool { lifecycle.isClosed }
    /// Bytes waiting in the output buffer for the socket.
    var pendingOutputBytes: Int { output.count }
    /// Frames are queued that the socket has not taken yet (in nghttp2 or the output buffer).
    var hasUnwrittenOutput: Bool {
        guard let session, !isClosed else { return false }
        return !output.isEmpty || nghttp2_session_want_write(session) != 0
    }
    var isReadingPaused: Bool { lifecycle.isReadingPaused }
    /// Callbacks refuse further input once the connection is closed or closing.
    var stopsProcessingInput: Bool { !lifecycle.processesInput }
    /// The client's TCP connect is still in progress.
    var isConnecting: Bool { lifecycle.state == .connecting }

    // MARK: Starting

    /// Queues our SETTINGS, registers the socket with the loop (for `eventHandler`, the
    /// owner) and, once connected, starts keepalive. Loop thread.
    func start(eventHandler: any EventHandler) throws(EventLoopError) {
        submitSettings()
        let connecting = lifecycle.state == .connecting
        try loop.register(fd: socket.fd, handler: eventHandler, readable: !connecting, writable: connecting)
        isRegistered = true
        if !connecting { startKeepalive() }
        scheduleFlush()
    }

    /// The client's TCP connect completed: read, and send what queued meanwhile.
    func connected() {
        guard let interest = lifecycle.connected() else { return }
        apply(interest)
        startKeepalive()
        flush()
    }

    private func submitSettings() {
        var entries = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: UInt32(settings.initialStreamWindow)),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue), value: settings.maxHeaderListSize),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_FRAME_SIZE.rawValue), value: settings.maxFrameSize),
        ]
        switch Handler.side {
        case .server:
            entries.append(nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: settings.maxConcurrentStreams))
        case .client:
            entries.append(nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0))
        }
        nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &entries, entries.count)
        nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, settings.connectionWindow)
    }

    private func apply(_ interest: HTTP2SessionLifecycle.Interest) {
        // EPOLLRDHUP stays watched while paused: a peer that leaves ends the connection.
        loop.reregister(fd: socket.fd, readable: interest.readable, writable: interest.writable, watchHangup: true)
    }

    // MARK: Window

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

    /// Returns the connection window for received bytes, unless the budget is spent: then
    /// the peer gets it back only once memory is freed.
    func returnConnectionWindow(_ count: Int) {
        if let budget, budget.isSpent {
            owedConnectionWindow += count
            waitForMemory()
        } else {
            consumeConnectionWindow(count: count)
        }
    }

    private func consumeConnectionWindow(count: Int) {
        guard count > 0, let session, !isClosed else { return }
        nghttp2_session_consume_connection(session, count)
        scheduleFlush()
    }

    // MARK: Memory

    /// Asks to be told (on the loop) when memory is freed; the handler's `memoryFreed` runs
    /// then, and reading resumes once the budget has room.
    func waitForMemory() {
        guard let budget, !waitingForMemory, !isClosed else { return }
        waitingForMemory = true
        let bound = LoopBound(self, loop: loop)
        budget.whenFreed {
            bound.execute { $0.memoryFreed() }
        }
    }

    private func memoryFreed() {
        waitingForMemory = false
        guard !isClosed, let budget else { return }
        handler.memoryFreed()
        guard !isClosed else { return }
        if budget.isSpent {
            waitForMemory()
            return
        }
        let owed = owedConnectionWindow
        owedConnectionWindow = 0
        consumeConnectionWindow(count: owed)
        resumeReading()
    }

    private func pauseReading() {
        guard let interest = lifecycle.pauseReading() else { return }
        apply(interest)
        handler.didPauseReading()
        waitForMemory()
    }

    private func resumeReading() {
        guard let interest = lifecycle.resumeReading() else { return }
        apply(interest)
        readAvailable()
    }

    // MARK: Sending

    /// Something changed in a stream's outbound queue: let nghttp2 ask again and flush soon.
    func resumeData(streamID: Int32, _ data: OutboundData) {
        if data.isDeferred {
            data.isDeferred = false
            nghttp2_session_resume_data(session, streamID)
        }
        scheduleFlush()
    }

    /// A response ended (its status is queued). The output goes out at once, instead of at
    /// the end of the loop iteration, when either
    /// - nothing else is queued on the loop: no other call's work is left in this iteration
    ///   to share the write, so waiting would only delay this response (behind its task's
    ///   teardown, the timers and other deferred work) and batch nothing: a lone call is
    ///   answered as soon as its handler ends; or
    /// - `earlyFlushEvery` responses ended since the last write: a peer that sent a large
    ///   batch of calls gets the first answers (and sends its next calls) while the rest of
    ///   the batch is still being handled, so the two sides overlap instead of taking turns.
    /// Under load the jobs of a batch of calls are queued together, so all but the last end
    /// with work queued and their responses still share one write.
    /// Never from inside nghttp2 (its callbacks must not re-enter it).
    func responseEnded() {
        endedSinceFlush &+= 1
        guard !insideSession else { return }
        if endedSinceFlush >= Self.earlyFlushEvery || !loop.hasQueuedWork { flush() }
    }

    /// Measured with 64 calls outstanding on one connection (h2load, and our own client):
    /// 16 and 32 both beat flushing once per batch (h2load 114k -> 147k / 153k calls/s, our
    /// client 68k -> 83k / 109k); 8 was slower than 16.
    static var earlyFlushEvery: Int { 32 }

    /// Flushes at the end of this loop iteration, batching many small writes into one writev.
    /// On the server, nothing to schedule while input is being processed: `readAvailable`
    /// flushes after it (the WINDOW_UPDATEs and answers it produced), so a later flush is for
    /// output that arrives later (responses), scheduled when that output is queued.
    func scheduleFlush() {
        guard !flushScheduled, !isClosed, !inputWillBeFlushed else { return }
        flushScheduled = true
        loop.executeLater { [self] in
            // A flush since it was scheduled (a lone call's response, the end of a read)
            // wrote what it was for: nothing to do twice.
            guard flushScheduled else { return }
            flushScheduled = false
            flush()
        }
    }

    /// Drains nghttp2 into the output buffer and writes it, in rounds of at most
    /// `outputHighWater` bytes (plus one DATA frame), until nghttp2 has nothing more or the
    /// socket is full (then EPOLLOUT resumes it).
    func flush() {
        guard lifecycle.canWrite, let session else { return }
        // This flush does the work of any scheduled one (which then does nothing); if output
        // is left, it schedules another below.
        flushScheduled = false
        endedSinceFlush = 0
        // Bounded: 16 rounds of up to 1 MiB, then yield to other connections on this loop.
        for _ in 0..<16 {
            resumeStreamsHeldForOutput()
            var moreInSession = false
            while true {
                if output.count >= outputHighWater {
                    moreInSession = true
                    break
                }
                var pointer: UnsafePointer<UInt8>?
                activity = .sendingForFlush
                let length = nghttp2_session_mem_send(session, &pointer)
                activity = .idle
                if length < 0 {
                    close(error: RPCError(code: .internalError, message: "HTTP/2 send failed: \(String(cString: nghttp2_strerror(Int32(length))))"))
                    return
                }
                if length == 0 { break }
                output.appendCopy(UnsafeRawBufferPointer(start: pointer, count: length))
            }
            let written = writeOutput()
            // Streams the frames just written closed are released now, after the write. A
            // write that closed the connection released them already (`sessionDidClose`),
            // and the owner may be gone then.
            if !isClosed { handler.didWriteOutput() }
            guard written else { return }
            if !moreInSession && streamsHeldForOutput.isEmpty { return }
        }
        scheduleFlush()
    }

    /// Lets nghttp2 ask again for the DATA of streams `readData` held back while the output
    /// buffer was full, once it is not.
    private func resumeStreamsHeldForOutput() {
        guard !streamsHeldForOutput.isEmpty, output.count < outputHighWater, let session else { return }
        let held = streamsHeldForOutput
        streamsHeldForOutput.removeAll(keepingCapacity: true)
        for streamID in held {
            guard let data = handler.outboundData(streamID: streamID), data.isDeferred else { continue }
            data.isDeferred = false
            nghttp2_session_resume_data(session, streamID)
        }
    }

    /// Writes the output buffer (the one place output meets the socket); returns true when
    /// it is fully written and the connection is still open.
    private func writeOutput() -> Bool {
        let progress: ConnectionTransport.WriteProgress
        do {
            progress = try transport.write(&output, to: socket)
        } catch {
            close(error: RPCError(code: .unavailable, message: "write failed: \(error)"))
            return false
        }
        settleOutputCharge()
        let done = progress == .complete
        // Only a full socket waits for EPOLLOUT (a TLS handshake waits for the peer's bytes).
        if let interest = lifecycle.wrote(socketFull: progress == .blockedOnSocket) { apply(interest) }
        if done && (lifecycle.requestedCause != nil
            || (nghttp2_session_want_read(session) == 0 && nghttp2_session_want_write(session) == 0)) {
            finishClose()
            return false
        }
        return done
    }

    /// Charges the budget for what `output` holds now, or gives back what it no longer holds
    /// (nothing to do, the usual case, when the socket took everything).
    private func settleOutputCharge() {
        guard let budget, !isClosed else { return }
        let delta = output.count - chargedOutputBytes
        guard delta != 0 else { return }
        chargedOutputBytes = output.count
        if delta > 0 { budget.charge(delta) } else { budget.release(-delta) }
    }

    // MARK: Reading

    /// Socket events for this connection (the owner forwards them).
    func handleEvents(_ events: UInt32) {
        if events & EPOLLOUT.rawValue != 0 {
            flush()
        }
        if lifecycle.isReadingPaused {
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

    /// Reads from the socket (the one place input meets it).
    private func readSocket() -> ReadOutcome? {
        do {
            return try transport.read(from: socket, into: readBuffer)
        } catch {
            close(error: RPCError(code: .unavailable, message: "read failed: \(error)"))
            return nil
        }
    }

    private func readAvailable() {
        if lifecycle.isLingering {
            drainAndDrop()
            return
        }
        // Bounded per wake-up so one busy connection cannot starve the others on this loop.
        reads: for _ in 0..<16 {
            guard lifecycle.processesInput else { return }
            if let budget, budget.isSpent {
                flush()
                pauseReading()
                return
            }
            guard let outcome = readSocket() else { return }
            switch outcome {
            case .wouldBlock:
                flush()
                return
            case .endOfFile:
                close(error: RPCError(code: .unavailable, message: "connection closed by peer"))
                return
            case .bytes(let count):
                activity = .receiving
                let processed = nghttp2_session_mem_recv(session, readBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count)
                activity = .idle
                if lifecycle.requestedCause != nil {
                    finishClose()
                    return
                }
                if processed < 0 {
                    failOnProtocolError(Int32(processed))
                    return
                }
                if outboundQueueFlooded {
                    failOnOutboundQueueFlood()
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

    /// Frames nghttp2 queues in answer to the peer's input (RST_STREAM for every stream it
    /// refuses or resets, WINDOW_UPDATE, PING and SETTINGS ACKs, response HEADERS) wait in its
    /// own queue, charged to no budget, until our output has room. A peer that reads leaves
    /// them there for a moment; one that stops reading while it keeps opening streams we
    /// refuse could pile them up without end (nghttp2 caps queued ACKs, not RST_STREAM). What
    /// a peer can make us queue legitimately is a few frames per open stream.
    private var maxQueuedFrames: Int { 4 * Int(min(settings.maxConcurrentStreams, 1 << 16)) + 2048 }

    /// The peer is not reading (output is left over only when the socket took no more: every
    /// flush writes until it is empty or the socket is full) and nghttp2 holds more frames for
    /// it than its open streams explain. Server side only: a client's own request HEADERS may
    /// wait in nghttp2's queue for a free stream in any number.
    private var outboundQueueFlooded: Bool {
        Handler.side == .server && !output.isEmpty
            && nghttp2_session_get_outbound_queue_size(session) > maxQueuedFrames
    }

    /// Ends a connection whose peer floods nghttp2's outbound queue, as nghttp2 ends an ACK
    /// flood: GOAWAY ENHANCE_YOUR_CALM (queued; the peer may never read it), then close.
    private func failOnOutboundQueueFlood() {
        logger.warning("closing connection: the peer does not read the frames its input causes",
                       metadata: ["queued": "\(nghttp2_session_get_outbound_queue_size(session))"])
        nghttp2_session_terminate_session(session, NGHTTP2_ENHANCE_YOUR_CALM.rawValue)
        _ = lifecycle.requestClose(RPCError(code: .unavailable, message: "HTTP/2 flood: the peer does not read the frames it causes"))
        finishClose()
    }

    private func failOnProtocolError(_ code: Int32) {
        logger.debug("closing connection after HTTP/2 error", metadata: ["error": "\(String(cString: nghttp2_strerror(code)))"])
        // nghttp2 queues a GOAWAY for protocol errors but not for the floods it detects
        // itself (CONTINUATION, queued ACKs): then we add one, so the peer learns why. Either
        // way: get it out, then close.
        // -905 is NGHTTP2_ERR_TOO_MANY_CONTINUATIONS, which only Debian's patched 1.52
        // headers (deb12u2+) name; the literal keeps older headers building.
        if code == NGHTTP2_ERR_FLOODED.rawValue || code == -905 {
            nghttp2_session_terminate_session(session, NGHTTP2_ENHANCE_YOUR_CALM.rawValue)
        }
        _ = lifecycle.requestClose(RPCError(code: .unavailable, message: "HTTP/2 protocol error: \(String(cString: nghttp2_strerror(code)))"))
        finishClose()
    }

    // MARK: Closing

    /// Closes once the frames queued so far (e.g. a GOAWAY) are written. Safe to call from
    /// nghttp2 callbacks: the close happens after `nghttp2_session_mem_recv` returns.
    func closeAfterPendingOutput(error: RPCError) {
        guard lifecycle.requestClose(error) else { return }
        loop.executeLater { [self] in finishClose() }
    }

    /// Writes what is queued, then lingers (all written) or closes (it could not be).
    private func finishClose() {
        guard !isClosed, !lifecycle.isLingering else { return }
        if lifecycle.canWrite, let session {
            // Drain what nghttp2 still holds (the GOAWAY) and write it; bounded like `flush`.
            for _ in 0..<16 {
                while output.count < outputHighWater {
                    var pointer: UnsafePointer<UInt8>?
                    activity = .sendingForClose
                    let length = nghttp2_session_mem_send(session, &pointer)
                    activity = .idle
                    guard length > 0 else { break }
                    output.appendCopy(UnsafeRawBufferPointer(start: pointer, count: length))
                }
                let written = (try? transport.write(&output, to: socket)) == .complete
                settleOutputCharge()
                guard written, nghttp2_session_want_write(session) != 0 else { break }
            }
        }
        let step = lifecycle.finishClose(outputEmpty: output.isEmpty && !transport.hasPendingOutput,
                                         fallbackCause: RPCError(code: .unavailable, message: "connection finished"))
        perform(step)
    }

    /// Closing with unread input makes the kernel send RST, which can destroy our last frames
    /// (GOAWAY) before the peer reads them. So: send FIN, read and drop input until the peer
    /// closes (bounded by one second), then close.
    private func perform(_ step: HTTP2SessionLifecycle.CloseStep) {
        switch step {
        case .none:
            return
        case .linger:
            // TLS: close_notify before our FIN.
            transport.finishWriting(socket)
            socket.shutdownWrite()
            // Reading again (a paused connection too): the peer's EOF ends the linger.
            apply(HTTP2SessionLifecycle.Interest(readable: true, writable: false))
            _ = loop.scheduleTimer(after: .seconds(1)) { [weak self] in
                self?.close(error: RPCError(code: .unavailable, message: "connection closed"))
            }
        case .close(let cause):
            // Held while it runs: unregistering, and the registry the handler leaves in
            // `sessionDidClose`, may drop its last other references.
            let owner = handler
            if isRegistered { loop.unregister(fd: socket.fd) }
            socket.close()
            // What was never written never will be.
            budget?.release(chargedOutputBytes)
            chargedOutputBytes = 0
            stopKeepalive()
            withExtendedLifetime(owner) { owner.sessionDidClose(error: cause) }
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
                close(error: RPCError(code: .unavailable, message: "connection closed"))
                return
            }
        }
    }

    /// The owner's own close (not from a callback): writes what is queued as far as the
    /// socket takes it now, then closes at once with `error` as the cause, whatever the
    /// write sees (a write that finds the session done must not name another cause).
    func writeQueuedThenClose(error: RPCError) {
        _ = lifecycle.requestClose(error)
        flush()
        close(error: error)
    }

    /// Closes the socket and tells the handler (with the cause asked for earlier, if any);
    /// idempotent.
    func close(error: RPCError) {
        perform(lifecycle.close(error))
    }

    // MARK: Frames we send

    func submitPing() {
        guard !isClosed else { return }
        nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
        scheduleFlush()
    }

    /// GOAWAY with `errorCode` and the last stream id processed.
    func submitGoAway(errorCode: UInt32, debug: String) {
        guard !isClosed else { return }
        let bytes = Array(debug.utf8)
        nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nghttp2_session_get_last_proc_stream_id(session),
                              errorCode, bytes, bytes.count)
        scheduleFlush()
    }

    /// The first step of a graceful shutdown (server): GOAWAY with the maximum stream id.
    func submitShutdownNotice() {
        guard !isClosed else { return }
        nghttp2_submit_shutdown_notice(session)
        scheduleFlush()
    }

    // MARK: Keepalive

    private func startKeepalive() {
        guard keepalive != nil else { return }
        perform(keepalive!.start())
    }

    private func stopKeepalive() {
        keepalive?.stop()
        if let keepaliveTimer { loop.cancelTimer(keepaliveTimer) }
        keepaliveTimer = nil
    }

    private func perform(_ action: KeepaliveState.Action) {
        switch action {
        case .none:
            return
        case .schedule(let timer, let delay):
            scheduleKeepaliveTimer(timer, after: delay)
        case .sendPing(let timer, let delay):
            submitPing()
            scheduleKeepaliveTimer(timer, after: delay)
        case .cancelAndSchedule(_, let timer, let delay):
            // One timer at a time: scheduling replaces the ACK timer.
            scheduleKeepaliveTimer(timer, after: delay)
        case .close(let reason):
            logger.debug("closing connection: \(reason)")
            close(error: RPCError(code: .unavailable, message: reason))
        }
    }

    private func scheduleKeepaliveTimer(_ timer: KeepaliveState.Timer, after delay: Duration) {
        guard !isClosed else { return }
        if let keepaliveTimer { loop.cancelTimer(keepaliveTimer) }
        // Strong capture: `close` cancels the timer (dropping the closure), which breaks the
        // cycle. A `weak` capture would give the session a refcount side table, and every
        // retain/release of it would take the runtime's slow path.
        keepaliveTimer = loop.scheduleTimer(after: delay) { [self] in
            keepaliveTimer = nil
            guard !isClosed, keepalive != nil else { return }
            perform(keepalive!.timerFired(timer, openStreams: handler.openStreamCount))
        }
    }

    // MARK: nghttp2 events (through `NGHTTP2Bridge`)

    override func frameSent(_ frame: UnsafePointer<nghttp2_frame>) {
        let header = frame.pointee.hd
        let type = UInt32(header.type)
        if (type == NGHTTP2_HEADERS.rawValue || type == NGHTTP2_DATA.rawValue)
            && header.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0 {
            handler.didSendEndOfStream(streamID: header.stream_id)
        } else if type == NGHTTP2_RST_STREAM.rawValue {
            handler.didSendReset(streamID: header.stream_id, errorCode: frame.pointee.rst_stream.error_code)
        }
    }

    override func willReceiveFrame(_ header: nghttp2_frame_hd) -> Bool {
        guard header.type == UInt8(NGHTTP2_HEADERS.rawValue) else { return true }
        if stopsProcessingInput { return false }
        return handler.willReceiveHeaders(streamID: header.stream_id)
    }

    override func beginHeaders(streamID: Int32, category: nghttp2_headers_category) -> Bool {
        if stopsProcessingInput { return false }
        handler.didBeginHeaders(streamID: streamID, category: category)
        return true
    }

    override func header(streamID: Int32, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) -> Bool {
        if streamID != headerBlockStream {
            headerBlockStream = streamID
            headerBlockBytes = 0
        }
        let total = headerBlockBytes + name.count + value.count + 32
        guard total <= Int(settings.maxHeaderListSize) else {
            endHeaderBlock(streamID: streamID)
            logger.debug("resetting a stream whose headers exceed the limit", metadata: ["limit": "\(settings.maxHeaderListSize)"])
            return false
        }
        headerBlockBytes = total
        handler.didReceiveHeader(streamID: streamID, name: name, value: value)
        return true
    }

    /// The header block of `streamID` is over (complete, refused, or its stream closed).
    private func endHeaderBlock(streamID: Int32) {
        guard streamID == headerBlockStream else { return }
        headerBlockStream = 0
        headerBlockBytes = 0
    }

    override func frameReceived(_ frame: UnsafePointer<nghttp2_frame>) -> Bool {
        if stopsProcessingInput { return false }
        let header = frame.pointee.hd
        let endStream = header.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
        switch UInt32(header.type) {
        case NGHTTP2_HEADERS.rawValue:
            endHeaderBlock(streamID: header.stream_id)
            handler.didReceiveHeaders(streamID: header.stream_id, category: frame.pointee.headers.cat, endStream: endStream)
        case NGHTTP2_DATA.rawValue:
            if endStream { handler.didReceiveEndOfStream(streamID: header.stream_id) }
        case NGHTTP2_RST_STREAM.rawValue:
            handler.didReceiveReset(streamID: header.stream_id, errorCode: frame.pointee.rst_stream.error_code)
        case NGHTTP2_GOAWAY.rawValue:
            handler.didReceiveGoAway(lastStreamID: frame.pointee.goaway.last_stream_id, errorCode: frame.pointee.goaway.error_code)
        case NGHTTP2_PING.rawValue:
            if header.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) != 0 {
                if keepalive != nil { perform(keepalive!.ackReceived()) }
            } else {
                handler.didReceivePing()
            }
        case NGHTTP2_SETTINGS.rawValue:
            if header.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0 { handler.didReceiveSettings() }
        default:
            break
        }
        return true
    }

    override func dataChunk(streamID: Int32, bytes: UnsafeRawBufferPointer) -> Bool {
        if stopsProcessingInput { return false }
        handler.didReceiveData(streamID: streamID, bytes: bytes)
        return true
    }

    override func streamClosed(streamID: Int32, errorCode: UInt32) {
        endHeaderBlock(streamID: streamID)
        handler.didCloseStream(streamID: streamID, errorCode: errorCode)
    }

    override func readData(streamID: Int32, maxLength: Int, flags: UnsafeMutablePointer<UInt32>) -> Int {
        guard let data = handler.outboundData(streamID: streamID) else {
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            return 0
        }
        if data.pendingBytes > 0 && output.count >= outputHighWater {
            // The socket is behind: this stream's DATA waits in its queue (charged there)
            // until the output is written (`resumeStreamsHeldForOutput`).
            data.isDeferred = true
            streamsHeldForOutput.insert(streamID)
            return Int(NGHTTP2_ERR_DEFERRED.rawValue)
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
    override func sendData(streamID: Int32, header: UnsafeRawBufferPointer, length: Int) {
        handler.didSendData()
        output.appendCopy(header)
        if let data = handler.outboundData(streamID: streamID) {
            data.take(length, into: &output)
        }
    }
}
