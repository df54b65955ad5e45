import InteropTesting
import RPC
import Testing

/// The interop cases in-process over loopback TCP: our client against our server. The
/// cross-process pairings with grpcio run in scripts/checks/30-interop.sh.
@Suite struct InProcessInteropTests {
    /// Starts a server on a free port with `service`, runs `body` with a channel to it, and
    /// shuts both down however `body` ends.
    static func withServer<T: Sendable>(
        _ service: any RPCService, _ body: (Channel) async throws -> T
    ) async throws -> T {
        let server = Server(configuration: .init(address: .ipv4(host: "127.0.0.1", port: 0)), services: [service])
        let address = try await server.start()
        let channel: Channel
        do {
            channel = try Channel(configuration: .init(target: address))
        } catch {
            await server.shutdown()
            throw error
        }
        do {
            let result = try await body(channel)
            await channel.close()
            await server.shutdown()
            return result
        } catch {
            await channel.close()
            await server.shutdown()
            throw error
        }
    }

    @Test(arguments: InteropCase.allCases)
    func casePassesAgainstOurServer(_ interopCase: InteropCase) async throws {
        try await Self.withServer(InteropTestService()) { channel in
            try await interopCase.run(on: channel)
        }
    }

    /// The cases must be able to fail: against a server that answers with wrong sizes and
    /// ignores `expect_compressed`, the affected cases report failures.
    @Test func casesDetectAMisbehavingServer() async throws {
        try await Self.withServer(MisbehavingTestService()) { channel in
            await #expect(throws: InteropFailure.self) { try await InteropCase.largeUnary.run(on: channel) }
            await #expect(throws: InteropFailure.self) { try await InteropCase.clientCompressedUnary.run(on: channel) }
            // Not registered by this service: the case fails with the call's UNIMPLEMENTED status.
            await #expect { try await InteropCase.emptyUnary.run(on: channel) } throws: { error in
                (error as? RPCError)?.code == .unimplemented
            }
        }
    }
}

/// UnaryCall answers a 1-byte payload whatever was asked and never checks compression.
struct MisbehavingTestService: RPCService {
    var methods: [ServerMethod] {
        [
            .unary(Grpc_Testing_TestService.Method.unaryCall) { (_: Grpc_Testing_SimpleRequest, _) in
                var response = Grpc_Testing_SimpleResponse()
                response.payload.body = [0]
                return response
            },
        ]
    }
}
