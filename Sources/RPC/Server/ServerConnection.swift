import CNGHTTP2
import Logging

/// The server side of one HTTP/2 connection: one `ServerStream` per call, the connection's
/// lifecycle (`ServerConnectionLifecycle`), its memory budget and abuse guards. The HTTP/2
/// and socket work is its `HTTP2Session`. Loop-confined.
final class ServerConnection: HTTP2SessionHandler, EventHandler {
    static var side: HTTP2Side { .server }
    let runtime: ServerRuntime
    /// The HTTP/2 session and socket (set once in `init`).
    private(set) var http2: HTTP2Session<ServerConnection>!
    let loop: EventLoop
    let logger: Logger
    let peerDescription: String
    /// The peer's SO_PEERCRED (Unix socket servers only), read once when the connection is accepted.
    let peerCredentials: PeerCredentials?
    /// The verdict of `Configuration.admitsPeer` on this connection, decided once at accept.
    let peerAdmitted: Bool
    private(set) var streams: [Int32: ServerStream] = [:]
    /// The stream looked up last (see `openStream(_:)`).
    private var recentStream: ServerStream?
    private var onClose: (() -> Void)?
    private var lifecycle: ServerConnectionLifecycle
    private var lifecycleTimers: [ServerConnectionLifecycle.Timer: TimerID] = [:]
    private let guardRails: AbuseGuard
    private var clientStreamIDs = ClientStreamIDs()
    /// What this connection holds for its peer (its parent is the server-wide budget).
    let budget: MemoryBudget
    /// Request header bytes this connection's open streams hold (its parent is the server's;
    /// see `Configuration.connectionHeaderBytesLimit`). Apart from `budget`: a spent budget
    /// stops starting handlers, and only running them frees their headers.
    let headerBudget: MemoryBudget
    /// Streams whose headers are in and whose handler waits for memory (FIFO).
    private var pendingStarts: [ServerStream] = []
    private var pendingHead = 0
    /// Handlers this connection may still start in the current batch (see `startsPerBatch`).
    private var startCredits = ServerConnection.startsPerBatch
    private var startPassQueued = false
    /// Bytes of partly received messages over all streams (part of the budget's use).
    var partialBytes = 0
    /// Streams closed by the frames `flush` is writing, with their HTTP/2 error codes:
    /// released after the write (`didWriteOutput`), or at `sessionDidClose`.
    private var closedWhileSending: [(stream: ServerStream, errorCode: UInt32)] = []
    /// `closedWhileSending`'s previous buffer, emptied with its capacity kept (no allocation
    /// per write).
    private var spareClosedWhileSending: [(stream: ServerStream, errorCode: UInt32)] = []

    init(loop: EventLoop, socket: Socket, runtime: ServerRuntime, onClose: @escaping () -> Void) throws {
        self.runtime = runtime
        self.peerDescription = socket.remoteAddress()?.description ?? "unknown"
        if case .unix = runtime.configuration.address {
            self.peerCredentials = socket.peerCredentials()
        } else {
            self.peerCredentials = nil
        }
        self.peerAdmitted = runtime.configuration.admitsPeer?(peerCredentials) ?? true
        self.onClose = onClose
        self.guardRails = AbuseGuard(configuration: runtime.configuration)
        let configuration = runtime.configuration
        let transport: ConnectionTransport = try runtime.tls.map { .tls(TLSTransport(engine: try TLSEngine(context: $0.currentContext()))) } ?? .plaintext
        // The floor keeps what it promises on top of the transport's buffers.
        self.budget = MemoryBudget(limit: MemoryBudget.connectionLimit(configured: configuration.connectionMemoryBudget,
                                                                       fixedBytes: transport.fixedBufferBytes),
                                   parent: runtime.memoryBudget,
                                   floor: configuration.connectionMemoryFloor + transport.fixedBufferBytes)
        // One header block of the largest size accepted always fits, even while the server's
        // limit is reached by other connections.
        let headerFloor = max(0, configuration.maxHeaderListSize)
        self.headerBudget = MemoryBudget(limit: max(configuration.connectionHeaderBytesLimit, headerFloor),
                                         parent: runtime.headerBudget, floor: headerFloor)
        self.lifecycle = ServerConnectionLifecycle(limits: .init(
            handshakeTimeout: configuration.handshakeTimeout, maxIdle: configuration.maxConnectionIdle,
            maxAge: configuration.maxConnectionAge, maxAgeGrace: configuration.maxConnectionAgeGrace))
        var settings = HTTP2Settings()
        settings.maxConcurrentStreams = UInt32(clamping: runtime.configuration.maxConcurrentStreams)
        settings.initialStreamWindow = Int32(clamping: runtime.configuration.initialStreamWindowSize)
        settings.connectionWindow = Int32(clamping: runtime.configuration.connectionWindowSize)
        settings.maxHeaderListSize = UInt32(clamping: runtime.configuration.maxHeaderListSize)
        var logger = runtime.logger
        logger[metadataKey: "peer"] = "\(peerDescription)"
        self.logger = logger
        self.loop = loop
        let keepalive = configuration.keepalive
        // The server pings whether or not calls are open: a half-open peer holds a descriptor.
        http2 = try HTTP2Session(handler: self, loop: loop, socket: socket, connecting: false, settings: settings,
                                 keepalive: .init(interval: keepalive.pingInterval, timeout: keepalive.pingTimeout, permitWithoutCalls: true),
                                 budget: budget, transport: transport, logger: logger)
    }

