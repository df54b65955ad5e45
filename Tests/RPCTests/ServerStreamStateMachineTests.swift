import Testing
@testable import RPC

/// Every rule of the server stream lifecycle, without a socket.
@Suite struct ServerStreamStateMachineTests {
    typealias Machine = ServerStreamStateMachine
    typealias State = Machine.State

    static let request = ReceivedHeaders(HeaderParserTests.validRequest)
    static let allStates: [State] = [
        .idle, .requestOpenResponseIdle, .requestOpenResponseOpen, .requestClosedResponseIdle, .requestClosedResponseOpen,
        .requestOpenResponseClosed, .requestClosedResponseClosed, .closed,
    ]

    /// A machine driven by real events into `state`.
    static func machine(in state: State) -> Machine {
        var machine = Machine()
        func start(endStream: Bool) {
            guard case .startCall = machine.receivedRequestHeaders(request, endStream: endStream, lookup: { _ in 1 }) else {
                Issue.record("valid headers did not start the call")
                return
            }
        }
        switch state {
        case .idle: break
        case .requestOpenResponseIdle: start(endStream: false)
        case .requestOpenResponseOpen:
            start(endStream: false)
            _ = machine.sendMessage()
        case .requestClosedResponseIdle: start(endStream: true)
        case .requestClosedResponseOpen:
            start(endStream: true)
            _ = machine.sendMessage()
        case .requestOpenResponseClosed:
            start(endStream: false)
            _ = machine.sendStatus()
        case .requestClosedResponseClosed:
            start(endStream: true)
            _ = machine.sendStatus()
        case .closed:
            start(endStream: false)
            _ = machine.streamClosed()
        }
        #expect(machine.state == state)
        return machine
    }

    // MARK: Request headers

    @Test func validHeadersStartTheCallWithWhatTheySay() {
        var machine = Machine()
        let headers = ReceivedHeaders(HeaderParserTests.validRequest + [("grpc-timeout", "1S"), ("x-a", "b")])
        guard case .startCall(let head, let method, requestEnded: false) = machine.receivedRequestHeaders(
            headers, endStream: false, lookup: { $0 == "/pkg.Svc/Method" ? "handler" : nil }) else {
            Issue.record("valid headers did not start the call")
            return
        }
        #expect(method == "handler")
        #expect(head.timeout == .seconds(1))
        #expect(head.metadata.first("x-a") == "b")
        #expect(machine.state == .requestOpenResponseIdle)
        #expect(!machine.responseEnded && !machine.hasResponded)
    }

    @Test func headersWithEndStreamStartACallWhoseRequestsAreComplete() {
        var machine = Machine()
        guard case .startCall(_, _, requestEnded: true) = machine.receivedRequestHeaders(Self.request, endStream: true, lookup: { _ in 1 }) else {
            Issue.record("expected a started call with its requests ended")
            return
        }
        #expect(machine.state == .requestClosedResponseIdle)
    }

    @Test func badHeadersAreAnsweredAtOnceAndTheStillSendingClientIsResetAfterwards() {
        var machine = Machine()
        let get = ReceivedHeaders([(":method", "GET"), (":path", "/pkg.Svc/Method")])
        guard case .reject(.httpStatus(405)) = machine.receivedRequestHeaders(get, endStream: false, lookup: { _ in 1 }) else {
            Issue.record("GET not rejected with 405")
            return
        }
        #expect(machine.responseEnded)
        #expect(machine.resetsWhenResponseEnds)
        // Its DATA is dropped; its END_STREAM ends the need for a reset.
        #expect(machine.receivedData() == .discard)
        #expect(machine.receivedEndOfRequest(messageIncomplete: false) == .none)
        #expect(!machine.resetsWhenResponseEnds)
        #expect(machine.state == .requestClosedResponseClosed)
    }

    @Test func badHeadersWithEndStreamOweNoReset() {
        var machine = Machine()
        let unknown = ReceivedHeaders(HeaderParserTests.validRequest)
        guard case .reject(.status(.unimplemented, _, advertiseEncodings: false)) = machine.receivedRequestHeaders(
            unknown, endStream: true, lookup: { (_: String) -> Int? in nil }) else {
            Issue.record("unknown method not rejected with UNIMPLEMENTED")
            return
        }
        #expect(machine.state == .requestClosedResponseClosed)
        #expect(!machine.resetsWhenResponseEnds)
        // A handler cannot answer a call that was never started.
        #expect(machine.sendMessage() == .drop)
        #expect(machine.sendStatus() == .none)
    }

    @Test func laterHeaderBlocksAreNotRequestHeaders() {
        var machine = Self.machine(in: .requestOpenResponseOpen)
        guard case .none = machine.receivedRequestHeaders(Self.request, endStream: true, lookup: { _ in 1 }) else {
            Issue.record("a second header block started another call")
            return
        }
        #expect(machine.state == .requestOpenResponseOpen)
    }

    // MARK: Request data

    @Test(arguments: allStates)
    func requestDataIsDeliveredOnlyWhileTheRequestAndResponseAreOpen(_ state: State) {
        let machine = Self.machine(in: state)
        let expected: Machine.DataAction = state == .requestOpenResponseIdle || state == .requestOpenResponseOpen ? .deliver : .discard
        #expect(machine.receivedData() == expected)
        #expect(machine.state == state)
    }

