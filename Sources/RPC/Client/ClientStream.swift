import CNGHTTP2
import Synchronization

/// One call on a client connection: the driver of its `ClientStreamStateMachine`. It sends the
/// request headers and messages, collects response header blocks, deframes response messages,
/// and carries out how the machine ends the call. Loop-confined.
final class ClientStream {
    /// How the channel started the call, kept so that a call no server has seen can be
    /// started again on another connection (gRPC's transparent retry, which costs no attempt).
    struct Dispatch {
        let headers: HeaderBlock
        let deadline: MonotonicTime?
        let waitForReady: Bool
        /// The one request of a unary or server-streaming call (already in `outbound` too),
        /// queued again when the call starts over after nghttp2 took it.
        let onlyRequest: FramedPayload?
    }

    /// Re-sends per call: each needs a new connection, so a server that refuses every
    /// connection at once (GOAWAY before any call) cannot keep a call going round forever.
    static let maxResends = 3

    private weak var connection: ClientConnection?
    private(set) var outbound: OutboundData
    /// Set by the channel when it starts the call; nil for a call started on a connection directly.
    private weak var channelCore: ChannelCore?
    private(set) var dispatch: Dispatch?
    private var resends = 0
    /// Request bytes queued so far: while `outbound` still holds all of them, nothing of the
    /// request has gone to any connection.
    private var enqueuedBytes = 0
    private var call: ClientCall?
    private var machine = ClientStreamStateMachine()
    private var deframer: StreamDeframer
    /// What `budget` is charged for the partly received response message (`settlePartial`).
    private var partialCharge = PartialMessageCharge()
    private var owedBytes = 0
    private var deadlineTimer: TimerID?
    /// The connection's response budget: received bytes are charged to it until the call
    /// takes its message (the queue releases them) or the call ends.
    private var budget: MemoryBudget?
    /// The header block being received (emptied once judged).
    private var headerBlock = ReceivedHeaders()

    private let liveCounter: LiveCounter
    deinit { liveCounter.decrement() }

    init(maxReceiveMessageSize: Int, flow: OutboundFlow, liveCounter: LiveCounter) {
        self.liveCounter = liveCounter
        liveCounter.increment()
        self.deframer = StreamDeframer(maxMessageSize: min(maxReceiveMessageSize, MessageFramer.maxLength))
        self.outbound = OutboundData(flow: flow)
    }

    /// The HTTP/2 stream id; valid once `open` submitted the headers (the connection registers
    /// the stream only then).
    var id: Int32 { machine.streamID ?? 0 }

    /// The call has its status.
    var finished: Bool { machine.isClosed }

    /// Bytes charged to the connection's budget for a partly received response message:
    /// what arrived of it and the storage reserved ahead for the rest.
    var partialBytes: Int { partialCharge.bytes }

    /// Response messages waiting for the call to take them.
    var queuedResponseCount: Int { call?.responses.queuedMessageCount ?? 0 }

    func attach(_ call: ClientCall) {
        self.call = call
    }

    /// The channel starts the call (again, after a re-send).
    func dispatched(by core: ChannelCore, _ dispatch: Dispatch) {
        channelCore = core
        self.dispatch = dispatch
    }

    /// Binds the stream to its connection and starts the deadline clock (which runs while the
    /// stream waits for the connection to become ready, too).
    func prepare(on connection: ClientConnection, timeout: Duration?) {
        self.connection = connection
        self.budget = connection.budget
        call?.responses.chargeTo(connection.budget)
        if let timeout {
            deadlineTimer = connection.loop.scheduleTimer(after: timeout) { [weak self] in
                guard let self else { return }
                self.deadlineTimer = nil
                self.perform(self.machine.deadlineExpired())
            }
        }
    }

    /// Submits the request headers; request messages queued so far follow as DATA.
    func open(headers: HeaderBlock) {
        guard machine.canOpen, let connection else { return }
        var provider = NGHTTP2Bridge.dataProvider()
        let result = headers.withNV { nva, count in nghttp2_submit_request(connection.session, nil, nva, count, &provider, nil) }
        guard result > 0 else {
            perform(machine.openFailed(message: "could not open a stream: \(String(cString: nghttp2_strerror(result)))"))
            return
        }
        machine.opened(streamID: result)
        connection.register(self)
        connection.scheduleFlush()
    }

    // MARK: Requests

    /// Queues request bytes; before the stream has a connection (the call waits for one) they
    /// stay queued, bounded by the call's `OutboundFlow`, and go out once it opens.
    func enqueueRequest(_ payload: FramedPayload) {
        guard !machine.isClosed else {
            outbound.flow.drained(payload.count)
            return
        }
        outbound.append(payload.first[...])
        if let second = payload.second { outbound.append(second[...]) }
        enqueuedBytes += payload.count
        if let id = machine.streamID, let connection { connection.resumeData(streamID: id, outbound) }
    }

    func endRequests() {
        guard !machine.isClosed else { return }
        outbound.end(trailers: nil)
        if let id = machine.streamID, let connection { connection.resumeData(streamID: id, outbound) }
    }

    /// Local cancellation or failure: RST_STREAM CANCEL (once on the wire) and end the call with `code`.
    func cancel(code: StatusCode, message: String) {
        perform(machine.cancel(CallStatus(code: code, message: message)))
    }

    // MARK: Responses

    func beginHeaderBlock() {
        headerBlock = ReceivedHeaders()
    }

    func addHeader(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        guard !machine.isClosed else { return }
        headerBlock.add(name: name, value: value)
    }

