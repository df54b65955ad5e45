import BenchRPCMessages
import RPC
import Testing

@testable import RPCBenchSuite

/// Our BenchmarkService on a real server (loopback TCP, port 0), driven by our Channel and by
/// the load generator: the semantics the peers' bench.sh relies on.
@Suite(.timeLimit(.minutes(1))) struct BenchmarkServiceTests {
    private func withServer(_ body: (SocketAddress) async throws -> Void) async throws {
        var configuration = Server.Configuration(address: .ipv4(host: "127.0.0.1", port: 0))
        configuration.loopCount = 1
        configuration.maxReceiveMessageSize = 8 << 20
        let server = Server(configuration: configuration, services: [BenchmarkService()])
        let address = try await server.start()
        do {
            try await body(address)
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    @Test func unaryAnswersWithResponseSizeZeroBytes() async throws {
        try await withServer { address in
            let channel = try Channel(configuration: .init(target: address))
            // Large sizes share one body: a second size replaces it, the first comes back whole.
            for size in [0, 1, 1024, 3 << 20, 2 << 20, 3 << 20] {
                var request = Grpc_Testing_SimpleRequest()
                request.responseSize = Int32(size)
                let response = try await channel.unary(BenchmarkService.unaryCall, request: request,
                                                       responseType: Grpc_Testing_SimpleResponse.self)
                #expect(response.message.payload.body.count == size)
                #expect(response.message.payload.body.allSatisfy { $0 == 0 })
                #expect(response.message.hasPayload == (size > 0))
            }
            await channel.close()
        }
    }

    @Test func streamingCallAnswersEachRequestThenEndsOK() async throws {
        try await withServer { address in
            let channel = try Channel(configuration: .init(target: address))
            let sizes = [0, 1024, 7, 0]
            let received = try await channel.bidirectionalStreaming(
                BenchmarkService.streamingCall, requestType: Grpc_Testing_SimpleRequest.self,
                responseType: Grpc_Testing_SimpleResponse.self
            ) { writer in
                for size in sizes {
                    var request = Grpc_Testing_SimpleRequest()
                    request.responseSize = Int32(size)
                    try await writer.write(request)
                }
            } onResponse: { responses in
                var received: [Int] = []
                for try await response in responses { received.append(response.payload.body.count) }
                return received
            }
            #expect(received == sizes)
            await channel.close()
        }
    }

    @Test func streamingFromClientAnswersOnceAfterHalfClose() async throws {
        try await withServer { address in
            let channel = try Channel(configuration: .init(target: address))
            let response = try await channel.clientStreaming(
                BenchmarkService.streamingFromClient, requestType: Grpc_Testing_SimpleRequest.self,
                responseType: Grpc_Testing_SimpleResponse.self
            ) { writer in
                for size in [5, 9, 33] {
                    var request = Grpc_Testing_SimpleRequest()
                    request.responseSize = Int32(size)
                    try await writer.write(request)
                }
            }
            #expect(response.message.payload.body.count == 33)
            await channel.close()
        }
    }

    @Test func streamingFromServerKeepsWritingUntilTheClientStops() async throws {
        try await withServer { address in
            let channel = try Channel(configuration: .init(target: address))
            var request = Grpc_Testing_SimpleRequest()
            request.responseSize = 16
            let count = try await channel.serverStreaming(
                BenchmarkService.streamingFromServer, request: request, responseType: Grpc_Testing_SimpleResponse.self
            ) { responses in
                var count = 0
                for try await response in responses {
                    #expect(response.payload.body.count == 16)
                    count += 1
                    if count == 100 { break }  // returning early cancels the call
                }
                return count
            }
            #expect(count == 100)
            await channel.close()
        }
    }

    @Test(arguments: [LoadSettings.Mode.unary, .stream])
    func loadGeneratorCountsCallsWithoutErrors(mode: LoadSettings.Mode) async throws {
        try await withServer { address in
            let settings = LoadSettings(target: address, mode: mode, concurrency: 4, connections: 2, requestSize: 10,
                                        responseSize: 100, duration: 0.5, warmup: 0.1)
            let result = try await LoadGenerator.run(settings)
            #expect(result.calls > 0)
            #expect(result.errors == 0)
            #expect(result.badSize == 0)
            #expect(result.p50Microseconds > 0 && result.p50Microseconds <= result.p99Microseconds)
            #expect(result.keyValueLine.hasPrefix("client=wire mode=\(mode.rawValue) concurrency=4 connections=2"))
        }
    }

    @Test func loadGeneratorReportsErrorsWhenNothingListens() async throws {
        // A port from a server that has stopped: connections are refused.
        var configuration = Server.Configuration(address: .ipv4(host: "127.0.0.1", port: 0))
        configuration.loopCount = 1
        let server = Server(configuration: configuration, services: [BenchmarkService()])
        let address = try await server.start()
        await server.shutdown()
        let settings = LoadSettings(target: address, mode: .unary, concurrency: 1, duration: 0.2, warmup: 0)
        let result = try await LoadGenerator.run(settings)
        #expect(result.calls == 0)
        #expect(result.errors > 0)
    }

    @Test func invalidSettingsAreRejected() {
        let target = SocketAddress.ipv4(host: "127.0.0.1", port: 1)
        #expect(throws: LoadSettingsError.self) { try LoadSettings(target: target, mode: .unary, concurrency: 0).validate() }
        #expect(throws: LoadSettingsError.self) { try LoadSettings(target: target, mode: .unary, duration: 0).validate() }
        #expect(throws: LoadSettingsError.self) { try LoadSettings(target: target, mode: .stream, responseSize: -1).validate() }
    }
}
