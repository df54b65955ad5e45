import Testing
@testable import RPC

@Suite struct DeadlineAndCancellationTests {
    @Test func deadlineFailsTheCallAndCancelsTheHandler() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let started = ContinuousClock.now
        let error = await #expect(throws: RPCError.self) {
            _ = try await harness.channel.unary(Echo.sleep, request: "d", options: CallOptions(timeout: .milliseconds(200)),
                                                serializer: StringSerializer(), deserializer: StringDeserializer())
        }
        #expect(error?.code == .deadlineExceeded)
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(190) && elapsed < .seconds(25))
        #expect(await harness.observations.waitFor("sleep-cancelled d"))
    }

    @Test func serverEnforcesTheDeadlineItReceives() async throws {
        // A client timeout far longer on the client side cannot be faked, so drive the server's
        // timer directly: the server must answer DEADLINE_EXCEEDED by itself at its deadline.
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { raw.close() }
        let stream = try raw.request(path: Echo.sleep.path, extraHeaders: [("grpc-timeout", "150m")], body: grpcFrame(Array("s".utf8)))
        let response = try await offPool { try raw.waitForEnd(stream: stream, timeout: .seconds(30)) }
        #expect(response.headers[":status"] == "200")
        #expect(response.grpcStatus == "4")
        #expect(await harness.observations.waitFor("sleep-cancelled s"))
    }

    @Test(arguments: [Server.HandlerExecutor.eventLoop, .globalConcurrentExecutor])
    func clientCancellationReachesTheHandler(executor: Server.HandlerExecutor) async throws {
        let harness = try await Harness.start(configure: { $0.handlerExecutor = executor })
        defer { Task { await harness.stop() } }
        let call = Task {
            try await harness.channel.unary(Echo.sleep, request: "c", serializer: StringSerializer(), deserializer: StringDeserializer())
        }
        #expect(await harness.observations.waitFor("sleep-started c"))
        call.cancel()
        let result = await call.result
        guard case .failure(let error) = result, let rpcError = error as? RPCError else {
            Issue.record("expected an RPCError, got \(result)")
            return
        }
        #expect(rpcError.code == .cancelled)
        #expect(await harness.observations.waitFor("sleep-cancelled c"))
        #expect(try await harness.get("still-works") == "echo: still-works")
    }

    @Test func returningEarlyFromAResponseStreamCancelsTheServer() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let first = try await harness.channel.serverStreaming(
            Echo.flood, request: "1000000", serializer: StringSerializer(), deserializer: RawBytesDeserializer()
        ) { responses in
            for try await chunk in responses { return chunk.count }
            return 0
        }
        #expect(first == 1024)
        // The flood handler would run for a million writes; cancellation must stop it instead.
        #expect(await harness.observations.waitFor("flood-cancelled"))
        #expect(!harness.observations.events.contains("flood-done"))
    }
}
