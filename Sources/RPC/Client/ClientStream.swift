import CNGHTTP2
import Synchronization

/// One call on a client connection: sends the request headers and messages, reads response
/// headers, messages and trailers, and turns whatever ends the stream into a status.
/// Loop-confined.
final class ClientStream {
    private(set) var id: Int32 = -1
    private weak var connection: ClientConnection?
    let outbound: OutboundData
    private var call: ClientCall?
    private var deframer: StreamDeframer
    private var owedBytes = 0
    private(set) var finished = false
    private var deadlineTimer: TimerID?

    // The header block being received.
    private var httpStatus: Int?
    private var grpcStatus: String?
    private var grpcMessage: String?
    private var contentType: String?
    private var blockMetadata = Metadata()
    private var blockError: String?
    private var receivedHeaders = false

    private let liveCounter: LiveCounter
    deinit { liveCounter.decrement() }

    init(maxReceiveMessageSize: Int, flow: OutboundFlow, liveCounter: LiveCounter) {
        self.liveCounter = liveCounter
        liveCounter.increment()
        self.deframer = StreamDeframer(maxMessageSize: min(maxReceiveMessageSize, MessageFramer.maxLength))
        self.outbound = OutboundData(flow: flow)
    }

    func attach(_ call: ClientCall) {
        self.call = call
    }

    /// Submits the request headers (and any request bytes already known). Returns false and
    /// fails the call when the stream cannot be opened.
    /// Binds the stream to its connection and starts the deadline clock (which runs while the
    /// stream waits for the connection to become ready, too).
    func prepare(on connection: ClientConnection, timeout: Duration?) {
        self.connection = connection
        if let timeout {
            deadlineTimer = connection.loop.scheduleTimer(after: timeout) { [weak self] in
                self?.deadlineTimer = nil
                self?.cancel(code: .deadlineExceeded, message: "the deadline was exceeded")
            }
        }
    }

    /// Submits the request headers; request messages queued so far follow as DATA.
    func open(headers: HeaderBlock) {
        guard !finished, let connection else { return }
        var provider = HTTP2Connection.dataProvider()
        let result = headers.withNV { nva, count in nghttp2_submit_request(connection.session, nil, nva, count, &provider, nil) }
        guard result > 0 else {
            finish(code: .unavailable, message: "could not open a stream: \(String(cString: nghttp2_strerror(result)))", trailers: [:])
            return
        }
        id = result
        connection.register(self)
        connection.scheduleFlush()
    }

    // MARK: Requests

    /// Queues request bytes; before the stream has a connection (the call waits for one) they
    /// stay queued, bounded by the call's `OutboundFlow`, and go out once it opens.
    func enqueueRequest(_ payload: FramedPayload) {
        guard !finished else {
            outbound.flow.drained(payload.count)
            return
        }
        outbound.append(payload.first[...])
        if let second = payload.second { outbound.append(second[...]) }
        if id > 0, let connection { connection.resumeData(streamID: id, outbound) }
    }

    func endRequests() {
        guard !finished else { return }
        outbound.end(trailers: nil)
        if id > 0, let connection { connection.resumeData(streamID: id, outbound) }
    }

    /// Local cancellation or deadline: RST_STREAM CANCEL and end the call with `code`.
    func cancel(code: StatusCode, message: String) {
        guard !finished else { return }
        if id > 0, let connection, !connection.isClosed {
            nghttp2_submit_rst_stream(connection.session, UInt8(NGHTTP2_FLAG_NONE.rawValue), id, NGHTTP2_CANCEL.rawValue)
            connection.scheduleFlush()
        }
        finish(code: code, message: message, trailers: [:])
    }

    // MARK: Responses

    func beginHeaderBlock() {
        grpcStatus = nil
        grpcMessage = nil
        blockMetadata = Metadata()
        blockError = nil
    }

    func addHeader(name: String, value: String) {
        switch name {
        case ":status": httpStatus = Int(value)
        case "grpc-status": grpcStatus = value
        case "grpc-message": grpcMessage = value
        case "content-type": contentType = value
        case "grpc-encoding":
            if let algorithm = CompressionAlgorithm(headerValue: value) {
                deframer.compression = algorithm
            } else {
                blockError = "unsupported response grpc-encoding \(value)"
            }
        case "grpc-accept-encoding", "content-length", "date", "server": break
        default:
            if name.hasPrefix(":") { return }
            if name.hasSuffix("-bin") {
                if let bytes = try? Base64.decode(value) {
                    blockMetadata.add(name, binary: bytes)
                } else {
                    blockError = "invalid base64 in response metadata \(name)"
                }
            } else {
                blockMetadata.add(name, value)
            }
        }
    }

