import InteropTesting
import RPC

/// `grpc.testing.TestService` for the fuzzers: every call kind, compression, statuses and
/// metadata like the interop service, but with sizes and counts clamped and no waiting, so a
/// fuzzed request exercises the framework rather than asking the service for gigabytes.
struct FuzzTestService: Grpc_Testing_TestService.ServiceProtocol {
    static let maxPayload = 64 << 10
    static let maxResponses = 8

    func emptyCall(_ request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
        Self.echoMetadata(context)
        return Grpc_Testing_Empty()
    }

    func unaryCall(_ request: Grpc_Testing_SimpleRequest, context: ServerContext) async throws -> Grpc_Testing_SimpleResponse {
        Self.echoMetadata(context)
        try Self.failIfAsked(request.hasResponseStatus ? request.responseStatus : nil)
        if request.hasResponseCompressed, request.responseCompressed.value { context.responseCompression = .gzip }
        var response = Grpc_Testing_SimpleResponse()
        response.payload.body = Self.payload(request.responseSize)
        response.username = request.payload.body.isEmpty ? "" : "fuzz"
        return response
    }

    func cacheableUnaryCall(_ request: Grpc_Testing_SimpleRequest, context: ServerContext) async throws -> Grpc_Testing_SimpleResponse {
        try await unaryCall(request, context: context)
    }

    func streamingOutputCall(
        _ request: Grpc_Testing_StreamingOutputCallRequest,
        responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>, context: ServerContext
    ) async throws {
        Self.echoMetadata(context)
        try await Self.respond(to: request, responses, context)
    }

    func streamingInputCall(
        _ requests: RequestStream<Grpc_Testing_StreamingInputCallRequest>, context: ServerContext
    ) async throws -> Grpc_Testing_StreamingInputCallResponse {
        var total = 0
        for try await request in requests { total += request.payload.body.count }
        var response = Grpc_Testing_StreamingInputCallResponse()
        response.aggregatedPayloadSize = Int32(clamping: total)
        return response
    }

    func fullDuplexCall(
        _ requests: RequestStream<Grpc_Testing_StreamingOutputCallRequest>,
        responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>, context: ServerContext
    ) async throws {
        Self.echoMetadata(context)
        for try await request in requests { try await Self.respond(to: request, responses, context) }
    }

    func halfDuplexCall(
        _ requests: RequestStream<Grpc_Testing_StreamingOutputCallRequest>,
        responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>, context: ServerContext
    ) async throws {
        var received: [Grpc_Testing_StreamingOutputCallRequest] = []
        for try await request in requests where received.count < Self.maxResponses { received.append(request) }
        for request in received { try await Self.respond(to: request, responses, context) }
    }

    func unimplementedCall(_ request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
        throw RPCError(code: .unimplemented, message: "UnimplementedCall is never implemented")
    }

    private static func respond(
        to request: Grpc_Testing_StreamingOutputCallRequest,
        _ responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>, _ context: ServerContext
    ) async throws {
        try failIfAsked(request.hasResponseStatus ? request.responseStatus : nil)
        for parameters in request.responseParameters.prefix(maxResponses) {
            let compress = parameters.hasCompressed && parameters.compressed.value
            if compress { context.responseCompression = .gzip }
            var response = Grpc_Testing_StreamingOutputCallResponse()
            response.payload.body = payload(parameters.size)
            try await responses.write(response, compress: compress)
        }
    }

    private static func payload(_ size: Int32) -> [UInt8] {
        [UInt8](repeating: 0, count: min(max(0, Int(size)), maxPayload))
    }

    private static func echoMetadata(_ context: ServerContext) {
        if let initial = context.requestMetadata.first("x-grpc-test-echo-initial") {
            context.responseHeaders.add("x-grpc-test-echo-initial", initial)
        }
        if let trailing = context.requestMetadata.firstBinary("x-grpc-test-echo-trailing-bin") {
            context.responseTrailers.add("x-grpc-test-echo-trailing-bin", binary: trailing)
        }
    }

    private static func failIfAsked(_ status: Grpc_Testing_EchoStatus?) throws {
        guard let status, status.code != 0 else { return }
        throw RPCError(code: StatusCode(wireValue: Int(status.code)), message: status.message)
    }
}
