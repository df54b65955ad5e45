import CNGHTTP2
import CRPCSystem
import Glibc
import Logging
import Synchronization

/// Whether a client connection still takes new calls; flipped by the loop, read by the channel.
final class ConnectionAvailability: Sendable {
    private let usable = Atomic<Bool>(true)
    var isUsable: Bool { usable.load(ordering: .acquiring) }
    func markUnusable() { usable.store(false, ordering: .releasing) }
}

/// The client side of one HTTP/2 connection: connects, then multiplexes calls as streams.
/// Its life is `ClientConnectionLifecycle`; the HTTP/2 and socket work is its
/// `HTTP2Session`. What its subchannel uses: `begin`, `startCall`, `shutdown`,
/// `drainAndClose`, `onEvent` (the lifecycle's transitions), `availability` and `budget`.
/// Loop-confined.
final class ClientConnection: HTTP2SessionHandler, EventHandler {
    static var side: HTTP2Side { .client }
    let availability = ConnectionAvailability()
    /// Response bytes this connection holds for calls that have not taken them (queued and
    /// partly received messages). When it is spent the connection stops reading from its
    /// socket and withholds the connection window until calls take their messages.
    let budget: MemoryBudget
    /// What the connection goes to, named in every error about it.
    let target: SocketAddress
    let loop: EventLoop
    let logger: Logger
    /// The HTTP/2 session and socket (set once in `init`).
    private(set) var http2: HTTP2Session<ClientConnection>!
    private var lifecycle: ClientConnectionLifecycle
    /// Lifecycle events for the subchannel that owns this connection (called on the loop).
    var onEvent: ((ClientConnectionEvent) -> Void)?
    private var streams: [Int32: ClientStream] = [:]
    /// Calls waiting for the server's first SETTINGS (so we know its stream limit before
    /// opening streams it would refuse).
    private var waitingForSettings: [(ClientStream, HeaderBlock)] = []
    private var connectTimer: TimerID?

    init(loop: EventLoop, socket: Socket, target: SocketAddress, connecting: Bool, settings: HTTP2Settings,
         keepalive: Channel.Keepalive, budget: MemoryBudget, transport: ConnectionTransport = .plaintext, logger: Logger) throws {
        self.loop = loop
        self.target = target
        self.budget = budget
        self.logger = logger
        self.lifecycle = ClientConnectionLifecycle(target: "\(target)")
        let pings = keepalive.interval.map {
            KeepaliveState.Configuration(interval: $0, timeout: keepalive.timeout, permitWithoutCalls: keepalive.permitWithoutCalls)
        }
        http2 = try HTTP2Session(handler: self, loop: loop, socket: socket, connecting: connecting, settings: settings,
                                 keepalive: pings, budget: budget, transport: transport, logger: logger)
    }

    /// Registers with the loop; the HTTP/2 preface goes out once the TCP connect completes.
    func begin(connectTimeout: Duration) {
        do {
            try http2.start(eventHandler: self)
        } catch {
            http2.close(error: RPCError(code: .unavailable, message: "could not register the connection to \(target): \(error)"))
            return
        }
        // Runs until the server's SETTINGS arrive (ready).
        connectTimer = loop.scheduleTimer(after: connectTimeout) { [weak self] in
            guard let self else { return }
            self.connectTimer = nil
            if let cause = self.lifecycle.connectTimedOut(after: connectTimeout) { self.http2.close(error: cause) }
        }
    }

