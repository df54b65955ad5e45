/// When to try connecting again after a failed attempt: gRPC's connection-backoff protocol
/// (`doc/connection-backoff.md`). The first retry waits `initial`; each further one waits
/// `multiplier` times longer, up to `maximum`, each spread by ±`jitter` so clients that failed
/// together do not retry together.
public struct ConnectionBackoff: Sendable, Hashable {
    /// INITIAL_BACKOFF: the wait after the first failure.
    public var initial: Duration
    /// MULTIPLIER: how much longer each further wait is.
    public var multiplier: Double
    /// JITTER: the fraction by which a wait is randomly lengthened or shortened.
    public var jitter: Double
    /// MAX_BACKOFF: the longest wait.
    public var maximum: Duration

    /// gRPC's defaults: 1 s, ×1.6, ±20 %, at most 120 s.
    public init(initial: Duration = .seconds(1), multiplier: Double = 1.6, jitter: Double = 0.2,
                maximum: Duration = .seconds(120)) {
        precondition(initial > .zero && maximum >= initial && multiplier >= 1 && (0...1).contains(jitter),
                     "connection backoff needs initial > 0, maximum >= initial, multiplier >= 1, jitter in 0...1")
        self.initial = initial
        self.multiplier = multiplier
        self.jitter = jitter
        self.maximum = maximum
    }
}

/// The backoff sequence of one subchannel: reset when a connection becomes ready.
struct BackoffSequence {
    let policy: ConnectionBackoff
    let minConnectTimeout: Duration
    /// The un-jittered backoff the next failure waits.
    private(set) var current: Duration
    private var failures = 0

    init(_ policy: ConnectionBackoff, minConnectTimeout: Duration) {
        self.policy = policy
        self.minConnectTimeout = minConnectTimeout
        self.current = policy.initial
    }

    /// How long this attempt may take (TCP connect plus the server's HTTP/2 SETTINGS):
    /// MIN_CONNECT_TIMEOUT, and after a failure at least the backoff that preceded it.
    var attemptTimeout: Duration { failures == 0 ? minConnectTimeout : max(current, minConnectTimeout) }

    /// The wait before the next attempt (jittered), advancing the sequence.
    mutating func next<R: RandomNumberGenerator>(using random: inout R) -> Duration {
        failures += 1
        let base = current
        let grown = Double(current.attoseconds) * policy.multiplier
        current = grown >= Double(policy.maximum.attoseconds) ? policy.maximum : .init(attoseconds: Int128(grown))
        let spread = Double(base.attoseconds) * policy.jitter
        let jittered = Double(base.attoseconds) + (spread > 0 ? Double.random(in: -spread...spread, using: &random) : 0)
        return .init(attoseconds: Int128(max(0, jittered)))
    }

    mutating func next() -> Duration {
        var random = SystemRandomNumberGenerator()
        return next(using: &random)
    }

    mutating func reset() {
        current = policy.initial
        failures = 0
    }
}
