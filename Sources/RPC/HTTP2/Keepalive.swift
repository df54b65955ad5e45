/// Keepalive pings for one connection, either side, as a value: ping every `interval`, and
/// when the ACK takes longer than `timeout` the peer is gone (half-open TCP) and the
/// connection closes. `HTTP2Session` runs the timers and sends the pings; the rules are
/// tested without a socket (`KeepaliveStateTests`). The server's policy on pings its peer
/// sends too often is `AbuseGuard.recordPing`.
struct KeepaliveState: Sendable {
    struct Configuration: Sendable, Equatable {
        var interval: Duration
        var timeout: Duration
        /// Ping even while no stream is open.
        var permitWithoutCalls: Bool
    }

    enum Timer: Sendable, Equatable {
        /// Time for the next ping.
        case interval
        /// The ACK is due.
        case ackTimeout
    }

    enum Action: Sendable, Equatable {
        case none
        case schedule(Timer, after: Duration)
        /// Send a PING and wait for its ACK.
        case sendPing(thenSchedule: Timer, after: Duration)
        /// Cancel the ACK timer and wait for the next interval.
        case cancelAndSchedule(cancel: Timer, schedule: Timer, after: Duration)
        case close(reason: String)
    }

    enum State: Sendable, Equatable {
        case stopped
        case waitingForInterval
        case waitingForAck
    }

    let configuration: Configuration
    private(set) var state: State = .stopped

    init(configuration: Configuration) { self.configuration = configuration }

    /// The connection is up: the first interval starts.
    mutating func start() -> Action {
        guard case .stopped = state else { return .none }
        state = .waitingForInterval
        return .schedule(.interval, after: configuration.interval)
    }

    /// A timer fired. `openStreams` decides whether a ping is due without calls.
    mutating func timerFired(_ timer: Timer, openStreams: Int) -> Action {
        switch (timer, state) {
        case (.interval, .waitingForInterval):
            guard configuration.permitWithoutCalls || openStreams > 0 else {
                return .schedule(.interval, after: configuration.interval)
            }
            state = .waitingForAck
            return .sendPing(thenSchedule: .ackTimeout, after: configuration.timeout)
        case (.ackTimeout, .waitingForAck):
            state = .stopped
            return .close(reason: "keepalive ping not acknowledged within \(configuration.timeout)")
        default:
            return .none
        }
    }

    /// A PING ACK arrived.
    mutating func ackReceived() -> Action {
        guard case .waitingForAck = state else { return .none }
        state = .waitingForInterval
        return .cancelAndSchedule(cancel: .ackTimeout, schedule: .interval, after: configuration.interval)
    }

    /// The connection closed: nothing more (the driver cancels its timers).
    mutating func stop() {
        state = .stopped
    }
}

/// The server's rule for pings its peer sends (gRPC's `too_many_pings`): a ping sooner than
/// the allowed interval after the previous one is a strike (the interval is longer while no
/// call is open, unless pings without calls are permitted); more than `maxStrikes` and the
/// peer is told GOAWAY ENHANCE_YOUR_CALM. Sending data or headers forgives everything, since
/// pings between them are legitimate (BDP probes). A value; tested without a socket.
struct PingStrikePolicy: Sendable {
    let minInterval: Duration
    let minIntervalWithoutCalls: Duration
    let permitWithoutCalls: Bool
    let maxStrikes: Int
    private var lastPing: MonotonicTime?
    private(set) var strikes = 0

    init(minInterval: Duration, minIntervalWithoutCalls: Duration, permitWithoutCalls: Bool, maxStrikes: Int) {
        self.minInterval = minInterval
        self.minIntervalWithoutCalls = minIntervalWithoutCalls
        self.permitWithoutCalls = permitWithoutCalls
        self.maxStrikes = maxStrikes
    }

    /// A PING arrived; true when the peer has now earned more strikes than allowed.
    mutating func pingReceived(now: MonotonicTime, openStreams: Int) -> Bool {
        let allowed = openStreams == 0 && !permitWithoutCalls ? max(minIntervalWithoutCalls, minInterval) : minInterval
        if let lastPing, lastPing.adding(allowed) > now {
            strikes += 1
        }
        lastPing = now
        return strikes > maxStrikes
    }

    /// We sent headers or data.
    mutating func activitySent() {
        strikes = 0
        lastPing = nil
    }
}