    func handleEvents(_ events: UInt32) {
        if http2.isConnecting {
            let error = http2.socket.pendingError()
            if error != 0 || events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
                let code = error != 0 ? error : ECONNREFUSED
                http2.close(error: lifecycle.connectFailed(String(cString: strerror(code))))
                return
            }
            if events & EPOLLOUT.rawValue != 0 { http2.connected() }
            return
        }
        http2.handleEvents(events)
    }

    // MARK: What streams use of the session

    /// The nghttp2 session (streams submit their frames to it).
    var session: OpaquePointer? { http2.session }
    var isClosed: Bool { http2.isClosed }
    func scheduleFlush() { http2.scheduleFlush() }
    func resumeData(streamID: Int32, _ data: OutboundData) { http2.resumeData(streamID: streamID, data) }
    func consume(streamID: Int32, count: Int) { http2.consume(streamID: streamID, count: count) }
    func consumeStreamWindow(streamID: Int32, count: Int) { http2.consumeStreamWindow(streamID: streamID, count: count) }
    func returnConnectionWindow(_ count: Int) { http2.returnConnectionWindow(count) }
    var openStreamCount: Int { streams.count }

    // MARK: Calls

    /// Opens a stream for `stream` (or fails it when this connection cannot take it).
    func startCall(_ stream: ClientStream, headers: HeaderBlock, timeout: Duration?) {
        stream.prepare(on: self, timeout: timeout)
        switch lifecycle.startCall() {
        case .open:
            stream.open(headers: headers)
        case .wait:
            waitingForSettings.append((stream, headers))
        case .fail(let cause):
            // The call was never sent (the channel retries it on a new connection where it
            // may); its error is the connection's real fate, naming the target.
            stream.connectionClosed(cause)
        }
    }

    func register(_ stream: ClientStream) {
        streams[stream.id] = stream
    }

    func willReceiveHeaders(streamID: Int32) -> Bool { true }

    func didBeginHeaders(streamID: Int32, category: nghttp2_headers_category) {
        streams[streamID]?.beginHeaderBlock()
    }

    func didReceiveHeader(streamID: Int32, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        streams[streamID]?.addHeader(name: name, value: value)
    }

    func didReceiveHeaders(streamID: Int32, category: nghttp2_headers_category, endStream: Bool) {
        streams[streamID]?.endHeaderBlock(isResponse: category == NGHTTP2_HCAT_RESPONSE, endStream: endStream)
    }

    func didReceiveData(streamID: Int32, bytes: UnsafeRawBufferPointer) {
        guard let stream = streams[streamID] else {
            consume(streamID: streamID, count: bytes.count)
            return
        }
        stream.receive(bytes)
    }

    func didReceiveEndOfStream(streamID: Int32) {}

    func didReceiveReset(streamID: Int32, errorCode: UInt32) {}

    func didCloseStream(streamID: Int32, errorCode: UInt32) {
        guard let stream = streams.removeValue(forKey: streamID) else { return }
        stream.closed(errorCode: errorCode)
        if lifecycle.streamClosed(openStreams: streams.count), case .draining(let cause) = lifecycle.state { closeSoon(cause) }
    }

    /// Nothing waits for it: the client releases its streams as they close (a call's
    /// request ends first, so they rarely close while requests are being written).
    func didWriteOutput() {}

    func outboundData(streamID: Int32) -> OutboundData? {
        streams[streamID]?.outbound
    }

    func didReceiveGoAway(lastStreamID: Int32, errorCode: UInt32) {
        availability.markUnusable()
        let before = lifecycle.state
        let closeNow = lifecycle.goAwayReceived(errorCode: errorCode, isNoError: errorCode == NGHTTP2_NO_ERROR.rawValue,
                                                errorStatus: StatusCode(http2ErrorCode: errorCode), openStreams: streams.count)
        report(from: before)
        // Streams above lastStreamID were never processed: they go back to the channel to start
        // over on another connection, or fail UNAVAILABLE (retryable) now; nghttp2 closes them
        // with REFUSED_STREAM, which then finds them gone or ended.
        for (id, stream) in streams where stream.receivedGoAway(lastStreamID: lastStreamID, errorCode: errorCode) {
            streams[id] = nil
        }
        if closeNow || lifecycle.streamClosed(openStreams: streams.count) {
            closeSoon(RPCError(code: .unavailable, message: "the server closed the connection (GOAWAY)"))
        }
    }

    /// Closes after the current nghttp2 callback returns.
    private func closeSoon(_ error: RPCError) {
        loop.executeLater { [weak self] in self?.http2.close(error: error) }
    }

    func didReceiveSettings() {
        let before = lifecycle.state
        guard lifecycle.settingsReceived() else { return }
        if let connectTimer { loop.cancelTimer(connectTimer) }
        connectTimer = nil
        let waiting = waitingForSettings
        waitingForSettings = []
        for (stream, headers) in waiting { stream.open(headers: headers) }
        report(from: before)
    }

    func didReceivePing() {}
    /// Our own cancellations; nothing to police on a client.
    func didSendReset(streamID: Int32, errorCode: UInt32) {}
    func didSendData() {}
    func didSendEndOfStream(streamID: Int32) {}
    func didPauseReading() {
        logger.debug("response memory budget spent: not reading until calls take their messages",
                     metadata: ["held": "\(budget.usedBytes)"])
        dropPartialMessagesIfTheyHoldTheBudget()
    }

    /// Partly received responses cannot complete while we do not read: when they are what
    /// keeps the budget spent (without them it would have room), nothing would ever free it
    /// and the connection would stall for good. They go, largest first, their calls ending
    /// with RESOURCE_EXHAUSTED (as the server treats partly received requests), after the
    /// storage reserved ahead of their bytes (giving that back loses nothing). A budget at
    /// least the size of the largest response accepted never gets here for one call.
    private func dropPartialMessagesIfTheyHoldTheBudget() {
        let partials = streams.values.filter { $0.partialBytes > 0 }
        let partialTotal = partials.reduce(0) { $0 + $1.partialBytes }
        let queued = streams.values.reduce(0) { $0 + $1.queuedResponseCount }
        guard ReceivedMessage.partialMessagesHoldBudget(used: budget.usedBytes, limit: budget.limit,
                                                        partialBytes: partialTotal, queuedMessages: queued) else { return }
        for stream in partials { stream.releaseReservedAhead() }
        let overhead = queued * ReceivedMessage.queuedOverhead
        for stream in partials.sorted(by: { $0.partialBytes > $1.partialBytes }) {
            guard budget.usedBytes - overhead > budget.limit else { return }
            stream.cancel(code: .resourceExhausted,
                          message: "the client ran out of memory for this connection's partly received responses (Channel.Configuration.connectionMemoryBudget)")
        }
    }
    func memoryFreed() {}

    func sessionDidClose(error: RPCError) {
        availability.markUnusable()
        if let connectTimer { loop.cancelTimer(connectTimer) }
        connectTimer = nil
        let before = lifecycle.state
        let failure = lifecycle.closed(error)
        let open = Array(streams.values) + waitingForSettings.map(\.0)
        streams.removeAll()
        waitingForSettings.removeAll()
        for stream in open { stream.connectionClosed(failure) }
        report(from: before)
    }

    /// Closes the connection when the channel closes; calls still running end with CANCELLED.
    func shutdown() {
        availability.markUnusable()
        guard !isClosed else { return }
        nghttp2_session_terminate_session(session, NGHTTP2_NO_ERROR.rawValue)
        http2.writeQueuedThenClose(error: lifecycle.shutdownCause())
    }

    /// Takes no new calls and closes once the calls it carries have ended (its address was
    /// dropped by the resolver). Calls still waiting for the server's SETTINGS were never
    /// sent: they end now with the drain's cause (UNAVAILABLE, naming the target).
    func drainAndClose() {
        availability.markUnusable()
        guard !isClosed else { return }
        let before = lifecycle.state
        let closeNow = lifecycle.drain(openStreams: streams.count)
        report(from: before)
        let waiting = waitingForSettings
        waitingForSettings = []
        if case .draining(let cause) = lifecycle.state { for (stream, _) in waiting { stream.connectionClosed(cause) } }
        if closeNow { http2.close(error: RPCError(code: .unavailable, message: "the channel stopped using \(target)")) }
    }

    /// Tells the owner (`onEvent`) about the lifecycle transition since `before`, if it is
    /// one the owner acts on.
    private func report(from before: ClientConnectionLifecycle.State) {
        guard let event = ClientConnectionEvent(from: before, to: lifecycle.state) else { return }
        let onEvent = self.onEvent
        if case .closed = event { self.onEvent = nil }
        onEvent?(event)
    }
}
