import RPC
import Tracing

/// Span names and attributes per OpenTelemetry's RPC semantic conventions for gRPC:
/// the span is named `service/method`, with `rpc.system`, `rpc.service`, `rpc.method` and,
/// when the call ends, `rpc.grpc.status_code`.
enum RPCSpanAttributes {
    static func name(_ descriptor: MethodDescriptor) -> String {
        descriptor.service + "/" + descriptor.method
    }

    static func start(_ span: any Span, _ descriptor: MethodDescriptor) {
        span.updateAttributes { attributes in
            attributes["rpc.system"] = SpanAttribute.string("grpc")
            attributes["rpc.service"] = SpanAttribute.string(descriptor.service)
            attributes["rpc.method"] = SpanAttribute.string(descriptor.method)
        }
    }

    /// Records the status and ends the span. `failed` says whether the code is an error for
    /// this side: every non-OK code for a client; for a server only the codes that mean the
    /// server failed (a client's bad argument is not the server's error).
    static func end(_ span: any Span, _ outcome: CallOutcome, failed: Bool) {
        span.attributes["rpc.grpc.status_code"] = SpanAttribute.int64(Int64(outcome.code.rawValue))
        if let error = outcome.error { span.recordError(error) }
        if failed {
            span.setStatus(SpanStatus(code: .error, message: outcome.code.description))
        }
        span.end()
    }

    /// The codes OpenTelemetry counts as a server span's error.
    static func isServerError(_ code: StatusCode) -> Bool {
        switch code {
        case .unknown, .deadlineExceeded, .unimplemented, .internalError, .unavailable, .dataLoss: true
        default: false
        }
    }
}
