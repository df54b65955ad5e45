import Testing
@testable import RPC

/// Keepalive pings (both sides), without a socket.
@Suite struct KeepaliveStateTests {
    func machine(permitWithoutCalls: Bool) -> KeepaliveState {
        KeepaliveState(configuration: .init(interval: .seconds(10), timeout: .seconds(2), permitWithoutCalls: permitWithoutCalls))
    }

    @Test func pingsEveryIntervalAndClosesWhenTheAckIsLate() {
        var keepalive = machine(permitWithoutCalls: true)
        #expect(keepalive.start() == .schedule(.interval, after: .seconds(10)))
        #expect(keepalive.start() == .none)
        #expect(keepalive.timerFired(.interval, openStreams: 0) == .sendPing(thenSchedule: .ackTimeout, after: .seconds(2)))
        #expect(keepalive.ackReceived() == .cancelAndSchedule(cancel: .ackTimeout, schedule: .interval, after: .seconds(10)))
        #expect(keepalive.ackReceived() == .none, "an ACK nobody waits for changes nothing")
        #expect(keepalive.timerFired(.interval, openStreams: 3) == .sendPing(thenSchedule: .ackTimeout, after: .seconds(2)))
        guard case .close = keepalive.timerFired(.ackTimeout, openStreams: 3) else {
            Issue.record("a late ACK must close the connection")
            return
        }
        #expect(keepalive.state == .stopped)
    }

    @Test func withoutPermissionNoPingIsSentWhileNoCallIsOpen() {
        var keepalive = machine(permitWithoutCalls: false)
        _ = keepalive.start()
        #expect(keepalive.timerFired(.interval, openStreams: 0) == .schedule(.interval, after: .seconds(10)))
        #expect(keepalive.timerFired(.interval, openStreams: 1) == .sendPing(thenSchedule: .ackTimeout, after: .seconds(2)))
    }

    @Test func timersThatOutliveTheirPhaseDoNothing() {
        var keepalive = machine(permitWithoutCalls: true)
        #expect(keepalive.timerFired(.interval, openStreams: 1) == .none, "not started")
        _ = keepalive.start()
        #expect(keepalive.timerFired(.ackTimeout, openStreams: 1) == .none, "no ping outstanding")
        _ = keepalive.timerFired(.interval, openStreams: 1)
        keepalive.stop()
        #expect(keepalive.timerFired(.ackTimeout, openStreams: 1) == .none)
        #expect(keepalive.ackReceived() == .none)
    }
}
