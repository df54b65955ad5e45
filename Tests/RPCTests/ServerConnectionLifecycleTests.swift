import Testing
@testable import RPC

/// Every rule of the connection lifecycle, without a socket.
@Suite struct ServerConnectionLifecycleTests {
    typealias Lifecycle = ServerConnectionLifecycle
    let start = ContinuousClock.now

    func lifecycle(idle: Duration? = nil, age: Duration? = nil, grace: Duration? = nil) -> Lifecycle {
        Lifecycle(limits: .init(handshakeTimeout: .seconds(20), maxIdle: idle, maxAge: age, maxAgeGrace: grace))
    }

    @Test func handshakeTimeoutClosesAConnectionThatNeverSentSettings() {
        var machine = lifecycle()
        #expect(machine.started(now: start) == [.schedule(.handshake, after: .seconds(20))])
        let actions = machine.timerFired(.handshake, now: start + .seconds(20))
        #expect(actions.count == 1)
        guard case .close? = actions.first else { Issue.record("expected close, got \(actions)"); return }
        #expect(machine.state == .closed)
    }

    @Test func settingsEndTheHandshakeAndALateHandshakeTimerDoesNothing() {
        var machine = lifecycle(idle: .seconds(5))
        _ = machine.started(now: start)
        #expect(machine.settingsReceived(now: start) == [.cancel(.handshake), .schedule(.idle, after: .seconds(5))])
        #expect(machine.state == .active(idleSince: start))
        #expect(machine.openStreams == 0)
        #expect(machine.timerFired(.handshake, now: start + .seconds(30)).isEmpty)
        #expect(machine.settingsReceived(now: start).isEmpty)  // later SETTINGS change nothing
    }

    @Test func idleTimerChecksRealIdleTimeAndReschedulesForTheRest() {
        var machine = lifecycle(idle: .seconds(10))
        _ = machine.started(now: start)
        _ = machine.settingsReceived(now: start)
        machine.streamOpened()
        // Busy when it fires: check again a full period later.
        #expect(machine.timerFired(.idle, now: start + .seconds(10)) == [.schedule(.idle, after: .seconds(10))])
        #expect(machine.streamClosed(now: start + .seconds(14)) == nil)
        // Idle for 6 s of 10: the rest.
        #expect(machine.timerFired(.idle, now: start + .seconds(20)) == [.schedule(.idle, after: .seconds(4))])
        let actions = machine.timerFired(.idle, now: start + .seconds(24))
        #expect(actions.contains(.sendShutdownNotice))
        #expect(actions.contains(.schedule(.finalGoAway, after: Lifecycle.finalGoAwayDelay)))
        // No stream open: the final GOAWAY closes it.
        #expect(machine.timerFired(.finalGoAway, now: start + .seconds(25)) == [.sendFinalGoAway("max_idle"), .close(reason: "max_idle")])
    }

