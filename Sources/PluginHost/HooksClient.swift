import RPC
import Wire

/// Calls a plugin's `PluginHooks` service (and its standard health service) over one
/// channel, through the generated clients. Every call has a timeout; failures are `RPCError`s.
struct HooksClient: Sendable {
    static let serviceName = Mattermost_Pluginapi_V1_PluginHooks.serviceName
    /// ServeHTTP bodies travel in chunks of this size.
    static let httpChunkSize = 64 * 1024

    let channel: Channel
    let hooks: Mattermost_Pluginapi_V1_PluginHooks.Client
    private let health: Grpc_Health_V1_Health.Client
    /// The launch's hooks secret, sent on every call (built once, not per call).
    let credential: Metadata

    init(channel: Channel, hooksSecret: String) {
        self.channel = channel
        self.credential = [PluginEnvironmentKeys.hooksSecretMetadataKey: hooksSecret]
        self.hooks = Mattermost_Pluginapi_V1_PluginHooks.Client(channel: channel)
        self.health = Grpc_Health_V1_Health.Client(channel: channel)
    }

    static func options(_ timeout: Duration) -> CallOptions { CallOptions(timeout: timeout) }

    /// One unary hook call with the launch's secret and `timeout`, e.g.
    /// `unary(timeout) { try await $0.userWillLogIn(request, metadata: $1, options: $2) }`.
    func unary<Response>(
        _ timeout: Duration,
        _ call: (Mattermost_Pluginapi_V1_PluginHooks.Client, Metadata, CallOptions) async throws -> ClientResponse<Response>
    ) async throws -> Response {
        try await call(hooks, credential, Self.options(timeout)).message
    }

    /// The hooks the plugin implements, and the names it reported that the host does not know.
    func implemented(timeout: Duration) async throws -> (hooks: Set<PluginHook>, unknown: [String]) {
        let response = try await hooks.implemented(.init(), metadata: credential, options: Self.options(timeout)).message
        let known = Set(response.hooks.compactMap(PluginHook.init(rawValue:)))
        return (known, response.hooks.filter { PluginHook(rawValue: $0) == nil })
    }

    func onActivate(configurationJSON: String, timeout: Duration) async throws -> PluginAppError? {
        var request = Mattermost_Pluginapi_V1_OnActivateRequest()
        request.configurationJson = configurationJSON
        let response = try await hooks.onActivate(request, metadata: credential, options: Self.options(timeout)).message
        return response.hasError ? PluginAppError(response.error) : nil
    }

    func onDeactivate(timeout: Duration) async throws -> PluginAppError? {
        let response = try await hooks.onDeactivate(.init(), metadata: credential, options: Self.options(timeout)).message
        return response.hasError ? PluginAppError(response.error) : nil
    }

    func onConfigurationChange(json: String, timeout: Duration) async throws -> PluginAppError? {
        var request = Mattermost_Pluginapi_V1_OnConfigurationChangeRequest()
        request.configurationJson = json
        let response = try await hooks.onConfigurationChange(request, metadata: credential, options: Self.options(timeout)).message
        return response.hasError ? PluginAppError(response.error) : nil
    }

    func messageWillBePosted(
        _ post: PluginPost, context: PluginRequestContext, timeout: Duration
    ) async throws -> Mattermost_Pluginapi_V1_MessageWillBePostedResponse {
        var request = Mattermost_Pluginapi_V1_MessageWillBePostedRequest()
        request.post = post
        request.context = context
        return try await hooks.messageWillBePosted(request, metadata: credential, options: Self.options(timeout)).message
    }

    func messageHasBeenPosted(_ post: PluginPost, context: PluginRequestContext, timeout: Duration) async throws {
        var request = Mattermost_Pluginapi_V1_MessageHasBeenPostedRequest()
        request.post = post
        request.context = context
        _ = try await hooks.messageHasBeenPosted(request, metadata: credential, options: Self.options(timeout))
    }

