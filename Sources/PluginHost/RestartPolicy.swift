/// When a crashed or unhealthy plugin is restarted, and when it is given up on:
/// exponential backoff between attempts, and disabling after `maximumFailures`
/// failures within `failureWindow`.
public struct RestartPolicy: Sendable, Equatable {
    public var initialBackoff: Duration
    public var maximumBackoff: Duration
    public var multiplier: Int
    public var maximumFailures: Int
    public var failureWindow: Duration

    public init(
        initialBackoff: Duration = .milliseconds(500), maximumBackoff: Duration = .seconds(30), multiplier: Int = 2,
        maximumFailures: Int = 3, failureWindow: Duration = .seconds(60)
    ) {
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.multiplier = max(1, multiplier)
        self.maximumFailures = max(1, maximumFailures)
        self.failureWindow = failureWindow
    }

    public enum Decision: Sendable, Equatable {
        case restart(after: Duration)
        case disable
    }

    /// Remembers recent failures of one plugin.
    public struct History: Sendable {
        private(set) var failures: [ContinuousClock.Instant] = []

        public init() {}

        /// Records a failure at `now` and says what to do about it.
        public mutating func recordFailure(at now: ContinuousClock.Instant, policy: RestartPolicy) -> Decision {
            failures.append(now)
            failures.removeAll { now - $0 > policy.failureWindow }
            if failures.count >= policy.maximumFailures { return .disable }
            return .restart(after: policy.backoff(afterFailures: failures.count))
        }

        public var recentFailureCount: Int { failures.count }
    }

    /// The delay before restart number `count` (1-based): initial, initial·m, initial·m²… capped.
    public func backoff(afterFailures count: Int) -> Duration {
        var delay = initialBackoff
        var step = 1
        while step < count && delay < maximumBackoff {
            delay *= multiplier
            step += 1
        }
        return min(delay, maximumBackoff)
    }
}
