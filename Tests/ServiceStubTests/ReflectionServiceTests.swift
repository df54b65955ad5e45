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
            #expect(responses[0].listServicesResponse.service.map(\.name) ==
                    ["grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection", "stubtest.v1.Echo",
                     "stubtest.v1.Unhosted"])
            #expect(responses[1].originalRequest == symbol)
            let files = responses[1].fileDescriptorResponse.fileDescriptorProto
            #expect(files.count == 1)
            // The descriptor names its file (field 1, a string) first.
            #expect(files.first.map { Array($0.prefix(2 + "echo.proto".utf8.count)) } ==
                    [0x0A, UInt8("echo.proto".utf8.count)] + Array("echo.proto".utf8))
            #expect(responses[2].errorResponse.errorCode == Int32(StatusCode.notFound.rawValue))
        }
    }

    @Test func pythonGrpcioClientLoadsTheDescriptors() async throws {
        try await withLoopbackServer([EchoImplementation(), HealthService(), reflection()]) { channel in
            guard case .ipv4(_, let port) = channel.configuration.target else { throw RPCError(code: .internalError) }
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("python/reflection_client.py").path
            let child = try LineProcess(arguments: ["python3", script, "\(port)"], timeout: .seconds(60))
            var lines: [String] = []
            for await line in child.lines { lines.append(line) }
            let exit = child.waitForExit()
            #expect(exit == 0, "python stderr: \(child.errorOutput())")
            #expect(lines == [
                "responses 4",
                "services grpc.health.v1.Health,grpc.reflection.v1alpha.ServerReflection,stubtest.v1.Echo,stubtest.v1.Unhosted",
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
