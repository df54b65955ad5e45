import Testing
@testable import RPC

/// Retries per gRPC's retry design against a real server that fails on script.
@Suite struct RetryTests {
    private static let policy = RetryPolicy(maxAttempts: 4, initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(50),
                                            backoffMultiplier: 2, retryableStatusCodes: [.unavailable])

    private static func channel(to backend: BackendServer, throttle: RetryThrottle.Configuration? = nil) throws -> Channel {
        var configuration = Channel.Configuration(target: backend.address)
        configuration.retryPolicies = [.service(BackendServer.service): policy]
        configuration.retryThrottle = throttle
        return try Channel(configuration: configuration)
    }

    private static func flaky(_ channel: Channel) async throws -> String {
        try await channel.unary(BackendServer.flaky, request: "x", serializer: StringSerializer(), deserializer: StringDeserializer()).message
    }

    @Test func unavailableIsRetriedAndTheServerSeesPreviousAttempts() async throws {
        let backend = try await BackendServer.start("r", script: FailureScript(failures: 2, code: .unavailable))
        let channel = try Self.channel(to: backend)
        #expect(try await Self.flaky(channel) == "r: x")
        #expect(backend.script.calls == 3)
        #expect(backend.script.previousAttempts == [nil, "1", "2"])
        await channel.close()
        await backend.stop()
    }

    @Test func attemptsStopAtMaxAttempts() async throws {
        let backend = try await BackendServer.start("r", script: FailureScript(failures: 10, code: .unavailable))
        let channel = try Self.channel(to: backend)
        let error = await #expect(throws: RPCError.self) { try await Self.flaky(channel) }
        #expect(error?.code == .unavailable)
        #expect(backend.script.calls == 4)
        await channel.close()
        await backend.stop()
    }

    @Test func nonRetryableCodesAreNotRetried() async throws {
        let backend = try await BackendServer.start("r", script: FailureScript(failures: 1, code: .permissionDenied))
        let channel = try Self.channel(to: backend)
        let error = await #expect(throws: RPCError.self) { try await Self.flaky(channel) }
        #expect(error?.code == .permissionDenied)
        #expect(backend.script.calls == 1)
        await channel.close()
        await backend.stop()
    }

    @Test func methodsWithoutAPolicyAreNotRetried() async throws {
        let backend = try await BackendServer.start("r", script: FailureScript(failures: 1, code: .unavailable))
        let channel = try Channel(configuration: .init(target: backend.address))
        await #expect(throws: RPCError.self) { try await Self.flaky(channel) }
        #expect(backend.script.calls == 1)
        await channel.close()
        await backend.stop()
    }

    @Test func theThrottleStopsRetries() async throws {
        // 4 tokens; retries need more than 2 left after a failure takes one.
        let backend = try await BackendServer.start("r", script: FailureScript(failures: 100, code: .unavailable))
        let channel = try Self.channel(to: backend, throttle: .init(maxTokens: 4, tokenRatio: 0.1))
        // Call 1: fails (4 -> 3, retry allowed), fails (3 -> 2, throttled): 2 attempts.
        await #expect(throws: RPCError.self) { try await Self.flaky(channel) }
        #expect(backend.script.calls == 2)
        // Call 2: one attempt, no retry (2 -> 1).
        await #expect(throws: RPCError.self) { try await Self.flaky(channel) }
        #expect(backend.script.calls == 3)
        #expect(channel.retryThrottle?.tokens == 1)
        await channel.close()
        await backend.stop()
    }

