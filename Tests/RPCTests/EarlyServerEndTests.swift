import Testing
@testable import RPC

/// A server may end a call with OK before it has read (or the client has even sent) the
/// request: the call's status is what the client must report. A race here once surfaced as
/// "CANCELLED: the call has ended" in interop (our client -> grpcio, server_streaming): the
/// client sent the request through the request flow and waited for it to drain; the server's
/// OK ended the call first, failed the flow, and that send error won over the OK status.
/// The server here answers every request at once (Trailers-Only, grpc-status 0) and never
/// opens its window beyond 16 KiB, so request bytes are still queued when the status arrives.
@Suite struct EarlyServerEndTests {
    static let okAtOnce: RawHTTP2Server.Behavior = .respond([(":status", "200"), ("content-type", "application/grpc"), ("grpc-status", "0")])
    static let bigRequest = [UInt8](repeating: 7, count: 1 << 20)

    private func withServer<T>(_ body: (Channel) async throws -> T) async throws -> T {
        let server = try RawHTTP2Server(behavior: Self.okAtOnce, streamWindow: 16 << 10)
        defer { server.stop() }
        let channel = try Channel(configuration: .init(target: server.address))
        do {
            let result = try await body(channel)
            await channel.close()
            return result
        } catch {
            await channel.close()
            throw error
        }
    }

    @Test func serverStreamingEndedOKBeforeTheRequestDrainedSucceeds() async throws {
        for _ in 0..<20 {
            let count = try await withServer { channel in
                try await channel.serverStreaming(Echo.expand, request: Self.bigRequest, options: CallOptions(timeout: .seconds(30)),
                                                  serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer()) { responses in
                    var count = 0
                    for try await _ in responses { count += 1 }
                    return count
                }
            }
            #expect(count == 0)
        }
    }

    @Test func bidirectionalEndedOKWhileTheClientWritesSucceeds() async throws {
        let count = try await withServer { channel in
            try await channel.bidirectionalStreaming(Echo.update, options: CallOptions(timeout: .seconds(30)),
                                                     serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer()) { writer in
                for _ in 0..<8 { try await writer.write(Self.bigRequest) }
            } onResponse: { responses in
                var count = 0
                for try await _ in responses { count += 1 }
                return count
            }
        }
        #expect(count == 0)
    }

    @Test func clientStreamingEndedOKWhileTheClientWritesReportsTheMissingResponse() async throws {
        // OK without a message is a protocol violation for a single-response call: INTERNAL,
        // not the writer's CANCELLED.
        let error = await #expect(throws: RPCError.self) {
            try await withServer { channel in
                _ = try await channel.clientStreaming(Echo.collect, options: CallOptions(timeout: .seconds(30)),
                                                      serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer()) { writer in
                    for _ in 0..<8 { try await writer.write(Self.bigRequest) }
                }
            }
        }
        #expect(error?.code == .internalError)
        #expect(error?.message.contains("no response message") == true)
    }
}
