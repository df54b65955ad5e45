import Testing
@testable import RPC

@Suite struct LoadAndBackpressureTests {
    @Test func thousandConcurrentStreamsOnOneConnection() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let calls = 1000
        try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<calls {
                group.addTask {
                    try await harness.channel.unary(Echo.hold, request: "\(index)", options: CallOptions(timeout: .seconds(30)),
                                                    serializer: StringSerializer(), deserializer: StringDeserializer()).message
                }
            }
            // Every handler is parked at the gate at once: 1000 streams are open together.
            #expect(await harness.observations.waitForCount("holding", atLeast: calls, timeout: .seconds(30)))
            harness.observations.gate.open()
            var replies = Set<String>()
            for try await reply in group { replies.insert(reply) }
            #expect(replies.count == calls)
            #expect(replies.contains("released 999"))
        }
    }

    @Test func slowClientReaderSuspendsTheServerWriter() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let total = 20_000
        let received = try await harness.channel.serverStreaming(
            Echo.flood, request: "\(total)", serializer: StringSerializer(), deserializer: RawBytesDeserializer()
        ) { responses in
            var iterator = responses.makeAsyncIterator()
            _ = try await iterator.next()
            // We read one message and stopped: the server must stall with a bounded backlog
            // (windows + buffers ~ 2.3 MiB of 1 KiB messages), far below the 20 000 it wants.
            #expect(await harness.observations.waitForCount("flood-written", atLeast: 100))
            let stalledAt = await harness.observations.waitUntilStable("flood-written")
            #expect(stalledAt < 4000, "server wrote \(stalledAt) messages to a reader that took 1")
            #expect(stalledAt > 100)
            var count = 1
            while try await iterator.next() != nil { count += 1 }
            return count
        }
        #expect(received == total)
        #expect(harness.observations.events.contains("flood-done"))
    }

    @Test func slowServerReaderSuspendsTheClientWriter() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let written = Observations()
        let chunk = [UInt8](repeating: 1, count: 1024)
        let call = Task {
            try await harness.channel.clientStreaming(
                Echo.slowCollect, serializer: RawBytesSerializer(), deserializer: StringDeserializer()
            ) { writer in
                for _ in 0..<20_000 {
                    try await writer.write(chunk)
                    written.increment("written")
                }
            }
        }
        // The handler reads nothing until the gate opens: the client must stall.
        #expect(await written.waitForCount("written", atLeast: 100))
        let stalledAt = await written.waitUntilStable("written")
        #expect(stalledAt < 4000, "client wrote \(stalledAt) messages to a server that read none")
        harness.observations.gate.open()
        let response = try await call.value
        #expect(response.message == "20000")
    }
}

@Suite struct ConcurrencyLimitTests {
    @Test func maxConcurrentStreamsIsHonoured() async throws {
        let harness = try await Harness.start(configure: { $0.maxConcurrentStreams = 10 })
        defer { Task { await harness.stop() } }
        try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<50 {
                group.addTask {
                    try await harness.channel.unary(Echo.hold, request: "\(index)", options: CallOptions(timeout: .seconds(30)),
                                                    serializer: StringSerializer(), deserializer: StringDeserializer()).message
                }
            }
            // Only 10 streams may be open: the other 40 wait in the client until slots free.
            #expect(await harness.observations.waitForCount("holding", atLeast: 10))
            let holding = await harness.observations.waitUntilStable("holding", quiet: .milliseconds(300))
            #expect(holding == 10)
            harness.observations.gate.open()
            var replies = 0
            for try await _ in group { replies += 1 }
            #expect(replies == 50)
        }
    }
}