    @Test func serverPushbackIsHonouredAndANegativeOneStopsRetrying() async throws {
        let pushed = try await BackendServer.start("p", script: FailureScript(failures: 1, code: .unavailable,
                                                                               trailers: ["grpc-retry-pushback-ms": "300"]))
        let channel = try Self.channel(to: pushed)
        let started = ContinuousClock.now
        #expect(try await Self.flaky(channel) == "p: x")
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        #expect(pushed.script.calls == 2)
        await channel.close()
        await pushed.stop()

        let refused = try await BackendServer.start("n", script: FailureScript(failures: 1, code: .unavailable,
                                                                                trailers: ["grpc-retry-pushback-ms": "-1"]))
        let refusedChannel = try Self.channel(to: refused)
        await #expect(throws: RPCError.self) { try await Self.flaky(refusedChannel) }
        #expect(refused.script.calls == 1)
        await refusedChannel.close()
        await refused.stop()
    }

    @Test func aServerStreamingCallIsRetriedBeforeItsFirstResponse() async throws {
        let backend = try await BackendServer.start("s", script: FailureScript(failures: 1, code: .unavailable))
        let channel = try Self.channel(to: backend)
        let words = try await channel.serverStreaming(BackendServer.flakyStream, request: "one two three",
                                                      serializer: StringSerializer(), deserializer: StringDeserializer()) { responses in
            var words: [String] = []
            for try await word in responses { words.append(word) }
            return words
        }
        #expect(words == ["one", "two", "three"])
        #expect(backend.script.previousAttempts == [nil, "1"])
        await channel.close()
        await backend.stop()
    }

    @Test func aClientStreamingCallIsReplayedOnTheNextAttempt() async throws {
        let backend = try await BackendServer.start("c", script: FailureScript(failures: 1, code: .unavailable))
        let channel = try Self.channel(to: backend)
        let response = try await channel.clientStreaming(BackendServer.flakyCollect, serializer: StringSerializer(),
                                                         deserializer: StringDeserializer()) { writer in
            for word in ["a", "b", "c"] { try await writer.write(word) }
        }
        #expect(response.message == "a b c")
        #expect(backend.script.received == [["a", "b", "c"], ["a", "b", "c"]])
        #expect(backend.script.previousAttempts == [nil, "1"])
        await channel.close()
        await backend.stop()
    }

    @Test func aBidirectionalCallIsRetriedWhileUncommittedAndKeepsStreamingAfter() async throws {
        let backend = try await BackendServer.start("b", script: FailureScript(failures: 1, code: .unavailable))
        let channel = try Self.channel(to: backend)
        let gate = AsyncStream<Void>.makeStream()
        let acks = try await channel.bidirectionalStreaming(BackendServer.flakyChat, serializer: StringSerializer(),
                                                            deserializer: StringDeserializer()) { writer in
            try await writer.write("one")
            try await writer.write("two")
            // The rest only after the (second) attempt has answered: written to the committed attempt.
            for await _ in gate.stream { break }
            try await writer.write("three")
        } onResponse: { responses in
            var acks: [String] = []
            for try await ack in responses {
                acks.append(ack)
                if acks.count == 2 { gate.continuation.yield() }
            }
            return acks
        }
        #expect(acks == ["ack one", "ack two", "ack three"])
        #expect(backend.script.received == [["one", "two"], ["one", "two", "three"]])
        #expect(backend.script.previousAttempts == [nil, "1"])
        await channel.close()
        await backend.stop()
    }

    @Test func requestsBeyondTheRetryBufferCommitTheCall() async throws {
        let backend = try await BackendServer.start("c", script: FailureScript(failures: 1, code: .unavailable))
        var configuration = Channel.Configuration(target: backend.address)
        configuration.retryPolicies = [.all: Self.policy]
        configuration.retryBufferSize = 8
        let channel = try Channel(configuration: configuration)
        let error = await #expect(throws: RPCError.self) {
            _ = try await channel.clientStreaming(BackendServer.flakyCollect, serializer: StringSerializer(),
                                                  deserializer: StringDeserializer()) { writer in
                for word in ["more than", "eight bytes"] { try await writer.write(word) }
            }
        }
        #expect(error?.code == .unavailable)
        #expect(backend.script.calls == 1)
        await channel.close()
        await backend.stop()
    }
}
