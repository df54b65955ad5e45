import Foundation
import RPC
import Testing

/// RPC's server reflection over a real loopback server, through our generated client and
/// through a real grpcio client that loads the returned descriptors into protobuf's pool.
@Suite(.timeLimit(.minutes(2))) struct ReflectionServiceTests {
    typealias Request = Grpc_Reflection_V1alpha_ServerReflectionRequest
    typealias Response = Grpc_Reflection_V1alpha_ServerReflectionResponse

    func reflection() -> ReflectionService {
        ReflectionService(files: Stubtest_V1_Echo.reflectionFiles + HealthService.reflectionFiles)
    }

    func ask(_ channel: Channel, _ requests: [Request]) async throws -> [Response] {
        let client = Grpc_Reflection_V1alpha_ServerReflection.Client(channel: channel)
        return try await client.serverReflectionInfo(options: CallOptions(timeout: .seconds(10))) { writer in
            try await writer.write(contentsOf: requests)
        } onResponse: { responses in
            var collected: [Response] = []
            for try await response in responses { collected.append(response) }
            return collected
        }
    }

    @Test func listsServicesAndServesFilesWithTheirImportsFirst() async throws {
        try await withLoopbackServer([EchoImplementation(), reflection()]) { channel in
            var list = Request()
            list.listServices = ""
            var symbol = Request()
            symbol.fileContainingSymbol = "stubtest.v1.Echo.Expand"
            var missing = Request()
            missing.fileByFilename = "absent.proto"
            let responses = try await ask(channel, [list, symbol, missing])
            try #require(responses.count == 3)
            #expect(responses[0].listServicesResponse.service.map(\.name) == Self.listing.split(separator: ",").map(String.init))
            #expect(responses[1].originalRequest == symbol)
            let files = responses[1].fileDescriptorResponse.fileDescriptorProto
            // Each descriptor names its file (field 1, a string) first; the import comes first.
            func named(_ name: String) -> [UInt8] { [0x0A, UInt8(name.utf8.count)] + Array(name.utf8) }
            #expect(files.count == 2)
            #expect(files.first?.starts(with: named("google/protobuf/empty.proto")) == true)
            #expect(files.last?.starts(with: named("echo.proto")) == true)
            #expect(responses[2].errorResponse.errorCode == Int32(StatusCode.notFound.rawValue))
        }
    }

    /// Every service in the files given (hosted or not) plus both reflection versions.
    static let listing = "grpc.health.v1.Health,grpc.reflection.v1.ServerReflection,grpc.reflection.v1alpha.ServerReflection,"
        + "stubtest.v1.Echo,stubtest.v1.Unhosted"

    @Test func theV1ProtocolAnswersTheSame() async throws {
        try await withLoopbackServer([reflection()]) { channel in
            let client = Grpc_Reflection_V1_ServerReflection.Client(channel: channel)
            var request = Grpc_Reflection_V1_ServerReflectionRequest()
            request.fileContainingSymbol = "grpc.health.v1.HealthCheckResponse.ServingStatus"
            let symbol = request
            let responses = try await client.serverReflectionInfo(options: CallOptions(timeout: .seconds(10))) { writer in
                try await writer.write(symbol)
            } onResponse: { responses in
                var collected: [Grpc_Reflection_V1_ServerReflectionResponse] = []
                for try await response in responses { collected.append(response) }
                return collected
            }
            try #require(responses.count == 1)
            #expect(responses[0].fileDescriptorResponse.fileDescriptorProto == [try HealthService.reflectionFiles[0].serializedDescriptor()])
        }
    }

    @Test(arguments: ["v1", "v1alpha"])
    func pythonGrpcioClientLoadsTheDescriptors(version: String) async throws {
        try await withLoopbackServer([EchoImplementation(), HealthService(), reflection()]) { channel in
            guard case .ipv4(_, let port) = channel.configuration.target else { throw RPCError(code: .internalError) }
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("python/reflection_client.py").path
            let child = try LineProcess(arguments: ["python3", script, "\(port)", version], timeout: .seconds(60))
            var lines: [String] = []
            for await line in child.lines { lines.append(line) }
            let exit = child.waitForExit()
            #expect(exit == 0, "python stderr: \(child.errorOutput())")
            #expect(lines == [
                "responses 4",
                "services " + Self.listing,
                "echo methods Get(stubtest.v1.EchoRequest)->stubtest.v1.EchoReply,"
                    + "Collect(stubtest.v1.EchoRequest)->stubtest.v1.EchoReply,"
                    + "Expand(stubtest.v1.EchoRequest)->stubtest.v1.EchoReply stream,"
                    + "Update(stubtest.v1.EchoRequest)->stubtest.v1.EchoReply stream,"
                    + "Default(stubtest.v1.EchoRequest)->stubtest.v1.EchoReply",
                "health methods Check,Watch",
                "missing symbol error_response 5",
            ])
        }
    }
}
