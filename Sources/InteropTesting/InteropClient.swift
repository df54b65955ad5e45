import RPC

/// The client side of each interop case, through the generated `grpc.testing` client stubs
/// (test.rpc.swift) over our `Channel`. Every call has a deadline, so a misbehaving server fails
/// a case instead of hanging it.
struct InteropClient: Sendable {
    let channel: Channel

    var testService: Grpc_Testing_TestService.Client { Grpc_Testing_TestService.Client(channel: channel) }
    /// A service interop servers do not host.
    var unimplementedService: Grpc_Testing_UnimplementedService.Client {
        Grpc_Testing_UnimplementedService.Client(channel: channel)
    }

    static let callTimeout: Duration = .seconds(20)
    static let requestSizes = [27182, 8, 1828, 45904]
    static let responseSizes = [31415, 9, 2653, 58979]
    static let specialMessage = "\t\ntest with whitespace\r\nand Unicode BMP \u{263A} and non-BMP \u{1F608}\t\n"

    var options: CallOptions { CallOptions(timeout: Self.callTimeout) }

    // MARK: Unary

    func emptyUnary() async throws {
        let response = try await testService.emptyCall(Grpc_Testing_Empty(), options: options)
        try check(response.message == Grpc_Testing_Empty(), "response is not empty")
    }

    static func largeRequest(expectCompressed: Bool? = nil, responseCompressed: Bool? = nil) -> Grpc_Testing_SimpleRequest {
        var request = Grpc_Testing_SimpleRequest()
        request.responseType = .compressable
        request.responseSize = 314159
        request.payload = .zeros(271828)
        if let expectCompressed { request.expectCompressed = Grpc_Testing_BoolValue(expectCompressed) }
        if let responseCompressed { request.responseCompressed = Grpc_Testing_BoolValue(responseCompressed) }
        return request
    }

    func largeUnary() async throws {
        let response = try await testService.unaryCall(Self.largeRequest(), options: options)
        try checkZeros(response.message.payload, 314159, "response")
    }

    func clientCompressedUnary() async throws {
        // Probe: an uncompressed message claiming to be compressed must be refused.
        try await expectStatus(.invalidArgument, "probe") {
            _ = try await testService.unaryCall(Self.largeRequest(expectCompressed: true), options: options)
        }
        var compressed = options
        compressed.compression = .gzip
        let first = try await testService.unaryCall(Self.largeRequest(expectCompressed: true), options: compressed)
        try checkZeros(first.message.payload, 314159, "compressed request's response")
        let second = try await testService.unaryCall(Self.largeRequest(expectCompressed: false), options: options)
        try checkZeros(second.message.payload, 314159, "uncompressed request's response")
    }

    /// The server compresses the response when asked to: the message's compressed flag must
    /// say so, and must be clear when it was asked not to.
    func serverCompressedUnary() async throws {
        for compressed in [true, false] {
            let response = try await testService.unaryCall(Self.largeRequest(responseCompressed: compressed), options: options)
            try check(response.compressed == compressed,
                      "response_compressed=\(compressed) but the response arrived compressed=\(response.compressed)")
            try checkZeros(response.message.payload, 314159, "response_compressed=\(compressed) response")
        }
    }

    // MARK: Streaming

    func clientStreaming() async throws {
        let response = try await testService.streamingInputCall(options: options) { writer in
            for size in Self.requestSizes {
                var request = Grpc_Testing_StreamingInputCallRequest()
                request.payload = .zeros(size)
                try await writer.write(request)
            }
        }
        try check(response.message.aggregatedPayloadSize == 74922,
                  "aggregated_payload_size \(response.message.aggregatedPayloadSize), expected 74922")
    }

    func clientCompressedStreaming() async throws {
        @Sendable func request(size: Int, expectCompressed: Bool) -> Grpc_Testing_StreamingInputCallRequest {
            var request = Grpc_Testing_StreamingInputCallRequest()
            request.payload = .zeros(size)
            request.expectCompressed = Grpc_Testing_BoolValue(expectCompressed)
            return request
        }
        try await expectStatus(.invalidArgument, "probe") {
            _ = try await testService.streamingInputCall(options: options) { writer in
                try await writer.write(request(size: 27182, expectCompressed: true))
            }
        }
        var compressed = options
        compressed.compression = .gzip
        let response = try await testService.streamingInputCall(options: compressed) { writer in
            try await writer.write(request(size: 27182, expectCompressed: true))
            try await writer.write(request(size: 45904, expectCompressed: false), compress: false)
        }
        try check(response.message.aggregatedPayloadSize == 73086,
                  "aggregated_payload_size \(response.message.aggregatedPayloadSize), expected 73086")
    }

