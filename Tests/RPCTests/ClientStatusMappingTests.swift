import CNGHTTP2
import Testing
@testable import RPC

/// How our Channel maps what servers and proxies may send instead of a normal gRPC response.
@Suite struct ClientStatusMappingTests {
    private func call(_ behavior: RawHTTP2Server.Behavior) async throws -> RPCError? {
        let server = try RawHTTP2Server(behavior: behavior)
        defer { server.stop() }
        let channel = try Channel(configuration: .init(target: server.address))
        defer { Task { await channel.close() } }
        do {
            _ = try await channel.unary(Echo.get, request: "x", options: CallOptions(timeout: .seconds(30)),
                                        serializer: StringSerializer(), deserializer: StringDeserializer())
            return nil
        } catch let error as RPCError {
            return error
        }
    }

    @Test func httpStatusWithoutGRPCStatusMapsToACode() async throws {
        #expect(try await call(.respond([(":status", "503")]))?.code == .unavailable)
        #expect(try await call(.respond([(":status", "404")]))?.code == .unimplemented)
        #expect(try await call(.respond([(":status", "401")]))?.code == .unauthenticated)
        #expect(try await call(.respond([(":status", "418")]))?.code == .unknown)
    }

    @Test func trailersOnlyStatusIsUsed() async throws {
        let error = try await call(.respond([(":status", "200"), ("content-type", "application/grpc"),
                                             ("grpc-status", "7"), ("grpc-message", "denied%20here")]))
        #expect(error?.code == .permissionDenied)
        #expect(error?.message == "denied here")
    }

    @Test func missingGRPCStatusIsInternal() async throws {
        #expect(try await call(.respond([(":status", "200"), ("content-type", "application/grpc")]))?.code == .internalError)
    }

    @Test func resetCodesMapToStatusCodes() async throws {
        #expect(try await call(.reset(NGHTTP2_REFUSED_STREAM.rawValue))?.code == .unavailable)
        #expect(try await call(.reset(NGHTTP2_CANCEL.rawValue))?.code == .cancelled)
        #expect(try await call(.reset(NGHTTP2_ENHANCE_YOUR_CALM.rawValue))?.code == .resourceExhausted)
        #expect(try await call(.reset(NGHTTP2_PROTOCOL_ERROR.rawValue))?.code == .internalError)
    }

    @Test func refusedStreamsAreRetriedOnce() async throws {
        let server = try RawHTTP2Server(behaviors: [
            .reset(NGHTTP2_REFUSED_STREAM.rawValue),
            .respond([(":status", "200"), ("content-type", "application/grpc"), ("grpc-status", "7")]),
        ])
        defer { server.stop() }
        let channel = try Channel(configuration: .init(target: server.address))
        let error = await #expect(throws: RPCError.self) {
            _ = try await channel.unary(Echo.get, request: "x", options: CallOptions(timeout: .seconds(30)),
                                        serializer: StringSerializer(), deserializer: StringDeserializer())
        }
        // The second attempt's answer, so the refused first attempt was retried transparently.
        #expect(error?.code == .permissionDenied)
        #expect(server.requestCount.load(ordering: .relaxed) == 2)
        await channel.close()
    }

    @Test func aRetryIsNotRepeated() async throws {
        let server = try RawHTTP2Server(behavior: .reset(NGHTTP2_REFUSED_STREAM.rawValue))
        defer { server.stop() }
        let channel = try Channel(configuration: .init(target: server.address))
        let error = await #expect(throws: RPCError.self) {
            _ = try await channel.unary(Echo.get, request: "x", options: CallOptions(timeout: .seconds(30)),
                                        serializer: StringSerializer(), deserializer: StringDeserializer())
        }
        #expect(error?.code == .unavailable)
        #expect(server.requestCount.load(ordering: .relaxed) == 2)
        await channel.close()
    }

    @Test func goAwayBeforeProcessingIsUnavailable() async throws {
        #expect(try await call(.goAway(NGHTTP2_NO_ERROR.rawValue))?.code == .unavailable)
    }
}

@Suite struct ConnectTests {
    @Test func aServerThatNeverSpeaksHTTP2TimesOutTheConnection() async throws {
        // A listener that accepts at the TCP level (backlog) but never answers.
        let (listener, address) = try Socket.listen(on: .ipv4(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        var configuration = Channel.Configuration(target: address)
        configuration.connectTimeout = .milliseconds(200)
        let channel = try Channel(configuration: configuration)
        let started = ContinuousClock.now
        let error = await #expect(throws: RPCError.self) {
            _ = try await channel.unary(Echo.get, request: "x", serializer: StringSerializer(), deserializer: StringDeserializer())
        }
        #expect(error?.code == .unavailable)
        // The configured 200 ms ended it, not the 20 s default: the error names the timeout
        // (a wall-clock bound here failed on a loaded 2-core machine, where timers run late).
        #expect(error?.message.contains("connecting timed out after 0.2 seconds") == true, "\(String(describing: error))")
        #expect(ContinuousClock.now - started < .seconds(120))
        await channel.close()
    }

    @Test func connectionRefusedIsUnavailable() async throws {
        let (listener, address) = try Socket.listen(on: .ipv4(host: "127.0.0.1", port: 0))
        listener.close()
        let channel = try Channel(configuration: .init(target: address))
        let error = await #expect(throws: RPCError.self) {
            _ = try await channel.unary(Echo.get, request: "x", serializer: StringSerializer(), deserializer: StringDeserializer())
        }
        #expect(error?.code == .unavailable)
        await channel.close()
    }
}