    @Test func maxAgeDrainsWithGraceAndTheLastStreamCloses() {
        var machine = lifecycle(age: .seconds(60), grace: .seconds(5))
        #expect(machine.started(now: start) == [.schedule(.handshake, after: .seconds(20)), .schedule(.age, after: .seconds(60))])
        _ = machine.settingsReceived(now: start)
        machine.streamOpened()
        machine.streamOpened()
        let draining = machine.timerFired(.age, now: start + .seconds(60))
        #expect(draining == [.cancel(.idle), .cancel(.age), .sendShutdownNotice,
                             .schedule(.finalGoAway, after: Lifecycle.finalGoAwayDelay), .schedule(.grace, after: .seconds(5))])
        // A stream ending before the final GOAWAY does not close yet.
        #expect(machine.streamClosed(now: start) == nil)
        #expect(machine.timerFired(.finalGoAway, now: start) == [.sendFinalGoAway("max_age")])
        // Streams still admitted by the notice count too.
        machine.streamOpened()
        #expect(machine.streamClosed(now: start) == nil)
        #expect(machine.streamClosed(now: start) == .close(reason: "max_age"))
    }

    @Test func graceEndClosesWhateverStillRuns() {
        var machine = lifecycle(age: .seconds(1), grace: .seconds(2))
        _ = machine.started(now: start)
        _ = machine.settingsReceived(now: start)
        machine.streamOpened()
        _ = machine.timerFired(.age, now: start)
        _ = machine.timerFired(.finalGoAway, now: start)
        let actions = machine.timerFired(.grace, now: start)
        guard case .close? = actions.first else { Issue.record("expected close, got \(actions)"); return }
        #expect(machine.state == .closed)
    }

    @Test func shutdownInEachPhase() {
        var handshaking = lifecycle()
        _ = handshaking.started(now: start)
        #expect(handshaking.shutdown(grace: .seconds(1)) == [.close(reason: "server shutdown")])

        var active = lifecycle()
        _ = active.started(now: start)
        _ = active.settingsReceived(now: start)
        #expect(active.shutdown(grace: .seconds(1)).contains(.schedule(.grace, after: .seconds(1))))
        // Already draining: a second shutdown changes nothing.
        #expect(active.shutdown(grace: .seconds(1)).isEmpty)

        var closed = lifecycle()
        _ = closed.closed()
        #expect(closed.shutdown(grace: .seconds(1)).isEmpty)
    }

    @Test func closingCancelsEveryTimerAndIgnoresLateOnes() {
        var machine = lifecycle(idle: .seconds(1), age: .seconds(1))
        _ = machine.started(now: start)
        _ = machine.settingsReceived(now: start)
        #expect(machine.closed().count == 5)
        #expect(machine.timerFired(.idle, now: start + .seconds(5)).isEmpty)
        #expect(machine.timerFired(.age, now: start + .seconds(5)).isEmpty)
        #expect(machine.streamClosed(now: start) == nil)
    }
}

/// GOAWAY from the client, in each phase of the server connection.
@Suite struct ServerConnectionGoAwayTests {
    let start = ContinuousClock.now

    func lifecycle() -> ServerConnectionLifecycle {
        ServerConnectionLifecycle(limits: .init(handshakeTimeout: .seconds(20), maxIdle: .seconds(5), maxAge: .seconds(60), maxAgeGrace: nil))
    }

    @Test func duringTheHandshakeItCloses() {
        var machine = lifecycle()
        _ = machine.started(now: start)
        let actions = machine.goAwayReceived()
        #expect(actions.count == 1)
        guard case .close? = actions.first else { Issue.record("expected close, got \(actions)"); return }
        #expect(machine.state == .closed)
    }

    @Test func whileIdleItClosesAtOnce() {
        var machine = lifecycle()
        _ = machine.started(now: start)
        _ = machine.settingsReceived(now: start)
        let actions = machine.goAwayReceived()
        #expect(actions.contains(.cancel(.idle)) && actions.contains(.cancel(.age)))
        #expect(actions.contains { if case .close = $0 { true } else { false } })
        #expect(machine.state == .closed)
    }

    @Test func withCallsOpenItDrainsAndTheLastCallCloses() {
        var machine = lifecycle()
        _ = machine.started(now: start)
        _ = machine.settingsReceived(now: start)
        machine.streamOpened()
        machine.streamOpened()
        #expect(machine.goAwayReceived() == [.cancel(.idle), .cancel(.age)])
        #expect(machine.openStreams == 2)
        guard case .draining(true, _) = machine.state else { Issue.record("expected draining, got \(machine.state)"); return }
        #expect(machine.timerFired(.age, now: start + .seconds(60)).isEmpty, "age no longer applies")
        #expect(machine.streamClosed(now: start) == nil)
        guard case .close? = machine.streamClosed(now: start) else { Issue.record("the last call must close"); return }
    }

    @Test func whileDrainingOrClosedItChangesNothing() {
        var machine = lifecycle()
        _ = machine.started(now: start)
        _ = machine.settingsReceived(now: start)
        machine.streamOpened()
        _ = machine.shutdown(grace: .seconds(1))
        #expect(machine.goAwayReceived().isEmpty)
        _ = machine.closed()
        #expect(machine.goAwayReceived().isEmpty)
    }
}