    func serverStreaming() async throws {
        var request = Grpc_Testing_StreamingOutputCallRequest()
        request.responseType = .compressable
        request.responseParameters = Self.responseSizes.map { Grpc_Testing_ResponseParameters(size: $0) }
        let payloads = try await testService.streamingOutputCall(request, options: options) { responses in
            var payloads: [Grpc_Testing_Payload] = []
            for try await response in responses { payloads.append(response.payload) }
            return payloads
        }
        try check(payloads.count == Self.responseSizes.count, "\(payloads.count) responses, expected \(Self.responseSizes.count)")
        for (index, (payload, size)) in zip(payloads, Self.responseSizes).enumerated() {
            try checkZeros(payload, size, "response \(index)")
        }
    }

    /// Per-message compression: the first response compressed, the second not.
    func serverCompressedStreaming() async throws {
        var request = Grpc_Testing_StreamingOutputCallRequest()
        request.responseType = .compressable
        request.responseParameters = [
            Grpc_Testing_ResponseParameters(size: 31415, compressed: true),
            Grpc_Testing_ResponseParameters(size: 92653, compressed: false),
        ]
        let responses = try await testService.streamingOutputCall(request, options: options) { responses in
            var received: [(payload: Grpc_Testing_Payload, compressed: Bool)] = []
            for try await response in responses.withCompressionFlags { received.append((response.message.payload, response.compressed)) }
            return received
        }
        try check(responses.count == 2, "\(responses.count) responses, expected 2")
        try check(responses[0].compressed, "response 0 should arrive compressed")
        try check(!responses[1].compressed, "response 1 should arrive uncompressed")
        try checkZeros(responses[0].payload, 31415, "response 0")
        try checkZeros(responses[1].payload, 92653, "response 1")
    }

    static func pingPongRequest(requestSize: Int, responseSize: Int) -> Grpc_Testing_StreamingOutputCallRequest {
        var request = Grpc_Testing_StreamingOutputCallRequest()
        request.responseType = .compressable
        request.payload = .zeros(requestSize)
        request.responseParameters = [Grpc_Testing_ResponseParameters(size: responseSize)]
        return request
    }

    func pingPong() async throws {
        // Requests go out one at a time: the next only after the previous response arrived.
        let (outgoing, feed) = AsyncStream<Grpc_Testing_StreamingOutputCallRequest>.makeStream()
        feed.yield(Self.pingPongRequest(requestSize: Self.requestSizes[0], responseSize: Self.responseSizes[0]))
        let received = try await testService.fullDuplexCall(options: options,
            requests: { writer in
                for await request in outgoing { try await writer.write(request) }
            },
            onResponse: { responses in
                var index = 0
                for try await response in responses {
                    guard index < Self.responseSizes.count else { throw InteropFailure("more responses than requests") }
                    try checkZeros(response.payload, Self.responseSizes[index], "response \(index)")
                    index += 1
                    if index < Self.requestSizes.count {
                        feed.yield(Self.pingPongRequest(requestSize: Self.requestSizes[index], responseSize: Self.responseSizes[index]))
                    } else {
                        feed.finish()
                    }
                }
                return index
            })
        feed.finish()
        try check(received == Self.responseSizes.count, "\(received) responses, expected \(Self.responseSizes.count)")
    }

    func emptyStream() async throws {
        let count = try await testService.fullDuplexCall(options: options,
            requests: { _ in },
            onResponse: { responses in
                var count = 0
                for try await _ in responses { count += 1 }
                return count
            })
        try check(count == 0, "\(count) responses to an empty stream")
    }

    // MARK: Cancellation and deadlines

    func cancelAfterBegin() async throws {
        let testService = self.testService
        let options = self.options
        // The request producer parks (bounded by the call deadline) so the call stays open
        // with nothing sent until we cancel it.
        let call = Task {
            try await testService.streamingInputCall(options: options) { _ in
                try await Task.sleep(for: Self.callTimeout)
            }
        }
        call.cancel()
        try await expectStatus(.cancelled, "cancelled call") { _ = try await call.value }
    }

    func cancelAfterFirstResponse() async throws {
        let testService = self.testService
        let options = self.options
        let (firstResponse, signal) = AsyncStream<Result<Void, InteropFailure>>.makeStream()
        let call = Task {
            try await testService.fullDuplexCall(options: options,
                requests: { writer in
                    try await writer.write(Self.pingPongRequest(requestSize: 27182, responseSize: 31415))
                    try await Task.sleep(for: Self.callTimeout)  // keep the request side open
                },
                onResponse: { responses in
                    for try await response in responses {
                        let ok = response.payload.body.count == 31415
                        signal.yield(ok ? .success(()) : .failure(InteropFailure("first response has \(response.payload.body.count) bytes")))
                    }
                })
        }
        var first: Result<Void, InteropFailure>?
        for await result in firstResponse {
            first = result
            break
        }
        call.cancel()
        signal.finish()
        guard let first else { throw InteropFailure("no first response") }
        try first.get()
        try await expectStatus(.cancelled, "cancelled call") { _ = try await call.value }
    }

