import CoreMetrics
import ObservabilityTestSupport
import RPC
import RPCObservability
import Testing

/// Real server and channel over 127.0.0.1, each with a metrics interceptor writing to its own
/// recording swift-metrics backend: unary and streaming calls, OK and failing.
@Suite struct MetricsInterceptorTests {
    let serverMetrics = RecordingMetricsFactory()
    let clientMetrics = RecordingMetricsFactory()

    private func start() async throws -> ObservedHarness {
        try await ObservedHarness.start(server: [ServerMetricsInterceptor(factory: serverMetrics)],
                                        client: [ClientMetricsInterceptor(factory: clientMetrics)])
    }

    private func labels(_ type: String, _ method: String) -> [(String, String)] {
        [("grpc_type", type), ("grpc_service", "obs.Test"), ("grpc_method", method)]
    }

    private func handled(_ type: String, _ method: String, _ code: String) -> [(String, String)] {
        labels(type, method) + [("grpc_code", code)]
    }

    @Test func unaryCallsAreCountedByStatusOnBothSides() async throws {
        let harness = try await start()
        defer { Task { await harness.stop() } }
        let began = ContinuousClock.now
        #expect(try await harness.get("a") == "echo: a")
        #expect(try await harness.get("b") == "echo: b")
        let error = await #expect(throws: RPCError.self) { _ = try await harness.get("fail") }
        #expect(error?.code == .notFound)
        let (seconds, attoseconds) = (ContinuousClock.now - began).components
        let elapsed = seconds * 1_000_000_000 + attoseconds / 1_000_000_000

        let unary = labels("unary", "Get")
        for (metrics, side) in [(serverMetrics, "server"), (clientMetrics, "client")] {
            #expect(metrics.counter("grpc_\(side)_started_total", unary) == 3)
            #expect(metrics.counter("grpc_\(side)_handled_total", handled("unary", "Get", "OK")) == 2)
            #expect(metrics.counter("grpc_\(side)_handled_total", handled("unary", "Get", "NOT_FOUND")) == 1)
            let times = metrics.timer("grpc_\(side)_handling_seconds", unary)
            #expect(times.count == 3)
            // Each call's time lies within the time the test spent on all three.
            #expect(times.allSatisfy { $0 > 0 && $0 <= elapsed }, "\(times) in \(elapsed) ns")
        }
        // Three requests each way; two responses came back (the failed call has none).
        #expect(serverMetrics.counter("grpc_server_msg_received_total", unary) == 3)
        #expect(serverMetrics.counter("grpc_server_msg_sent_total", unary) == 2)
        #expect(clientMetrics.counter("grpc_client_msg_sent_total", unary) == 3)
        #expect(clientMetrics.counter("grpc_client_msg_received_total", unary) == 2)
    }

    @Test func serverStreamingCountsEveryResponseAndTheFailingStatus() async throws {
        let harness = try await start()
        defer { Task { await harness.stop() } }
        let received = try await harness.channel.serverStreaming(
            ObservedService.expand, request: [5], serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer()
        ) { responses in
            var count = 0
            for try await _ in responses { count += 1 }
            return count
        }
        #expect(received == 5)
        let error = await #expect(throws: RPCError.self) {
            _ = try await harness.channel.serverStreaming(
                ObservedService.expand, request: [3, 1], serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer()
            ) { responses in
                for try await _ in responses {}
            }
        }
        #expect(error?.code == .failedPrecondition)

