import Testing
@testable import RPC

/// A call the client cancels can only end with the cancellation, even when the loop saw the
/// server complete it first and the caller had not read that yet (the race a loaded machine
/// once showed: a cancelled bidirectional call returned normally).
@Suite struct LocalCancellationTests {
    static func message(_ text: String) -> ReceivedMessage {
        ReceivedMessage(bytes: Array(text.utf8), compression: .identity)
    }

    @Test func aCancelReplacesACleanEndTheReaderHasNotSeen() async throws {
        let queue = InboundMessageQueue(highWater: 1 << 20) {}
        queue.push(Self.message("a"))
        queue.finish(nil)  // the loop saw OK trailers
        queue.cancel(RPCError(code: .cancelled, message: "cancelled by the caller"))
        let error = await #expect(throws: RPCError.self) { _ = try await queue.next() }
        #expect(error?.code == .cancelled)
        // And it stays that way.
        await #expect(throws: RPCError.self) { _ = try await queue.next() }
    }

    @Test func aCancelAfterTheReaderSawTheEndChangesNothing() async throws {
        let queue = InboundMessageQueue(highWater: 1 << 20) {}
        queue.push(Self.message("a"))
        queue.finish(nil)
        #expect(try await queue.next()?.bytes == Array("a".utf8))
        #expect(try await queue.next() == nil)
        queue.cancel(RPCError(code: .cancelled, message: "too late"))
        #expect(try await queue.next() == nil)
    }

    @Test func aCancelWakesAWaitingReader() async throws {
        let queue = InboundMessageQueue(highWater: 1 << 20) {}
        let reader = Task { try await queue.next() }
        // Bounded wait for the reader to be parked (or not: either way it must end cancelled).
        for _ in 0..<100 { await Task.yield() }
        queue.cancel(RPCError(code: .cancelled, message: "cancelled by the caller"))
        let result = await reader.result
        guard case .failure(let error as RPCError) = result else {
            Issue.record("expected the cancellation, got \(result)")
            return
        }
        #expect(error.code == .cancelled)
        // Messages the loop delivers afterwards are dropped.
        queue.push(Self.message("late"))
        await #expect(throws: RPCError.self) { _ = try await queue.next() }
    }

    @Test func aBidirectionalCallCancelledAfterTheServerFinishedThrowsCancelled() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let call = Task {
            try await harness.channel.bidirectionalStreaming(
                Echo.update, options: CallOptions(timeout: .seconds(30)), serializer: StringSerializer(),
                deserializer: StringDeserializer()
            ) { writer in
                for index in 0..<3 { try await writer.write("\(index)") }
            } onResponse: { responses in
                // Wait until the loop has the server's OK status and every response queued...
                _ = try await responses.trailers()
                // ...then the caller is cancelled before it read any of them.
                withUnsafeCurrentTask { $0?.cancel() }
                var read = 0
                for try await _ in responses { read += 1 }
                return read
            }
        }
        let result = await call.result
        guard case .failure(let error as RPCError) = result else {
            Issue.record("a cancelled call returned \(result)")
            return
        }
        #expect(error.code == .cancelled)
        // The connection is fine afterwards.
        #expect(try await harness.get("after") == "echo: after")
    }
}
