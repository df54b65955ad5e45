import RPC

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
