import BenchRPCMessages
import RPC
import Synchronization

/// `grpc.testing.BenchmarkService` on our Server, with the semantics every peer in
/// /work/shared/peers implements: a response carries `response_size` zero bytes.
public struct BenchmarkService: RPCService {
    public static let serviceName = "grpc.testing.BenchmarkService"
    public static let unaryCall = MethodDescriptor(service: serviceName, method: "UnaryCall")
    public static let streamingCall = MethodDescriptor(service: serviceName, method: "StreamingCall")
    public static let streamingFromClient = MethodDescriptor(service: serviceName, method: "StreamingFromClient")
    public static let streamingFromServer = MethodDescriptor(service: serviceName, method: "StreamingFromServer")

    public init() {}

    public var methods: [ServerMethod] {
        [
            .unary(Self.unaryCall) { (request: Grpc_Testing_SimpleRequest, _: ServerContext) in
                Self.response(for: request)
            },
            // Bidi ping-pong: one response per request; OK when the client half-closes.
            .bidirectionalStreaming(Self.streamingCall) {
                (requests: RequestStream<Grpc_Testing_SimpleRequest>, writer: ResponseWriter<Grpc_Testing_SimpleResponse>, _: ServerContext) in
                for try await request in requests {
                    try await writer.write(Self.response(for: request))
                }
            },
            // Reads every request, answers once (sized by the last request).
            .clientStreaming(Self.streamingFromClient) {
                (requests: RequestStream<Grpc_Testing_SimpleRequest>, _: ServerContext) in
                var last = Grpc_Testing_SimpleRequest()
                for try await request in requests { last = request }
                return Self.response(for: last)
            },
            // Writes responses until the client cancels (the call's end makes `write` throw).
            .serverStreaming(Self.streamingFromServer) {
                (request: Grpc_Testing_SimpleRequest, writer: ResponseWriter<Grpc_Testing_SimpleResponse>, _: ServerContext) in
                let response = Self.response(for: request)
                while !Task.isCancelled {
                    try await writer.write(response)
                }
            },
        ]
    }

    /// A response with `request.responseSize` zero bytes of payload (no payload when 0).
    static func response(for request: Grpc_Testing_SimpleRequest) -> Grpc_Testing_SimpleResponse {
        var response = Grpc_Testing_SimpleResponse()
        if request.responseSize > 0 {
            var payload = Grpc_Testing_Payload()
            payload.body = zeroBody(count: Int(request.responseSize))
            response.payload = payload
        }
        return response
    }

    /// Bodies from this size on are shared between calls instead of being made per call.
    static let sharedBodyThreshold = 1 << 20

    /// The last large zero body handed out (one, so what it holds is bounded by one body).
    private static let sharedBody = Mutex<[UInt8]>([])

    /// `count` zero bytes. A large one is made once and shared (copy-on-write; encoding only
    /// reads it), as a real service sends a large blob it already holds: filling 64 MiB with
    /// zeros per call would time the bench's own memset and page faults, not the transport.
    static func zeroBody(count: Int) -> [UInt8] {
        guard count >= sharedBodyThreshold else { return [UInt8](repeating: 0, count: count) }
        return sharedBody.withLock { body in
            if body.count != count { body = [UInt8](repeating: 0, count: count) }
            return body
        }
    }
}
