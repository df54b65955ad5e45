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

/// What a client connection tells its owner (the subchannel) about its lifecycle.
enum ClientConnectionEvent {
    /// The server's first SETTINGS arrived: the connection takes calls.
    case ready
    /// The server sent GOAWAY: calls running finish, new ones need another connection.
    case draining
    /// The connection is gone, with why.
    case closed(RPCError)
}

/// The client side of one HTTP/2 connection: connects, then multiplexes calls as streams.
/// Loop-confined.
final class ClientConnection: HTTP2Connection {
    let availability = ConnectionAvailability()
    /// Lifecycle events for the subchannel that owns this connection (called on the loop).
    var onEvent: ((ClientConnectionEvent) -> Void)?
    private var streams: [Int32: ClientStream] = [:]
    /// Calls waiting for the server's first SETTINGS (so we know its stream limit before
    /// opening streams it would refuse).
    private var waitingForSettings: [(ClientStream, HeaderBlock)] = []
    private var isReady = false
    private var connecting: Bool
    private var goAwayReceived = false
    private var connectTimer: TimerID?
    private var closeError: RPCError?
    private let keepalive: Channel.Keepalive
    private var keepaliveTimer: TimerID?
    private var pingTimeoutTimer: TimerID?
    /// What the connection goes to, named in every error about it.
    let target: SocketAddress
    /// Why the connection ended, for calls that still find it (named with the target).
    private var closeReason: RPCError?

    init(loop: EventLoop, socket: Socket, target: SocketAddress, connecting: Bool, settings: HTTP2Settings,
         keepalive: Channel.Keepalive, logger: Logger) throws {
        self.connecting = connecting
        self.keepalive = keepalive
        self.target = target
        try super.init(loop: loop, socket: socket, isServer: false, settings: settings, logger: logger)
        canWrite = !connecting
    }

    /// Registers with the loop; the HTTP/2 preface goes out once the TCP connect completes.
    func begin(connectTimeout: Duration) {
        submitSettings()
        do {
            try registerWithLoop(readable: !connecting, writable: connecting)
        } catch {
            close(error: RPCError(code: .unavailable, message: "could not register the connection to \(target): \(error)"))
            return
        }
        connectTimer = loop.scheduleTimer(after: connectTimeout) { [weak self] in
            self?.connectTimer = nil
            guard let self else { return }
            self.close(error: RPCError(
                code: .unavailable,
                message: "connecting timed out after \(connectTimeout): no HTTP/2 SETTINGS from the server at \(self.target)"))
        }
        if !connecting { connected() }
    }

    private func connected() {
        connecting = false
        canWrite = true
        // The connect timer keeps running until the server's SETTINGS arrive (ready).
        loop.reregister(fd: socket.fd, readable: true, writable: false)
        scheduleKeepalive()
        flush()
    }

