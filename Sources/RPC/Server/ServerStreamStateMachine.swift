/// The lifecycle of one call on a server stream, as a value: the request side (open until the
/// client's END_STREAM) crossed with the response side (idle until the first response message,
/// open, closed once our status is queued), plus the stream being gone. Each method takes one
/// event and returns what `ServerStream`, its driver, must do; nothing here does I/O.
///
/// Rules it enforces: one status per call (the first of handler status, deadline, transport
/// failure wins; later ones do nothing); nothing is sent after the status; request data after
/// our status is discarded; a status sent while the client still sends is followed by
/// RST_STREAM(NO_ERROR) once our END_STREAM is out (RFC 9113 §8.1).
struct ServerStreamStateMachine {
    enum State: Equatable {
        /// Request headers are still arriving; no call yet.
        case idle
        case requestOpenResponseIdle
        case requestOpenResponseOpen
        case requestClosedResponseIdle
        case requestClosedResponseOpen
        /// Our status is queued while the client is still sending.
        case requestOpenResponseClosed
        /// Both sides have ended; the stream closes once our frames are out.
        case requestClosedResponseClosed
        /// The stream is gone (closed normally, reset by the client, or the connection died).
        case closed
    }

    private(set) var state: State = .idle

    // MARK: Queries

    /// The call's outcome is decided (status queued or stream gone): nothing more is sent,
    /// and a handler waiting to start must not.
    var responseEnded: Bool {
        switch state {
        case .requestOpenResponseClosed, .requestClosedResponseClosed, .closed: true
        case .idle, .requestOpenResponseIdle, .requestOpenResponseOpen, .requestClosedResponseIdle, .requestClosedResponseOpen: false
        }
    }

    /// Something of the response went out (the rapid-reset guard counts streams reset before this).
    var hasResponded: Bool {
        switch state {
        case .requestOpenResponseOpen, .requestClosedResponseOpen, .requestOpenResponseClosed, .requestClosedResponseClosed: true
        case .idle, .requestOpenResponseIdle, .requestClosedResponseIdle, .closed: false
        }
    }

    /// Our END_STREAM leaving while the client still sends must be followed by RST_STREAM(NO_ERROR).
    var resetsWhenResponseEnds: Bool { state == .requestOpenResponseClosed }

    /// The stream is gone: its connection may be too, so the driver must not touch it.
    var isClosed: Bool { state == .closed }

    // MARK: Request side

    enum RequestHeadersAction<Method> {
        /// Valid headers: build the call and start its handler. `requestEnded`: the headers
        /// carried END_STREAM (no request messages follow).
        case startCall(RequestHead, Method, requestEnded: Bool)
        /// Answer at once without a handler.
        case reject(RequestRejection)
        /// Not the request headers (they came already): nothing to do.
        case none
    }

    /// The request headers are complete. `lookup` finds the method for a path.
    mutating func receivedRequestHeaders<Method>(_ headers: ReceivedHeaders, endStream: Bool,
                                                 lookup: (String) -> Method?) -> RequestHeadersAction<Method> {
        guard state == .idle else { return .none }
        switch headers.requestHead(lookup: lookup) {
        case .success(let (head, method)):
            state = endStream ? .requestClosedResponseIdle : .requestOpenResponseIdle
            return .startCall(head, method, requestEnded: endStream)
        case .failure(let rejection):
            state = endStream ? .requestClosedResponseClosed : .requestOpenResponseClosed
            return .reject(rejection)
        }
    }

    enum DataAction: Equatable {
        /// Deframe the bytes into the call's request queue.
        case deliver
        /// Nobody reads them any more: return their window and drop them.
        case discard
    }

    func receivedData() -> DataAction {
        switch state {
        case .requestOpenResponseIdle, .requestOpenResponseOpen: .deliver
        case .idle, .requestClosedResponseIdle, .requestClosedResponseOpen, .requestOpenResponseClosed,
             .requestClosedResponseClosed, .closed: .discard
        }
    }

    enum EndOfRequestAction: Equatable {
        /// The request messages are complete: end the handler's request sequence.
        case finishRequests
        /// The request ended inside a message: the call fails (see `AbortAction`).
        case abort(AbortAction)
        case none
    }

