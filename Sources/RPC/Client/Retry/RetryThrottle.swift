import Synchronization

/// gRPC's retry throttling: a token bucket shared by all calls of a channel. Every attempt
/// that fails with a retryable status (or is refused a retry by server pushback) takes one
/// token, every successful call adds `tokenRatio`, and retries are allowed only while more than
/// half of `maxTokens` remain, so a struggling server is not flooded with retries.
public final class RetryThrottle: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// 1...1000 tokens (the bucket starts full).
        public var maxTokens: Int
        /// Tokens a success adds (kept to three decimals, as gRPC does).
        public var tokenRatio: Double

        public init(maxTokens: Int, tokenRatio: Double) {
            precondition((1...1000).contains(maxTokens) && tokenRatio > 0, "retry throttle needs maxTokens in 1...1000 and tokenRatio > 0")
            self.maxTokens = maxTokens
            self.tokenRatio = tokenRatio
        }
    }

    /// Tokens in thousandths, so the arithmetic is exact.
    private let milliTokens: Atomic<Int>
    private let maxMilliTokens: Int
    private let ratioMilliTokens: Int

    init(_ configuration: Configuration) {
        maxMilliTokens = configuration.maxTokens * 1000
        ratioMilliTokens = Int((configuration.tokenRatio * 1000).rounded(.down))
        milliTokens = Atomic(maxMilliTokens)
    }

    /// Tokens now (tests, diagnostics).
    public var tokens: Double { Double(milliTokens.load(ordering: .relaxed)) / 1000 }

    /// A retryable failure: takes a token; true when a retry is still allowed afterwards.
    func recordFailure() -> Bool {
        var current = milliTokens.load(ordering: .relaxed)
        while true {
            let updated = max(0, current - 1000)
            let (exchanged, original) = milliTokens.compareExchange(expected: current, desired: updated, ordering: .relaxed)
            if exchanged { return updated * 2 > maxMilliTokens }
            current = original
        }
    }

    func recordSuccess() {
        var current = milliTokens.load(ordering: .relaxed)
        while true {
            let updated = min(maxMilliTokens, current + ratioMilliTokens)
            let (exchanged, original) = milliTokens.compareExchange(expected: current, desired: updated, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
}
