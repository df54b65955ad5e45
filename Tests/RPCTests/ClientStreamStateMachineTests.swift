import CNGHTTP2
import Testing
@testable import RPC

/// Every rule of the client stream lifecycle, without a socket.
@Suite struct ClientStreamStateMachineTests {
    typealias Machine = ClientStreamStateMachine
    typealias Finish = Machine.Finish

    /// The states a call goes through, by name (the machine's own states carry the stream id).
    enum Phase: String, CaseIterable, Sendable {
        case idle, awaitingResponse, receivingResponse, closed
    }

    static let streamID: Int32 = 5
    static let responseHeaders = ReceivedHeaders([(":status", "200"), ("content-type", "application/grpc"), ("x-h", "1")])
    static func trailers(_ code: StatusCode, _ message: String = "") -> ReceivedHeaders {
        ReceivedHeaders([("grpc-status", "\(code.rawValue)"), ("grpc-message", message), ("x-t", "2")])
    }

    static func machine(in phase: Phase) -> Machine {
        var machine = Machine()
        switch phase {
        case .idle: break
        case .awaitingResponse: machine.opened(streamID: streamID)
        case .receivingResponse:
            machine.opened(streamID: streamID)
            _ = machine.receivedHeaders(responseHeaders, endStream: false, messageIncomplete: false)
        case .closed:
            machine.opened(streamID: streamID)
            _ = machine.receivedHeaders(trailers(.ok), endStream: true, messageIncomplete: false)
        }
        return machine
    }

    /// After an ending, nothing the server or the clock does changes the outcome.
    static func expectNothingChanges(_ machine: inout Machine, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(machine.isClosed, sourceLocation: sourceLocation)
        #expect(machine.receivedHeaders(trailers(.ok), endStream: true, messageIncomplete: false) == .none, sourceLocation: sourceLocation)
        #expect(machine.receivedHeaders(responseHeaders, endStream: false, messageIncomplete: false) == .none, sourceLocation: sourceLocation)
        #expect(machine.receivedData() == .discard, sourceLocation: sourceLocation)
        #expect(machine.streamClosed(errorCode: NGHTTP2_NO_ERROR.rawValue) == nil, sourceLocation: sourceLocation)
        #expect(machine.receivedGoAway(lastStreamID: 0, errorCode: 0) == nil, sourceLocation: sourceLocation)
        #expect(machine.deadlineExpired() == nil, sourceLocation: sourceLocation)
        #expect(machine.cancel(CallStatus(code: .cancelled, message: "again")) == nil, sourceLocation: sourceLocation)
        #expect(machine.connectionClosed(RPCError(code: .unavailable, message: "gone")) == nil, sourceLocation: sourceLocation)
    }

    // MARK: The normal path

    @Test func headersMessagesThenTrailersEndTheCallWithTheirStatus() {
        var machine = Machine()
        #expect(machine.canOpen)
        #expect(machine.streamID == nil)
        machine.opened(streamID: Self.streamID)
        #expect(machine.state == .awaitingResponse(streamID: Self.streamID))
        guard case .deliverHeaders(let head) = machine.receivedHeaders(Self.responseHeaders, endStream: false, messageIncomplete: false) else {
            Issue.record("valid response headers not delivered")
            return
        }
        #expect(head.metadata.first("x-h") == "1")
        #expect(machine.receivedData() == .deliver)
        guard case .finish(let finish) = machine.receivedHeaders(Self.trailers(.notFound, "no%20such"), endStream: true, messageIncomplete: false) else {
            Issue.record("trailers did not end the call")
            return
        }
        #expect(finish.status.code == .notFound)
        #expect(finish.status.message == "no such")
        #expect(finish.status.metadata.first("x-t") == "2")
        #expect(finish.resetStreamID == nil)
        #expect(machine.state == .closed(streamID: Self.streamID))
        Self.expectNothingChanges(&machine)
    }

    @Test func trailersOnlyEndsTheCallWithoutMessages() {
        var machine = Self.machine(in: .awaitingResponse)
        let trailersOnly = ReceivedHeaders([(":status", "200"), ("content-type", "application/grpc"), ("grpc-status", "7")])
        guard case .finish(let finish) = machine.receivedHeaders(trailersOnly, endStream: true, messageIncomplete: false) else {
            Issue.record("Trailers-Only did not end the call")
            return
        }
        #expect(finish == Finish(status: CallStatus(code: .permissionDenied, message: ""), resetStreamID: nil, unprocessed: false))
        Self.expectNothingChanges(&machine)
    }

