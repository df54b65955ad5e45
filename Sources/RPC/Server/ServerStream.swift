import CNGHTTP2
import Logging
import Synchronization

/// One gRPC call on a server connection: the driver of its `ServerStreamStateMachine`. It
/// collects the request headers, feeds request DATA through the deframer into the handler's
/// `RequestStream`, queues response messages, and ends the stream with trailers (or
/// Trailers-Only), doing what the machine decides for each event. Loop-confined.
final class ServerStream {
    let id: Int32
    /// Unowned: the connection owns its streams; once the machine says the stream is closed
    /// (connection gone or stream over) nothing here touches it again.
    unowned let connection: ServerConnection
    private var machine = ServerStreamStateMachine()
    private let liveCounter: LiveCounter
    /// The request headers, collected as they arrive (emptied once judged).
    private var requestHeaders = ReceivedHeaders()
    /// What `connection.headerBudget` is charged for this stream's request headers (HPACK
    /// size, as SETTINGS_MAX_HEADER_LIST_SIZE counts), held until the stream closes: the
    /// handler's `ServerContext` keeps them as metadata.
    private(set) var headerBytes = 0

    // The running call.
    private var queue: InboundMessageQueue?
    private var deframer: StreamDeframer
    /// What the budget and `connection.partialBytes` are charged for the partly received
    /// message (`settlePartial`). Both move by the same deltas from this one number, so
    /// neither can drift from the other.
    private var partialCharge = PartialMessageCharge()
    private var owedBytes = 0
    let outbound: OutboundData
    private var task: Task<Void, Never>?
    /// The handler and its call, between valid headers and the start (which may wait for
    /// memory, see `ServerConnection.admit`).
    private var prepared: (call: ServerCall, handler: @Sendable (ServerCall) async throws -> Void, path: String)?
    private var deadlineTimer: TimerID?
    /// The running call's context, told when the transport ends the call (`abort`, deadline).
    private var context: ServerContext?

    /// The call's status is queued (or the stream is gone): its handler must not start.
    var finished: Bool { machine.responseEnded }
    /// Send RST_STREAM(NO_ERROR) once our END_STREAM is out, because the client was still
    /// sending (submitting it earlier could overtake the response).
    var resetWhenResponseEnds: Bool { machine.resetsWhenResponseEnds }
    /// True once the handler produced any response (used by the rapid-reset guard).
    var hasResponded: Bool { machine.hasResponded }

    init(id: Int32, connection: ServerConnection) {
        self.liveCounter = connection.runtime.liveStreams
        liveCounter.increment()
        self.id = id
        self.connection = connection
        let limits = connection.runtime.callLimits
        self.deframer = StreamDeframer(maxMessageSize: min(limits.maxReceiveMessageSize, MessageFramer.maxLength))
        self.outbound = OutboundData(flow: OutboundFlow(highWater: limits.responseBufferHighWater,
                                                        budget: connection.budget))
    }

    // MARK: Request headers

    enum HeaderVerdict {
        case added
        /// Taking the field would exceed the connection's or the server's header limit.
        case overHeaderLimit
    }

    func addHeader(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) -> HeaderVerdict {
        // Only the request headers count; the client's trailers carry nothing we use.
        guard machine.state == .idle else { return .added }
        // HPACK's size of a field (RFC 7541 §4.1), the measure of `maxHeaderListSize`.
        let size = name.count + value.count + 32
        // One atomic reserve: connections on other loops charge the server's limit too.
        guard connection.headerBudget.tryCharge(size) else { return .overHeaderLimit }
        headerBytes += size
        requestHeaders.add(name: name, value: value)
        return .added
    }

    /// The request headers are complete: start the handler, or answer at once.
    func start(endStream: Bool) {
        let headers = requestHeaders
        requestHeaders = ReceivedHeaders()
        let methods = connection.runtime.methods
        switch machine.receivedRequestHeaders(headers, endStream: endStream, lookup: { methods[$0] }) {
        case .none:
            return
        case .reject(.httpStatus(let status)):
            respondHTTPError(status: status)
        case .reject(.status(let code, let message, let advertiseEncodings)):
            let extra = advertiseEncodings ? [("grpc-accept-encoding", Self.supportedEncodings)] : []
            sendStatus(.trailersOnly, code: code, message: message, trailers: [:], headers: [:], extraHeaders: extra)
        case .startCall(let head, let method, let requestEnded):
            startCall(head, method: method, requestEnded: requestEnded)
        }
    }

