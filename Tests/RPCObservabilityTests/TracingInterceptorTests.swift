import Foundation
import ObservabilityTestSupport
import RPC
import RPCObservability
import Testing
import Tracing

/// Trace propagation over real sockets, with a W3C-propagating in-memory tracer.
@Suite struct TracingInterceptorTests {
    let tracer = W3CRecordingTracer()

    private func start() async throws -> ObservedHarness {
        try await ObservedHarness.start(server: [ServerTracingInterceptor(tracer: tracer)],
                                        client: [ClientTracingInterceptor(tracer: tracer)],
                                        relay: [ClientTracingInterceptor(tracer: tracer)])
    }

    /// The one ended span named `name` of `kind`, waiting for it: a server span ends after the
    /// client already has its response.
    private func span(_ name: String, _ kind: SpanKind, count: Int = 1) async throws -> [W3CRecordingTracer.FinishedSpan] {
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while ContinuousClock.now < deadline {
            let spans = tracer.spans(named: name).filter { $0.kind == kind }
            if spans.count >= count { return spans }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("no \(count) \(kind) span(s) named \(name) within 5 s; have \(tracer.finishedSpans.map(\.operationName))")
        return []
    }

    @Test func theServerSpanContinuesTheClientSpansTrace() async throws {
        let harness = try await start()
        defer { Task { await harness.stop() } }
        #expect(try await harness.get("a") == "echo: a")
        let client = try #require(try await span("obs.Test/Get", .client).first)
        let server = try #require(try await span("obs.Test/Get", .server).first)
        #expect(server.traceID == client.traceID)
        #expect(server.parentSpanID == client.spanID)
        #expect(client.parentSpanID == nil)
        for span in [client, server] {
            #expect(span.attributes.get("rpc.system") == .string("grpc"))
            #expect(span.attributes.get("rpc.service") == .string("obs.Test"))
            #expect(span.attributes.get("rpc.method") == .string("Get"))
            #expect(span.attributes.get("rpc.grpc.status_code") == .int64(0))
            #expect(span.status == nil)
        }
    }

    @Test func errorsAreRecordedOnBothSpans() async throws {
        let harness = try await start()
        defer { Task { await harness.stop() } }
        await #expect(throws: RPCError.self) { _ = try await harness.get("fail") }
        let client = try #require(try await span("obs.Test/Get", .client).first)
        let server = try #require(try await span("obs.Test/Get", .server).first)
        for span in [client, server] {
            #expect(span.attributes.get("rpc.grpc.status_code") == .int64(Int64(StatusCode.notFound.rawValue)))
            #expect(span.errors.count == 1)
        }
        // NOT_FOUND is the client's error, not the server's (OpenTelemetry's rule for server spans).
        #expect(client.status?.code == .error)
        #expect(server.status == nil)

        // A streaming call's status reaches its server span too.
        await #expect(throws: RPCError.self) {
            _ = try await harness.channel.serverStreaming(ObservedService.expand, request: [1, 1], serializer: RawBytesSerializer(),
                                                          deserializer: RawBytesDeserializer()) { for try await _ in $0 {} }
        }
        let streamServer = try #require(try await span("obs.Test/Expand", .server).first)
        #expect(streamServer.attributes.get("rpc.grpc.status_code") == .int64(Int64(StatusCode.failedPrecondition.rawValue)))
    }

    @Test func aHandlersOwnCallsJoinTheTraceAsChildrenOfItsServerSpan() async throws {
        let harness = try await start()
        defer { Task { await harness.stop() } }
        let reply = try await harness.channel.unary(ObservedService.relay, request: Array("x".utf8),
                                                    serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer())
        #expect(reply.message == Array("echo: x".utf8))
        let relayClient = try #require(try await span("obs.Test/Relay", .client).first)
        let relayServer = try #require(try await span("obs.Test/Relay", .server).first)
        let innerClient = try #require(try await span("obs.Test/Get", .client).first)
        let innerServer = try #require(try await span("obs.Test/Get", .server).first)
        #expect(Set([relayServer, innerClient, innerServer].map(\.traceID)) == [relayClient.traceID])
        #expect(relayServer.parentSpanID == relayClient.spanID)
        #expect(innerClient.parentSpanID == relayServer.spanID)
        #expect(innerServer.parentSpanID == innerClient.spanID)
    }

    @Test func aMalformedTraceparentStartsANewTraceAndTheCallSucceeds() async throws {
        // A server with tracing, called by a channel without it, so only the header we send arrives.
        let harness = try await ObservedHarness.start(server: [ServerTracingInterceptor(tracer: tracer)], client: [])
        defer { Task { await harness.stop() } }
        let malformed = [
            "garbage", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331", "00-00000000000000000000000000000000-b7ad6b7169203331-01",
            "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01", "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-zz", "",
        ]
        for value in malformed {
            #expect(try await harness.get("m", metadata: ["traceparent": value, "tracestate": "vendor=1"]) == "echo: m")
        }
        let spans = try await span("obs.Test/Get", .server, count: malformed.count)
        #expect(spans.count == malformed.count)
        #expect(spans.allSatisfy { $0.parentSpanID == nil && $0.traceID != "0af7651916cd43dd8448eb211c80319c" })
        #expect(Set(spans.map(\.traceID)).count == malformed.count)

        // The well-formed header is continued.
        let sent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        #expect(try await harness.get("w", metadata: ["traceparent": sent]) == "echo: w")
        let all = try await span("obs.Test/Get", .server, count: malformed.count + 1)
        let continued = try #require(all.first { $0.traceID == "4bf92f3577b34da6a3ce929d0e0e4736" })
        #expect(continued.parentSpanID == "00f067aa0ba902b7")
    }

    @Test func aGrpcioClientsTraceparentIsContinuedByOurServer() async throws {
        let harness = try await ObservedHarness.start(server: [ServerTracingInterceptor(tracer: tracer)], client: [])
        defer { Task { await harness.stop() } }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("python/traced_call.py").path
        let traceID = "0af7651916cd43dd8448eb211c80319c"
        let spanID = "b7ad6b7169203331"
        let output = try await runProcess(["python3", script, "\(harness.port)", "00-\(traceID)-\(spanID)-01", "congo=t61rcWkgMzE"],
                                          timeout: .seconds(30))
        #expect(output.status == 0, "python stderr: \(output.standardError)")
        #expect(output.standardOutput == "echo: from grpcio\n")
        let server = try #require(try await span("obs.Test/Get", .server).first)
        #expect(server.traceID == traceID)
        #expect(server.parentSpanID == spanID)
        #expect(server.traceState == "congo=t61rcWkgMzE")
    }
}
