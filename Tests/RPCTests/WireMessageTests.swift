import Testing
import Wire
@testable import RPC

/// The Wire-typed call API, with the well-known wrapper messages as request and response.
@Suite struct WireMessageTests {
    struct Greeter: RPCService {
        static let greet = MethodDescriptor(service: "test.Greeter", method: "Greet")
        static let count = MethodDescriptor(service: "test.Greeter", method: "Count")
        var methods: [ServerMethod] {
            [
                .unary(Self.greet) { (request: Google_Protobuf_StringValue, _) -> Google_Protobuf_StringValue in
                    var reply = Google_Protobuf_StringValue()
                    reply.value = "hello \(request.value)"
                    return reply
                },
                .bidirectionalStreaming(Self.count) { (requests: RequestStream<Google_Protobuf_Int64Value>, writer: ResponseWriter<Google_Protobuf_Int64Value>, _) in
                    var total: Int64 = 0
                    for try await request in requests {
                        total += request.value
                        var reply = Google_Protobuf_Int64Value()
                        reply.value = total
                        try await writer.write(reply)
                    }
                },
            ]
        }
    }

    @Test func typedUnaryAndBidirectionalCalls() async throws {
        let server = Server(configuration: .init(address: .ipv4(host: "127.0.0.1", port: 0)), services: [Greeter()])
        let address = try await server.start()
        let channel = try Channel(configuration: .init(target: address))
        var name = Google_Protobuf_StringValue()
        name.value = "wire"
        let reply = try await channel.unary(Greeter.greet, request: name, responseType: Google_Protobuf_StringValue.self)
        #expect(reply.message.value == "hello wire")

        let totals = try await channel.bidirectionalStreaming(
            Greeter.count, requestType: Google_Protobuf_Int64Value.self, responseType: Google_Protobuf_Int64Value.self
        ) { writer in
            for value in [1, 2, 3] as [Int64] {
                var message = Google_Protobuf_Int64Value()
                message.value = value
                try await writer.write(message)
            }
        } onResponse: { responses in
            var totals: [Int64] = []
            for try await response in responses { totals.append(response.value) }
            return totals
        }
        #expect(totals == [1, 3, 6])
        await channel.close()
        await server.shutdown()
    }
}
