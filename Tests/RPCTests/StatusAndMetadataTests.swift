import Testing
@testable import RPC

@Suite struct StatusAndMetadataTests {
    @Test func handlerErrorReachesClientWithMessageAndTrailers() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let error = await #expect(throws: RPCError.self) {
            _ = try await harness.channel.unary(Echo.fail, request: "x", serializer: StringSerializer(), deserializer: StringDeserializer())
        }
        #expect(error?.code == .failedPrecondition)
        // Non-ASCII and '%' survive percent-encoding.
        #expect(error?.message == "no: x ✓ 100%")
        #expect(error?.metadata.first("reason") == "test")
    }

    @Test func unknownMethodAndServiceAreUnimplemented() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        for descriptor in [MethodDescriptor(service: Echo.service, method: "Nope"), MethodDescriptor(service: "no.Such", method: "Get")] {
            let error = await #expect(throws: RPCError.self) {
                _ = try await harness.channel.unary(descriptor, request: "x", serializer: StringSerializer(), deserializer: StringDeserializer())
            }
            #expect(error?.code == .unimplemented)
        }
    }

    @Test func customAndBinaryMetadataTravelBothWays() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        var metadata: Metadata = ["x-custom": "value-1"]
        let binary: [UInt8] = [0, 1, 2, 250, 255]
        metadata.add("x-data-bin", binary: binary)
        let response = try await harness.channel.unary(Echo.metadata, request: "m", metadata: metadata,
                                                       serializer: StringSerializer(), deserializer: StringDeserializer())
        #expect(response.message == "m")
        #expect(response.headers.first("initial") == "value-1")
        #expect(response.trailers.firstBinary("trailing-bin") == binary)
    }

    @Test func emptyAndLargeMessagesRoundTrip() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        for size in [0, 1, 4095, 4096, 4097, 100_000, 3 << 20] {
            let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let response = try await harness.channel.unary(Echo.bytes, request: payload,
                                                           serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer())
            #expect(response.message == payload, "size \(size)")
        }
    }

    /// Messages large enough that their receive buffers get huge-page advice, arriving over
    /// hundreds of DATA frames, cross intact both ways.
    @Test func messagesOfManyMebibytesRoundTrip() async throws {
        let harness = try await Harness.start(configure: { $0.maxReceiveMessageSize = 32 << 20 },
                                              configureChannel: { $0.maxReceiveMessageSize = 32 << 20 })
        defer { Task { await harness.stop() } }
        for size in [(4 << 20) + 1, (9 << 20) + 5] {
            let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 12) }
            let response = try await harness.channel.unary(Echo.bytes, request: payload,
                                                           serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer())
            #expect(response.message == payload, "size \(size)")
        }
    }

    @Test func oversizedMessagesAreResourceExhaustedBothWays() async throws {
        let harness = try await Harness.start(configure: { $0.maxReceiveMessageSize = 1000 },
                                              configureChannel: { $0.maxReceiveMessageSize = 2000 })
        defer { Task { await harness.stop() } }
        // Request above the server's limit.
        let tooBig = [UInt8](repeating: 1, count: 1001)
        let error = await #expect(throws: RPCError.self) {
            _ = try await harness.channel.unary(Echo.bytes, request: tooBig, serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer())
        }
        #expect(error?.code == .resourceExhausted)
        // The message says whose limit it was: the server's, reported by it.
        #expect(error?.message.contains("reported by the server") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("the server's own receive limit of 1000 bytes") == true, "\(error?.message ?? "")")
        // Response above the client's limit: the server streams 1 KiB chunks; ask per-call for less.
        let clientError = await #expect(throws: RPCError.self) {
            _ = try await harness.channel.serverStreaming(
                Echo.flood, request: "3", options: CallOptions(maxReceiveMessageSize: 512),
                serializer: StringSerializer(), deserializer: RawBytesDeserializer()
            ) { responses in
                for try await _ in responses {}
            }
        }
        #expect(clientError?.code == .resourceExhausted)
        #expect(clientError?.message.contains("the client's own receive limit of 512 bytes") == true, "\(clientError?.message ?? "")")
        #expect(clientError?.message.contains("reported by the server") == false)
        // The connection is still fine afterwards.
        #expect(try await harness.get("after") == "echo: after")
    }
}

@Suite struct CallCompressionTests {
    @Test(arguments: [CompressionAlgorithm.gzip, .deflate])
    func compressedRequestsAndResponsesRoundTrip(algorithm: CompressionAlgorithm) async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let payload = [UInt8](repeating: 42, count: 50_000)
        let response = try await harness.channel.unary(Echo.compressed, request: payload, options: CallOptions(compression: algorithm),
                                                       serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer())
        #expect(response.message == payload)
        // The handler saw the request compressed on the wire and answered compressed.
        #expect(response.headers.first("request-compressed") == "true")
        #expect(response.compressed)
        #expect(try await harness.channel.unary(Echo.get, request: "plain", serializer: StringSerializer(),
                                                deserializer: StringDeserializer()).compressed == false)
    }

    @Test func eachStreamedResponseReportsWhetherItArrivedCompressed() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let received = try await harness.channel.serverStreaming(
            Echo.alternatingCompression, request: "a b c d e", serializer: StringSerializer(), deserializer: StringDeserializer()
        ) { responses in
            var received: [String] = []
            for try await response in responses.withCompressionFlags {
                received.append("\(response.message):\(response.compressed)")
            }
            return received
        }
        #expect(received == ["a:true", "b:false", "c:true", "d:false", "e:true"])
    }

    @Test func unsupportedEncodingIsUnimplemented() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { raw.close() }
        let stream = try raw.request(path: Echo.get.path, extraHeaders: [("grpc-encoding", "snappy")], body: grpcFrame([]))
        let response = try await offPool { try raw.waitForEnd(stream: stream, timeout: .seconds(30)) }
        #expect(response.headers["grpc-status"] == "12")
        #expect(response.headers["grpc-accept-encoding"]?.contains("gzip") == true)
    }

    @Test func compressedFlagWithoutEncodingIsInternal() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { raw.close() }
        var frame = grpcFrame(Array("x".utf8))
        frame[0] = 1
        let stream = try raw.request(path: Echo.get.path, body: frame)
        let response = try await offPool { try raw.waitForEnd(stream: stream, timeout: .seconds(30)) }
        #expect(response.grpcStatus == "13")
    }
}
