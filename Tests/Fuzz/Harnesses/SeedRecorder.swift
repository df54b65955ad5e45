import InteropTesting
import RPC

/// Records the seed corpora of the two connection fuzzers from real sessions: a `Channel` talks
/// to the fuzz server through a relay that keeps both directions. What the client sent is a
/// server-connection seed; what the server sent, for `ClientCallSequence` variants, is a
/// client-connection seed (the client harness makes the same calls, so the stream ids match).
enum SeedRecorder {
    typealias Session = @Sendable (Channel) async -> Void

    /// Server-connection seeds: every call kind, compression, metadata, health, reflection,
    /// cancellation, deadlines, errors and a message spread over several DATA frames.
    static let serverSessions: [(name: String, session: Session)] = [
        ("call-sequence", { await ClientCallSequence.fuzzing.callAll(on: testService($0)) }),
        ("unary-gzip-metadata", { channel in
            var metadata: Metadata = ["x-grpc-test-echo-initial": "initial"]
            metadata.add("x-grpc-test-echo-trailing-bin", binary: [0, 1, 254, 255])
            var request = Grpc_Testing_SimpleRequest()
            request.responseSize = 32
            request.payload.body = [UInt8](repeating: 7, count: 200)
            request.responseCompressed.value = true
            _ = try? await testService(channel).unaryCall(request, metadata: metadata, options: CallOptions(compression: .gzip))
        }),
        ("client-streaming", { channel in
            _ = try? await testService(channel).streamingInputCall { writer in
                for size in [1, 100, 1000] {
                    var request = Grpc_Testing_StreamingInputCallRequest()
                    request.payload.body = [UInt8](repeating: 1, count: size)
                    try await writer.write(request)
                }
            }
        }),
        ("health-reflection", { channel in
            var check = Grpc_Health_V1_HealthCheckRequest()
            check.service = ""
            _ = try? await Grpc_Health_V1_Health.Client(channel: channel).check(check)
            _ = try? await Grpc_Reflection_V1_ServerReflection.Client(channel: channel).serverReflectionInfo { writer in
                var list = Grpc_Reflection_V1_ServerReflectionRequest()
                list.listServices = ""
                try await writer.write(list)
                var symbol = Grpc_Reflection_V1_ServerReflectionRequest()
                symbol.fileContainingSymbol = "grpc.testing.TestService"
                try await writer.write(symbol)
            } onResponse: { responses in
                for try await _ in responses {}
            }
        }),
        ("unimplemented-cancel", { channel in
            let service = testService(channel)
            _ = try? await service.unimplementedCall(Grpc_Testing_Empty())
            var request = Grpc_Testing_StreamingOutputCallRequest()
            request.responseParameters = Array(repeating: .size(1000), count: 8)
            // Returning after the first response cancels the call (RST_STREAM).
            _ = try? await service.streamingOutputCall(request) { responses in
                for try await _ in responses { break }
            }
        }),
        ("error-deadline", { channel in
            let service = testService(channel)
            var failing = Grpc_Testing_SimpleRequest()
            failing.responseStatus.code = 3
            failing.responseStatus.message = "asked to fail"
            _ = try? await service.unaryCall(failing)
            _ = try? await service.fullDuplexCall(options: CallOptions(timeout: .milliseconds(50))) { writer in
                try await writer.write(Grpc_Testing_StreamingOutputCallRequest())
                try await Task.sleep(for: .milliseconds(200))  // the deadline ends the call first
            } onResponse: { responses in
                for try await _ in responses {}
            }
        }),
        ("half-duplex-large", { channel in
            let request = {
                var request = Grpc_Testing_StreamingOutputCallRequest()
                request.payload.body = [UInt8](repeating: 9, count: 17_000)  // more than one 16 KiB DATA frame
                request.responseParameters = [.size(17_000)]
                return request
            }()
            _ = try? await testService(channel).halfDuplexCall { writer in
                try await writer.write(request)
                try await writer.write(request)
            } onResponse: { responses in
                for try await _ in responses {}
            }
        }),
    ]

    /// Client-connection seeds: the harness's calls answered normally, with errors, compressed
    /// and with messages spread over several DATA frames.
    static let clientSequences: [(name: String, sequence: ClientCallSequence)] = {
        var errors = ClientCallSequence.fuzzing
        errors.unary.responseStatus.code = 13
        errors.unary.responseStatus.message = "internal on purpose"
        errors.serverStreaming.responseStatus.code = 5  // before any response: Trailers-Only
        errors.bidirectional.responseStatus.code = 9
        var compressed = ClientCallSequence.fuzzing
        compressed.unary.responseCompressed.value = true
        compressed.unary.responseSize = 3000
        compressed.serverStreaming.responseParameters = [.size(500, compressed: true), .size(0, compressed: true)]
        compressed.bidirectional.responseParameters = [.size(100, compressed: true)]
        var large = ClientCallSequence.fuzzing
        large.unary.responseSize = 17_000
        large.serverStreaming.responseParameters = [.size(17_000), .size(1)]
        return [("answers", .fuzzing), ("errors", errors), ("compressed", compressed), ("large", large)]
    }()

    static func testService(_ channel: Channel) -> Grpc_Testing_TestService.Client {
        Grpc_Testing_TestService.Client(channel: channel)
    }

    /// Runs `session` on a channel to the fuzz server through a recording relay; returns what each side sent.
    static func record(_ session: @escaping Session) throws -> (client: [UInt8], server: [UInt8]) {
        let relayPath = SocketDirectory.socket("relay")
        let listener = try HarnessSocket.listen(path: relayPath)
        let channel = try Channel(configuration: .init(target: .unix(path: relayPath)))
        let finished = FinishedCalls()
        Task {
            await session(channel)
            await channel.close()
            finished.add()
        }
        guard let client = listener.accept(before: .now + .seconds(5)) else {
            throw HarnessSocket.Failure(description: "the recorded channel never connected")
        }
        let server = try HarnessSocket.connect(path: ServerConnectionHarness.server.path)
        var sent: (client: [UInt8], server: [UInt8]) = ([], [])
        HarnessSocket.relay(client, server, until: .now + .seconds(20),
                            fromClient: { sent.client += $0 }, fromServer: { sent.server += $0 })
        let deadline = ContinuousClock.now + .seconds(5)
        while finished.value == 0, ContinuousClock.now < deadline {
            _ = listener.accept(before: .now + .milliseconds(5))
        }
        return sent
    }
}