    /// The client's END_STREAM (on DATA or trailers). `messageIncomplete`: the deframer holds
    /// part of a message, which can now never complete.
    mutating func receivedEndOfRequest(messageIncomplete: Bool) -> EndOfRequestAction {
        switch state {
        case .requestOpenResponseIdle, .requestOpenResponseOpen:
            state = state == .requestOpenResponseIdle ? .requestClosedResponseIdle : .requestClosedResponseOpen
            if messageIncomplete { return .abort(abort()) }
            return .finishRequests
        case .requestOpenResponseClosed:
            // The client stopped by itself: no reset owed any more.
            state = .requestClosedResponseClosed
            return .none
        case .idle, .requestClosedResponseIdle, .requestClosedResponseOpen, .requestClosedResponseClosed, .closed:
            return .none
        }
    }

    // MARK: Response side

    enum MessageAction: Equatable {
        /// The first response message: response headers, then the message.
        case sendHeadersAndMessage
        case sendMessage
        /// The response has ended (status out, or stream gone): drop it.
        case drop
    }

    /// The handler wrote a response message.
    mutating func sendMessage() -> MessageAction {
        switch state {
        case .requestOpenResponseIdle:
            state = .requestOpenResponseOpen
            return .sendHeadersAndMessage
        case .requestClosedResponseIdle:
            state = .requestClosedResponseOpen
            return .sendHeadersAndMessage
        case .requestOpenResponseOpen, .requestClosedResponseOpen:
            return .sendMessage
        case .idle, .requestOpenResponseClosed, .requestClosedResponseClosed, .closed:
            return .drop
        }
    }

    /// How the status goes out.
    enum StatusDelivery: Equatable {
        /// Response headers went out: the status follows the queued messages as trailers.
        case trailers
        /// Nothing went out yet: headers and status in one block with END_STREAM.
        case trailersOnly
    }

    enum StatusAction: Equatable {
        case send(StatusDelivery)
        /// The call already has its status (or the stream is gone): a second one is dropped.
        case none
    }

    /// The handler returned or threw: its status ends the response.
    mutating func sendStatus() -> StatusAction {
        closeResponse().map(StatusAction.send) ?? .none
    }

    enum AbortAction: Equatable {
        /// Stop the handler, drop the response messages still queued, and send the status.
        case cancelCall(StatusDelivery)
        case none
    }

    /// The call fails from outside the handler: its deadline, a malformed request message, no
    /// memory for it. The status the driver sends is the failure's.
    mutating func abort() -> AbortAction {
        closeResponse().map(AbortAction.cancelCall) ?? .none
    }

    /// The deadline from `grpc-timeout` passed.
    mutating func deadlineExpired() -> AbortAction { abort() }

    private mutating func closeResponse() -> StatusDelivery? {
        switch state {
        case .requestOpenResponseIdle:
            state = .requestOpenResponseClosed
            return .trailersOnly
        case .requestClosedResponseIdle:
            state = .requestClosedResponseClosed
            return .trailersOnly
        case .requestOpenResponseOpen:
            state = .requestOpenResponseClosed
            return .trailers
        case .requestClosedResponseOpen:
            state = .requestClosedResponseClosed
            return .trailers
        case .idle, .requestOpenResponseClosed, .requestClosedResponseClosed, .closed:
            return nil
        }
    }

    // MARK: The stream ends

    enum ClosedAction: Equatable {
        /// The call had no status yet: stop the handler, fail its reads and writes, drop what is queued.
        case failCall
        case none
    }

    /// nghttp2 closed the stream: after both END_STREAMs, on RST_STREAM from the client, or
    /// because the connection is gone (including the end of a GOAWAY's grace period).
    mutating func streamClosed() -> ClosedAction {
        defer { state = .closed }
        switch state {
        case .requestOpenResponseIdle, .requestOpenResponseOpen, .requestClosedResponseIdle, .requestClosedResponseOpen:
            return .failCall
        case .idle, .requestOpenResponseClosed, .requestClosedResponseClosed, .closed:
            return .none
        }
    }
}
