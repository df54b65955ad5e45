import Testing
@testable import RPC

/// The transport-level connection lifecycle shared by client and server, without a socket.
@Suite struct HTTP2SessionLifecycleTests {
    typealias Lifecycle = HTTP2SessionLifecycle
    let goAway = RPCError(code: .unavailable, message: "too_many_pings")
    let peerGone = RPCError(code: .unavailable, message: "connection closed by peer")

    @Test func aCloseRequestedInsideACallbackStopsInputThenLingersOnceOutputIsWritten() {
        var machine = Lifecycle(connecting: false)
        #expect(machine.processesInput)
        let requested1 = machine.requestClose(goAway)
        #expect(requested1)
        #expect(!machine.processesInput, "input must stop being processed at once")
        #expect(machine.canWrite, "the queued GOAWAY must still go out")
        let requested2 = machine.requestClose(peerGone)
        #expect(!requested2, "only the first request schedules the close")
        #expect(machine.requestedCause == goAway)
        #expect(machine.finishClose(outputEmpty: true, fallbackCause: peerGone) == .linger(cause: goAway))
        #expect(machine.isLingering)
        #expect(!machine.canWrite, "nothing is written after our FIN")
        // The peer's EOF ends the linger; the cause stays the one asked for.
        #expect(machine.close(peerGone) == .close(cause: goAway))
        #expect(machine.state == .closed(cause: goAway))
        #expect(machine.close(peerGone) == .none)
    }

    @Test func thePeerClosingWhileOutputIsPendingClosesWithTheRequestedCause() {
        var machine = Lifecycle(connecting: false)
        _ = machine.requestClose(goAway)
        // The socket did not take everything: no linger (FIN would cut the output), close now.
        #expect(machine.finishClose(outputEmpty: false, fallbackCause: peerGone) == .close(cause: goAway))
        #expect(machine.isClosed)
        #expect(machine.finishClose(outputEmpty: true, fallbackCause: peerGone) == .none)
    }

    @Test func thePeerClosingAnOpenConnectionClosesItWithThatCause() {
        var machine = Lifecycle(connecting: false)
        #expect(machine.close(peerGone) == .close(cause: peerGone))
        let requested3 = machine.requestClose(goAway)
        #expect(!requested3, "a closed connection takes no close request")
        #expect(machine.pauseReading() == nil)
    }

    @Test func aSessionThatFinishedLingersWithTheFallbackCause() {
        var machine = Lifecycle(connecting: false)
        let finished = RPCError(code: .unavailable, message: "connection finished")
        #expect(machine.finishClose(outputEmpty: true, fallbackCause: finished) == .linger(cause: finished))
        #expect(machine.close(peerGone) == .close(cause: finished))
    }

    @Test func readingPausesAndResumesOnTheBudgetAndKeepsTheWriteInterest() {
        var machine = Lifecycle(connecting: false)
        #expect(machine.pauseReading() == .init(readable: false, writable: false))
        #expect(machine.isReadingPaused)
        #expect(machine.pauseReading() == nil, "already paused: nothing to change")
        #expect(machine.wrote(socketFull: true) == .init(readable: false, writable: true))
        #expect(machine.wrote(socketFull: true) == nil)
        #expect(machine.resumeReading() == .init(readable: true, writable: true))
        #expect(machine.resumeReading() == nil)
        #expect(machine.wrote(socketFull: false) == .init(readable: true, writable: false))
        // Closing: reading does not resume (input is no longer processed).
        _ = machine.pauseReading()
        _ = machine.requestClose(goAway)
        #expect(machine.resumeReading() == nil)
        #expect(machine.isReadingPaused)
    }

    @Test func aConnectingSocketNeitherReadsNorWritesAndClosesWithoutLingering() {
        var machine = Lifecycle(connecting: true)
        #expect(!machine.canWrite)
        #expect(!machine.processesInput)
        #expect(machine.pauseReading() == nil)
        var connected = machine
        #expect(connected.connected() == .init(readable: true, writable: false))
        #expect(connected.canWrite && connected.processesInput)
        #expect(connected.connected() == nil)
        // A close asked for before the connect completed: nothing was sent, so no linger.
        let requested4 = machine.requestClose(goAway)
        #expect(requested4)
        #expect(!machine.canWrite)
        #expect(machine.finishClose(outputEmpty: true, fallbackCause: peerGone) == .close(cause: goAway))
    }
}
