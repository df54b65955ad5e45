import CNGHTTP2
import Logging
import Synchronization

/// One gRPC call on a server connection: collects the request headers, feeds request DATA
/// through the deframer into the handler's `RequestStream`, queues response messages, and
/// ends the stream with trailers (or Trailers-Only). Loop-confined.
final class ServerStream {
    let id: Int32
    /// Unowned: the connection owns its streams; after `closed()` (connection gone or stream
    /// over) nothing here touches it again (`finished` / `isClosed` guard every late entry).
    unowned let connection: ServerConnection
    private var isClosed = false
    private let liveCounter: LiveCounter

    // Request headers, collected as they arrive.
    private var method: String?
    private var path: String?
    private var contentType: String?
    private var te: String?
    private var timeout: String?
    private var encoding: String?
    private var acceptEncoding: String?
    private var metadata = Metadata()
    private var headerError: String?

    // The running call.
    private var queue: InboundMessageQueue?
    private var deframer: StreamDeframer
    private var owedBytes = 0
    let outbound: OutboundData
    private var headersSent = false
    private(set) var finished = false
    private(set) var requestEnded = false
    private var task: Task<Void, Never>?
    /// The handler and its call, between valid headers and the start (which may wait for
    /// memory, see `ServerConnection.admit`).
    private var prepared: (call: ServerCall, handler: @Sendable (ServerCall) async throws -> Void, path: String)?
    private var deadlineTimer: TimerID?
    /// Send RST_STREAM(NO_ERROR) once our END_STREAM is out, because the client was still
    /// sending (submitting it earlier could overtake the response).
    private(set) var resetWhenResponseEnds = false
    /// True once the handler produced any response (used by the rapid-reset guard).
    var hasResponded: Bool { headersSent || finished }

    init(id: Int32, connection: ServerConnection) {
        self.liveCounter = connection.runtime.liveStreams
        liveCounter.increment()
        self.id = id
        self.connection = connection
        self.deframer = StreamDeframer(maxMessageSize: min(connection.runtime.configuration.maxReceiveMessageSize, MessageFramer.maxLength))
        self.outbound = OutboundData(flow: OutboundFlow(highWater: connection.runtime.configuration.responseBufferHighWater,
                                                        budget: connection.budget))
    }

    // MARK: Request headers

    func addHeader(name: String, value: String) {
        switch name {
        case ":method": method = value
        case ":path": path = value
        case ":scheme", ":authority": break
        case "content-type": contentType = value
        case "te": te = value
        case "grpc-timeout": timeout = value
        case "grpc-encoding": encoding = value
        case "grpc-accept-encoding": acceptEncoding = value
        case "user-agent", "content-length": break
        default:
            if name.hasPrefix(":") { return }
            if name.hasSuffix("-bin") {
                do {
                    metadata.add(name, binary: try Base64.decode(value))
                } catch {
                    headerError = "invalid base64 in metadata \(name)"
                }
            } else {
                metadata.add(name, value)
            }
        }
    }

    /// The request headers are complete: validate them and start the handler, or answer at once.
    func start(endStream: Bool) {
        requestEnded = endStream
        let configuration = connection.runtime.configuration
        guard method == "POST" else {
            respondHTTPError(status: 405)
            return
        }
        guard let contentType, GRPCContentType.isGRPC(contentType) else {
            respondHTTPError(status: 415)
            return
        }
        guard te == "trailers" else {
            respondEarly(.internalError, "the te header must be \"trailers\"")
            return
        }
        if let headerError {
            respondEarly(.internalError, headerError)
            return
        }
        if let encoding {
            guard let algorithm = CompressionAlgorithm(headerValue: encoding) else {
                respondEarly(.unimplemented, "grpc-encoding \(encoding) is not supported",
                             extraHeaders: [("grpc-accept-encoding", Self.supportedEncodings)])
                return
            }
            deframer.compression = algorithm
        }
        guard let path, let method = connection.runtime.methods[path] else {
            respondEarly(.unimplemented, "method not found: \(path ?? "")")
            return
        }
        var deadline: ContinuousClock.Instant?
        var timeoutDuration: Duration?
        if let timeout {
            guard let parsed = try? GRPCTimeout.parse(timeout) else {
                respondEarly(.internalError, "invalid grpc-timeout \(timeout)")
                return
            }
            timeoutDuration = parsed
            deadline = ContinuousClock.now.advanced(by: parsed)
        }

        let bound = LoopBound(self, loop: connection.loop)
        let queue = InboundMessageQueue(highWater: configuration.requestBufferHighWater, budget: connection.budget) {
            bound.execute { $0.releaseOwedWindow() }
        }
        self.queue = queue
        if endStream { queue.finish(nil) }
        let accepted = acceptEncoding.map(AcceptEncoding.parse) ?? [.identity]
        let context = ServerContext(descriptor: method.descriptor, requestMetadata: metadata, deadline: deadline,
                                    peer: connection.peerDescription, peerCredentials: connection.peerCredentials,
                                    peerAdmitted: connection.peerAdmitted, acceptedEncodings: accepted)
        let call = ServerCall(context: context, requests: queue, flow: outbound.flow, stream: bound,
                              maxSendMessageSize: configuration.maxSendMessageSize,
                              maxReceiveMessageSize: configuration.maxReceiveMessageSize)
        if let timeoutDuration {
            deadlineTimer = connection.loop.scheduleTimer(after: timeoutDuration) { [weak self] in
                self?.deadlineExpired()
            }
        }
        prepared = (call, connection.runtime.chain(for: method), method.descriptor.path)
        connection.admit(self)
    }

