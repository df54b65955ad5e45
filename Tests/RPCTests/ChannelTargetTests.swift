import Testing
@testable import RPC

/// gRPC target strings (doc/naming.md) and the connection-backoff sequence.
@Suite struct ChannelTargetTests {
    @Test func dnsTargets() throws {
        #expect(try ChannelTarget(parsing: "dns:///example.com:50051").kind == .dns(host: "example.com", port: 50051))
        #expect(try ChannelTarget(parsing: "dns:example.com:8080").kind == .dns(host: "example.com", port: 8080))
        #expect(try ChannelTarget(parsing: "dns:///localhost").kind == .dns(host: "localhost", port: 443))
        #expect(try ChannelTarget(parsing: "DNS:///a-b.example:1").kind == .dns(host: "a-b.example", port: 1))
        #expect(try ChannelTarget(parsing: "dns:///[::1]:5").kind == .addresses([.ipv6(host: "::1", port: 5)]))
    }

    @Test func addressListTargets() throws {
        #expect(try ChannelTarget(parsing: "ipv4:127.0.0.1:1,10.0.0.2:2").kind
            == .addresses([.ipv4(host: "127.0.0.1", port: 1), .ipv4(host: "10.0.0.2", port: 2)]))
        #expect(try ChannelTarget(parsing: "ipv4:127.0.0.1").kind == .addresses([.ipv4(host: "127.0.0.1", port: 443)]))
        #expect(try ChannelTarget(parsing: "ipv6:[::1]:50051,[fe80::1]:2").kind
            == .addresses([.ipv6(host: "::1", port: 50051), .ipv6(host: "fe80::1", port: 2)]))
        #expect(try ChannelTarget(parsing: "ipv6:::1").kind == .addresses([.ipv6(host: "::1", port: 443)]))
    }

    @Test func unixTargets() throws {
        #expect(try ChannelTarget(parsing: "unix:/tmp/a.sock").kind == .addresses([.unix(path: "/tmp/a.sock")]))
        #expect(try ChannelTarget(parsing: "unix:relative.sock").kind == .addresses([.unix(path: "relative.sock")]))
        #expect(try ChannelTarget(parsing: "unix:///tmp/b.sock").kind == .addresses([.unix(path: "/tmp/b.sock")]))
    }

    @Test func plainHostPort() throws {
        #expect(try ChannelTarget(parsing: "127.0.0.1:50051").kind == .addresses([.ipv4(host: "127.0.0.1", port: 50051)]))
        #expect(try ChannelTarget(parsing: "[::1]:50051").kind == .addresses([.ipv6(host: "::1", port: 50051)]))
        #expect(try ChannelTarget(parsing: "localhost:50051").kind == .dns(host: "localhost", port: 50051))
        #expect(try ChannelTarget(parsing: "service.internal").kind == .dns(host: "service.internal", port: 443))
    }

    @Test(arguments: [
        "", "ipv4:", "ipv4:1.2.3:4", "ipv4:localhost:1", "ipv4:1.2.3.4:0", "ipv4:1.2.3.4:70000", "ipv4:1.2.3.4:x",
        "ipv4:1.2.3.4:1,", "ipv6:[::1", "ipv6:1.2.3.4:5", "unix:", "unix://relative", "dns://8.8.8.8/example.com",
        "dns:///", "host name:1", ":50051", "a:b:c",
    ])
    func invalidTargetsAreRejectedWithTheReason(_ text: String) {
        let error = #expect(throws: ChannelTargetError.self) { try ChannelTarget(parsing: text) }
        #expect(error?.description.hasPrefix("invalid channel target '\(text)': ") == true)
        #expect(error?.reason.isEmpty == false)
    }

    @Test func aLongUnixPathIsRejected() {
        #expect(throws: ChannelTargetError.self) { try ChannelTarget(parsing: "unix:/" + String(repeating: "a", count: 120)) }
    }

    @Test func configurationKeepsTheSocketAddressForm() throws {
        var configuration = Channel.Configuration(target: .ipv4(host: "127.0.0.1", port: 7))
        #expect(configuration.target == .ipv4(host: "127.0.0.1", port: 7))
        #expect(configuration.channelTarget.defaultAuthority == "127.0.0.1:7")
        configuration = try Channel.Configuration(target: "dns:///localhost:9")
        #expect(configuration.channelTarget.defaultAuthority == "localhost:9")
    }
}

