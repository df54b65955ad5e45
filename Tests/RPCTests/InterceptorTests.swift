import Synchronization
import Testing
@testable import RPC

/// Rejects calls without the right token (server side).
struct AuthInterceptor: ServerInterceptor {
    func intercept(_ call: ServerCall, next: @Sendable (ServerCall) async throws -> Void) async throws {
        guard call.context.requestMetadata.first("authorization") == "Bearer good" else {
            throw RPCError(code: .unauthenticated, message: "bad token")
        }
        try await next(call)
    }
}

/// Adds the token to every call and records the methods it saw (client side).
final class TokenInterceptor: ClientInterceptor {
    let seen = Mutex<[String]>([])
    let token: String
    init(token: String) { self.token = token }

    func intercept<Result: Sendable>(_ context: ClientRequestContext, next: (ClientRequestContext) async throws -> Result) async throws -> Result {
        seen.withLock { $0.append(context.descriptor.path) }
        var context = context
        context.metadata.add("authorization", "Bearer \(token)")
        return try await next(context)
    }
}

@Suite struct InterceptorTests {
    @Test func clientInterceptorAddsMetadataThatTheServerInterceptorChecks() async throws {
        let harness = try await Harness.start(interceptors: [AuthInterceptor()])
        defer { Task { await harness.stop() } }
        // Without a token the server interceptor rejects the call before the handler runs.
        let error = await #expect(throws: RPCError.self) { _ = try await harness.get("x") }
        #expect(error?.code == .unauthenticated)

        let good = TokenInterceptor(token: "good")
        let channel = try Channel(configuration: .init(target: harness.address), interceptors: [good])
        let reply = try await channel.unary(Echo.get, request: "y", serializer: StringSerializer(), deserializer: StringDeserializer())
        #expect(reply.message == "echo: y")
        let count = try await channel.serverStreaming(Echo.expand, request: "a b", serializer: StringSerializer(), deserializer: StringDeserializer()) { responses in
            var count = 0
            for try await _ in responses { count += 1 }
            return count
        }
        #expect(count == 2)
        #expect(good.seen.withLock { $0 } == [Echo.get.path, Echo.expand.path])
        await channel.close()
    }
}
