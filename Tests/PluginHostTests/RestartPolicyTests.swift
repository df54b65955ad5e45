import Testing

@testable import PluginHost

@Suite struct RestartPolicyTests {
    @Test func backoffGrowsExponentiallyAndIsCapped() {
        let policy = RestartPolicy(initialBackoff: .milliseconds(100), maximumBackoff: .milliseconds(700), multiplier: 2)
        #expect(policy.backoff(afterFailures: 1) == .milliseconds(100))
        #expect(policy.backoff(afterFailures: 2) == .milliseconds(200))
        #expect(policy.backoff(afterFailures: 3) == .milliseconds(400))
        #expect(policy.backoff(afterFailures: 4) == .milliseconds(700))
        #expect(policy.backoff(afterFailures: 1_000_000) == .milliseconds(700))
    }

    @Test func disablesAfterNFailuresWithinTheWindow() {
        let policy = RestartPolicy(initialBackoff: .milliseconds(10), maximumFailures: 3, failureWindow: .seconds(10))
        var history = RestartPolicy.History()
        let start = ContinuousClock.now
        #expect(history.recordFailure(at: start, policy: policy) == .restart(after: .milliseconds(10)))
        #expect(history.recordFailure(at: start + .seconds(1), policy: policy) == .restart(after: .milliseconds(20)))
        #expect(history.recordFailure(at: start + .seconds(2), policy: policy) == .disable)
    }

    @Test func failuresOutsideTheWindowAreForgotten() {
        let policy = RestartPolicy(initialBackoff: .milliseconds(10), maximumFailures: 2, failureWindow: .seconds(5))
        var history = RestartPolicy.History()
        let start = ContinuousClock.now
        #expect(history.recordFailure(at: start, policy: policy) == .restart(after: .milliseconds(10)))
        #expect(history.recordFailure(at: start + .seconds(6), policy: policy) == .restart(after: .milliseconds(10)))
        #expect(history.recentFailureCount == 1)
        #expect(history.recordFailure(at: start + .seconds(7), policy: policy) == .disable)
    }
}
