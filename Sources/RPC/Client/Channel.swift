// A gRPC client channel: one HTTP/2 connection (re-established when it is gone) carrying many
// concurrent calls, on our own event loop.
//
// Minimal usage with Wire messages (generated client stubs wrap exactly these calls):
//
//     import RPC
//     import Wire
//
//     let channel = try Channel(configuration: .init(target: .ipv4(host: "127.0.0.1", port: 50051)))
//     let sayHello = MethodDescriptor(service: "demo.Greeter", method: "SayHello")
//     var request = Demo_HelloRequest()
//     request.name = "world"
//     let reply = try await channel.unary(sayHello, request: request, responseType: Demo_HelloReply.self,
//                                         metadata: ["x-trace": "1"], options: CallOptions(timeout: .seconds(1)))
//     print(reply.message.message, reply.headers, reply.trailers)
//
//     // Server streaming: consume responses inside the closure; returning early cancels the call.
//     let count = try await channel.serverStreaming(listFeatures, request: area, responseType: Demo_Feature.self) { features in
//         var count = 0
//         for try await _ in features { count += 1 }
//         return count
//     }
//
//     // Bidirectional: `requests` writes concurrently while `onResponse` reads.
//     try await channel.bidirectionalStreaming(chat, requestType: Demo_Note.self, responseType: Demo_Note.self) { writer in
//         try await writer.write(note)
//     } onResponse: { notes in
//         for try await note in notes { print(note) }
//     }
//
//     await channel.close()
//
// Every failure is an `RPCError` with the status code, message and trailers; cancelling the
// calling task cancels the call (RST_STREAM CANCEL) and a timeout is sent as `grpc-timeout` and
// enforced locally. Non-Wire messages work the same with explicit `serializer:`/`deserializer:`.

import Logging
import Synchronization

/// A client for one service: resolves its target to addresses, keeps connections to them per
/// the load-balancing policy (re-established with backoff when lost), and carries many
/// concurrent calls over them; thread-safe, share it across tasks.
public final class Channel: Sendable {
    public let configuration: Configuration
    private let group: EventLoopGroup
    private let ownsGroup: Bool
    /// The loop every connection of this channel lives on. Callers that run their calls with
    /// `withTaskExecutorPreference(channel.eventLoop) { ... }` avoid a thread hop per message.
    public let eventLoop: EventLoop
    private let logger: Logger
    private let interceptors: [any ClientInterceptor]
    /// Client streams alive now (leak checks).
    let liveStreams = LiveCounter()
    private let core: LoopBound<ChannelCore>
    private let published = PublishedConnectivity()
    private let closed = Atomic<Bool>(false)
    let retryThrottle: RetryThrottle?
    /// From `configuration.tls` (files read at init, and again at a connect after they
    /// changed); nil for plaintext. Every subchannel's connection gets a TLS session from it.
    private let tls: ReloadingTLSContext?
    /// Response bytes all of the channel's connections hold (each connection's own
    /// `connectionMemoryBudget` is charged to it too; it sets no limit of its own).
    private let heldResponses = MemoryBudget(limit: .max)
    /// The `:authority` of every call.
    private let authority: String
    /// See `requestHeaders(for:)`.
    private let lastRequestHeaders = Mutex<(path: String, headers: HeaderBlock)?>(nil)

    /// Creates a channel. No name is resolved and no connection made until the first call.
    /// - Parameter group: loops to run the connections on; by default the channel starts one
    ///   loop thread of its own, stopped by `close()`.
    /// - Parameter interceptors: run around every call, first one outermost.
    public init(configuration: Configuration, group: EventLoopGroup? = nil, interceptors: [any ClientInterceptor] = [],
                logger: Logger = Logger(label: "rpc.channel")) throws {
        self.configuration = configuration
        self.interceptors = interceptors
        self.tls = try configuration.tls.map { try ReloadingTLSContext.client($0, logger: logger) }
        if let group {
            self.group = group
            self.ownsGroup = false
        } else {
            self.group = try EventLoopGroup(loopCount: 1, name: "rpc-client")
            self.ownsGroup = true
        }
        let loop = self.group.next()
        self.eventLoop = loop
        self.logger = logger
        self.retryThrottle = configuration.retryThrottle.map(RetryThrottle.init)
        // The configured one, else the TLS name override (like gRPC's `ssl_target_name_override`:
        // the name the server's certificate is checked against is the host the calls are for),
        // else the target's.
        self.authority = configuration.authority ?? configuration.tls?.serverNameOverride ?? configuration.channelTarget.defaultAuthority
        let tls = self.tls
        let heldResponses = self.heldResponses
        let connector = SubchannelConnector(backoff: configuration.connectionBackoff,
                                            minConnectTimeout: configuration.connectTimeout) { [configuration] address throws(RPCError) in
            try Self.connect(to: address, loop: loop, configuration: configuration, tls: tls, heldResponses: heldResponses, logger: logger)
        }
        self.core = LoopBound(ChannelCore(loop: loop, target: configuration.channelTarget, policy: configuration.loadBalancingPolicy,
                                          resolution: configuration.nameResolution,
                                          maxWaitingCalls: configuration.maxWaitingCalls, connector: connector, published: published),
                              loop: loop)
    }