    func timeoutOnSleepingServer() async throws {
        try await expectStatus(.deadlineExceeded, "sleeping server") {
            try await testService.fullDuplexCall(options: CallOptions(timeout: .milliseconds(1)),
                requests: { writer in
                    var request = Grpc_Testing_StreamingOutputCallRequest()
                    request.payload = .zeros(27182)
                    try await writer.write(request)
                    try await Task.sleep(for: Self.callTimeout)  // never half-close
                },
                onResponse: { responses in
                    for try await _ in responses {}
                })
        }
    }

    // MARK: Metadata and status

    func customMetadata() async throws {
        let initialValue = "test_initial_metadata_value"
        let trailingValue: [UInt8] = [0xAB, 0xAB, 0xAB]
        var metadata = Metadata()
        metadata.add(InteropMetadataKey.echoInitial, initialValue)
        metadata.add(InteropMetadataKey.echoTrailing, binary: trailingValue)

        func checkEcho(headers: Metadata, trailers: Metadata, _ what: String) throws {
            try check(headers.first(InteropMetadataKey.echoInitial) == initialValue,
                      "\(what): initial metadata \(headers), expected \(InteropMetadataKey.echoInitial)=\(initialValue)")
            try check(trailers.firstBinary(InteropMetadataKey.echoTrailing) == trailingValue,
                      "\(what): trailing metadata \(trailers), expected \(InteropMetadataKey.echoTrailing)=abab ab")
        }

        let unary = try await testService.unaryCall(Self.largeRequest(), metadata: metadata, options: options)
        try checkZeros(unary.message.payload, 314159, "unary response")
        try checkEcho(headers: unary.headers, trailers: unary.trailers, "unary")

        let request = Self.pingPongRequest(requestSize: 271828, responseSize: 314159)
        let (payloads, headers, trailers) = try await testService.fullDuplexCall(metadata: metadata, options: options,
            requests: { writer in try await writer.write(request) },
            onResponse: { responses in
                var payloads: [Grpc_Testing_Payload] = []
                for try await response in responses { payloads.append(response.payload) }
                return (payloads, try await responses.headers(), try await responses.trailers())
            })
        try check(payloads.count == 1, "\(payloads.count) streaming responses, expected 1")
        try checkZeros(payloads[0], 314159, "streaming response")
        try checkEcho(headers: headers, trailers: trailers, "streaming")
    }

    func statusCodeAndMessage() async throws {
        var status = Grpc_Testing_EchoStatus()
        status.code = 2
        status.message = "test status message"
        var unaryRequest = Grpc_Testing_SimpleRequest()
        unaryRequest.responseStatus = status
        try await expectStatus(.unknown, "unary", message: status.message) {
            _ = try await testService.unaryCall(unaryRequest, options: options)
        }
        var streamingRequest = Grpc_Testing_StreamingOutputCallRequest()
        streamingRequest.responseStatus = status
        let failingRequest = streamingRequest
        try await expectStatus(.unknown, "streaming", message: status.message) {
            try await testService.fullDuplexCall(options: options,
                requests: { writer in try await writer.write(failingRequest) },
                onResponse: { responses in
                    for try await _ in responses {}
                })
        }
    }

    func specialStatusMessage() async throws {
        var request = Grpc_Testing_SimpleRequest()
        request.responseStatus.code = 2
        request.responseStatus.message = Self.specialMessage
        try await expectStatus(.unknown, "unary", message: Self.specialMessage) {
            _ = try await testService.unaryCall(request, options: options)
        }
    }

    func unimplementedMethod() async throws {
        try await expectStatus(.unimplemented, "method") {
            _ = try await testService.unimplementedCall(Grpc_Testing_Empty(), options: options)
        }
    }

    func unimplementedService() async throws {
        try await expectStatus(.unimplemented, "service") {
            _ = try await unimplementedService.unimplementedCall(Grpc_Testing_Empty(), options: options)
        }
    }
}

// MARK: Expectations

func check(_ condition: Bool, _ what: @autoclosure () -> String) throws {
    if !condition { throw InteropFailure(what()) }
}

func checkZeros(_ payload: Grpc_Testing_Payload, _ size: Int, _ what: String) throws {
    try check(payload.body.count == size, "\(what): payload is \(payload.body.count) bytes, expected \(size)")
    try check(payload.body.allSatisfy { $0 == 0 }, "\(what): payload is not all zeros")
}

/// Runs `body`, which must fail with `code` (and `message`, when given).
func expectStatus(_ code: StatusCode, _ what: String, message: String? = nil, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as RPCError {
        try check(error.code == code, "\(what): status \(error.code) (\(error.message.debugDescription)), expected \(code)")
        if let message {
            try check(error.message == message, "\(what): message \(error.message.debugDescription), expected \(message.debugDescription)")
        }
        return
    }
    throw InteropFailure("\(what): call succeeded, expected \(code)")
}