    /// Registers with the loop and sends our SETTINGS. Loop thread.
    func start() throws {
        try http2.start(eventHandler: self)
        perform(lifecycle.started(now: .now))
    }

    // MARK: What streams use of the session

    /// The nghttp2 session (streams submit their frames to it).
    var session: OpaquePointer? { http2.session }
    var isClosed: Bool { http2.isClosed }
    /// The peer's verified certificate identity (mutual TLS); nil on plaintext.
    var tlsPeer: TLSPeerIdentity? { http2.transport.peerIdentity }
    func scheduleFlush() { http2.scheduleFlush() }
    func resumeData(streamID: Int32, _ data: OutboundData) { http2.resumeData(streamID: streamID, data) }
    func consume(streamID: Int32, count: Int) { http2.consume(streamID: streamID, count: count) }
    func consumeStreamWindow(streamID: Int32, count: Int) { http2.consumeStreamWindow(streamID: streamID, count: count) }
    func returnConnectionWindow(_ count: Int) { http2.returnConnectionWindow(count) }
    func responseEnded() { http2.responseEnded() }
    func close(error: RPCError) { http2.close(error: error) }
    var openStreamCount: Int { streams.count }

    // MARK: Lifecycle

    /// Carries out what the lifecycle asks for.
    private func perform(_ actions: [ServerConnectionLifecycle.Action]) {
        for action in actions { perform(action) }
    }

    private func perform(_ action: ServerConnectionLifecycle.Action) {
        switch action {
        case .schedule(let timer, let delay):
            if let old = lifecycleTimers[timer] { loop.cancelTimer(old) }
            // Strong capture (no refcount side table, see `HTTP2Session.scheduleKeepaliveTimer`);
            // `sessionDidClose` cancels these.
            lifecycleTimers[timer] = loop.scheduleTimer(after: delay) { [self] in
                self.lifecycleTimers[timer] = nil
                self.perform(self.lifecycle.timerFired(timer, now: .now))
            }
        case .cancel(let timer):
            if let id = lifecycleTimers.removeValue(forKey: timer) { loop.cancelTimer(id) }
        case .sendShutdownNotice:
            http2.submitShutdownNotice()
        case .sendFinalGoAway(let reason):
            http2.submitGoAway(errorCode: NGHTTP2_NO_ERROR.rawValue, debug: reason)
        case .close(let reason):
            guard !isClosed else { return }
            logger.debug("closing connection", metadata: ["reason": "\(reason)"])
            // After the output queued so far (the final GOAWAY, trailers) is written.
            http2.closeAfterPendingOutput(error: RPCError(code: .unavailable, message: reason))
        }
    }

    // MARK: Memory

    /// Handlers started per batch of input before the rest wait for the next pass. A handler
    /// charges the budget only once it runs (its response), so starting a whole burst of
    /// calls at once (thousands arrive in one read) would let them all allocate before the
    /// budget could say no. Between passes the started handlers' jobs run (FIFO on the loop)
    /// and charge what they queue. 64 covers the usual batch of concurrent calls (h2load and
    /// our own benchmarks send 64 per connection) without a pass of its own.
    static let startsPerBatch = 64

    func handleEvents(_ events: UInt32) {
        startCredits = Self.startsPerBatch
        http2.handleEvents(events)
    }

    func didPauseReading() {
        logger.debug("memory budget spent: not reading until memory is freed",
                     metadata: ["connection": "\(budget.usedBytes)", "server": "\(budget.parent?.usedBytes ?? 0)"])
        dropPartialMessagesIfTheyHoldTheBudget()
    }

