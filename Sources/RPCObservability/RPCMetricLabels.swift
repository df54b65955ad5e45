import RPC

/// The labels every RPC metric carries, in the grpc-ecosystem Prometheus interceptors'
/// convention (go-grpc-prometheus, java-grpc-prometheus): `grpc_type`, `grpc_service`,
/// `grpc_method`, plus `grpc_code` on the handled counter.
struct RPCMetricLabels: Sendable {
    let dimensions: [(String, String)]

    init(_ descriptor: MethodDescriptor, _ kind: RPCKind) {
        dimensions = [("grpc_type", Self.typeName(kind)), ("grpc_service", descriptor.service), ("grpc_method", descriptor.method)]
    }

    /// With the status code's name ("OK", "NOT_FOUND", ...).
    func with(_ code: StatusCode) -> [(String, String)] {
        dimensions + [("grpc_code", code.description)]
    }

    static func typeName(_ kind: RPCKind) -> String {
        switch kind {
        case .unary: "unary"
        case .clientStreaming: "client_stream"
        case .serverStreaming: "server_stream"
        case .bidirectionalStreaming: "bidi_stream"
        }
    }
}

extension Duration {
    /// Whole nanoseconds, for swift-metrics timers.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