    @Test func endOfRequestFinishesTheRequestsOnce() {
        var machine = Self.machine(in: .requestOpenResponseOpen)
        #expect(machine.receivedEndOfRequest(messageIncomplete: false) == .finishRequests)
        #expect(machine.state == .requestClosedResponseOpen)
        #expect(machine.receivedEndOfRequest(messageIncomplete: false) == .none)
        #expect(machine.receivedData() == .discard)
    }

    @Test func aRequestEndingInsideAMessageFailsTheCall() {
        var idle = Self.machine(in: .requestOpenResponseIdle)
        #expect(idle.receivedEndOfRequest(messageIncomplete: true) == .abort(.cancelCall(.trailersOnly)))
        #expect(idle.state == .requestClosedResponseClosed)
        var open = Self.machine(in: .requestOpenResponseOpen)
        #expect(open.receivedEndOfRequest(messageIncomplete: true) == .abort(.cancelCall(.trailers)))
        #expect(open.state == .requestClosedResponseClosed)
        // The handler's own status comes too late.
        #expect(open.sendStatus() == .none)
    }

    // MARK: Response

    @Test func theFirstMessageSendsTheHeadersAndLaterOnesDoNot() {
        var machine = Self.machine(in: .requestOpenResponseIdle)
        #expect(machine.sendMessage() == .sendHeadersAndMessage)
        #expect(machine.hasResponded)
        #expect(machine.sendMessage() == .sendMessage)
        #expect(machine.receivedEndOfRequest(messageIncomplete: false) == .finishRequests)
        #expect(machine.sendMessage() == .sendMessage)
        #expect(machine.state == .requestClosedResponseOpen)
    }

    @Test(arguments: allStates)
    func statusIsTrailersOnlyBeforeAnyMessageTrailersAfterAndNeverTwice(_ state: State) {
        var machine = Self.machine(in: state)
        let expected: Machine.StatusAction = switch state {
        case .requestOpenResponseIdle, .requestClosedResponseIdle: .send(.trailersOnly)
        case .requestOpenResponseOpen, .requestClosedResponseOpen: .send(.trailers)
        case .idle, .requestOpenResponseClosed, .requestClosedResponseClosed, .closed: .none
        }
        #expect(machine.sendStatus() == expected)
        #expect(machine.sendStatus() == .none)
        #expect(machine.abort() == .none)
        #expect(machine.deadlineExpired() == .none)
        #expect(machine.sendMessage() == .drop)
    }

    @Test func aStatusWhileTheClientStillSendsOwesAResetUntilItsEndOfStream() {
        var machine = Self.machine(in: .requestOpenResponseOpen)
        #expect(machine.sendStatus() == .send(.trailers))
        #expect(machine.resetsWhenResponseEnds)
        #expect(machine.receivedData() == .discard)
        var closedFirst = Self.machine(in: .requestClosedResponseOpen)
        #expect(closedFirst.sendStatus() == .send(.trailers))
        #expect(!closedFirst.resetsWhenResponseEnds)
    }

    // MARK: Endings from outside the handler

    @Test(arguments: allStates)
    func theDeadlineCancelsARunningCallWithTheRightDelivery(_ state: State) {
        var machine = Self.machine(in: state)
        let expected: Machine.AbortAction = switch state {
        case .requestOpenResponseIdle, .requestClosedResponseIdle: .cancelCall(.trailersOnly)
        case .requestOpenResponseOpen, .requestClosedResponseOpen: .cancelCall(.trailers)
        case .idle, .requestOpenResponseClosed, .requestClosedResponseClosed, .closed: .none
        }
        #expect(machine.deadlineExpired() == expected)
        if expected != .none {
            #expect(machine.responseEnded)
            // The handler's status, arriving after it was cancelled, changes nothing.
            #expect(machine.sendStatus() == .none)
            #expect(machine.sendMessage() == .drop)
        }
    }

    /// RST_STREAM from the client, a connection that died, or the end of a GOAWAY's grace
    /// period all reach a server stream as nghttp2 closing it (a GOAWAY the client sends does
    /// not end the streams it already opened).
    @Test(arguments: allStates)
    func aClosedStreamFailsOnlyACallStillWithoutStatus(_ state: State) {
        var machine = Self.machine(in: state)
        let expected: Machine.ClosedAction = switch state {
        case .requestOpenResponseIdle, .requestOpenResponseOpen, .requestClosedResponseIdle, .requestClosedResponseOpen: .failCall
        case .idle, .requestOpenResponseClosed, .requestClosedResponseClosed, .closed: .none
        }
        #expect(machine.streamClosed() == expected)
        #expect(machine.state == .closed)
        #expect(machine.isClosed)
        // Nothing happens on a closed stream any more.
        #expect(machine.streamClosed() == .none)
        #expect(machine.sendMessage() == .drop)
        #expect(machine.sendStatus() == .none)
        #expect(machine.deadlineExpired() == .none)
        #expect(machine.receivedData() == .discard)
        #expect(machine.receivedEndOfRequest(messageIncomplete: false) == .none)
        #expect(!machine.resetsWhenResponseEnds)
    }

    @Test func theRapidResetGuardSeesWhetherAnythingWasAnswered() {
        #expect(!Self.machine(in: .requestOpenResponseIdle).hasResponded)
        #expect(!Self.machine(in: .requestClosedResponseIdle).hasResponded)
        #expect(Self.machine(in: .requestOpenResponseOpen).hasResponded)
        #expect(Self.machine(in: .requestOpenResponseClosed).hasResponded)
    }
}
