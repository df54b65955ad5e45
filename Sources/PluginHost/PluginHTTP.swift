import RPC

/// The head of an HTTP request forwarded to a plugin: method, `url` relative to the
/// plugin's root (e.g. "/api/items?page=2"), headers, the authenticated user and context.
public typealias PluginHTTPRequestHead = Mattermost_Pluginapi_V1_HTTPRequestHead
/// The head of a plugin's HTTP response: status code and headers.
public typealias PluginHTTPResponseHead = Mattermost_Pluginapi_V1_HTTPResponseHead

extension PluginHTTPRequestHead {
    /// A request head; `headers` are (name, value) pairs in the order received.
    public init(method: String, url: String, headers: [(String, String)] = [], userID: String = "") {
        self.init()
        self.method = method
        self.url = url
        self.userID = userID
        self.headers = headers.map { name, value in
            var header = Mattermost_Pluginapi_V1_HTTPHeader()
            header.name = name
            header.value = value
            return header
        }
    }
}

extension PluginHTTPResponseHead {
    /// The first header called `name` (case-insensitive), if any.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }
}

/// An HTTP request forwarded to a plugin with its whole body (the buffered convenience;
/// `Environment.serveHTTP(pluginID:head:body:)` streams instead).
public struct PluginHTTPRequest: Sendable {
    public var head: PluginHTTPRequestHead
    public var body: [UInt8]

    public init(method: String, url: String, headers: [(String, String)] = [], body: [UInt8] = [], userID: String = "") {
        self.head = PluginHTTPRequestHead(method: method, url: url, headers: headers, userID: userID)
        self.body = body
    }
}

/// A plugin's HTTP response with its whole body (the buffered convenience).
public struct PluginHTTPResponse: Sendable {
    public var head: PluginHTTPResponseHead
    public var body: [UInt8]

    public var statusCode: Int { Int(head.statusCode) }

    public func header(_ name: String) -> String? { head.header(name) }
}

/// A plugin's HTTP response while it streams: the head as soon as the plugin sent it, and
/// the body as it arrives.
public struct PluginHTTPStreamingResponse: Sendable {
    public let head: PluginHTTPResponseHead
    /// The body's chunks; iterate it once, to its end, or drop it to cancel the exchange.
    public let body: PluginHTTPResponseBody

    public var statusCode: Int { Int(head.statusCode) }

    public func header(_ name: String) -> String? { head.header(name) }

    /// The whole body, refused past `maximumBytes` (`RPCError` RESOURCE_EXHAUSTED, and the
    /// exchange is cancelled).
    public func collect(upTo maximumBytes: Int) async throws -> PluginHTTPResponse {
        var bytes: [UInt8] = []
        for try await chunk in body {
            guard bytes.count + chunk.count <= maximumBytes else {
                body.cancel()
                throw RPCError(code: .resourceExhausted, message: "the plugin's HTTP response body is over \(maximumBytes) bytes")
            }
            bytes.append(contentsOf: chunk)
        }
        return PluginHTTPResponse(head: head, body: bytes)
    }
}

/// The body chunks of a plugin's HTTP response, in order, as the plugin sends them.
///
/// Flow control reaches the plugin: at most about 1 MiB waits here for the consumer, and
/// while it waits the plugin's stream is paused (its sends block under HTTP/2 flow control).
/// Iteration throws `RPCError` when the exchange fails after the head (the plugin crashed,
/// sent something malformed or oversized, or passed `SupervisorConfiguration.httpTimeout`):
/// the HTTP side should then abort the response rather than end it cleanly.
///
/// Cancelling the iterating task, calling `cancel()`, or releasing the body before its end
/// cancels the exchange: the plugin's call is cancelled (its request stream fails and its
/// response generator is closed).
public final class PluginHTTPResponseBody: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    let queue: BoundedChunkQueue<[UInt8]>

    init(queue: BoundedChunkQueue<[UInt8]>) {
        self.queue = queue
    }

    deinit {
        queue.cancel()
    }

    /// Stops the exchange now (the HTTP client went away); a no-op after the body's end.
    public func cancel() {
        queue.cancel()
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let body: PluginHTTPResponseBody

        public mutating func next() async throws -> [UInt8]? {
            try await body.queue.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(body: self)
    }
}