    /// Starts the handler task (the connection decided memory allows it).
    func launch() {
        guard let (call, handler, path) = prepared, !finished else { return }
        prepared = nil
        let bound = call.stream
        let context = call.context
        let configuration = connection.runtime.configuration
        let logger = connection.logger
        let executor: (any TaskExecutor)? = configuration.handlerExecutor == .eventLoop ? connection.loop : nil
        let handlerTasks = connection.runtime.handlerTasks
        handlerTasks.started()
        task = Task(executorPreference: executor) {
            // Ends after the status below is queued on the loop (FIFO), so a shutdown waiting
            // for the handlers stops the loop only after the status went out.
            defer { handlerTasks.ended() }
            var code = StatusCode.ok
            var message = ""
            var trailers = Metadata()
            do {
                try await handler(call)
            } catch let error as RPCError {
                code = error.code
                message = error.message
                trailers = error.metadata
            } catch is CancellationError {
                code = .cancelled
                message = "the call was cancelled"
            } catch {
                code = .unknown
                message = "\(error)"
            }
            if code != .ok {
                logger.debug("call failed", metadata: ["path": "\(path)", "code": "\(code)", "message": "\(message)"])
            }
            var allTrailers = context.responseTrailers
            allTrailers.merge(trailers)
            let headers = context.responseHeaders
            let (finalCode, finalMessage, finalTrailers) = (code, message, allTrailers)
            bound.execute { stream in
                stream.finish(code: finalCode, message: finalMessage, trailers: finalTrailers, headers: headers, discardQueued: false)
            }
        }
    }

    /// What we advertise in grpc-accept-encoding.
    static let supportedEncodings = AcceptEncoding.format([.gzip, .deflate, .identity])

    // MARK: Request data

    /// Wire bytes of request messages waiting for this stream's handler.
    var queuedRequestBytes: Int { queue?.queuedByteCount ?? 0 }

    /// True when request messages wait for this stream's handler: starting it frees memory.
    var holdsQueuedRequests: Bool { queuedRequestBytes > 0 }

    /// Request bytes held for a message not yet complete.
    var partialBytes: Int { deframer.bufferedCount }

    /// Request DATA. Every byte is charged to the memory budget until the handler takes its
    /// message (or the call ends); the stream's window is returned at once unless the
    /// handler is behind (`requestBufferHighWater`), the connection's only while the budget
    /// is not spent.
    func receive(_ bytes: UnsafeRawBufferPointer) {
        guard let queue, !finished else {
            connection.consume(streamID: id, count: bytes.count)
            return
        }
        let budget = connection.budget
        let partialBefore = deframer.bufferedCount
        do {
            try deframer.process(bytes) { message in
                budget.charge(message.wireSize)
                queue.push(message)
            }
        } catch {
            budget.release(partialBefore)
            connection.partialBytes -= deframer.discardPartial()
            let status = error.status(.server)
            abort(code: status.code, message: status.message)
            connection.consume(streamID: id, count: bytes.count)
            return
        }
        let partialDelta = deframer.bufferedCount - partialBefore
        budget.charge(partialDelta)
        connection.partialBytes += partialDelta
        if queue.shouldWithhold() {
            owedBytes += bytes.count
        } else {
            connection.consumeStreamWindow(streamID: id, count: bytes.count)
        }
        connection.returnConnectionWindow(bytes.count)
    }

    func receiveEndOfStream() {
        requestEnded = true
        resetWhenResponseEnds = false
        do {
            try deframer.finish()
        } catch {
            abort(code: .internalError, message: error.status(.server).message)
            return
        }
        queue?.finish(nil)
    }

