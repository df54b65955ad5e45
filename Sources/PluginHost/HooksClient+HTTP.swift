import RPC
import Synchronization

/// ServeHTTP over its bidirectional stream, streaming both ways: the request body goes to
/// the plugin as the caller's sequence yields it, each write waiting for the plugin's HTTP/2
/// window (so the caller's source is read only as fast as the plugin consumes); the response
/// head is handed out as soon as it arrives and the body through a bounded queue, whose
/// fullness pauses the reading of the plugin's stream (and so, through HTTP/2 flow control,
/// the plugin's sends).
extension HooksClient {
    /// Request body chunks go to the plugin in messages of at most this many bytes.
    static let httpChunkSize = 64 * 1024
    /// Response body bytes that may wait for the caller before the plugin's stream is paused.
    static let httpResponseBuffer = 1024 * 1024

    func serveHTTP<Body: AsyncSequence & Sendable>(
        head: PluginHTTPRequestHead, body: Body, timeout: Duration
    ) async throws -> PluginHTTPStreamingResponse where Body.Element == [UInt8] {
        let queue = BoundedChunkQueue<[UInt8]>(limit: Self.httpResponseBuffer) { $0.count }
        let hooks = self.hooks
        let credential = self.credential
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PluginHTTPStreamingResponse, any Error>) in
                let headWaiter = HeadWaiter(continuation)
                let exchange = Task {
                    do {
                        try await hooks.serveHTTP(
                            metadata: credential, options: Self.options(timeout),
                            requests: { writer in try await Self.sendRequest(head: head, body: body, to: writer) },
                            onResponse: { responses in
                                var iterator = responses.makeAsyncIterator()
                                guard let first = try await iterator.next() else {
                                    throw RPCError(code: .internalError, message: "ServeHTTP ended without a response")
                                }
                                guard first.hasHead else {
                                    throw RPCError(code: .internalError, message: "ServeHTTP response without a head")
                                }
                                let response = PluginHTTPStreamingResponse(
                                    head: first.head, body: PluginHTTPResponseBody(queue: queue))
                                headWaiter.take()?.resume(returning: response)
                                if !first.bodyChunk.isEmpty { try await queue.push(first.bodyChunk) }
                                while let message = try await iterator.next() {
                                    guard !message.hasHead else {
                                        throw RPCError(code: .internalError, message: "ServeHTTP response with a second head")
                                    }
                                    if !message.bodyChunk.isEmpty { try await queue.push(message.bodyChunk) }
                                }
                            })
                        queue.finish()
                    } catch {
                        if let waiter = headWaiter.take() {
                            waiter.resume(throwing: error)
                        } else {
                            queue.finish(throwing: error)
                        }
                    }
                }
                // The consumer went away (or the caller was cancelled before the head): the
                // task's cancellation cancels the call, which the plugin sees.
                queue.onCancel { exchange.cancel() }
            }
        } onCancel: {
            queue.cancel()
        }
    }

    /// The head first (so the plugin can start before any body arrives), then the body in
    /// messages of at most `httpChunkSize` bytes, then the end mark (a message with neither
    /// head nor chunk: the body is complete, which a plugin cannot otherwise tell from a
    /// cancelled stream); the call half-closes after it. A failing `body` (the client went
    /// away) throws before the mark, and the call is cancelled.
    private static func sendRequest<Body: AsyncSequence & Sendable>(
        head: PluginHTTPRequestHead, body: Body, to writer: RequestWriter<Mattermost_Pluginapi_V1_ServeHTTPRequest>
    ) async throws where Body.Element == [UInt8] {
        var first = Mattermost_Pluginapi_V1_ServeHTTPRequest()
        first.head = head
        try await writer.write(first)
        for try await chunk in body {
            var offset = 0
            while offset < chunk.count {
                let end = min(chunk.count, offset + httpChunkSize)
                var message = Mattermost_Pluginapi_V1_ServeHTTPRequest()
                message.bodyChunk = Array(chunk[offset..<end])
                try await writer.write(message)
                offset = end
            }
        }
        try await writer.write(Mattermost_Pluginapi_V1_ServeHTTPRequest())
    }
}

/// The caller waiting for a response head, resumed exactly once: with the head, or with the
/// error that came first.
private final class HeadWaiter: Sendable {
    private let continuation: Mutex<CheckedContinuation<PluginHTTPStreamingResponse, any Error>?>

    init(_ continuation: CheckedContinuation<PluginHTTPStreamingResponse, any Error>) {
        self.continuation = Mutex(continuation)
    }

    /// The continuation, the first time only.
    func take() -> CheckedContinuation<PluginHTTPStreamingResponse, any Error>? {
        continuation.withLock { $0.take() }
    }
}
