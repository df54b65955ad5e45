import RPC
import Wire

/// Calls a plugin's `PluginHooks` service (and its standard health service) over one
/// channel, through the generated clients. Every call has a timeout; failures are `RPCError`s.
struct HooksClient: Sendable {
    static let serviceName = Mattermost_Pluginapi_V1_PluginHooks.serviceName
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

extension Duration {
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