    func executeCommand(
        _ args: PluginCommandArgs, context: PluginRequestContext, timeout: Duration
    ) async throws -> Mattermost_Pluginapi_V1_ExecuteCommandResponse {
        var request = Mattermost_Pluginapi_V1_ExecuteCommandRequest()
        request.args = args
        request.context = context
        return try await hooks.executeCommand(request, metadata: credential, options: Self.options(timeout)).message
    }

    /// Streams the request head and body to the plugin and collects its response, whose
    /// body may be at most `maximumResponseBody` bytes.
    func serveHTTP(
        _ request: PluginHTTPRequest, timeout: Duration, maximumResponseBody: Int
    ) async throws -> PluginHTTPResponse {
        let head = request.head
        let body = request.body
        return try await hooks.serveHTTP(
            metadata: credential, options: Self.options(timeout),
            requests: { writer in
                var first = Mattermost_Pluginapi_V1_ServeHTTPRequest()
                first.head = head
                first.bodyChunk = Array(body.prefix(Self.httpChunkSize))
                try await writer.write(first)
                var offset = min(body.count, Self.httpChunkSize)
                while offset < body.count {
                    var chunk = Mattermost_Pluginapi_V1_ServeHTTPRequest()
                    let end = min(body.count, offset + Self.httpChunkSize)
                    chunk.bodyChunk = Array(body[offset..<end])
                    try await writer.write(chunk)
                    offset = end
                }
            },
            onResponse: { responses in
                var response: PluginHTTPResponse?
                for try await chunk in responses {
                    if response == nil {
                        guard chunk.hasHead else {
                            throw RPCError(code: .internalError, message: "ServeHTTP response without a head")
                        }
                        response = PluginHTTPResponse(head: chunk.head, body: [])
                    }
                    guard response!.body.count + chunk.bodyChunk.count <= maximumResponseBody else {
                        throw RPCError(code: .resourceExhausted, message: "ServeHTTP response body too large")
                    }
                    response!.body.append(contentsOf: chunk.bodyChunk)
                }
                guard let response else {
                    throw RPCError(code: .internalError, message: "ServeHTTP ended without a response")
                }
                return response
            })
    }

    /// Asks the plugin to exit on its own.
    func shutdown(grace: Duration, timeout: Duration) async throws {
        var request = Mattermost_Pluginapi_V1_ShutdownRequest()
        request.gracePeriodMs = grace.wholeMilliseconds
        _ = try await hooks.shutdown(request, metadata: credential, options: Self.options(timeout))
    }

    /// Whether the plugin's standard health service reports SERVING for "plugin".
    func isHealthy(timeout: Duration) async -> Bool {
        var request = Grpc_Health_V1_HealthCheckRequest()
        request.service = "plugin"
        let response = try? await health.check(request, metadata: credential, options: Self.options(timeout))
        return response?.message.status == .serving
    }
}

/// An HTTP request forwarded to a plugin.
public struct PluginHTTPRequest: Sendable {
    public var head: Mattermost_Pluginapi_V1_HTTPRequestHead
    public var body: [UInt8]

    public init(method: String, url: String, headers: [(String, String)] = [], body: [UInt8] = [], userID: String = "") {
        var head = Mattermost_Pluginapi_V1_HTTPRequestHead()
        head.method = method
        head.url = url
        head.userID = userID
        head.headers = headers.map { name, value in
            var header = Mattermost_Pluginapi_V1_HTTPHeader()
            header.name = name
            header.value = value
            return header
        }
        self.head = head
        self.body = body
    }
}

/// A plugin's HTTP response.
public struct PluginHTTPResponse: Sendable {
    public var head: Mattermost_Pluginapi_V1_HTTPResponseHead
    public var body: [UInt8]

    public var statusCode: Int { Int(head.statusCode) }

    public func header(_ name: String) -> String? {
        head.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

extension Duration {
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
