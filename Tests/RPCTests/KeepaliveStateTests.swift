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

/// The server's policy on pings its peer sends, without a socket.
@Suite struct PingStrikePolicyTests {
    let start = MonotonicTime(nanoseconds: 1_000_000_000_000)

    /// `#expect` cannot take a mutating call itself.
    func ping(_ pings: inout PingStrikePolicy, at now: MonotonicTime, openStreams: Int) -> Bool {
        pings.pingReceived(now: now, openStreams: openStreams)
    }

    func policy(permitWithoutCalls: Bool = false) -> PingStrikePolicy {
        PingStrikePolicy(minInterval: .seconds(10), minIntervalWithoutCalls: .seconds(60),
                         permitWithoutCalls: permitWithoutCalls, maxStrikes: 2)
    }

    @Test func pingsTooSoonEarnStrikesUntilThePeerIsTooMany() {
        var pings = policy()
        #expect(!ping(&pings, at: start, openStreams: 1), "the first ping is always fine")
        #expect(!ping(&pings, at: start.adding(.seconds(1)), openStreams: 1))
        #expect(!ping(&pings, at: start.adding(.seconds(2)), openStreams: 1))
        #expect(pings.strikes == 2)
        #expect(ping(&pings, at: start.adding(.seconds(3)), openStreams: 1), "the third strike is one too many")
    }

    @Test func pingsAtTheAllowedIntervalEarnNothing() {
        var pings = policy()
        for step in 0..<10 {
            #expect(!ping(&pings, at: start.adding(.seconds(10 * step)), openStreams: 1))
        }
        #expect(pings.strikes == 0)
    }

    @Test func withoutCallsTheLongerIntervalApplies() {
        var strict = policy()
        _ = strict.pingReceived(now: start, openStreams: 0)
        _ = strict.pingReceived(now: start.adding(.seconds(30)), openStreams: 0)
        #expect(strict.strikes == 1, "30 s apart is too soon without calls")
        var permissive = policy(permitWithoutCalls: true)
        _ = permissive.pingReceived(now: start, openStreams: 0)
        _ = permissive.pingReceived(now: start.adding(.seconds(30)), openStreams: 0)
        #expect(permissive.strikes == 0)
    }

    @Test func sendingDataForgivesStrikes() {
        var pings = policy()
        _ = pings.pingReceived(now: start, openStreams: 1)
        _ = pings.pingReceived(now: start.adding(.seconds(1)), openStreams: 1)
        #expect(pings.strikes == 1)
        pings.activitySent()
        #expect(pings.strikes == 0)
        #expect(!ping(&pings, at: start.adding(.seconds(2)), openStreams: 1), "no previous ping to be too close to")
        #expect(pings.strikes == 0)
    }
}
