/// What a client interceptor sees of a call before it starts, and may change.
public struct ClientRequestContext: Sendable {
    public let descriptor: MethodDescriptor
    /// The method's shape (unary or which side streams), for interceptors that label calls by it.
    public let kind: RPCKind
    /// Request metadata (add auth tokens, trace ids, ...).
    public var metadata: Metadata
    public var options: CallOptions
    /// Counts this call's messages; shared by every copy of the context.
    let messageCounter: ClientMessageCounter?

    /// Request messages sent so far, over all attempts (a replayed request counts again).
    /// Read it after `next` returns or throws, when it is the call's total.
    public var sentMessageCount: Int { messageCounter?.sent ?? 0 }

    /// Response messages the caller received so far (read it after `next`, as above).
    public var receivedMessageCount: Int { messageCounter?.received ?? 0 }
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
