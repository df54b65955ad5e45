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
