/// The retry decisions of one call under a `RetryPolicy`: whether a failed attempt is tried
/// again and after how long (A6's backoff, server pushback, the throttle, the deadline).
struct RetryState {
    let policy: RetryPolicy
    let throttle: RetryThrottle?
    /// Attempts made so far (sent as `grpc-previous-rpc-attempts` on the next one).
    private(set) var attempts = 1
    /// The upper bound of the next random wait.
    private var backoffCeiling: Duration

    init(policy: RetryPolicy, throttle: RetryThrottle?) {
        self.policy = policy
        self.throttle = throttle
        self.backoffCeiling = policy.initialBackoff
    }

    static let pushbackKey = "grpc-retry-pushback-ms"
    static let previousAttemptsKey = "grpc-previous-rpc-attempts"

    /// The wait before the next attempt, or nil when `error` ends the call. `committed`: the
    /// attempt got response headers (or sent more than the retry buffer), so it is final.
    mutating func nextDelay(after error: RPCError, committed: Bool, deadline: ContinuousClock.Instant?) -> Duration? {
        guard policy.retryableStatusCodes.contains(error.code) else { return nil }
        let pushback = error.metadata.first(Self.pushbackKey)
        // A retryable failure counts against the throttle whether or not it is retried.
        let throttleAllows = throttle?.recordFailure() ?? true
        guard !committed, throttleAllows, attempts < policy.maxAttempts else { return nil }
        let delay: Duration
        if let pushback {
            // A valid non-negative count of milliseconds is the wait; anything else means "do not retry".
            guard let milliseconds = Int(pushback), milliseconds >= 0 else { return nil }
            delay = .milliseconds(milliseconds)
            backoffCeiling = policy.initialBackoff
        } else {
            delay = .init(attoseconds: Int128(Double(backoffCeiling.attoseconds) * Double.random(in: 0...1)))
            let grown = Double(backoffCeiling.attoseconds) * policy.backoffMultiplier
            backoffCeiling = grown >= Double(policy.maxBackoff.attoseconds) ? policy.maxBackoff : .init(attoseconds: Int128(grown))
        }
        if let deadline, ContinuousClock.now.advanced(by: delay) >= deadline { return nil }
        attempts += 1
        return delay
    }

    func succeeded() { throttle?.recordSuccess() }
}
