import RPC
import Tracing

/// Runs every call inside a client span, a child of the caller's `ServiceContext.current`
/// (say, the server span of the call being handled), and propagates it in the request
/// metadata through the tracer's `inject` (W3C `traceparent` / `tracestate` with a W3C
/// propagating tracer, such as swift-otel's). A propagation header already in the metadata is
/// replaced by the new span's.
///
/// The span ends when `next` does (for streaming calls, when the caller's response handling
/// returns), with the status in `rpc.grpc.status_code` and every non-OK status an error.
public struct ClientTracingInterceptor: ClientInterceptor {
    private let tracer: (any Tracer)?

    /// - Parameter tracer: the tracer to use; nil (the default) uses the bootstrapped
    ///   `InstrumentationSystem.tracer` at each call.
    public init(tracer: (any Tracer)? = nil) {
        self.tracer = tracer
    }

    nonisolated(nonsending) public func intercept<Result: Sendable>(
        _ context: ClientRequestContext,
        next: (ClientRequestContext) async throws -> Result
    ) async throws -> Result {
        let tracer = self.tracer ?? InstrumentationSystem.tracer
        let span = tracer.startSpan(RPCSpanAttributes.name(context.descriptor), context: ServiceContext.current ?? .topLevel,
                                    ofKind: .client)
        RPCSpanAttributes.start(span, context.descriptor)
        var propagated = context
        tracer.inject(span.context, into: &propagated.metadata, using: MetadataInjector())
        do {
            let result = try await next(propagated)
            RPCSpanAttributes.end(span, .ok, failed: false)
            return result
        } catch {
            let outcome = CallOutcome(failure: error)
            RPCSpanAttributes.end(span, outcome, failed: true)
            throw error
        }
    }
}
