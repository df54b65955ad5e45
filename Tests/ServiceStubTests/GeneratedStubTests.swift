import RPC
import Testing
import Wire

/// Implements the generated `stubtest.v1.Echo` protocol: every call shape, plus metadata echo
/// so the tests can see that the stub passes metadata through.
struct EchoImplementation: Stubtest_V1_Echo.ServiceProtocol {
    func get(_ request: Stubtest_V1_EchoRequest, context: ServerContext) async throws -> Stubtest_V1_EchoReply {
        if let tag = context.requestMetadata.first("x-tag") { context.responseHeaders = ["x-tag-echo": tag] }
        if request.text == "fail" { throw RPCError(code: .failedPrecondition, message: "asked to fail") }
        return reply(request.text, 0)
    }

    func collect(_ requests: RequestStream<Stubtest_V1_EchoRequest>, context: ServerContext) async throws -> Stubtest_V1_EchoReply {
        var texts: [String] = []
        for try await request in requests { texts.append(request.text) }
        return reply(texts.joined(separator: " "), Int32(texts.count))
    }

    func expand(_ request: Stubtest_V1_EchoRequest, responses: ResponseWriter<Stubtest_V1_EchoReply>, context: ServerContext) async throws {
        for index in 0..<max(0, Int(request.repeat)) {
            try await responses.write(reply(request.text, Int32(index)))
        }
    }

    func update(_ requests: RequestStream<Stubtest_V1_EchoRequest>, responses: ResponseWriter<Stubtest_V1_EchoReply>, context: ServerContext) async throws {
        var index: Int32 = 0
        for try await request in requests {
            try await responses.write(reply(request.text.uppercased(), index))
            index += 1
        }
    }

    func `default`(_ request: Stubtest_V1_EchoRequest, context: ServerContext) async throws -> Stubtest_V1_EchoReply {
        reply("default:" + request.text, 0)
    }

    private func reply(_ text: String, _ index: Int32) -> Stubtest_V1_EchoReply {
        var reply = Stubtest_V1_EchoReply()
        reply.text = text
        reply.index = index
        return reply
    }
}

func echoRequest(_ text: String, repeat count: Int32 = 0) -> Stubtest_V1_EchoRequest {
    var request = Stubtest_V1_EchoRequest()
    request.text = text
    request.repeat = count
    return request
}

/// Starts a real loopback server hosting `services`, runs `body` with a channel to it, and
/// tears both down.
nonisolated(nonsending) func withLoopbackServer<T: Sendable>(
    _ services: [any RPCService], _ body: (Channel) async throws -> T
) async throws -> T {
    let server = Server(configuration: .init(address: .ipv4(host: "127.0.0.1", port: 0)), services: services)
    let address = try await server.start()
    guard case .ipv4(_, let port) = address else {
        await server.shutdown()
        throw RPCError(code: .internalError, message: "unexpected bound address \(address)")
    }
    let channel: Channel
    do {
        channel = try Channel(configuration: .init(target: .ipv4(host: "127.0.0.1", port: port)))
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

/// Generated stubs over a real loopback server: all four call kinds through the generated
/// client against an implementation of the generated server protocol.
@Suite(.timeLimit(.minutes(1))) struct GeneratedStubTests {
    @Test func generatedMethodTableCoversEveryRPC() {
        let paths = EchoImplementation().methods.map(\.descriptor.path)
        #expect(paths == ["/stubtest.v1.Echo/Get", "/stubtest.v1.Echo/Collect", "/stubtest.v1.Echo/Expand",
                          "/stubtest.v1.Echo/Update", "/stubtest.v1.Echo/Default"])
        #expect(EchoImplementation().methods.map(\.kind) == [.unary, .clientStreaming, .serverStreaming, .bidirectionalStreaming, .unary])
        #expect(Stubtest_V1_Echo.methodDescriptors.map(\.path) == paths)
        #expect(Stubtest_V1_Echo.serviceName == "stubtest.v1.Echo")
    }

    @Test func unaryCallPassesMetadataAndReturnsHeaders() async throws {
        try await withLoopbackServer([EchoImplementation()]) { channel in
            let echo = Stubtest_V1_Echo.Client(channel: channel)
            let response = try await echo.get(echoRequest("hello"), metadata: ["x-tag": "t1"],
                                              options: CallOptions(timeout: .seconds(5)))
            #expect(response.message.text == "hello")
            #expect(response.headers.first("x-tag-echo") == "t1")
            let keyword = try await echo.default(echoRequest("k"))
            #expect(keyword.message.text == "default:k")
        }
    }

    @Test func unaryErrorArrivesAsRPCError() async throws {
        try await withLoopbackServer([EchoImplementation()]) { channel in
            let echo = Stubtest_V1_Echo.Client(channel: channel)
            let error = await #expect(throws: RPCError.self) { try await echo.get(echoRequest("fail")) }
            #expect(error?.code == .failedPrecondition)
            #expect(error?.message == "asked to fail")
        }
    }

    @Test func clientStreamingCollectsEveryRequest() async throws {
        try await withLoopbackServer([EchoImplementation()]) { channel in
            let echo = Stubtest_V1_Echo.Client(channel: channel)
            let response = try await echo.collect { writer in
                for word in ["a", "b", "c"] { try await writer.write(echoRequest(word)) }
            }
            #expect(response.message.text == "a b c")
            #expect(response.message.index == 3)
        }
    }

    @Test func serverStreamingDeliversEveryReplyInOrder() async throws {
        try await withLoopbackServer([EchoImplementation()]) { channel in
            let echo = Stubtest_V1_Echo.Client(channel: channel)
            let indices = try await echo.expand(echoRequest("x", repeat: 5)) { replies in
                var indices: [Int32] = []
                for try await reply in replies {
                    #expect(reply.text == "x")
                    indices.append(reply.index)
                }
                return indices
            }
            #expect(indices == [0, 1, 2, 3, 4])
        }
    }

    @Test func bidirectionalStreamingRepliesPerRequest() async throws {
        try await withLoopbackServer([EchoImplementation()]) { channel in
            let echo = Stubtest_V1_Echo.Client(channel: channel)
            let texts = try await echo.update { writer in
                for word in ["one", "two", "three"] { try await writer.write(echoRequest(word)) }
            } onResponse: { replies in
                var texts: [String] = []
                for try await reply in replies { texts.append("\(reply.index):\(reply.text)") }
                return texts
            }
            #expect(texts == ["0:ONE", "1:TWO", "2:THREE"])
        }
    }

    @Test func serviceTheServerDoesNotHostIsUnimplemented() async throws {
        try await withLoopbackServer([EchoImplementation()]) { channel in
            let unhosted = Stubtest_V1_Unhosted.Client(channel: channel)
            let error = await #expect(throws: RPCError.self) { try await unhosted.ping(echoRequest("p")) }
            #expect(error?.code == .unimplemented)
            let renamed = await #expect(throws: RPCError.self) { try await unhosted.init_p(echoRequest("p")) }
            #expect(renamed?.code == .unimplemented)
            let keyword = await #expect(throws: RPCError.self) { try await unhosted.return(echoRequest("p")) }
            #expect(keyword?.code == .unimplemented)
            // The hosted service still works on the same channel.
            let echo = Stubtest_V1_Echo.Client(channel: channel)
            let still = try await echo.get(echoRequest("still"))
            #expect(still.message.text == "still")
        }
    }
}