    override func handleEvents(_ events: UInt32) {
        if connecting {
            let error = socket.pendingError()
            if error != 0 || events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
                let code = error != 0 ? error : ECONNREFUSED
                close(error: RPCError(code: .unavailable, message: "could not connect to \(target): \(String(cString: strerror(code)))"))
                return
            }
            if events & EPOLLOUT.rawValue != 0 { connected() }
            return
        }
        super.handleEvents(events)
    }

    // MARK: Calls

    /// Opens a stream for `stream` (or fails it when this connection cannot take it).
    func startCall(_ stream: ClientStream, headers: HeaderBlock, timeout: Duration?) {
        stream.prepare(on: self, timeout: timeout)
        if isClosed || goAwayReceived {
            // The call was never sent (the channel retries it on a new connection where it
            // may); its error is the connection's real fate, naming the target.
            stream.connectionClosed(closeReason ?? closeError
                ?? RPCError(code: .unavailable, message: "the server at \(target) is shutting this connection down (GOAWAY)"))
            return
        }
        if isReady {
            stream.open(headers: headers)
        } else {
            waitingForSettings.append((stream, headers))
        }
    }

    func register(_ stream: ClientStream) {
        streams[stream.id] = stream
    }

    override func didBeginHeaders(streamID: Int32, category: nghttp2_headers_category) {
        streams[streamID]?.beginHeaderBlock()
    }

    override func didReceiveHeader(streamID: Int32, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        streams[streamID]?.addHeader(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
    }

    override func didReceiveHeaders(streamID: Int32, category: nghttp2_headers_category, endStream: Bool) {
        streams[streamID]?.endHeaderBlock(isResponse: category == NGHTTP2_HCAT_RESPONSE, endStream: endStream)
    }

    override func didReceiveData(streamID: Int32, bytes: UnsafeRawBufferPointer) {
        guard let stream = streams[streamID] else {
            consume(streamID: streamID, count: bytes.count)
            return
        }
        stream.receive(bytes)
    }

    override func didCloseStream(streamID: Int32, errorCode: UInt32) {
        guard let stream = streams.removeValue(forKey: streamID) else { return }
        stream.closed(errorCode: errorCode)
        if goAwayReceived && streams.isEmpty {
            loop.executeLater { [weak self] in
                self?.close(error: RPCError(code: .unavailable, message: "the server closed the connection (GOAWAY)"))
            }
        }
    }

    override func outboundData(streamID: Int32) -> OutboundData? {
        streams[streamID]?.outbound
    }

    override func didReceiveGoAway(lastStreamID: Int32, errorCode: UInt32) {
        goAwayReceived = true
        availability.markUnusable()
        onEvent?(.draining)
        // nghttp2 closes streams above lastStreamID with REFUSED_STREAM (-> UNAVAILABLE).
        if errorCode != NGHTTP2_NO_ERROR.rawValue {
            closeError = RPCError(code: StatusCode(http2ErrorCode: errorCode) == .resourceExhausted ? .resourceExhausted : .unavailable,
                                  message: "the server sent GOAWAY (HTTP/2 error \(errorCode))")
        }
        if streams.isEmpty {
            loop.executeLater { [weak self] in
                self?.close(error: RPCError(code: .unavailable, message: "the server closed the connection (GOAWAY)"))
            }
        }
    }

    override func didReceiveSettings() {
        guard !isReady else { return }
        isReady = true
        if let connectTimer { loop.cancelTimer(connectTimer) }
        connectTimer = nil
        let waiting = waitingForSettings
        waitingForSettings = []
        for (stream, headers) in waiting { stream.open(headers: headers) }
        onEvent?(.ready)
    }

    override func didReceivePing(isAck: Bool) {
        if isAck, let pingTimeoutTimer {
            loop.cancelTimer(pingTimeoutTimer)
            self.pingTimeoutTimer = nil
            scheduleKeepalive()
        }
    }

    override func connectionDidClose(error: RPCError) {
        availability.markUnusable()
        for timer in [connectTimer, keepaliveTimer, pingTimeoutTimer].compactMap({ $0 }) { loop.cancelTimer(timer) }
        var failure = closeError ?? error
        // Every error about the connection says where it went.
        if failure.code == .unavailable && !failure.message.contains("\(target)") {
            failure = RPCError(code: failure.code, message: "connection to \(target): \(failure.message)", metadata: failure.metadata)
        }
        closeReason = failure
        let open = Array(streams.values) + waitingForSettings.map(\.0)
        streams.removeAll()
        waitingForSettings.removeAll()
        for stream in open { stream.connectionClosed(failure) }
        let onEvent = self.onEvent
        self.onEvent = nil
        onEvent?(.closed(failure))
    }

    /// Closes the connection when the channel closes; calls still running end with CANCELLED.
    func shutdown() {
        availability.markUnusable()
        guard !isClosed else { return }
        nghttp2_session_terminate_session(session, NGHTTP2_NO_ERROR.rawValue)
        flush()
        closeError = RPCError(code: .cancelled, message: "the channel was closed")
        close(error: RPCError(code: .cancelled, message: "the channel was closed"))
    }

    /// Takes no new calls and closes once the calls it carries have ended (its address was
    /// dropped by the resolver).
    func drainAndClose() {
        availability.markUnusable()
        goAwayReceived = true
        guard !isClosed else { return }
        if streams.isEmpty && waitingForSettings.isEmpty {
            close(error: RPCError(code: .unavailable, message: "the channel stopped using \(target)"))
        }
    }

    // MARK: Keepalive

    private func scheduleKeepalive() {
        guard let interval = keepalive.interval, !isClosed else { return }
        if let keepaliveTimer { loop.cancelTimer(keepaliveTimer) }
        keepaliveTimer = loop.scheduleTimer(after: interval) { [weak self] in
            guard let self, !self.isClosed else { return }
            self.keepaliveTimer = nil
            guard self.keepalive.permitWithoutCalls || !self.streams.isEmpty else {
                self.scheduleKeepalive()
                return
            }
            nghttp2_submit_ping(self.session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
            self.scheduleFlush()
            self.pingTimeoutTimer = self.loop.scheduleTimer(after: self.keepalive.timeout) { [weak self] in
                self?.pingTimeoutTimer = nil
                self?.close(error: RPCError(code: .unavailable, message: "keepalive ping not answered in time"))
            }
        }
    }
}
