import CNGHTTP2
import Testing
@testable import RPC

/// The client connection's lifecycle, without a socket: calls before and after the server's
/// SETTINGS, GOAWAY in each state, timeouts, and causes that name the target.
@Suite struct ClientConnectionLifecycleTests {
    let target = "127.0.0.1:50051"
    let noError = NGHTTP2_NO_ERROR.rawValue
    let calm = NGHTTP2_ENHANCE_YOUR_CALM.rawValue

    @Test func callsWaitForSettingsThenOpen() {
        var machine = ClientConnectionLifecycle(target: target)
        #expect(machine.startCall() == .wait)
        let becameReady1 = machine.settingsReceived()
        #expect(becameReady1)
        let becameReady2 = machine.settingsReceived()
        #expect(!becameReady2, "later SETTINGS change nothing")
        #expect(machine.startCall() == .open)
        #expect(machine.connectTimedOut(after: .seconds(1)) == nil, "a late connect timer does nothing")
    }

    @Test func aConnectTimeoutNamesTheTarget() throws {
        let machine = ClientConnectionLifecycle(target: target)
        let cause = try #require(machine.connectTimedOut(after: .seconds(3)))
        #expect(cause.code == .unavailable)
        #expect(cause.message.contains(target) && cause.message.contains("timed out"), "\(cause.message)")
    }

    @Test func goAwayWhileConnectingOrReadyRefusesNewCallsAndClosesWhenIdle() {
        for ready in [false, true] {
            var machine = ClientConnectionLifecycle(target: target)
            if ready { _ = machine.settingsReceived() }
            let closeNow = machine.goAwayReceived(errorCode: noError, isNoError: true, errorStatus: .unavailable, openStreams: 0)
            #expect(closeNow, "no stream open: close now")
            guard case .fail(let cause) = machine.startCall() else {
                Issue.record("a call after GOAWAY must fail")
                continue
            }
            #expect(cause.code == .unavailable)
            #expect(cause.message.contains(target) && cause.message.contains("GOAWAY"), "\(cause.message)")
            #expect(!machine.takesCalls)
        }
    }

    @Test func goAwayWithStreamsOpenDrainsUntilTheLastOneCloses() {
        var machine = ClientConnectionLifecycle(target: target)
        _ = machine.settingsReceived()
        let closeNow = machine.goAwayReceived(errorCode: noError, isNoError: true, errorStatus: .unavailable, openStreams: 2)
        #expect(!closeNow)
        #expect(!machine.streamClosed(openStreams: 1))
        #expect(machine.streamClosed(openStreams: 0))
        // A second GOAWAY while draining changes nothing but the cause it may carry.
        let again = machine.goAwayReceived(errorCode: noError, isNoError: true, errorStatus: .unavailable, openStreams: 1)
        #expect(!again)
    }

    @Test func anErrorGoAwayIsTheCauseOpenCallsEndWith() {
        var machine = ClientConnectionLifecycle(target: target)
        _ = machine.settingsReceived()
        _ = machine.goAwayReceived(errorCode: calm, isNoError: false, errorStatus: StatusCode(http2ErrorCode: calm), openStreams: 1)
        let cause = machine.closed(RPCError(code: .unavailable, message: "connection closed by peer"))
        #expect(cause.code == .resourceExhausted)
        #expect(cause.message.contains("GOAWAY") && cause.message.contains(target), "\(cause.message)")
        #expect(machine.startCall() == .fail(cause), "calls after the close get the same real cause")
    }

    @Test func aReadyConnectionThatClosesTellsNewCallsWhyAndWhere() {
        var machine = ClientConnectionLifecycle(target: target)
        _ = machine.settingsReceived()
        let cause = machine.closed(RPCError(code: .unavailable, message: "connection closed by peer"))
        #expect(cause.message == "connection to \(target): connection closed by peer")
        guard case .fail(let failure) = machine.startCall() else {
            Issue.record("a closed connection must refuse calls")
            return
        }
        #expect(failure == cause)
        #expect(!failure.message.contains("closing"))
        #expect(machine.closed(RPCError(code: .internalError, message: "later")) == cause, "the first cause stays")
    }

    @Test func theChannelsOwnCloseOutranksAnEarlierGoAway() {
        var machine = ClientConnectionLifecycle(target: target)
        _ = machine.settingsReceived()
        _ = machine.goAwayReceived(errorCode: calm, isNoError: false, errorStatus: .resourceExhausted, openStreams: 1)
        let cause = machine.closed(machine.shutdownCause())
        #expect(cause.code == .cancelled)
    }

    @Test func aDrainRefusesNewCallsNamesTheTargetAndClosesOnceIdle() {
        var machine = ClientConnectionLifecycle(target: target)
        _ = machine.settingsReceived()
        let closeNow = machine.drain(openStreams: 2)
        #expect(!closeNow, "two calls still run")
        guard case .fail(let cause) = machine.startCall() else {
            Issue.record("a draining connection must refuse calls")
            return
        }
        #expect(cause.code == .unavailable && cause.message.contains(target), "\(cause.message)")
        #expect(!machine.streamClosed(openStreams: 1))
        #expect(machine.streamClosed(openStreams: 0), "the last call ended: close")
        _ = machine.closed(cause)
        let closeAgain = machine.drain(openStreams: 0)
        #expect(!closeAgain, "a closed connection has nothing to drain")
    }

    /// The subchannel hears of a connection's life only through these transitions.
    @Test func ownerEventsFollowTheLifecycleTransitions() {
        typealias Event = ClientConnectionEvent
        let cause = RPCError(code: .unavailable, message: "gone")
        let draining = ClientConnectionLifecycle.State.draining(cause: cause)
        #expect(Event(from: .connecting, to: .ready) == .ready)
        #expect(Event(from: .connecting, to: draining) == .draining)
        #expect(Event(from: .ready, to: draining) == .draining)
        #expect(Event(from: draining, to: draining) == nil, "a second GOAWAY is not news")
        #expect(Event(from: .ready, to: .ready) == nil)
        #expect(Event(from: .connecting, to: .closed(cause: cause)) == .closed(cause))
        #expect(Event(from: draining, to: .closed(cause: cause)) == .closed(cause))
        #expect(Event(from: .closed(cause: cause), to: .closed(cause: cause)) == nil, "closed is reported once")
    }
}