    /// Gives back what the partly received message held (the call is over).
    private func releasePartial() {
        let held = deframer.discardPartial()
        connection.budget.release(held)
        connection.partialBytes -= held
    }

    /// The handler read enough to reopen the window we held closed.
    func releaseOwedWindow() {
        // After `closed()` the connection may already be gone: nothing to return then.
        guard !isClosed else { return }
        let owed = owedBytes
        owedBytes = 0
        connection.consumeStreamWindow(streamID: id, count: owed)
    }

    // MARK: Response

    func enqueueResponse(_ payload: FramedPayload, headers: Metadata, encoding: CompressionAlgorithm) {
        guard !finished else {
            outbound.flow.drained(payload.count)
            return
        }
        if !headersSent {
            headersSent = true
            var block = HeaderBlock([(":status", "200"), ("content-type", "application/grpc"),
                                     ("grpc-accept-encoding", Self.supportedEncodings)])
            if encoding != .identity { block.add("grpc-encoding", encoding.rawValue) }
            block.add(headers)
            var provider = NGHTTP2Bridge.dataProvider()
            let result = block.withNV { nva, count in nghttp2_submit_response(connection.session, id, nva, count, &provider) }
            if result != 0 {
                abort(code: .internalError, message: "could not submit response headers (\(result))")
                return
            }
        }
        outbound.append(payload.first[...])
        if let second = payload.second { outbound.append(second[...]) }
        connection.resumeData(streamID: id, outbound)
    }

    /// Ends the call with a status: trailers after the queued messages, or Trailers-Only.
    func finish(code: StatusCode, message: String, trailers: Metadata, headers: Metadata, discardQueued: Bool,
                extraHeaders: [(String, String)] = []) {
        guard !finished else { return }
        finished = true
        if let deadlineTimer { connection.loop.cancelTimer(deadlineTimer) }
        deadlineTimer = nil
        if discardQueued { outbound.discardAll() }
        var status = HeaderBlock([("grpc-status", "\(code.rawValue)")])
        if !message.isEmpty { status.add("grpc-message", GRPCMessageEncoding.encode(message)) }
        status.add(trailers)
        if headersSent {
            outbound.end(trailers: status)
            connection.resumeData(streamID: id, outbound)
        } else {
            var block = HeaderBlock([(":status", "200"), ("content-type", "application/grpc")] + extraHeaders)
            block.add(headers)
            for field in status.fields { block.add(field.name, field.value) }
            _ = block.withNV { nva, count in nghttp2_submit_response(connection.session, id, nva, count, nil) }
            connection.scheduleFlush()
        }
        let ended = RPCError(code: code == .ok ? .cancelled : code, message: code == .ok ? "the call has ended" : message)
        outbound.flow.fail(ended)
        queue?.finish(ended, discardQueued: true)
        releasePartial()
        prepared = nil
        if owedBytes > 0 { releaseOwedWindow() }
        // If the client is still sending when our END_STREAM leaves, tell it to stop then.
        resetWhenResponseEnds = !requestEnded
        if headersSent { connection.responseEnded() }
    }

    /// A failure detected by the transport: tell the client, stop the handler.
    func abort(code: StatusCode, message: String) {
        task?.cancel()
        finish(code: code, message: message, trailers: [:], headers: [:], discardQueued: true)
    }

    private func deadlineExpired() {
        deadlineTimer = nil
        abort(code: .deadlineExceeded, message: "the deadline was exceeded")
    }

    /// Answers without running a handler (Trailers-Only).
    private func respondEarly(_ code: StatusCode, _ message: String, extraHeaders: [(String, String)] = []) {
        finish(code: code, message: message, trailers: [:], headers: [:], discardQueued: true, extraHeaders: extraHeaders)
    }

    /// Answers a request that is not gRPC at all with a plain HTTP status.
    private func respondHTTPError(status: Int) {
        finished = true
        let block = HeaderBlock([(":status", "\(status)")])
        _ = block.withNV { nva, count in nghttp2_submit_response(connection.session, id, nva, count, nil) }
        resetWhenResponseEnds = !requestEnded
        connection.scheduleFlush()
    }

    /// The stream is gone (closed normally, reset by the client, or the connection died).
    func closed(error: RPCError) {
        isClosed = true
        if let deadlineTimer { connection.loop.cancelTimer(deadlineTimer) }
        deadlineTimer = nil
        if !finished {
            finished = true
            task?.cancel()
            outbound.discardAll()
            outbound.flow.fail(error)
            queue?.finish(error, discardQueued: true)
            releasePartial()
        }
        prepared = nil
        task = nil
        // Break the stream <-> queue cycle (the queue's drain callback refers to this stream).
        queue = nil
    }

    deinit { liveCounter.decrement() }
}
