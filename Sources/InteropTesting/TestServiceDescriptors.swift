import RPC

/// Method names of `grpc.testing.TestService` (test.proto), registered by hand through
/// `ServerMethod` until protoc-gen-wire emits service stubs.
public enum TestServiceMethod {
    public static let service = "grpc.testing.TestService"

    public static let emptyCall = MethodDescriptor(service: service, method: "EmptyCall")
    public static let unaryCall = MethodDescriptor(service: service, method: "UnaryCall")
    public static let cacheableUnaryCall = MethodDescriptor(service: service, method: "CacheableUnaryCall")
    public static let streamingOutputCall = MethodDescriptor(service: service, method: "StreamingOutputCall")
    public static let streamingInputCall = MethodDescriptor(service: service, method: "StreamingInputCall")
    public static let fullDuplexCall = MethodDescriptor(service: service, method: "FullDuplexCall")
    public static let halfDuplexCall = MethodDescriptor(service: service, method: "HalfDuplexCall")
    /// Declared in test.proto but deliberately left unimplemented by interop servers.
    public static let unimplementedCall = MethodDescriptor(service: service, method: "UnimplementedCall")
    /// A method of a service (`grpc.testing.UnimplementedService`) that servers do not host.
    public static let unimplementedServiceCall = MethodDescriptor(
        service: "grpc.testing.UnimplementedService", method: "UnimplementedCall")
}

/// Metadata keys the interop server echoes back.
public enum InteropMetadataKey {
    /// Echoed in the response headers.
    public static let echoInitial = "x-grpc-test-echo-initial"
    /// Echoed in the trailers (a binary key).
    public static let echoTrailing = "x-grpc-test-echo-trailing-bin"
}

extension Grpc_Testing_Payload {
    /// A COMPRESSABLE payload of `size` zero bytes, the only kind the interop cases use.
    static func zeros(_ size: Int) -> Grpc_Testing_Payload {
        var payload = Grpc_Testing_Payload()
        payload.type = .compressable
        payload.body = [UInt8](repeating: 0, count: size)
        return payload
    }
}

extension Grpc_Testing_BoolValue {
    init(_ value: Bool) {
        self.init()
        self.value = value
    }
}

extension Grpc_Testing_ResponseParameters {
    init(size: Int, compressed: Bool? = nil) {
        self.init()
        self.size = Int32(size)
        if let compressed { self.compressed = Grpc_Testing_BoolValue(compressed) }
    }
}