    /// Closes every connection (calls still running end with CANCELLED) and stops the channel's
    /// own loop. Further calls fail with UNAVAILABLE.
    public func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let core = self.core
        _ = try? await eventLoop.submit { core.valueOnLoop.shutdown() }
        if ownsGroup { group.shutdown() }
    }

    /// Response bytes the channel's connections hold for calls that have not taken them
    /// (tests and diagnostics).
    package var heldMemoryBytes: Int? { heldResponses.usedBytes }

    // MARK: Connectivity

    /// The channel's connectivity state now.
    public var connectivityState: ConnectivityState { published.current }

    /// The current connectivity state, then every change, until the channel closes (the
    /// sequence ends after SHUTDOWN). Intermediate states may be skipped when they change faster
    /// than the consumer reads; the newest one is always delivered.
    public func connectivityStates() -> AsyncStream<ConnectivityState> {
        let (stream, continuation) = AsyncStream<ConnectivityState>.makeStream(bufferingPolicy: .bufferingNewest(8))
        if !core.execute({ $0.observe(continuation) }) {
            continuation.yield(.shutdown)
            continuation.finish()
        }
        return stream
    }

    // MARK: Connection management

    /// Opens one connection (the TCP connect completes on the loop).
    /// Each connection has its own response budget (`connectionMemoryBudget`), part of
    /// `heldResponses`, and with `tls` its own TLS session verifying the channel's target name.
    private static func connect(to address: SocketAddress, loop: EventLoop, configuration: Configuration, tls: ReloadingTLSContext?,
                                heldResponses: MemoryBudget, logger: Logger) throws(RPCError) -> ClientConnection {
        let (socket, inProgress): (Socket, Bool)
        do {
            (socket, inProgress) = try Socket.connect(to: address)
        } catch {
            throw RPCError(code: .unavailable, message: "could not connect to \(address): \(error)")
        }
        var settings = HTTP2Settings()
        settings.initialStreamWindow = Int32(clamping: configuration.initialStreamWindowSize)
        settings.connectionWindow = Int32(clamping: configuration.connectionWindowSize)
        do {
            let transport: ConnectionTransport = try tls.map { .tls(try TLSTransport(client: $0.currentContext(), configuration: configuration)) } ?? .plaintext
            let budget = MemoryBudget(limit: MemoryBudget.connectionLimit(configured: configuration.connectionMemoryBudget,
                                                                          fixedBytes: transport.fixedBufferBytes),
                                      parent: heldResponses)
            return try ClientConnection(loop: loop, socket: socket, target: address, connecting: inProgress, settings: settings,
                                        keepalive: configuration.keepalive, budget: budget, transport: transport, logger: logger)
        } catch {
            socket.close()
            throw RPCError(code: .unavailable, message: "could not set up the connection to \(address): \(error)")
        }
    }

    /// The fixed request headers of the method called last: most channels call one or a few
    /// methods, so a call usually takes them as they are instead of building them again.
    private func requestHeaders(for descriptor: MethodDescriptor) -> HeaderBlock {
        let path = descriptor.path
        if let last = lastRequestHeaders.withLock({ $0 }), last.path == path { return last.headers }
        let headers = HeaderBlock([
            (":method", "POST"), (":scheme", tls == nil ? "http" : "https"), (":path", path), (":authority", authority),
            ("content-type", "application/grpc"), ("te", "trailers"), ("user-agent", configuration.userAgent),
            ("grpc-accept-encoding", ServerStream.supportedEncodings),
        ])
        lastRequestHeaders.withLock { $0 = (path, headers) }
        return headers
    }

    /// Starts a call: opens a stream with the request headers. Messages follow via `ClientCall`,
    /// except `onlyRequest`: the one request of a unary or server-streaming call, which goes out
    /// with the headers and END_STREAM in the same loop hop.
    private func startCall(_ descriptor: MethodDescriptor, metadata: Metadata, options: CallOptions,
                           counter: ClientMessageCounter?, onlyRequest: [UInt8]? = nil) throws -> ClientCall {
        let framedRequest = try onlyRequest.map {
            try ClientCall.frame($0, compress: true, compression: options.compression, limit: configuration.maxSendMessageSize)
        }
        guard !closed.load(ordering: .acquiring) else { throw RPCError(code: .unavailable, message: "the channel is closed") }
        let flow = OutboundFlow(highWater: configuration.requestBufferHighWater)
        let stream = ClientStream(maxReceiveMessageSize: options.maxReceiveMessageSize ?? configuration.maxReceiveMessageSize,
                                  flow: flow, liveCounter: liveStreams)
        let streamBound = LoopBound(stream, loop: eventLoop)
        let queue = InboundMessageQueue(highWater: configuration.responseBufferHighWater) {
            streamBound.execute { $0.releaseOwedWindow() }
        }
        let call = ClientCall(descriptor: descriptor, responses: queue, requestFlow: flow, stream: streamBound,
                              maxSendMessageSize: configuration.maxSendMessageSize,
                              maxReceiveMessageSize: options.maxReceiveMessageSize ?? configuration.maxReceiveMessageSize,
                              compression: options.compression, messageCounter: counter)
        stream.attach(call)
        var headers = requestHeaders(for: descriptor)
        if let timeout = options.timeout { headers.add("grpc-timeout", GRPCTimeout.format(timeout)) }
        if options.compression != .identity { headers.add("grpc-encoding", options.compression.rawValue) }
        headers.add(metadata)
        let timeout = options.timeout
        let requestHeaders = headers
        if let framedRequest { flow.add(framedRequest.count) }
        let waitForReady = options.waitForReady
        let queued = core.execute { core in
            let stream = streamBound.valueOnLoop
            if let framedRequest {
                stream.enqueueRequest(framedRequest)
                stream.endRequests()
            }
            core.startCall(stream, headers: requestHeaders, timeout: timeout, waitForReady: waitForReady, onlyRequest: framedRequest)
        }
        guard queued else { throw RPCError(code: .unavailable, message: "the channel is closed") }
        if framedRequest != nil { counter?.noteSent() }
        return call
    }

    // MARK: Calls

    /// A unary call: one request, one response.
    nonisolated(nonsending) public func unary<Request: Sendable, Response: Sendable>(
        _ descriptor: MethodDescriptor,
        request: Request,
        metadata: Metadata = [:],
        options: CallOptions = CallOptions(),
        serializer: some MessageSerializer<Request>,
        deserializer: some MessageDeserializer<Response>
    ) async throws -> ClientResponse<Response> {
        let bytes = try Self.encode(request, serializer)
        return try await intercepted(descriptor, .unary, metadata, options) { context in
            // A call the server never saw is first started again by the channel itself (every call
            // kind: `ClientStream` goes back to `ChannelCore` while its request is at hand); past
            // that, one transparent retry here (on a new connection if the old one is gone) when
            // the server never processed the stream (REFUSED_STREAM, or the connection went away
            // before the stream was sent), as gRPC allows; retries per the method's retry policy
            // on top. Every attempt gets what is left of the timeout.
            let deadline = context.options.timeout.map { ContinuousClock.now.advanced(by: $0) }
            var retries = self.configuration.retryPolicy(for: descriptor).map { RetryState(policy: $0, throttle: self.retryThrottle) }
            var transparentRetried = false
            while true {
                let call = try self.startAttempt(descriptor, context, deadline: deadline, retries: retries, onlyRequest: bytes)
                do {
                    let response = try await Self.mappingCancellation { try await withTaskCancellationHandler {
                        try await Self.singleResponse(call, deserializer)
                    } onCancel: {
                        call.cancel()
                    } }
                    retries?.succeeded()
                    return response
                } catch let error as RPCError where !Task.isCancelled {
                    if !transparentRetried && error.code == .unavailable && call.unprocessed.load(ordering: .acquiring) {
                        transparentRetried = true
                        self.logger.debug("retrying an unprocessed call", metadata: ["path": "\(descriptor.path)"])
                        continue
                    }
                    try await self.waitBeforeRetry(&retries, after: error, committed: call.isCommitted, deadline: deadline)
                }
            }
        }
    }

    /// A client-streaming call: write requests in `requests` (the request side is closed when it
    /// returns), then receive one response.
    nonisolated(nonsending) public func clientStreaming<Request: Sendable, Response: Sendable>(
        _ descriptor: MethodDescriptor,
        metadata: Metadata = [:],
        options: CallOptions = CallOptions(),
        serializer: some MessageSerializer<Request>,
        deserializer: some MessageDeserializer<Response>,
        requests: @Sendable (RequestWriter<Request>) async throws -> Void
    ) async throws -> ClientResponse<Response> {
        try await intercepted(descriptor, .clientStreaming, metadata, options) { context in
            if let policy = self.configuration.retryPolicy(for: descriptor) {
                // The producer is awaited before this returns, so `requests` does not escape.
                return try await withoutActuallyEscaping(requests) { requests in
                    try await self.retryingStreamingCall(descriptor, context, policy: policy, serializer: serializer,
                                                         requests: requests, awaitsProducer: true) { call in
                        try await Self.singleResponse(call, deserializer)
                    }
                }
            }
            let call = try self.startCall(descriptor, metadata: context.metadata, options: context.options,
                                          counter: context.messageCounter)
            return try await Self.mappingCancellation { try await withTaskCancellationHandler {
                try await Self.produceRequests(call, serializer, requests)
                return try await Self.singleResponse(call, deserializer)
            } onCancel: {
                call.cancel()
            } }
        }
    }

    /// A server-streaming call: one request, then `onResponse` consumes the response stream.
    /// Returning before the stream ends cancels the call.
    nonisolated(nonsending) public func serverStreaming<Request: Sendable, Response: Sendable, Result: Sendable>(
        _ descriptor: MethodDescriptor,
        request: Request,
        metadata: Metadata = [:],
        options: CallOptions = CallOptions(),
        serializer: some MessageSerializer<Request>,
        deserializer: some MessageDeserializer<Response>,
        onResponse: (ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        let bytes = try Self.encode(request, serializer)
        return try await intercepted(descriptor, .serverStreaming, metadata, options) { context in
            guard let policy = self.configuration.retryPolicy(for: descriptor) else {
                let call = try self.startCall(descriptor, metadata: context.metadata, options: context.options,
                                              counter: context.messageCounter, onlyRequest: bytes)
                return try await Self.mappingCancellation { try await withTaskCancellationHandler {
                    try await Self.consume(call, deserializer, onResponse)
                } onCancel: {
                    call.cancel()
                } }
            }
            // With a retry policy, an attempt commits when its response headers arrive: until
            // then a retryable failure starts another attempt; `onResponse` sees only the committed one.
            let deadline = context.options.timeout.map { ContinuousClock.now.advanced(by: $0) }
            var retries: RetryState? = RetryState(policy: policy, throttle: self.retryThrottle)
            while true {
                let call = try self.startAttempt(descriptor, context, deadline: deadline, retries: retries, onlyRequest: bytes)
                do {
                    _ = try await Self.mappingCancellation { try await withTaskCancellationHandler {
                        try await call.headers.get()
                    } onCancel: {
                        call.cancel()
                    } }
                } catch let error as RPCError where !Task.isCancelled {
                    try await self.waitBeforeRetry(&retries, after: error, committed: call.isCommitted, deadline: deadline)
                    continue
                }
                let result = try await Self.mappingCancellation { try await withTaskCancellationHandler {
                    try await Self.consume(call, deserializer, onResponse)
                } onCancel: {
                    call.cancel()
                } }
                // The throttle counts calls that ended OK (the consumer read to the end).
                if call.trailers.current != nil, (try? await call.waitForStatus()) != nil { retries?.succeeded() }
                return result
            }
        }
    }

    /// A bidirectional call: `requests` writes (concurrently) while `onResponse` reads.
    /// The request side closes when `requests` returns; returning from `onResponse` before the
    /// responses end cancels the call; an error thrown by `requests` cancels it too.
    nonisolated(nonsending) public func bidirectionalStreaming<Request: Sendable, Response: Sendable, Result: Sendable>(
        _ descriptor: MethodDescriptor,
        metadata: Metadata = [:],
        options: CallOptions = CallOptions(),
        serializer: some MessageSerializer<Request>,
        deserializer: some MessageDeserializer<Response>,
        requests: @escaping @Sendable (RequestWriter<Request>) async throws -> Void,
        onResponse: (ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        try await intercepted(descriptor, .bidirectionalStreaming, metadata, options) { context in
            if let policy = self.configuration.retryPolicy(for: descriptor) {
                return try await self.retryingStreamingCall(descriptor, context, policy: policy, serializer: serializer,
                                                            requests: requests, awaitsProducer: false) { call in
                    try await Self.consume(call, deserializer, onResponse)
                }
            }
            let call = try self.startCall(descriptor, metadata: context.metadata, options: context.options,
                                          counter: context.messageCounter)
            return try await Self.mappingCancellation { try await withTaskCancellationHandler {
                let producer = Task {
                    try await Self.produceRequests(call, serializer, requests)
                }
                do {
                    let result = try await Self.consume(call, deserializer, onResponse)
                    producer.cancel()
                    return result
                } catch {
                    producer.cancel()
                    throw error
                }
            } onCancel: {
                call.cancel()
            } }
        }
    }

    // MARK: Retries

    /// Starts one attempt: what is left of the deadline, and `grpc-previous-rpc-attempts` on retries.
    private func startAttempt(_ descriptor: MethodDescriptor, _ context: ClientRequestContext, deadline: ContinuousClock.Instant?,
                              retries: RetryState?, onlyRequest: [UInt8]?) throws -> ClientCall {
        var options = context.options
        if let deadline { options.timeout = max(.zero, deadline - ContinuousClock.now) }
        var metadata = context.metadata
        if let retries, retries.attempts > 1 {
            metadata.add(RetryState.previousAttemptsKey, "\(retries.attempts - 1)")
        }
        return try startCall(descriptor, metadata: metadata, options: options, counter: context.messageCounter,
                             onlyRequest: onlyRequest)
    }

    /// A client-streaming or bidirectional call under a retry policy: the caller's requests
    /// are written (concurrently) through a `ReplayingRequestSink`; until response headers
    /// commit an attempt, a retryable failure starts another one and replays the requests
    /// kept so far. `handle` then gets the committed attempt.
    nonisolated(nonsending) private func retryingStreamingCall<Request: Sendable, Result: Sendable>(
        _ descriptor: MethodDescriptor, _ context: ClientRequestContext, policy: RetryPolicy,
        serializer: some MessageSerializer<Request>,
        requests: @escaping @Sendable (RequestWriter<Request>) async throws -> Void, awaitsProducer: Bool,
        handle: (ClientCall) async throws -> Result
    ) async throws -> Result {
        let deadline = context.options.timeout.map { ContinuousClock.now.advanced(by: $0) }
        var retries: RetryState? = RetryState(policy: policy, throttle: retryThrottle)
        var call = try startAttempt(descriptor, context, deadline: deadline, retries: retries, onlyRequest: nil)
        let sink = ReplayingRequestSink(first: call, limit: configuration.retryBufferSize)
        // The producer runs beside the attempts: a write may meet a failed attempt and wait
        // for the retry decision made here.
        let producer = Task { try await Self.produceRequests(sink, serializer, requests) }
        do {
            let result = try await Self.mappingCancellation { try await withTaskCancellationHandler {
                while true {
                    do {
                        _ = try await call.headers.get()
                        sink.commit()
                        break
                    } catch let error as RPCError where !Task.isCancelled {
                        sink.attemptEnded()
                        do {
                            try await waitBeforeRetry(&retries, after: error, committed: call.isCommitted || sink.isCommitted,
                                                      deadline: deadline)
                            call = try startAttempt(descriptor, context, deadline: deadline, retries: retries, onlyRequest: nil)
                            await sink.replay(onto: call)
                        } catch {
                            sink.finalize(with: call)
                            throw error
                        }
                    }
                }
                let result = try await handle(call)
                if call.hasEnded, (try? await call.waitForStatus()) != nil { retries?.succeeded() }
                return result
            } onCancel: {
                sink.cancel(code: .cancelled, message: "the call was cancelled by the client")
            } }
            producer.cancel()
            if awaitsProducer { _ = await producer.result }
            return result
        } catch {
            producer.cancel()
            if awaitsProducer { _ = await producer.result }
            throw error
        }
    }

    /// Waits out the retry delay, or rethrows `error` when the call is not retried.
    nonisolated(nonsending) private func waitBeforeRetry(_ retries: inout RetryState?, after error: RPCError, committed: Bool,
                                                         deadline: ContinuousClock.Instant?) async throws {
        guard var state = retries, let delay = state.nextDelay(after: error, committed: committed, deadline: deadline) else {
            throw error
        }
        retries = state
        logger.debug("retrying a call", metadata: ["code": "\(error.code)", "delay": "\(delay)", "attempt": "\(state.attempts)"])
        do {
            try await Task.sleep(for: delay)
        } catch {
            throw RPCError(code: .cancelled, message: "the call was cancelled while waiting to retry")
        }
    }

    // MARK: Helpers

    /// Runs `body` through the interceptors, first one outermost.
    /// Messages are counted only for interceptors to read: a channel without any counts nothing.
    nonisolated(nonsending) private func intercepted<Result: Sendable>(
        _ descriptor: MethodDescriptor, _ kind: RPCKind, _ metadata: Metadata, _ options: CallOptions,
        _ body: (ClientRequestContext) async throws -> Result
    ) async throws -> Result {
        let context = ClientRequestContext(descriptor: descriptor, kind: kind, metadata: metadata, options: options,
                                           messageCounter: interceptors.isEmpty ? nil : ClientMessageCounter())
        return try await interceptedFrom(0, context, body)
    }

    nonisolated(nonsending) private func interceptedFrom<Result: Sendable>(
        _ index: Int, _ context: ClientRequestContext, _ body: (ClientRequestContext) async throws -> Result
    ) async throws -> Result {
        guard index < interceptors.count else { return try await body(context) }
        return try await interceptors[index].intercept(context) { next in
            try await interceptedFrom(index + 1, next, body)
        }
    }

    /// Every failure of a call surfaces as `RPCError`: task cancellation becomes CANCELLED.
    nonisolated(nonsending) private static func mappingCancellation<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch is CancellationError {
            throw RPCError(code: .cancelled, message: "the call was cancelled")
        }
    }

    private static func encode<Request>(_ request: Request, _ serializer: some MessageSerializer<Request>) throws -> [UInt8] {
        do {
            return try serializer.serialize(request)
        } catch {
            throw RPCError(code: .internalError, message: "could not encode request message: \(error)")
        }
    }

    /// Runs the user's request producer, then half-closes. If the producer fails because the
    /// call already ended, the call's own status is what the caller sees.
    nonisolated(nonsending) private static func produceRequests<Request: Sendable>(
        _ call: some RequestSink, _ serializer: some MessageSerializer<Request>,
        _ requests: @Sendable (RequestWriter<Request>) async throws -> Void
    ) async throws {
        let writer = RequestWriter(sink: call) { try serializer.serialize($0) }
        do {
            try await requests(writer)
            call.finishRequests()
        } catch {
            if call.hasEnded { return }  // the call is over; its status wins
            call.cancel(code: .cancelled, message: "the request producer failed: \(error)")
            throw error
        }
    }

    nonisolated(nonsending) private static func singleResponse<Response>(_ call: ClientCall, _ deserializer: some MessageDeserializer<Response>) async throws -> ClientResponse<Response> {
        var message: [UInt8]?
        var compressed = false
        while let received = try await call.nextResponse() {
            let bytes = received.bytes
            compressed = received.compressed
            if message != nil {
                call.cancel(code: .internalError, message: "more than one response message")
                throw RPCError(code: .internalError, message: "the server sent more than one response message")
            }
            message = bytes
        }
        // Taken out of the optional: the deserializer gets the only reference (see `WireDeserializer`).
        guard let bytes = message.take() else {
            throw RPCError(code: .internalError, message: "the server sent no response message")
        }
        let response: Response
        do {
            response = try deserializer.deserialize(consume bytes)
        } catch {
            throw RPCError(code: .internalError, message: "could not decode response message: \(error)")
        }
        return ClientResponse(message: response, headers: try await call.headers.get(), trailers: try await call.trailers.get(),
                              compressed: compressed)
    }

    nonisolated(nonsending) private static func consume<Response: Sendable, Result>(
        _ call: ClientCall, _ deserializer: some MessageDeserializer<Response>,
        _ onResponse: (ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        let stream = ResponseStream(call: call) { try deserializer.deserialize($0) }
        do {
            let result = try await onResponse(stream)
            // Stop the call if the consumer returned early; a no-op when it already ended.
            if call.trailers.current == nil { call.cancel() }
            return result
        } catch {
            if call.trailers.current == nil { call.cancel() }
            throw error
        }
    }
}