    @Test func trailersOnlyFromAProxyMapsItsHTTPStatus() {
        var machine = Self.machine(in: .awaitingResponse)
        guard case .finish(let finish) = machine.receivedHeaders(ReceivedHeaders([(":status", "429")]), endStream: true,
                                                                 messageIncomplete: false) else {
            Issue.record("Trailers-Only did not end the call")
            return
        }
        #expect(finish.status.code == .unavailable)
    }

    // MARK: Bad responses

    @Test(arguments: [
        ([(":status", "503"), ("content-type", "application/grpc")], StatusCode.unavailable),
        ([(":status", "404"), ("content-type", "text/html")], .unimplemented),
        ([(":status", "200"), ("content-type", "text/html")], .unknown),
        ([(":status", "200")], .unknown),
        ([(":status", "200"), ("content-type", "application/grpc"), ("grpc-encoding", "zstd")], .internalError),
        ([(":status", "200"), ("content-type", "application/grpc"), ("x-bin", "%%")], .internalError),
    ])
    func badResponseHeadersFailAndResetTheStream(_ fields: [(String, String)], _ code: StatusCode) {
        var machine = Self.machine(in: .awaitingResponse)
        guard case .finish(let finish) = machine.receivedHeaders(ReceivedHeaders(fields), endStream: false, messageIncomplete: false) else {
            Issue.record("\(fields) accepted")
            return
        }
        #expect(finish.status.code == code)
        #expect(finish.resetStreamID == Self.streamID)
        Self.expectNothingChanges(&machine)
    }

    @Test func dataBeforeTheResponseHeadersFailsTheCall() {
        var machine = Self.machine(in: .awaitingResponse)
        guard case .finish(let finish) = machine.receivedData() else {
            Issue.record("DATA before headers accepted")
            return
        }
        #expect(finish.status.code == .internalError)
        #expect(finish.resetStreamID == Self.streamID)
    }

    @Test func okTrailersInsideAMessageAreInternalButAnErrorStatusStands() {
        var cut = Self.machine(in: .receivingResponse)
        guard case .finish(let finish) = cut.receivedHeaders(Self.trailers(.ok), endStream: true, messageIncomplete: true) else {
            Issue.record("trailers did not end the call")
            return
        }
        #expect(finish.status.code == .internalError)
        #expect(finish.status.metadata.first("x-t") == "2")
        var failed = Self.machine(in: .receivingResponse)
        guard case .finish(let status) = failed.receivedHeaders(Self.trailers(.aborted), endStream: true, messageIncomplete: true) else {
            Issue.record("trailers did not end the call")
            return
        }
        #expect(status.status.code == .aborted)
    }

    @Test func aSecondHeaderBlockWithoutEndStreamIsAProtocolError() {
        var machine = Self.machine(in: .receivingResponse)
        guard case .finish(let finish) = machine.receivedHeaders(Self.responseHeaders, endStream: false, messageIncomplete: false) else {
            Issue.record("second header block accepted")
            return
        }
        #expect(finish.status.code == .internalError)
        #expect(finish.resetStreamID == Self.streamID)
    }

    @Test func aSecondStatusAndMessagesAfterTheEndAreIgnored() {
        var machine = Self.machine(in: .closed)
        Self.expectNothingChanges(&machine)
    }

    // MARK: RST_STREAM in each state

    @Test(arguments: Phase.allCases)
    func resetByTheServerInEachState(_ phase: Phase) {
        for (code, status) in [(NGHTTP2_REFUSED_STREAM, StatusCode.unavailable), (NGHTTP2_CANCEL, .cancelled),
                               (NGHTTP2_ENHANCE_YOUR_CALM, .resourceExhausted), (NGHTTP2_INTERNAL_ERROR, .internalError),
                               (NGHTTP2_NO_ERROR, .internalError)] {
            var machine = Self.machine(in: phase)
            let finish = machine.streamClosed(errorCode: code.rawValue)
            switch phase {
            case .idle, .closed:
                #expect(finish == nil)
            case .awaitingResponse, .receivingResponse:
                #expect(finish?.status.code == status)
                #expect(finish?.resetStreamID == nil)  // the stream is already gone
                // Refused before any response: the server never processed it.
                #expect(finish?.unprocessed == (code == NGHTTP2_REFUSED_STREAM && phase == .awaitingResponse))
                Self.expectNothingChanges(&machine)
            }
        }
    }

