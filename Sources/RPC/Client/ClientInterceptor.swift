/// What a client interceptor sees of a call before it starts, and may change.
public struct ClientRequestContext: Sendable {
    public let descriptor: MethodDescriptor
    /// Request metadata (add auth tokens, trace ids, ...).
    public var metadata: Metadata
    public var options: CallOptions
}

/// Cross-cutting client behaviour around every call (auth, logging, metrics, retries).
/// Call `next` to run the call (with a possibly modified context) and return its result, or
/// throw `RPCError` to fail the call without sending it. For streaming calls `next` returns
/// once the caller's response handling is done.
public protocol ClientInterceptor: Sendable {
    nonisolated(nonsending) func intercept<Result: Sendable>(
        _ context: ClientRequestContext,
        next: (ClientRequestContext) async throws -> Result
    ) async throws -> Result
}