    /// A HEADERS block is complete (the machine tells response headers from trailers by its state).
    func endHeaderBlock(isResponse: Bool, endStream: Bool) {
        let headers = headerBlock
        headerBlock = ReceivedHeaders()
        switch machine.receivedHeaders(headers, endStream: endStream, messageIncomplete: deframer.bufferedCount > 0) {
        case .deliverHeaders(let head):
            deframer.compression = head.encoding
            call?.headers.set(.success(head.metadata))
        case .finish(let finish):
            perform(finish)
        case .none:
            break
        }
    }

    func receive(_ bytes: UnsafeRawBufferPointer) {
        guard let connection else { return }
        switch machine.receivedData() {
        case .discard:
            connection.consume(streamID: id, count: bytes.count)
            return
        case .finish(let finish):
            connection.consume(streamID: id, count: bytes.count)
            perform(finish)
            return
        case .deliver:
            break
        }
        guard let call else {
            connection.consume(streamID: id, count: bytes.count)
            return
        }
        var failure: RPCError?
        let budget = connection.budget
        do {
            try deframer.process(bytes, room: { budget.room }) { message in
                budget.charge(message.memoryCost)
                call.responses.push(message)
            }
        } catch {
            failure = error.status(.client)
        }
        if let failure {
            deframer.discardPartial()
            settlePartial()
            connection.consume(streamID: id, count: bytes.count)
            cancel(code: failure.code, message: failure.message)
            return
        }
        settlePartial()
        // The stream's window waits while this call is behind; the connection's while the
        // connection's budget is spent (then reading stops too).
        if call.responses.shouldWithhold() {
            owedBytes += bytes.count
        } else {
            connection.consumeStreamWindow(streamID: id, count: bytes.count)
        }
        connection.returnConnectionWindow(bytes.count)
    }

    /// Gives back the storage reserved ahead for the partly received message (the budget is
    /// spent and reads have stopped); what arrived stays.
    func releaseReservedAhead() {
        _ = deframer.releaseReservedAhead()
        settlePartial()
    }

    /// Charges the budget for what the deframer holds now, or gives back what it no longer holds.
    private func settlePartial() {
        guard let budget else { return }
        partialCharge.settle(held: deframer.heldBytes, budget: budget)
    }

    func releaseOwedWindow() {
        let owed = owedBytes
        owedBytes = 0
        if let id = machine.streamID, let connection { connection.consumeStreamWindow(streamID: id, count: owed) }
    }

    // MARK: Endings from the connection

    /// The stream closed; if no status was seen, the reset code decides.
    func closed(errorCode: UInt32) {
        perform(machine.streamClosed(errorCode: errorCode))
    }

    /// The server sent GOAWAY: a stream above its last stream id was never processed. Returns
    /// true when the call went back to the channel to start over on another connection (the
    /// connection forgets the stream then).
    @discardableResult
    func receivedGoAway(lastStreamID: Int32, errorCode: UInt32) -> Bool {
        if case .awaitingResponse(let id) = machine.state, id > lastStreamID, returnToChannel() { return true }
        perform(machine.receivedGoAway(lastStreamID: lastStreamID, errorCode: errorCode))
        return false
    }

    /// The connection is gone or cannot take the call. A call that never went out starts over
    /// on another connection when the channel can; otherwise it fails (as unprocessed).
    func connectionClosed(_ error: RPCError) {
        if machine.canOpen, returnToChannel() { return }
        perform(machine.connectionClosed(error))
    }

    /// Hands a call the server has not seen back to the channel, which starts it again (on
    /// a READY connection, or held until one is). Only while the whole request is still at
    /// hand: the one request of a unary or server-streaming call is kept; a streaming call's
    /// requests are, as long as none of them left `outbound`.
    private func returnToChannel() -> Bool {
        guard let channelCore, let dispatch, resends < Self.maxResends, call != nil else { return false }
        let requestKept = dispatch.onlyRequest != nil || outbound.pendingBytes == enqueuedBytes
        guard requestKept, channelCore.resend(self) else { return false }
        resends += 1
        if let deadlineTimer, let connection { connection.loop.cancelTimer(deadlineTimer) }
        deadlineTimer = nil
        connection = nil
        machine = ClientStreamStateMachine()
        if let request = dispatch.onlyRequest, outbound.pendingBytes != enqueuedBytes {
            // nghttp2 took part of it: queue the whole request again on a fresh queue.
            outbound.discardAll()
            outbound = OutboundData(flow: outbound.flow)
            outbound.flow.add(request.count)
            enqueuedBytes = 0
            enqueueRequest(request)
            endRequests()
        }
        outbound.isDeferred = false
        return true
    }

    /// Ends the call as the machine decided: reset the stream if asked, then hand the status
    /// to the caller and stop everything that still waits on the call.
    private func perform(_ finish: ClientStreamStateMachine.Finish?) {
        guard let finish else { return }
        if let resetID = finish.resetStreamID, let connection, !connection.isClosed {
            nghttp2_submit_rst_stream(connection.session, UInt8(NGHTTP2_FLAG_NONE.rawValue), resetID, NGHTTP2_CANCEL.rawValue)
            connection.scheduleFlush()
        }
        if let deadlineTimer, let connection { connection.loop.cancelTimer(deadlineTimer) }
        deadlineTimer = nil
        outbound.discardAll()
        deframer.discardPartial()
        settlePartial()
        guard let call else { return }
        if finish.unprocessed { call.unprocessed.store(true, ordering: .releasing) }
        let status = finish.status
        let error = status.error
        call.headers.set(status.code == .ok ? .success([:]) : .failure(error))
        call.trailers.set(.success(status.metadata))
        call.requestFlow.fail(status.code == .ok ? RPCError(code: .cancelled, message: "the call has ended") : error)
        call.responses.finish(status.code == .ok ? nil : error)
        if owedBytes > 0 { releaseOwedWindow() }
        // Break the stream <-> call cycle; the caller keeps the call as long as it needs it.
        self.call = nil
    }
}
