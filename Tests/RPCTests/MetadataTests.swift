import Glibc
import Testing
@testable import RPC

@Suite struct MetadataTests {
    @Test func keysAreCaseInsensitiveAndOrderIsKept() {
        var metadata: Metadata = ["X-One": "1"]
        metadata.add("x-two", "2")
        metadata.add("X-ONE", "1b")
        metadata.add("blob-bin", binary: [9, 8])
        #expect(metadata.first("x-one") == "1")
        #expect(metadata["X-One"] == [.string("1"), .string("1b")])
        #expect(metadata.firstBinary("blob-bin") == [9, 8])
        #expect(metadata.map(\.key) == ["x-one", "x-two", "x-one", "blob-bin"])
        metadata.replace("x-one", "only")
        #expect(metadata["x-one"] == [.string("only")])
        metadata.removeAll("x-two")
        #expect(metadata.first("x-two") == nil)
        #expect(metadata.count == 2)
    }

    @Test func reservedKeysAreNotSentAsCustomMetadata() {
        var metadata: Metadata = ["grpc-status": "0", "content-type": "text/plain", ":path": "/x", "te": "x", "custom": "yes"]
        metadata.add("data-bin", binary: [0xFF])
        var block = HeaderBlock()
        block.add(metadata)
        #expect(block.fields.map(\.name) == ["custom", "data-bin"])
        #expect(block.fields.last?.value == "/w==")
    }
}

@Suite struct MessageLimitTests {
    @Test func sendLimitsFailTheCallWithResourceExhausted() async throws {
        let harness = try await Harness.start(configure: { $0.maxSendMessageSize = 10 },
                                              configureChannel: { $0.maxSendMessageSize = 20 })
        defer { Task { await harness.stop() } }
        // The client refuses to send a request above its own limit.
        let clientError = await #expect(throws: RPCError.self) {
            _ = try await harness.channel.unary(Echo.bytes, request: [UInt8](repeating: 0, count: 21),
                                                serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer())
        }
        #expect(clientError?.code == .resourceExhausted)
        #expect(clientError?.message.contains("the client's own send limit of 20 bytes") == true, "\(clientError?.message ?? "")")
        // The server handler's response above the server's limit ends the call the same way.
        let serverError = await #expect(throws: RPCError.self) {
            _ = try await harness.channel.unary(Echo.bytes, request: [UInt8](repeating: 0, count: 15),
                                                serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer())
        }
        #expect(serverError?.code == .resourceExhausted)
        #expect(serverError?.message.contains("reported by the server") == true, "\(serverError?.message ?? "")")
        #expect(serverError?.message.contains("the server's own send limit of 10 bytes") == true, "\(serverError?.message ?? "")")
        #expect(try await harness.channel.unary(Echo.bytes, request: [1, 2, 3], serializer: RawBytesSerializer(),
                                                deserializer: RawBytesDeserializer()).message == [1, 2, 3])
    }

    @Test func unixSocketFileIsRemovedOnShutdown() async throws {
        let harness = try await Harness.start(.unix)
        guard case .unix(let path) = harness.address else {
            Issue.record("expected a unix address")
            return
        }
        #expect(access(path, F_OK) == 0)
        await harness.stop()
        #expect(access(path, F_OK) != 0)
    }
}
