import Testing
@testable import RPC

/// Finished calls, whatever their ending, must not leave stream objects behind.
@Suite struct LeakTests {
    @Test func streamsAreReleasedAfterEveryKindOfEnding() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        for index in 0..<20 {
            _ = try await harness.get("\(index)")
            _ = try? await harness.channel.unary(Echo.fail, request: "f", serializer: StringSerializer(), deserializer: StringDeserializer())
            _ = try? await harness.channel.unary(Echo.sleep, request: "s\(index)", options: CallOptions(timeout: .milliseconds(20)),
                                                 serializer: StringSerializer(), deserializer: StringDeserializer())
            _ = try await harness.channel.serverStreaming(Echo.flood, request: "100000", serializer: StringSerializer(),
                                                          deserializer: RawBytesDeserializer()) { responses in
                for try await _ in responses { break }
            }
            _ = try await harness.channel.bidirectionalStreaming(Echo.update, serializer: StringSerializer(), deserializer: StringDeserializer()) { writer in
                try await writer.write("x")
            } onResponse: { responses in
                for try await _ in responses {}
            }
        }
        // Bounded wait: cancelled handlers finish asynchronously.
        var serverLive = -1
        var clientLive = -1
        for _ in 0..<3000 {  // up to 30 s on a loaded machine
            serverLive = harness.server.liveStreamCount
            clientLive = harness.channel.liveStreams.value
            if serverLive == 0 && clientLive == 0 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(serverLive == 0)
        #expect(clientLive == 0)
    }
}
