/// The lifecycle of one call on a client stream, as a value: not yet on the wire, waiting for
/// the response headers, receiving response messages, closed. Each method takes one event and
/// returns what `ClientStream`, its driver, must do; nothing here does I/O.
///
/// Rules it enforces: the call ends exactly once, and the first ending wins (trailers,
/// RST_STREAM, GOAWAY, connection loss, deadline, local cancel); after a local cancel or the
/// deadline nothing the server sends changes the outcome; a call the server never processed
/// (never sent, REFUSED_STREAM, above a GOAWAY's last stream id) is marked so the channel may
/// retry it.
struct ClientStreamStateMachine {
    enum State: Equatable {
        /// Created; its headers wait for the connection (the server's first SETTINGS).
        case idle
        /// Request headers submitted on `streamID`; no response headers yet.
        case awaitingResponse(streamID: Int32)
        /// Response headers accepted: messages until the trailers.
        case receivingResponse(streamID: Int32)
        /// The call has its status. `streamID` is nil when the call never went on the wire.
        case closed(streamID: Int32?)
    }

    private(set) var state: State = .idle

    /// How the call ends.
    struct Finish: Equatable {
        var status: CallStatus
        /// RST_STREAM(CANCEL) this stream: the server may still be sending.
        var resetStreamID: Int32?
        /// The server never processed the call: safe to retry.
        var unprocessed: Bool
    }

    // MARK: Queries

    /// The stream id once the request headers went out.
    var streamID: Int32? {
        switch state {
        case .idle: nil
        case .awaitingResponse(let id), .receivingResponse(let id): id
        case .closed(let id): id
        }
    }

    /// The request headers may be submitted (the call has not ended meanwhile).
    var canOpen: Bool { state == .idle }

    var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    // MARK: Opening

    /// The request headers were submitted as `streamID`.
    mutating func opened(streamID: Int32) {
        guard state == .idle else { return }
        state = .awaitingResponse(streamID: streamID)
    }

    /// The request headers could not be submitted.
    mutating func openFailed(message: String) -> Finish? {
        guard state == .idle else { return nil }
        state = .closed(streamID: nil)
        return Finish(status: CallStatus(code: .unavailable, message: message), resetStreamID: nil, unprocessed: false)
    }

    // MARK: Response

    enum HeadersAction: Equatable {
        /// Valid response headers: hand their metadata to the caller, decode messages with the encoding.
        case deliverHeaders(ResponseHead)
        case finish(Finish)
        case none
    }

    /// A complete HEADERS block: response headers, trailers, or Trailers-Only. `messageIncomplete`:
    /// the deframer holds part of a message, which trailers can now never complete.
    mutating func receivedHeaders(_ headers: ReceivedHeaders, endStream: Bool, messageIncomplete: Bool) -> HeadersAction {
        switch state {
        case .awaitingResponse(let id):
            if endStream {
                // Trailers-Only: the status without any message.
                state = .closed(streamID: id)
                return .finish(Finish(status: headers.trailerStatus(), resetStreamID: nil, unprocessed: false))
            }
            switch headers.responseHead() {
            case .success(let head):
                state = .receivingResponse(streamID: id)
                return .deliverHeaders(head)
            case .failure(let error):
                state = .closed(streamID: id)
                return .finish(Finish(status: CallStatus(code: error.code, message: error.message), resetStreamID: id, unprocessed: false))
            }
        case .receivingResponse(let id):
            state = .closed(streamID: id)
            guard endStream else {
                let status = CallStatus(code: .internalError, message: "the server sent a second header block without ending the stream")
                return .finish(Finish(status: status, resetStreamID: id, unprocessed: false))
            }
            var status = headers.trailerStatus()
            if status.code == .ok && messageIncomplete {
                status = CallStatus(code: .internalError, message: "the response ended inside a message", metadata: status.metadata)
            }
            return .finish(Finish(status: status, resetStreamID: nil, unprocessed: false))
        case .idle, .closed:
            return .none
        }
    }

