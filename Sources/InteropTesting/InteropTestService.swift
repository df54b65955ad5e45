import RPC

/// `grpc.testing.TestService` with the standard interop-test server semantics: payloads of
/// zeros of the requested sizes, echo of the two test metadata keys, `response_status`
/// turned into the call's status, per-message compression checks (`expect_compressed`) and
/// per-message response compression (`response_compressed`, `ResponseParameters.compressed`).
/// Implements the generated `Grpc_Testing_TestService.ServiceProtocol` (test.rpc.swift), whose
/// extension supplies the method table. `UnimplementedCall` answers UNIMPLEMENTED, as interop
/// servers must.
public struct InteropTestService: Grpc_Testing_TestService.ServiceProtocol {
    public init() {}

    public func emptyCall(_ request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
        Self.echoMetadata(context)
        return Grpc_Testing_Empty()
    }

    public func unaryCall(_ request: Grpc_Testing_SimpleRequest, context: ServerContext) async throws -> Grpc_Testing_SimpleResponse {
        try await Self.unaryCall(request, context)
    }

    public func cacheableUnaryCall(_ request: Grpc_Testing_SimpleRequest, context: ServerContext) async throws -> Grpc_Testing_SimpleResponse {
        try await Self.unaryCall(request, context)
    }

    public func streamingOutputCall(
        _ request: Grpc_Testing_StreamingOutputCallRequest,
        responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>, context: ServerContext
    ) async throws {
        Self.echoMetadata(context)
        try Self.failIfRequested(request.hasResponseStatus ? request.responseStatus : nil)
        try await Self.respond(to: request, writer: responses, context: context)
    }

    public func streamingInputCall(
        _ requests: RequestStream<Grpc_Testing_StreamingInputCallRequest>, context: ServerContext
    ) async throws -> Grpc_Testing_StreamingInputCallResponse {
        Self.echoMetadata(context)
        var total = 0
        for try await request in requests {
            try Self.checkCompression(expected: request.hasExpectCompressed ? request.expectCompressed.value : nil, context)
            total += request.payload.body.count
        }
        var response = Grpc_Testing_StreamingInputCallResponse()
        response.aggregatedPayloadSize = Int32(total)
        return response
    }

    public func fullDuplexCall(
        _ requests: RequestStream<Grpc_Testing_StreamingOutputCallRequest>,
        responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>, context: ServerContext
    ) async throws {
        Self.echoMetadata(context)
        for try await request in requests {
            try Self.failIfRequested(request.hasResponseStatus ? request.responseStatus : nil)
            try await Self.respond(to: request, writer: responses, context: context)
        }
    }

    public func halfDuplexCall(
        _ requests: RequestStream<Grpc_Testing_StreamingOutputCallRequest>,
        responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>, context: ServerContext
    ) async throws {
        Self.echoMetadata(context)
        // Half duplex: buffer every request until the client half-closes, then answer.
        var buffered: [Grpc_Testing_StreamingOutputCallRequest] = []
        for try await request in requests { buffered.append(request) }
        for request in buffered {
            try Self.failIfRequested(request.hasResponseStatus ? request.responseStatus : nil)
            try await Self.respond(to: request, writer: responses, context: context)
        }
    }

    /// Declared in test.proto so clients can probe UNIMPLEMENTED; interop servers leave it out.
    public func unimplementedCall(_ request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
        throw RPCError(code: .unimplemented, message: "method not found: \(context.descriptor.path)")
    }

    static func unaryCall(_ request: Grpc_Testing_SimpleRequest, _ context: ServerContext) async throws -> Grpc_Testing_SimpleResponse {
        echoMetadata(context)
        try checkCompression(expected: request.hasExpectCompressed ? request.expectCompressed.value : nil, context)
        try failIfRequested(request.hasResponseStatus ? request.responseStatus : nil)
        if request.hasResponseCompressed, request.responseCompressed.value {
            context.responseCompression = .gzip
        }
        var response = Grpc_Testing_SimpleResponse()
        response.payload = .zeros(Int(request.responseSize))
        return response
    }

    /// Writes one response per `ResponseParameters`, waiting `interval_us` before each and
    /// compressing exactly those marked `compressed`.
    static func respond(
        to request: Grpc_Testing_StreamingOutputCallRequest,
        writer: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        let wantsCompression = request.responseParameters.contains { $0.hasCompressed && $0.compressed.value }
        if wantsCompression { context.responseCompression = .gzip }
        for parameters in request.responseParameters {
            if parameters.intervalUs > 0 {
                try await Task.sleep(for: .microseconds(Int(parameters.intervalUs)))
            }
            var response = Grpc_Testing_StreamingOutputCallResponse()
            response.payload = .zeros(Int(parameters.size))
            try await writer.write(response, compress: parameters.hasCompressed && parameters.compressed.value)
        }
    }

    /// Echoes `x-grpc-test-echo-initial` in the headers and `x-grpc-test-echo-trailing-bin`
    /// in the trailers.
    static func echoMetadata(_ context: ServerContext) {
        let metadata = context.requestMetadata
        if let initial = metadata.first(InteropMetadataKey.echoInitial) {
            context.responseHeaders.add(InteropMetadataKey.echoInitial, initial)
        }
        if let trailing = metadata.firstBinary(InteropMetadataKey.echoTrailing) {
            context.responseTrailers.add(InteropMetadataKey.echoTrailing, binary: trailing)
        }
    }

    /// Ends the call with the status the client asked for, if any.
    static func failIfRequested(_ status: Grpc_Testing_EchoStatus?) throws {
        guard let status, status.code != 0 else { return }
        throw RPCError(code: StatusCode(wireValue: Int(status.code)), message: status.message)
    }

    /// The client states per message whether it compressed it; a mismatch with what arrived
    /// is INVALID_ARGUMENT (which is also how clients probe for this check).
    static func checkCompression(expected: Bool?, _ context: ServerContext) throws {
        guard let expected else { return }
        let actual = context.requestMessageWasCompressed
        if expected != actual {
            throw RPCError(code: .invalidArgument,
                           message: "expect_compressed=\(expected) but the message arrived compressed=\(actual)")
        }
    }
}