    /// Partly received messages cannot complete while we do not read. When they are what
    /// keeps this connection's budget spent (without them it would have room), nothing
    /// else would ever free it. First the storage reserved ahead of their bytes goes (that
    /// loses nothing); if that is not enough, they go (largest first, as gRPC core's
    /// reclaimers do under memory pressure), their calls ending with RESOURCE_EXHAUSTED. A
    /// budget at least the size of what the peer's calls send at once never gets here.
    private func dropPartialMessagesIfTheyHoldTheBudget() {
        let queued = streams.values.reduce(0) { $0 + $1.queuedRequestCount }
        guard ReceivedMessage.partialMessagesHoldBudget(used: budget.usedBytes, limit: budget.limit,
                                                        partialBytes: partialBytes, queuedMessages: queued) else { return }
        let partial = streams.values.filter { $0.partialBytes > 0 }
        for stream in partial { stream.releaseReservedAhead() }
        let overhead = queued * ReceivedMessage.queuedOverhead
        for stream in partial.sorted(by: { $0.partialBytes > $1.partialBytes }) {
            guard budget.usedBytes - overhead > budget.limit else { return }
            stream.abort(code: .resourceExhausted,
                         message: "the server ran out of memory for this connection's partly received messages (Server.Configuration.connectionMemoryBudget)")
        }
    }

    /// Memory was freed: handlers waiting for it may start (the session resumes reading).
    func memoryFreed() {
        startCredits = Self.startsPerBatch
        startPending()
    }

    /// A stream's headers are valid: its handler starts now, or once memory allows.
    func admit(_ stream: ServerStream) {
        if pendingHead == pendingStarts.count, startCredits > 0, !budget.isSpent {
            startCredits -= 1
            stream.launch()
            return
        }
        pendingStarts.append(stream)
        if startCredits > 0 { http2.waitForMemory() } else { queueStartPass() }
    }

    /// Another pass once the jobs of the handlers started so far have run (FIFO on the
    /// loop), so what they charged counts.
    private func queueStartPass() {
        guard !startPassQueued else { return }
        startPassQueued = true
        LoopBound(self, loop: loop).execute { connection in
            connection.startPassQueued = false
            connection.startCredits = Self.startsPerBatch
            connection.startPending()
        }
    }

    /// Starts waiting handlers in order while credits last: all of them while the budget has
    /// room, and while it is spent only those whose requests are already held (taking them
    /// frees memory; kept waiting, their requests could keep the budget spent for good).
    private func startPending() {
        guard !isClosed else { return }
        var stoppedByCredits = false
        // While the budget is spent, starting a handler is allowed only when requests held
        // for waiting handlers are what keeps it spent (then starting them is what frees
        // it); when responses or running calls spent it, more handlers would only add.
        let startHoldersOnly = budget.isSpent && budget.usedBytes - pendingRequestBytes() <= budget.limit
        while pendingHead < pendingStarts.count {
            guard startCredits > 0 else {
                stoppedByCredits = true
                break
            }
            let stream = pendingStarts[pendingHead]
            if stream.finished {
                pendingHead += 1
                continue
            }
            if budget.isSpent && !startHoldersOnly { break }
            if budget.isSpent && !stream.holdsQueuedRequests {
                // Keep its place; look further down the line for one that frees memory.
                guard let index = pendingStarts[pendingHead...].firstIndex(where: { !$0.finished && $0.holdsQueuedRequests }) else { break }
                let freeing = pendingStarts.remove(at: index)
                pendingStarts.insert(freeing, at: pendingHead)
                continue
            }
            pendingHead += 1
            startCredits -= 1
            stream.launch()
        }
        if pendingHead == pendingStarts.count {
            pendingStarts.removeAll(keepingCapacity: true)
            pendingHead = 0
            return
        }
        if pendingHead > 256 {
            pendingStarts.removeFirst(pendingHead)
            pendingHead = 0
        }
        if stoppedByCredits { queueStartPass() } else { http2.waitForMemory() }
    }

    /// Request bytes held for handlers that wait to start.
    private func pendingRequestBytes() -> Int {
        pendingStarts[pendingHead...].reduce(0) { $0 + ($1.finished ? 0 : $1.queuedRequestBytes) }
    }

    // MARK: Streams

    /// The open stream `streamID`. Consecutive events mostly concern one stream (the fields of
    /// a header block, which arrive contiguously (RFC 9113 §6.10), a request's DATA and its
    /// END_STREAM, a response's DATA and END_STREAM going out), so the one looked up last is
    /// kept and those skip the dictionary (a hash and a probe each).
    private func openStream(_ streamID: Int32) -> ServerStream? {
        if let recentStream, recentStream.id == streamID { return recentStream }
        guard let found = streams[streamID] else { return nil }
        recentStream = found
        return found
    }