    enum DataAction: Equatable {
        /// Deframe the bytes into the caller's response queue.
        case deliver
        /// The call is over: return their window and drop them.
        case discard
        /// DATA before the response headers breaks the protocol.
        case finish(Finish)
    }

    mutating func receivedData() -> DataAction {
        switch state {
        case .receivingResponse:
            return .deliver
        case .awaitingResponse(let id):
            state = .closed(streamID: id)
            let status = CallStatus(code: .internalError, message: "the server sent DATA before the response headers")
            return .finish(Finish(status: status, resetStreamID: id, unprocessed: false))
        case .idle, .closed:
            return .discard
        }
    }

    // MARK: Endings

    /// The caller cancelled the call, or the client failed it locally (a response message it
    /// cannot read, more than one response to a unary call). `status` is what the caller gets.
    mutating func cancel(_ status: CallStatus) -> Finish? {
        switch state {
        case .idle:
            state = .closed(streamID: nil)
            return Finish(status: status, resetStreamID: nil, unprocessed: false)
        case .awaitingResponse(let id), .receivingResponse(let id):
            state = .closed(streamID: id)
            return Finish(status: status, resetStreamID: id, unprocessed: false)
        case .closed:
            return nil
        }
    }

    /// The call's timeout passed (the clock runs from the call's start, while it waits for the connection too).
    mutating func deadlineExpired() -> Finish? {
        cancel(CallStatus(code: .deadlineExceeded, message: "the deadline was exceeded"))
    }

    /// nghttp2 closed the stream (RST_STREAM from the server, or a close without trailers).
    mutating func streamClosed(errorCode: UInt32) -> Finish? {
        let id: Int32
        let headersReceived: Bool
        switch state {
        case .awaitingResponse(let open):
            (id, headersReceived) = (open, false)
        case .receivingResponse(let open):
            (id, headersReceived) = (open, true)
        case .idle, .closed:
            return nil
        }
        state = .closed(streamID: id)
        if errorCode == HTTP2ErrorCode.noError.rawValue {
            return Finish(status: CallStatus(code: .internalError, message: "the stream closed without a status"),
                          resetStreamID: nil, unprocessed: false)
        }
        let status = CallStatus(code: StatusCode(http2ErrorCode: errorCode), message: "the stream was reset (HTTP/2 error \(errorCode))")
        return Finish(status: status, resetStreamID: nil,
                      unprocessed: errorCode == HTTP2ErrorCode.refusedStream.rawValue && !headersReceived)
    }

    /// The server sent GOAWAY. Streams above `lastStreamID` were never processed: they fail
    /// UNAVAILABLE and may be retried. Streams at or below it run to their end.
    mutating func receivedGoAway(lastStreamID: Int32, errorCode: UInt32) -> Finish? {
        switch state {
        case .awaitingResponse(let id) where id > lastStreamID, .receivingResponse(let id) where id > lastStreamID:
            state = .closed(streamID: id)
            let code = StatusCode(goAwayErrorCode: errorCode, streamID: UInt32(id), lastStreamID: UInt32(max(0, lastStreamID)))
            let message = "the server sent GOAWAY (HTTP/2 error \(errorCode)) before processing the call (stream \(id) > last stream \(lastStreamID))"
            return Finish(status: CallStatus(code: code, message: message), resetStreamID: nil, unprocessed: true)
        case .idle, .awaitingResponse, .receivingResponse, .closed:
            return nil
        }
    }

    /// The connection is gone (or could not take the call). A call that never went out was not processed.
    mutating func connectionClosed(_ error: RPCError) -> Finish? {
        let status = CallStatus(code: error.code, message: error.message)
        switch state {
        case .idle:
            state = .closed(streamID: nil)
            return Finish(status: status, resetStreamID: nil, unprocessed: true)
        case .awaitingResponse(let id), .receivingResponse(let id):
            state = .closed(streamID: id)
            return Finish(status: status, resetStreamID: nil, unprocessed: false)
        case .closed:
            return nil
        }
    }
}