    private func startCall(_ head: RequestHead, method: ServerMethod, requestEnded: Bool) {
        // Each use of the unowned reference checks and retains it; once is enough here.
        let connection = self.connection
        let limits = connection.runtime.callLimits
        deframer.compression = head.encoding
        let bound = LoopBound(self, loop: connection.loop)
        let queue = InboundMessageQueue(highWater: limits.requestBufferHighWater, budget: connection.budget) {
            bound.execute { $0.releaseOwedWindow() }
        }
        self.queue = queue
        if requestEnded { queue.finish(nil) }
        let accepted = head.acceptEncoding.map(AcceptEncoding.parse) ?? AcceptEncoding.identityOnly
        let deadline = head.timeout.map { ContinuousClock.now.advanced(by: $0) }
        let context = ServerContext(descriptor: method.descriptor, kind: method.kind, requestMetadata: head.metadata, deadline: deadline,
                                    peer: connection.peerDescription, peerCredentials: connection.peerCredentials,
                                    peerAdmitted: connection.peerAdmitted, tlsPeer: connection.tlsPeer,
                                    acceptedEncodings: accepted, authority: head.authority)
        self.context = context
        let call = ServerCall(context: context, requests: queue, flow: outbound.flow, stream: bound,
                              maxSendMessageSize: limits.maxSendMessageSize,
                              maxReceiveMessageSize: limits.maxReceiveMessageSize)
        if let timeout = head.timeout {
            deadlineTimer = connection.loop.scheduleTimer(after: timeout) { [weak self] in
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
        let connection = self.connection
        let logger = connection.logger
        let executor: (any TaskExecutor)? = connection.runtime.callLimits.handlersOnLoop ? connection.loop : nil
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
            // A unary or client-streaming response goes with the status: at once when this task
            // runs on the loop (as `ServerCall.send` does, so the order holds), else one hop.
            let response = call.takeHeldResponse()
            if let stream = bound.valueIfOnLoop {
                stream.handlerEnded(response: response, code: finalCode, message: finalMessage, trailers: finalTrailers, headers: headers)
                return
            }
            let queued = bound.execute { stream in
                stream.handlerEnded(response: response, code: finalCode, message: finalMessage, trailers: finalTrailers, headers: headers)
            }
            if !queued, let response { call.flow.drained(response.framed.count) }
        }
    }

    /// What we advertise in grpc-accept-encoding.
    static let supportedEncodings = AcceptEncoding.format([.gzip, .deflate, .identity])

    /// The response headers every call starts with, and the status of a call that ended
    /// well: built once, not per call (a copy only allocates when something is added).
    private static let responseHeaders = HeaderBlock(PrebuiltHeaders([(":status", "200"), ("content-type", "application/grpc"),
                                                                       ("grpc-accept-encoding", supportedEncodings)]))
    private static let okStatus = HeaderBlock(PrebuiltHeaders([("grpc-status", "0")]))

    /// What reads and writes of a call that ended well get afterwards. Boxed once: `fail`
    /// takes `any Error`, and boxing an `RPCError` allocates.
    private static let callEndedError = RPCError(code: .cancelled, message: "the call has ended")
    private static let callEnded: any Error = callEndedError

    // MARK: Request data

    /// Wire bytes of request messages waiting for this stream's handler.
    var queuedRequestBytes: Int { queue?.queuedByteCount ?? 0 }

    /// Request messages waiting for this stream's handler.
    var queuedRequestCount: Int { queue?.queuedMessageCount ?? 0 }

    /// True when request messages wait for this stream's handler: starting it frees memory.
    var holdsQueuedRequests: Bool { queuedRequestBytes > 0 }

    /// Bytes charged for the message not yet complete: what arrived of it and the storage
    /// reserved ahead for the rest.
    var partialBytes: Int { partialCharge.bytes }

    /// What the deframer holds now (equal to `partialBytes` between events).
    var deframerHeldBytes: Int { deframer.heldBytes }

    /// Request DATA. Every byte is charged to the memory budget until the handler takes its
    /// message (or the call ends), and so is storage reserved ahead for a message still
    /// arriving (within the budget's room); the stream's window is returned at once unless
    /// the handler is behind (`requestBufferHighWater`), the connection's only while the
    /// budget is not spent.
    func receive(_ bytes: UnsafeRawBufferPointer) {
        let connection = self.connection
        guard machine.receivedData() == .deliver, let queue else {
            connection.consume(streamID: id, count: bytes.count)
            return
        }
        let budget = connection.budget
        do {
            try deframer.process(bytes, room: { budget.room }) { message in
                budget.charge(message.memoryCost)
                queue.push(message)
            }
        } catch {
            deframer.discardPartial()
            settlePartial()
            let status = error.status(.server)
            abort(code: status.code, message: status.message)
            connection.consume(streamID: id, count: bytes.count)
            return
        }
        settlePartial()
        if queue.shouldWithhold() {
            owedBytes += bytes.count
        } else {
            connection.consumeStreamWindow(streamID: id, count: bytes.count)
        }
        connection.returnConnectionWindow(bytes.count)
    }

    /// The client's END_STREAM (on DATA or on trailers).
    func receiveEndOfStream() {
        switch machine.receivedEndOfRequest(messageIncomplete: deframer.bufferedCount > 0) {
        case .finishRequests:
            queue?.finish(nil)
        case .abort(let action):
            let status = MessageDeframingError.truncatedMessage(bufferedBytes: deframer.bufferedCount).status(.server)
            perform(action, code: status.code, message: status.message)
        case .none:
            break
        }
    }

    /// Gives back what the partly received message held (the call is over).
    private func releasePartial() {
        deframer.discardPartial()
        settlePartial()
    }

    /// Gives back the storage reserved ahead for the partly received message (the budget is
    /// spent and reads have stopped); what arrived stays.
    func releaseReservedAhead() {
        _ = deframer.releaseReservedAhead()
        settlePartial()
    }

    /// Charges the budget (and `connection.partialBytes`) for what the deframer holds now,
    /// or gives back what it no longer holds.
    private func settlePartial() {
        let connection = self.connection
        connection.partialBytes += partialCharge.settle(held: deframer.heldBytes, budget: connection.budget)
    }

    /// The handler read enough to reopen the window we held closed.
    func releaseOwedWindow() {
        // Once the stream is closed the connection may already be gone: nothing to return then.
        guard !machine.isClosed else { return }
        let owed = owedBytes
        owedBytes = 0
        connection.consumeStreamWindow(streamID: id, count: owed)
    }

    // MARK: Response

    func enqueueResponse(_ payload: FramedPayload, headers: Metadata, encoding: CompressionAlgorithm) {
        switch machine.sendMessage() {
        case .drop:
            outbound.flow.drained(payload.count)
            return
        case .sendHeadersAndMessage:
            var block = Self.responseHeaders
            if encoding != .identity { block.add("grpc-encoding", encoding.rawValue) }
            block.add(headers)
            var provider = NGHTTP2Bridge.dataProvider()
            let result = block.withNV { nva, count in nghttp2_submit_response(connection.session, id, nva, count, &provider) }
            if result != 0 {
                outbound.flow.drained(payload.count)
                abort(code: .internalError, message: "could not submit response headers (\(result))")
                return
            }
        case .sendMessage:
            break
        }
        outbound.append(payload.first[...])
        if let second = payload.second { outbound.append(second[...]) }
        connection.resumeData(streamID: id, outbound)
    }

    /// The handler's task ended: its held response (unary, client-streaming), then its status.
    func handlerEnded(response: ServerCall.HeldResponse?, code: StatusCode, message: String, trailers: Metadata, headers: Metadata) {
        if let response { enqueueResponse(response.framed, headers: response.headers, encoding: response.encoding) }
        handlerFinished(code: code, message: message, trailers: trailers, headers: headers)
    }

    /// The handler's task ended with this status.
    private func handlerFinished(code: StatusCode, message: String, trailers: Metadata, headers: Metadata) {
        guard case .send(let delivery) = machine.sendStatus() else { return }
        sendStatus(delivery, code: code, message: message, trailers: trailers, headers: headers)
    }

    /// A failure detected by the transport (deadline, malformed request, no memory): tell the
    /// client, stop the handler.
    func abort(code: StatusCode, message: String) {
        perform(machine.abort(), code: code, message: message)
    }

    private func perform(_ action: ServerStreamStateMachine.AbortAction, code: StatusCode, message: String) {
        guard case .cancelCall(let delivery) = action else { return }
        context?.noteAborted(code)
        task?.cancel()
        outbound.discardAll()
        sendStatus(delivery, code: code, message: message, trailers: [:], headers: [:])
    }

    private func deadlineExpired() {
        deadlineTimer = nil
        perform(machine.deadlineExpired(), code: .deadlineExceeded, message: "the deadline was exceeded")
    }

    /// Queues the status (the machine has closed the response) and ends the call's reads and writes.
    private func sendStatus(_ delivery: ServerStreamStateMachine.StatusDelivery, code: StatusCode, message: String,
                            trailers: Metadata, headers: Metadata, extraHeaders: [(String, String)] = []) {
        let connection = self.connection
        if let deadlineTimer { connection.loop.cancelTimer(deadlineTimer) }
        deadlineTimer = nil
        var status = code == .ok ? Self.okStatus : HeaderBlock([("grpc-status", "\(code.rawValue)")])
        if !message.isEmpty { status.add("grpc-message", GRPCMessageEncoding.encode(message)) }
        status.add(trailers)
        switch delivery {
        case .trailers:
            outbound.end(trailers: status)
            connection.resumeData(streamID: id, outbound)
        case .trailersOnly:
            var block = HeaderBlock([(":status", "200"), ("content-type", "application/grpc")] + extraHeaders)
            block.add(headers)
            for field in status.fields { block.add(field.name, field.value) }
            _ = block.withNV { nva, count in nghttp2_submit_response(connection.session, id, nva, count, nil) }
            connection.scheduleFlush()
        }
        if code == .ok {
            outbound.flow.fail(Self.callEnded)
            queue?.finish(Self.callEndedError, discardQueued: true)
        } else {
            let ended = RPCError(code: code, message: message)
            outbound.flow.fail(ended)
            queue?.finish(ended, discardQueued: true)
        }
        releasePartial()
        prepared = nil
        if owedBytes > 0 { releaseOwedWindow() }
        // Last: the flush this may start finds the call's state settled.
        connection.responseEnded()
    }

    /// Answers a request that is not gRPC at all with a plain HTTP status.
    private func respondHTTPError(status: Int) {
        let block = HeaderBlock([(":status", "\(status)")])
        _ = block.withNV { nva, count in nghttp2_submit_response(connection.session, id, nva, count, nil) }
        connection.scheduleFlush()
    }

    /// The stream is gone (closed normally, reset by the client, or the connection died).
    /// `error` is only evaluated for a call that had no status yet.
    func closed(error: @autoclosure () -> RPCError) {
        if let deadlineTimer { connection.loop.cancelTimer(deadlineTimer) }
        deadlineTimer = nil
        // Whatever is still queued can never be sent now: its bytes go back to the memory
        // budget. That includes a call that already finished with its response still queued
        // behind a client that does not read (a unary response goes out with the status).
        outbound.discardAll()
        if machine.streamClosed() == .failCall {
            let error = error()
            context?.noteAborted(error.code)
            task?.cancel()
            outbound.flow.fail(error)
            queue?.finish(error, discardQueued: true)
        }
        // Whatever way the call ended, a partly received message is over (nothing when its
        // status already gave it back).
        releasePartial()
        requestHeaders = ReceivedHeaders()
        connection.headerBudget.release(headerBytes)
        headerBytes = 0
        prepared = nil
        task = nil
        context = nil
        // Break the stream <-> queue cycle (the queue's drain callback refers to this stream).
        queue = nil
    }

    deinit { liveCounter.decrement() }
}