        let streaming = labels("server_stream", "Expand")
        for (metrics, side) in [(serverMetrics, "server"), (clientMetrics, "client")] {
            #expect(metrics.counter("grpc_\(side)_started_total", streaming) == 2)
            #expect(metrics.counter("grpc_\(side)_handled_total", handled("server_stream", "Expand", "OK")) == 1)
            #expect(metrics.counter("grpc_\(side)_handled_total", handled("server_stream", "Expand", "FAILED_PRECONDITION")) == 1)
            #expect(metrics.timer("grpc_\(side)_handling_seconds", streaming).count == 2)
        }
        #expect(serverMetrics.counter("grpc_server_msg_sent_total", streaming) == 8)
        #expect(serverMetrics.counter("grpc_server_msg_received_total", streaming) == 2)
        #expect(clientMetrics.counter("grpc_client_msg_received_total", streaming) == 8)
        #expect(clientMetrics.counter("grpc_client_msg_sent_total", streaming) == 2)
    }

    @Test func clientAndBidirectionalStreamingCountRequestsAndStatuses() async throws {
        let harness = try await start()
        defer { Task { await harness.stop() } }
        let count = try await harness.channel.clientStreaming(
            ObservedService.collect, serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer()
        ) { writer in
            for _ in 0..<4 { try await writer.write([1]) }
        }
        #expect(count.message == [4])
        let error = await #expect(throws: RPCError.self) {
            _ = try await harness.channel.clientStreaming(
                ObservedService.collect, serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer()
            ) { writer in
                try await writer.write([1])
                try await writer.write(Array("fail".utf8))
            }
        }
        #expect(error?.code == .invalidArgument)
        let echoed = try await harness.channel.bidirectionalStreaming(
            ObservedService.chat, serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer()
        ) { writer in
            for index in 0..<6 { try await writer.write([UInt8(index)]) }
        } onResponse: { responses in
            var count = 0
            for try await _ in responses { count += 1 }
            return count
        }
        #expect(echoed == 6)

        let collect = labels("client_stream", "Collect")
        #expect(serverMetrics.counter("grpc_server_handled_total", handled("client_stream", "Collect", "OK")) == 1)
        #expect(serverMetrics.counter("grpc_server_handled_total", handled("client_stream", "Collect", "INVALID_ARGUMENT")) == 1)
        #expect(clientMetrics.counter("grpc_client_handled_total", handled("client_stream", "Collect", "INVALID_ARGUMENT")) == 1)
        // 4 + 2 requests: the failing call's handler read both of its requests before it threw.
        #expect(serverMetrics.counter("grpc_server_msg_received_total", collect) == 6)
        #expect(clientMetrics.counter("grpc_client_msg_sent_total", collect) == 6)
        #expect(clientMetrics.counter("grpc_client_msg_received_total", collect) == 1)

        let chat = labels("bidi_stream", "Chat")
        for (metrics, side) in [(serverMetrics, "server"), (clientMetrics, "client")] {
            #expect(metrics.counter("grpc_\(side)_started_total", chat) == 1)
            #expect(metrics.counter("grpc_\(side)_handled_total", handled("bidi_stream", "Chat", "OK")) == 1)
        }
        #expect(serverMetrics.counter("grpc_server_msg_received_total", chat) == 6)
        #expect(serverMetrics.counter("grpc_server_msg_sent_total", chat) == 6)
        #expect(clientMetrics.counter("grpc_client_msg_sent_total", chat) == 6)
        #expect(clientMetrics.counter("grpc_client_msg_received_total", chat) == 6)
    }

    @Test func aCallTheServerEndedItselfCountsWithTheStatusTheClientGot() async throws {
        let harness = try await start()
        defer { Task { await harness.stop() } }
        // The client's deadline (100 ms) passes while the handler ignores its cancellation and
        // returns after 1 s.
        let error = await #expect(throws: RPCError.self) {
            _ = try await harness.channel.serverStreaming(
                ObservedService.stubborn, request: [100], options: CallOptions(timeout: .milliseconds(100)),
                serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer()
            ) { responses in
                for try await _ in responses {}
            }
        }
        #expect(error?.code == .deadlineExceeded)
        #expect(clientMetrics.counter("grpc_client_handled_total", handled("server_stream", "Stubborn", "DEADLINE_EXCEEDED")) == 1)
        // The server ended the call itself (its own deadline, or the client's RST_STREAM, whichever
        // came first); the handler's late return must not count as OK.
        let serverCodes = ["DEADLINE_EXCEEDED", "CANCELLED", "OK"]
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        func counted() -> [String: Int64] {
            serverCodes.reduce(into: [:]) { $0[$1] = serverMetrics.counter("grpc_server_handled_total", handled("server_stream", "Stubborn", $1)) }
        }
        while counted().isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        let codes = counted()
        #expect(codes.count == 1 && codes["OK"] == nil, "server counted \(codes)")
    }

    @Test func aCallToAnUnknownMethodIsCountedByTheClientOnly() async throws {
        let harness = try await start()
        defer { Task { await harness.stop() } }
        let missing = MethodDescriptor(service: "obs.Test", method: "Missing")
        let error = await #expect(throws: RPCError.self) {
            _ = try await harness.channel.unary(missing, request: [1], serializer: RawBytesSerializer(),
                                                deserializer: RawBytesDeserializer())
        }
        #expect(error?.code == .unimplemented)
        #expect(clientMetrics.counter("grpc_client_handled_total", handled("unary", "Missing", "UNIMPLEMENTED")) == 1)
        // The server never routes it, so no interceptor runs for it.
        #expect(serverMetrics.counterKeys.isEmpty)
    }
}