    func willReceiveHeaders(streamID: Int32) -> Bool {
        // Even ids are nghttp2's to reject (a client may not open them).
        guard streamID & 1 == 1, clientStreamIDs.admit(streamID) == .neverOpened else { return true }
        logger.debug("closing connection: HEADERS on a stream id the client skipped", metadata: ["stream": "\(streamID)"])
        nghttp2_session_terminate_session2(session, nghttp2_session_get_last_proc_stream_id(session), NGHTTP2_PROTOCOL_ERROR.rawValue)
        http2.closeAfterPendingOutput(error: RPCError(code: .unavailable, message: "HTTP/2 protocol error: stream id \(streamID) below one already used"))
        return false
    }

    func didBeginHeaders(streamID: Int32, category: nghttp2_headers_category) {
        guard category == NGHTTP2_HCAT_REQUEST else { return }
        // While draining, streams the shutdown notice still admits are served; nghttp2 itself
        // ignores streams above the final GOAWAY's last stream id.
        let stream = ServerStream(id: streamID, connection: self)
        streams[streamID] = stream
        recentStream = stream
        lifecycle.streamOpened()
    }

    func didReceiveHeader(streamID: Int32, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        guard let stream = openStream(streamID) else { return }
        if stream.addHeader(name: name, value: value) == .overHeaderLimit { refuse(stream) }
    }