@Suite struct ConnectionBackoffTests {
    @Test func backoffGrowsByTheMultiplierWithinTheJitterUpToTheMaximum() {
        let policy = ConnectionBackoff(initial: .seconds(1), multiplier: 1.6, jitter: 0.2, maximum: .seconds(120))
        var sequence = BackoffSequence(policy, minConnectTimeout: .seconds(20))
        #expect(sequence.attemptTimeout == .seconds(20))
        var base = 1.0
        for _ in 0..<20 {
            let wait = sequence.next()
            let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
            #expect(seconds >= base * 0.8 - 1e-9 && seconds <= base * 1.2 + 1e-9, "\(seconds) vs \(base)")
            base = min(base * 1.6, 120)
        }
        #expect(sequence.current == .seconds(120))
        #expect(sequence.attemptTimeout == .seconds(120))  // an attempt gets at least the backoff before it
        sequence.reset()
        #expect(sequence.current == .seconds(1))
        #expect(sequence.attemptTimeout == .seconds(20))
    }
}

@Suite struct RetryDecisionTests {
    private let policy = RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(150),
                                     backoffMultiplier: 2, retryableStatusCodes: [.unavailable])

    @Test func retriesRetryableCodesUpToMaxAttemptsWithBoundedBackoff() {
        var state = RetryState(policy: policy, throttle: nil)
        let first = state.nextDelay(after: RPCError(code: .unavailable), committed: false, deadline: nil)
        #expect(first != nil && first! <= .milliseconds(100))
        let second = state.nextDelay(after: RPCError(code: .unavailable), committed: false, deadline: nil)
        #expect(second != nil && second! <= .milliseconds(150))
        #expect(state.attempts == 3)
        #expect(state.nextDelay(after: RPCError(code: .unavailable), committed: false, deadline: nil) == nil)
    }

    @Test func nonRetryableCommittedAndPastDeadlineAreNotRetried() {
        var state = RetryState(policy: policy, throttle: nil)
        #expect(state.nextDelay(after: RPCError(code: .internalError), committed: false, deadline: nil) == nil)
        #expect(state.nextDelay(after: RPCError(code: .unavailable), committed: true, deadline: nil) == nil)
        #expect(state.nextDelay(after: RPCError(code: .unavailable, metadata: ["grpc-retry-pushback-ms": "5000"]),
                                committed: false, deadline: .now + .milliseconds(100)) == nil)
        #expect(state.attempts == 1)
    }

    @Test func pushbackSetsTheDelayOrStopsRetries() {
        var state = RetryState(policy: policy, throttle: nil)
        #expect(state.nextDelay(after: RPCError(code: .unavailable, metadata: ["grpc-retry-pushback-ms": "1234"]),
                                committed: false, deadline: nil) == .milliseconds(1234))
        #expect(state.nextDelay(after: RPCError(code: .unavailable, metadata: ["grpc-retry-pushback-ms": "-1"]),
                                committed: false, deadline: nil) == nil)
        #expect(state.nextDelay(after: RPCError(code: .unavailable, metadata: ["grpc-retry-pushback-ms": "soon"]),
                                committed: false, deadline: nil) == nil)
    }

    @Test func theThrottleAllowsRetriesOnlyAboveHalfItsTokens() {
        let throttle = RetryThrottle(.init(maxTokens: 4, tokenRatio: 0.5))
        #expect(throttle.recordFailure())      // 3 > 2
        #expect(!throttle.recordFailure())     // 2 is not above half
        #expect(throttle.tokens == 2)
        throttle.recordSuccess()
        #expect(throttle.tokens == 2.5)
        #expect(throttle.recordFailure() == false)  // 1.5
        for _ in 0..<10 { throttle.recordSuccess() }
        #expect(throttle.tokens == 4)
    }
}
