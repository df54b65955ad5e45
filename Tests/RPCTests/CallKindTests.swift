import Testing
@testable import RPC

/// The four call kinds, our client against our server, over each transport.
@Suite struct CallKindTests {
    @Test(arguments: [Harness.Family.ipv4, .ipv6, .unix])
    func allFourCallKinds(family: Harness.Family) async throws {
        let harness = try await Harness.start(family)
        do {
            #expect(try await harness.get("hello") == "echo: hello")

            let collected = try await harness.channel.clientStreaming(
                Echo.collect, serializer: StringSerializer(), deserializer: StringDeserializer()
            ) { writer in
                for word in ["a", "b", "c"] { try await writer.write(word) }
            }
            #expect(collected.message == "a b c")

            let expanded = try await harness.channel.serverStreaming(
                Echo.expand, request: "x y z", serializer: StringSerializer(), deserializer: StringDeserializer()
            ) { responses in
                var all: [String] = []
                for try await response in responses { all.append(response) }
                return all
            }
            #expect(expanded == ["x", "y", "z"])

            let acks = try await harness.channel.bidirectionalStreaming(
                Echo.update, serializer: StringSerializer(), deserializer: StringDeserializer()
            ) { writer in
                for index in 0..<5 { try await writer.write("\(index)") }
            } onResponse: { responses in
                var all: [String] = []
                for try await response in responses { all.append(response) }
                return all
            }
            #expect(acks == (0..<5).map { "ack \($0)" })
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
