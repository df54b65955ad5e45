import CNGHTTP2
import Logging

/// The server side of one HTTP/2 connection: one `ServerStream` per call. Loop-confined.
final class ServerConnection: HTTP2Connection {
    let runtime: ServerRuntime
    let peerDescription: String
    /// The peer's SO_PEERCRED (Unix socket servers only), read once when the connection is accepted.
    let peerCredentials: PeerCredentials?
    /// The verdict of `Configuration.admitsPeer` on this connection, decided once at accept.
    let peerAdmitted: Bool
    private var streams: [Int32: ServerStream] = [:]
    private var onClose: (() -> Void)?
    private var isDraining = false
    private var graceTimer: TimerID?
    private let guardRails: AbuseGuard
    private var keepaliveTimer: TimerID?
    private var pingTimeoutTimer: TimerID?

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
        var settings = HTTP2Settings()
        settings.maxConcurrentStreams = UInt32(clamping: runtime.configuration.maxConcurrentStreams)
        settings.initialStreamWindow = Int32(clamping: runtime.configuration.initialStreamWindowSize)
        settings.connectionWindow = Int32(clamping: runtime.configuration.connectionWindowSize)
        settings.maxHeaderListSize = UInt32(clamping: runtime.configuration.maxHeaderListSize)
        var logger = runtime.logger
        logger[metadataKey: "peer"] = "\(socket.remoteAddress()?.description ?? "unknown")"
        try super.init(loop: loop, socket: socket, isServer: true, settings: settings, logger: logger)
    }

    override var isServerSide: Bool { true }

    override func start() throws {
        try super.start()
        scheduleKeepalive()
    }

    // MARK: Keepalive

    /// Pings the client every `keepalive.pingInterval`; no ACK within `pingTimeout` means the
    /// client is gone (half-open TCP), so the connection closes and its calls are cancelled.
    private func scheduleKeepalive() {
        let keepalive = runtime.configuration.keepalive
        // Timers capture the connection strongly; `connectionDidClose` cancels them (cancelling
        // drops the closure), which breaks the cycle. A `weak` capture would give the connection
        // a refcount side table, and every retain/release of it (several per call) would take
        // the runtime's slow path.
        keepaliveTimer = loop.scheduleTimer(after: keepalive.pingInterval) { [self] in
            guard !self.isClosed else { return }
            self.keepaliveTimer = nil
            nghttp2_submit_ping(self.session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
            self.scheduleFlush()
            self.pingTimeoutTimer = self.loop.scheduleTimer(after: keepalive.pingTimeout) { [self] in
                self.pingTimeoutTimer = nil
                self.logger.debug("closing connection: keepalive ping not acknowledged")
                self.close(error: RPCError(code: .unavailable, message: "keepalive ping not acknowledged"))
            }
        }
    }

    // MARK: Streams

    override func didBeginHeaders(streamID: Int32, category: nghttp2_headers_category) {
        guard category == NGHTTP2_HCAT_REQUEST else { return }
        // While draining, streams the shutdown notice still admits are served; nghttp2 itself
        // ignores streams above the final GOAWAY's last stream id.
        streams[streamID] = ServerStream(id: streamID, connection: self)
    }

    override func didReceiveHeader(streamID: Int32, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        guard let stream = streams[streamID] else { return }
        stream.addHeader(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
    }

    override func didReceiveHeaders(streamID: Int32, category: nghttp2_headers_category, endStream: Bool) {
        guard let stream = streams[streamID] else { return }
        if category == NGHTTP2_HCAT_REQUEST {
            stream.start(endStream: endStream)
        } else if endStream {
            // Trailers from the client end its side of the stream.
            stream.receiveEndOfStream()
        }
    }

    override func didReceiveData(streamID: Int32, bytes: UnsafeRawBufferPointer) {
        guard let stream = streams[streamID] else {
            consume(streamID: streamID, count: bytes.count)
            return
        }
        stream.receive(bytes)
    }

    override func didReceiveEndOfStream(streamID: Int32) {
        streams[streamID]?.receiveEndOfStream()
    }

    override func didReceiveReset(streamID: Int32, errorCode: UInt32) {
        guard let stream = streams[streamID] else { return }
        // Rapid reset (CVE-2023-44487): streams opened and cancelled before we answered.
        if !stream.hasResponded && guardRails.recordEarlyReset() {
            logger.warning("closing connection: too many streams reset before a response")
            goAway(errorCode: NGHTTP2_ENHANCE_YOUR_CALM.rawValue, message: "too many resets")
        }
    }

    override func didCloseStream(streamID: Int32, errorCode: UInt32) {
        guard let stream = streams.removeValue(forKey: streamID) else { return }
        stream.closed(error: RPCError(code: .cancelled, message: "the client cancelled the call (HTTP/2 error \(errorCode))"))
        if isDraining && streams.isEmpty { finishDraining() }
    }

    override func outboundData(streamID: Int32) -> OutboundData? {
        streams[streamID]?.outbound
    }

    override func didReceivePing(isAck: Bool) {
        if isAck, let pingTimeoutTimer {
            loop.cancelTimer(pingTimeoutTimer)
            self.pingTimeoutTimer = nil
            scheduleKeepalive()
            return
        }
        if !isAck && !stopsProcessingInput && guardRails.recordPing(activeStreams: streams.count) {
            logger.warning("closing connection: ping flood")
            goAway(errorCode: NGHTTP2_ENHANCE_YOUR_CALM.rawValue, message: "too_many_pings")
        }
    }

    override func didReceiveSettings() {
        if guardRails.recordSettings() {
            logger.warning("closing connection: settings flood")
            goAway(errorCode: NGHTTP2_ENHANCE_YOUR_CALM.rawValue, message: "settings flood")
        }
    }

    override func didReceiveGoAway(lastStreamID: Int32, errorCode: UInt32) {}

    override func didSendEndOfStream(streamID: Int32) {
        if let stream = streams[streamID], stream.resetWhenResponseEnds {
            resetAfterResponse(streamID: streamID)
        }
    }

    override func didSendData() {
        guardRails.noteActivitySent()
    }

    func resetAfterResponse(streamID: Int32) {
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, NGHTTP2_NO_ERROR.rawValue)
        scheduleFlush()
    }

    /// Sends GOAWAY with an error and closes once it is written (called from nghttp2
    /// callbacks, so the flush and close happen after the current input is processed).
    func goAway(errorCode: UInt32, message: String) {
        guard !stopsProcessingInput else { return }
        let bytes = Array(message.utf8)
        nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nghttp2_session_get_last_proc_stream_id(session),
                              errorCode, bytes, bytes.count)
        closeAfterPendingOutput(error: RPCError(code: .unavailable, message: message))
    }

    // MARK: Graceful shutdown

    /// Two-step GOAWAY: a notice now (no new streams after the next round trip), the final
    /// GOAWAY with the last processed stream shortly after, then close when the calls in
    /// flight finish or `gracePeriod` runs out (they are cancelled then).
    func beginGracefulShutdown(gracePeriod: Duration) {
        guard !isDraining, !isClosed else { return }
        isDraining = true
        nghttp2_submit_shutdown_notice(session)
        scheduleFlush()
        // Strong captures (see scheduleKeepalive); this untracked one keeps it 100 ms at most.
        _ = loop.scheduleTimer(after: .milliseconds(100)) { [self] in
            guard !self.isClosed else { return }
            nghttp2_submit_goaway(self.session, UInt8(NGHTTP2_FLAG_NONE.rawValue),
                                  nghttp2_session_get_last_proc_stream_id(self.session), NGHTTP2_NO_ERROR.rawValue, nil, 0)
            self.scheduleFlush()
            if self.streams.isEmpty { self.finishDraining() }
        }
        graceTimer = loop.scheduleTimer(after: gracePeriod) { [self] in
            self.graceTimer = nil
            self.close(error: RPCError(code: .unavailable, message: "server shutdown grace period ended"))
        }
    }

    private func finishDraining() {
        // Let the final frames (trailers, GOAWAY) out before closing.
        loop.executeLater { [self] in
            guard !self.isClosed else { return }
            self.flush()
            self.close(error: RPCError(code: .unavailable, message: "server shut down"))
        }
    }

    override func connectionDidClose(error: RPCError) {
        for timer in [graceTimer, keepaliveTimer, pingTimeoutTimer].compactMap({ $0 }) { loop.cancelTimer(timer) }
        graceTimer = nil
        keepaliveTimer = nil
        pingTimeoutTimer = nil
        let open = streams
        streams.removeAll()
        for stream in open.values { stream.closed(error: error) }
        onClose?()
        onClose = nil
    }
}
