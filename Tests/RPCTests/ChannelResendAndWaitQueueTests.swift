import CNGHTTP2
import Glibc
import Synchronization
import Testing
@testable import RPC

/// The channel's handling of calls no server has seen (gRPC's transparent retry: started again
/// on another connection, costing no retry attempt) and the bound on calls it holds while no
/// connection is READY.
@Suite struct ChannelResendAndWaitQueueTests {
    /// The second request's answer: a Trailers-Only PERMISSION_DENIED, so a call that ends with
    /// it was sent again after the first request met GOAWAY.
    private static let secondAnswer = RawHTTP2Server.Behavior.respond([
        (":status", "200"), ("content-type", "application/grpc"), ("grpc-status", "7"), ("grpc-message", "second"),
    ])

    @Test func aStreamingCallRefusedUnseenByGoAwayStartsOverOnANewConnection() async throws {
        // GOAWAY with last stream id 0 in answer to the call's headers: the server never saw it.
        let server = try RawHTTP2Server(behaviors: [.goAway(NGHTTP2_NO_ERROR.rawValue), Self.secondAnswer])
        defer { server.stop() }
        let channel = try Channel(configuration: .init(target: server.address))
        let error = await #expect(throws: RPCError.self) {
            _ = try await channel.bidirectionalStreaming(Echo.update, options: CallOptions(timeout: .seconds(30)),
                                                         serializer: StringSerializer(), deserializer: StringDeserializer()) { _ in
            } onResponse: { responses in
                for try await _ in responses {}
            }
        }
        // No retry policy: only the re-send on a second connection gets the second answer.
        #expect(error?.code == .permissionDenied, "\(String(describing: error))")
        #expect(error?.message == "second")
        #expect(server.requestCount.load(ordering: .relaxed) == 2)
        await channel.close()
    }

    @Test func aServerStreamingCallRefusedUnseenByGoAwayIsSentAgainWithItsRequest() async throws {
        let server = try RawHTTP2Server(behaviors: [.goAway(NGHTTP2_NO_ERROR.rawValue), Self.secondAnswer])
        defer { server.stop() }
        let channel = try Channel(configuration: .init(target: server.address))
        let error = await #expect(throws: RPCError.self) {
            _ = try await channel.serverStreaming(Echo.get, request: "x", options: CallOptions(timeout: .seconds(30)),
                                                  serializer: StringSerializer(), deserializer: StringDeserializer()) { responses in
                for try await _ in responses {}
            }
        }
        #expect(error?.code == .permissionDenied, "\(String(describing: error))")
        #expect(server.requestCount.load(ordering: .relaxed) == 2)
        await channel.close()
    }

    @Test func aServerThatRefusesEveryCallEndsTheResendsWithUnavailable() async throws {
        let server = try RawHTTP2Server(behavior: .goAway(NGHTTP2_NO_ERROR.rawValue))
        defer { server.stop() }
        let channel = try Channel(configuration: .init(target: server.address))
        let error = await #expect(throws: RPCError.self) {
            _ = try await channel.bidirectionalStreaming(Echo.update, options: CallOptions(timeout: .seconds(30)),
                                                         serializer: StringSerializer(), deserializer: StringDeserializer()) { _ in
            } onResponse: { responses in
                for try await _ in responses {}
            }
        }
        #expect(error?.code == .unavailable, "\(String(describing: error))")
        // The first send and `maxResends` more, each on its own connection.
        #expect(server.requestCount.load(ordering: .relaxed) == 1 + ClientStream.maxResends)
        await channel.close()
    }

    @Test func callsBeyondMaxWaitingCallsFailAtOnceAndTheHeldOnesRunWhenAServerComes() async throws {
        let address = SocketAddress.unix(path: "/tmp/rpc-wait-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock")
        var configuration = Channel.Configuration(target: address)
        configuration.maxWaitingCalls = 2
        configuration.connectionBackoff = ConnectionBackoff(initial: .milliseconds(50), maximum: .milliseconds(100))
        let channel = try Channel(configuration: configuration)
        let wait = CallOptions(timeout: .seconds(30), waitForReady: true)
        // Three calls for two places: whichever comes last is refused at once, the others wait.
        let refusals = Refusals()
        let calls = (0..<3).map { _ in
            Task { () -> String? in
                do {
                    return try await channel.backendName(options: wait)
                } catch let error as RPCError where error.code == .resourceExhausted {
                    refusals.errors.withLock { $0.append(error) }
                    return nil
                }
            }
        }
        #expect(await eventually { refusals.errors.withLock { !$0.isEmpty } })
        let refusal = refusals.errors.withLock { $0.first }
        #expect(refusal?.message.contains("maxWaitingCalls") == true, "\(String(describing: refusal))")
        #expect(refusal?.message.contains("\(address)") == true, "\(String(describing: refusal))")
        let backend = try await BackendServer.start("late", on: address)
        var answers: [String?] = []
        for call in calls { answers.append(try await call.value) }
        #expect(answers.compactMap { $0 } == ["late", "late"] && refusals.errors.withLock { $0.count } == 1, "\(answers)")
        // The queue is empty again: calls go through.
        #expect(try await channel.backendName(options: wait) == "late")
        await channel.close()
        await backend.stop()
    }
}

/// Errors the calls of a test met, shared with their tasks.
private final class Refusals: Sendable {
    let errors = Mutex<[RPCError]>([])
}