    // MARK: GOAWAY in each state

    @Test(arguments: Phase.allCases)
    func goAwayCoveringTheStreamLetsItFinish(_ phase: Phase) {
        var machine = Self.machine(in: phase)
        #expect(machine.receivedGoAway(lastStreamID: Self.streamID, errorCode: 0) == nil)
        #expect(machine.receivedGoAway(lastStreamID: Self.streamID + 2, errorCode: 2) == nil)
        if phase == .receivingResponse {
            guard case .finish(let finish) = machine.receivedHeaders(Self.trailers(.ok), endStream: true, messageIncomplete: false) else {
                Issue.record("a covered stream did not finish normally")
                return
            }
            #expect(finish.status.code == .ok)
        }
    }

    @Test(arguments: Phase.allCases)
    func goAwayNotCoveringTheStreamFailsItAsUnprocessed(_ phase: Phase) {
        var machine = Self.machine(in: phase)
        let finish = machine.receivedGoAway(lastStreamID: Self.streamID - 2, errorCode: 0)
        switch phase {
        case .idle, .closed:
            // Not on the wire (the connection will not open it) or already over.
            #expect(finish == nil)
        case .awaitingResponse, .receivingResponse:
            #expect(finish?.status.code == .unavailable)
            #expect(finish?.unprocessed == true)
            #expect(finish?.resetStreamID == nil)
            Self.expectNothingChanges(&machine)
        }
    }

    // MARK: Deadline and local cancel in each state

    @Test(arguments: Phase.allCases)
    func theDeadlineInEachState(_ phase: Phase) {
        var machine = Self.machine(in: phase)
        let finish = machine.deadlineExpired()
        switch phase {
        case .closed:
            #expect(finish == nil)
        case .idle:
            #expect(finish?.status.code == .deadlineExceeded)
            #expect(finish?.resetStreamID == nil)  // nothing went out
            #expect(machine.state == .closed(streamID: nil))
            #expect(!machine.canOpen)
        case .awaitingResponse, .receivingResponse:
            #expect(finish?.status.code == .deadlineExceeded)
            #expect(finish?.resetStreamID == Self.streamID)
            Self.expectNothingChanges(&machine)
        }
    }

    @Test(arguments: Phase.allCases)
    func aLocalCancelInEachStateCanOnlyEndWithTheCancellation(_ phase: Phase) {
        var machine = Self.machine(in: phase)
        let finish = machine.cancel(CallStatus(code: .cancelled, message: "the call was cancelled by the client"))
        switch phase {
        case .closed:
            #expect(finish == nil)
        case .idle:
            #expect(finish?.status.code == .cancelled)
            #expect(finish?.resetStreamID == nil)
            #expect(finish?.unprocessed == false)
            Self.expectNothingChanges(&machine)
        case .awaitingResponse, .receivingResponse:
            #expect(finish?.status.code == .cancelled)
            #expect(finish?.resetStreamID == Self.streamID)
            // Whatever the server sends next (an OK status, a reset, a GOAWAY) and the
            // deadline cannot replace the cancellation.
            Self.expectNothingChanges(&machine)
        }
    }

    // MARK: The connection

    @Test(arguments: Phase.allCases)
    func connectionLossInEachState(_ phase: Phase) {
        var machine = Self.machine(in: phase)
        let finish = machine.connectionClosed(RPCError(code: .unavailable, message: "connection to x: closed by peer"))
        switch phase {
        case .closed:
            #expect(finish == nil)
        case .idle:
            #expect(finish?.status.code == .unavailable)
            #expect(finish?.unprocessed == true)  // never sent: the channel may retry it
        case .awaitingResponse, .receivingResponse:
            #expect(finish?.status.code == .unavailable)
            #expect(finish?.status.message == "connection to x: closed by peer")
            #expect(finish?.unprocessed == false)
            #expect(finish?.resetStreamID == nil)
        }
    }

    @Test func aStreamThatCannotOpenFailsUnavailableOnce() {
        var machine = Machine()
        #expect(machine.openFailed(message: "no ids left")?.status.code == .unavailable)
        #expect(!machine.canOpen)
        #expect(machine.openFailed(message: "again") == nil)
        machine.opened(streamID: 1)
        #expect(machine.state == .closed(streamID: nil))
    }
}
