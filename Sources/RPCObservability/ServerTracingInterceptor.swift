import RPC
import Tracing

/// Runs every call inside a server span: continues the trace the client propagated in its
/// request metadata (W3C `traceparent` / `tracestate` with a W3C propagating tracer, such as
/// swift-otel's), and binds the span's `ServiceContext` while the handler runs, so the
/// handler's own spans and outgoing calls (through `ClientTracingInterceptor`) are its children.
///
/// Metadata the tracer cannot parse is ignored: the call starts a new trace and goes on.
/// The span ends with the call's status in `rpc.grpc.status_code`; see `RPCSpanAttributes`
/// for the names (OpenTelemetry's RPC conventions).
public struct ServerTracingInterceptor: ServerInterceptor {
    private let tracer: (any Tracer)?

    /// - Parameter tracer: the tracer to use; nil (the default) uses the bootstrapped
    ///   `InstrumentationSystem.tracer` at each call.
    public init(tracer: (any Tracer)? = nil) {
        self.tracer = tracer
    }

    public func intercept(_ call: ServerCall, next: @Sendable (ServerCall) async throws -> Void) async throws {
        let tracer = self.tracer ?? InstrumentationSystem.tracer
        let descriptor = call.context.descriptor
        var parent = ServiceContext.current ?? .topLevel
        tracer.extract(call.context.requestMetadata, into: &parent, using: MetadataExtractor())
        let span = tracer.startSpan(RPCSpanAttributes.name(descriptor), context: parent, ofKind: .server)
        RPCSpanAttributes.start(span, descriptor)
        do {
            try await ServiceContext.withValue(span.context) {
                try await next(call)
            }
            end(span, .server(call.context, failure: nil))
        } catch {
            end(span, .server(call.context, failure: error))
            throw error
        }
    }

    private func end(_ span: any Span, _ outcome: CallOutcome) {
        RPCSpanAttributes.end(span, outcome, failed: RPCSpanAttributes.isServerError(outcome.code))
    }
}