    func endHeaderBlock(isResponse: Bool, endStream: Bool) {
        guard !finished else { return }
        if isResponse && !receivedHeaders {
            receivedHeaders = true
            if endStream {
                finishFromStatusBlock()
                return
            }
            if let status = httpStatus, status != 200 {
                cancel(code: StatusCode(httpStatus: status), message: "HTTP status \(status)")
                return
            }
            guard let contentType, GRPCContentType.isGRPC(contentType) else {
                cancel(code: .unknown, message: "response content-type \(contentType ?? "missing") is not gRPC")
                return
            }
            if let blockError {
                cancel(code: .internalError, message: blockError)
                return
            }
            call?.headers.set(.success(blockMetadata))
        } else if endStream {
            finishFromStatusBlock()
        }
    }

    /// Trailers (or Trailers-Only): the status is in grpc-status, or derived from :status.
    private func finishFromStatusBlock() {
        if let blockError {
            finish(code: .internalError, message: blockError, trailers: blockMetadata)
            return
        }
        let code: StatusCode
        var message = grpcMessage.map(GRPCMessageEncoding.decode) ?? ""
        if let grpcStatus, let value = Int(grpcStatus) {
            code = StatusCode(wireValue: value)
            // Say whose limit it was: this client's own limits fail before anything is sent
            // or with messages that say so; this one came from the server.
            if code == .resourceExhausted { message = "reported by the server (its limit, not this client's): \(message)" }
        } else if let status = httpStatus, status != 200 {
            code = StatusCode(httpStatus: status)
            if message.isEmpty { message = "HTTP status \(status) without grpc-status" }
        } else {
            code = .internalError
            message = "the response ended without grpc-status"
        }
        if code == .ok && (try? deframer.finish()) == nil {
            finish(code: .internalError, message: "the response ended inside a message", trailers: blockMetadata)
            return
        }
        finish(code: code, message: message, trailers: blockMetadata)
    }

    func receive(_ bytes: UnsafeRawBufferPointer) {
        guard let connection else { return }
        guard !finished, let call else {
            connection.consume(streamID: id, count: bytes.count)
            return
        }
        var failure: RPCError?
        do {
            try deframer.process(bytes) { message in call.responses.push(message) }
        } catch {
            failure = error.status(.client)
        }
        if let failure {
            connection.consume(streamID: id, count: bytes.count)
            cancel(code: failure.code, message: failure.message)
            return
        }
        if call.responses.shouldWithhold() {
            owedBytes += bytes.count
        } else {
            connection.consume(streamID: id, count: bytes.count)
        }
    }

    func releaseOwedWindow() {
        let owed = owedBytes
        owedBytes = 0
        if id > 0, let connection { connection.consume(streamID: id, count: owed) }
    }

    /// The stream closed; if no status was seen, the reset code (or the connection's fate) decides.
    func closed(errorCode: UInt32) {
        guard !finished else { return }
        if errorCode == NGHTTP2_REFUSED_STREAM.rawValue && !receivedHeaders {
            call?.unprocessed.store(true, ordering: .releasing)
        }
        if errorCode == NGHTTP2_NO_ERROR.rawValue {
            finish(code: .internalError, message: "the stream closed without a status", trailers: [:])
        } else {
            finish(code: StatusCode(http2ErrorCode: errorCode), message: "the stream was reset (HTTP/2 error \(errorCode))", trailers: [:])
        }
    }

    func connectionClosed(_ error: RPCError) {
        if id < 0 { call?.unprocessed.store(true, ordering: .releasing) }
        finish(code: error.code, message: error.message, trailers: [:])
    }

    private func finish(code: StatusCode, message: String, trailers: Metadata) {
        guard !finished else { return }
        finished = true
        if let deadlineTimer, let connection { connection.loop.cancelTimer(deadlineTimer) }
        deadlineTimer = nil
        outbound.discardAll()
        guard let call else { return }
        let error = RPCError(code: code, message: message, metadata: trailers)
        call.headers.set(code == .ok ? .success([:]) : .failure(error))
        call.trailers.set(.success(trailers))
        call.requestFlow.fail(code == .ok ? RPCError(code: .cancelled, message: "the call has ended") : error)
        call.responses.finish(code == .ok ? nil : error)
        if owedBytes > 0 { releaseOwedWindow() }
        // Break the stream <-> call cycle; the caller keeps the call as long as it needs it.
        self.call = nil
    }
}
