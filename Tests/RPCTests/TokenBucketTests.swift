import Testing
@testable import RPC

/// The rate guard's arithmetic, with explicit times (no clock, no sleeping).
@Suite struct TokenBucketTests {
    private func at(_ milliseconds: UInt64) -> MonotonicTime { MonotonicTime(nanoseconds: 1_000_000_000 + milliseconds * 1_000_000) }

    /// Takes one token at each time; returns the outcomes.
    private func take(_ bucket: inout TokenBucket, at times: [UInt64]) -> [Bool] {
        times.map { bucket.take(now: at($0)) }
    }

    @Test func aBurstUpToTheRateIsAllowedThenRefused() {
        var bucket = TokenBucket(ratePerSecond: 50)
        let outcomes = take(&bucket, at: Array(repeating: 0, count: 51))
        #expect(outcomes.prefix(50).allSatisfy { $0 })
        #expect(outcomes.last == false)
    }

    @Test func tokensComeBackAtTheRate() {
        var bucket = TokenBucket(ratePerSecond: 50)
        _ = take(&bucket, at: Array(repeating: 0, count: 50))
        // 10 ms earns half a token, 20 ms one.
        #expect(take(&bucket, at: [10, 20, 20]) == [false, true, false])
    }

    /// What a fixed one-second window missed: 200 events spread over 3 s at ~67/s exceed a
    /// 50/s limit, even though no single window holds more than 67.
    @Test func aSustainedRateAboveTheLimitIsCaughtAcrossSeconds() {
        var bucket = TokenBucket(ratePerSecond: 50)
        let outcomes = take(&bucket, at: (0..<200).map { UInt64($0) * 15 })
        #expect(outcomes.contains(false))
    }

    @Test func aSustainedRateBelowTheLimitIsNeverRefused() {
        var bucket = TokenBucket(ratePerSecond: 50)
        let outcomes = take(&bucket, at: (0..<1000).map { UInt64($0) * 25 })
        #expect(outcomes.allSatisfy { $0 })
    }
}