    /// Refuses a new stream whose headers would take this connection (or the server) past
    /// its header limit: RST_STREAM REFUSED_STREAM, HTTP/2's code for a stream nothing was
    /// done for (RFC 9113 §8.7: the client may retry it; gRPC clients see UNAVAILABLE). No
    /// Trailers-Only RESOURCE_EXHAUSTED: answering would mean keeping the stream, and a
    /// client must not retry that status. The stream is forgotten now, so its headers go back
    /// at once and the rest of its block, and any DATA, is ignored (DATA's window is given back).
    private func refuse(_ stream: ServerStream) {
        logger.debug("refusing stream: request headers over the header limit",
                     metadata: ["stream": "\(stream.id)", "connection": "\(headerBudget.usedBytes)",
                                "server": "\(headerBudget.parent?.usedBytes ?? 0)"])
        streams.removeValue(forKey: stream.id)
        if recentStream === stream { recentStream = nil }
        stream.closed(error: RPCError(code: .resourceExhausted, message: "request headers over the server's header limit"))
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream.id, NGHTTP2_REFUSED_STREAM.rawValue)
        scheduleFlush()
        if let action = lifecycle.streamClosed(now: .now) { perform(action) }
    }

    /// Every RST_STREAM the server sends with an error code is a stream the client made it
    /// refuse (`refuse`, or nghttp2 over the concurrency limit) or reset (a stream error in
    /// the client's frames: "MadeYouReset"); the only one it sends on its own is NO_ERROR
    /// (`resetAfterResponse`). A client that keeps opening such streams would cost us HPACK
    /// decoding, perhaps a handler, and an RST_STREAM each, forever, at no cost to itself:
    /// past `maxRefusedStreamsPerSecond` the connection ends.
    func didSendReset(streamID: Int32, errorCode: UInt32) {
        guard errorCode != NGHTTP2_NO_ERROR.rawValue, !http2.stopsProcessingInput,
              guardRails.recordRefusedStream() else { return }
        logger.warning("closing connection: too many streams refused or reset because of the client")
        goAway(errorCode: NGHTTP2_ENHANCE_YOUR_CALM.rawValue, message: "too many refused streams")
    }

    func didReceiveHeaders(streamID: Int32, category: nghttp2_headers_category, endStream: Bool) {
        guard let stream = openStream(streamID) else { return }
        if category == NGHTTP2_HCAT_REQUEST {
            stream.start(endStream: endStream)
        } else if endStream {
            // Trailers from the client end its side of the stream.
            stream.receiveEndOfStream()
        }
    }

    func didReceiveData(streamID: Int32, bytes: UnsafeRawBufferPointer) {
        guard let stream = openStream(streamID) else {
            consume(streamID: streamID, count: bytes.count)
            return
        }
        stream.receive(bytes)
    }

    func didReceiveEndOfStream(streamID: Int32) {
        openStream(streamID)?.receiveEndOfStream()
    }

    func didReceiveReset(streamID: Int32, errorCode: UInt32) {
        guard let stream = openStream(streamID) else { return }
        // Rapid reset (CVE-2023-44487): streams opened and cancelled before we answered.
        if !stream.hasResponded && guardRails.recordEarlyReset() {
            logger.warning("closing connection: too many streams reset before a response")
            goAway(errorCode: NGHTTP2_ENHANCE_YOUR_CALM.rawValue, message: "too many resets")
        }
    }

    func didCloseStream(streamID: Int32, errorCode: UInt32) {
        guard let stream = streams.removeValue(forKey: streamID) else { return }
        if recentStream === stream { recentStream = nil }
        if http2.isSendingForFlush {
            // Its END_STREAM (or RST_STREAM) is in the frames about to be written: released
            // once they are (`didWriteOutput`), so the response does not wait for it.
            closedWhileSending.append((stream, errorCode))
        } else {
            release(stream, errorCode: errorCode)
        }
        if let action = lifecycle.streamClosed(now: .now) { perform(action) }
    }

    func didWriteOutput() {
        guard !closedWhileSending.isEmpty else { return }
        // Swapped out first: releasing a stream may cancel its task, whose cancellation
        // handlers could come back here.
        var closed = spareClosedWhileSending
        swap(&closed, &closedWhileSending)
        for (stream, errorCode) in closed { release(stream, errorCode: errorCode) }
        closed.removeAll(keepingCapacity: closed.capacity <= Self.keptClosedCapacity)
        spareClosedWhileSending = closed
    }

    /// Entries of capacity `closedWhileSending` keeps between writes (a write closes as
    /// many streams as it ends responses, `HTTP2Session.earlyFlushEvery` or so under load).
    private static let keptClosedCapacity = 256

    /// Ends what is left of a closed stream's call and frees what it held.
    private func release(_ stream: ServerStream, errorCode: UInt32) {
        // Formatted only for a call that has not ended (`closed` evaluates it only then):
        // nearly every stream closes after its status, and the string cost an allocation.
        stream.closed(error: RPCError(code: .cancelled, message: "the client cancelled the call (HTTP/2 error \(errorCode))"))
    }

    func outboundData(streamID: Int32) -> OutboundData? {
        openStream(streamID)?.outbound
    }

    func didReceivePing() {
        if !http2.stopsProcessingInput && guardRails.recordPing(activeStreams: streams.count) {
            logger.warning("closing connection: ping flood")
            goAway(errorCode: NGHTTP2_ENHANCE_YOUR_CALM.rawValue, message: "too_many_pings")
        }
    }

    func didReceiveSettings() {
        perform(lifecycle.settingsReceived(now: .now))
        if guardRails.recordSettings() {
            logger.warning("closing connection: settings flood")
            goAway(errorCode: NGHTTP2_ENHANCE_YOUR_CALM.rawValue, message: "settings flood")
        }
    }

    /// The client will open no more streams: the connection closes once its calls end.
    func didReceiveGoAway(lastStreamID: Int32, errorCode: UInt32) {
        perform(lifecycle.goAwayReceived())
    }

    func didSendEndOfStream(streamID: Int32) {
        if let stream = openStream(streamID), stream.resetWhenResponseEnds {
            resetAfterResponse(streamID: streamID)
        }
    }

    func didSendData() {
        guardRails.noteActivitySent()
    }

    func resetAfterResponse(streamID: Int32) {
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, NGHTTP2_NO_ERROR.rawValue)
        scheduleFlush()
    }

    /// Sends GOAWAY with an error and closes once it is written (called from nghttp2
    /// callbacks, so the flush and close happen after the current input is processed).
    func goAway(errorCode: UInt32, message: String) {
        guard !http2.stopsProcessingInput else { return }
        http2.submitGoAway(errorCode: errorCode, debug: message)
        http2.closeAfterPendingOutput(error: RPCError(code: .unavailable, message: message))
    }

    // MARK: Graceful shutdown

    /// Two-step GOAWAY: a notice now (no new streams after the next round trip), the final
    /// GOAWAY with the last processed stream shortly after, then close when the calls in
    /// flight finish or `gracePeriod` runs out (they are cancelled then).
    func beginGracefulShutdown(gracePeriod: Duration) {
        guard !isClosed else { return }
        perform(lifecycle.shutdown(grace: gracePeriod))
    }

    func sessionDidClose(error: RPCError) {
        perform(lifecycle.closed())
        let open = streams
        streams.removeAll()
        recentStream = nil
        pendingStarts.removeAll()
        pendingHead = 0
        didWriteOutput()
        for stream in open.values { stream.closed(error: error) }
        onClose?()
        onClose = nil
    }
}
