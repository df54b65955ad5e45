import RPC

/// Timeouts, grace periods and policies for supervising plugins. Every wait of the
/// supervisor is bounded by one of these.
public struct SupervisorConfiguration: Sendable {
    /// How long a plugin may take to print its handshake.
    public var startTimeout: Duration = .seconds(15)
    /// Timeout of Implemented, OnActivate, OnConfigurationChange and ExecuteCommand calls.
    public var callTimeout: Duration = .seconds(5)
    /// Timeout of the hooks on the path of a user's action (MessageWillBePosted and the other
    /// post, reaction, user, channel, team, WebSocket, push notification and plugin event
    /// hooks): they must stay fast, and a failed "will be" hook lets the value through unchanged.
    public var messageHookTimeout: Duration = .seconds(2)
    /// Timeout of a whole ServeHTTP exchange, streamed bodies included.
    public var httpTimeout: Duration = .seconds(30)
    /// The largest response body the buffered `serveHTTP(_:)` collects; the streaming
    /// `serveHTTP(head:body:)` has no total bound (it holds at most about 1 MiB at a time).
    public var maximumHTTPResponseBody = 16 * 1024 * 1024
    /// Timeout of FileWillBeUploaded (the content goes to the plugin and back).
    public var fileHookTimeout: Duration = .seconds(30)
    /// Per-hook timeouts over the defaults (`timeout(for:)`), e.g. a longer UserWillLogIn.
    public var hookTimeouts: [PluginHook: Duration] = [:]
    /// The largest file FileWillBeUploaded handles, and the most content a plugin may
    /// return for it: a plugin answering more loses the call (the file goes on unchanged).
    public var maximumUploadSize = 64 * 1024 * 1024
    /// The largest single message a plugin may answer a hook with (every unary response
    /// and every streamed chunk); a larger one fails that call.
    public var maximumHookMessageSize = 4 * 1024 * 1024
    /// How long OnDeactivate may run during an ordered stop.
    public var deactivateTimeout: Duration = .seconds(3)
    /// After the Shutdown request (and stdin closing): how long before SIGTERM.
    public var exitGrace: Duration = .seconds(2)
    /// After SIGTERM: how long before SIGKILL.
    public var terminateGrace: Duration = .seconds(2)
    /// Where each plugin's API server listens.
    public enum APITransport: Sendable, Equatable {
        /// `api.sock` in the launch's private runtime folder: only processes of the host's
        /// user can connect, and the server admits only the plugin and its descendants
        /// (SO_PEERCRED), besides checking the secret.
        case unixSocket
        /// A fresh port on 127.0.0.1; only the per-launch secret keeps others out.
        case loopbackTCP
    }

    public var apiTransport: APITransport = .unixSocket
    /// Under which folder each launch gets its private (0700) runtime folder holding
    /// `api.sock` and `hooks.sock`.
    public var runtimeDirectory: String = RuntimeFolder.defaultParent
    /// How long the API server lets calls in flight finish when it stops.
    public var apiServerShutdownGrace: Duration = .seconds(5)
    public var healthCheckInterval: Duration = .seconds(2)
    public var healthCheckTimeout: Duration = .seconds(1)
    /// Consecutive failed health checks that count as one failure (restart).
    public var unhealthyChecksBeforeRestart = 2
    public var restartPolicy = RestartPolicy()
    /// Whether plugins get the host's whole environment rather than the allowlist (PATH,
    /// LANG, LC_*, HOME, TMPDIR). Only for hosts that keep no secret in their environment.
    public var inheritEnvironment = false
    /// Extra environment for every plugin (e.g. PYTHONPATH pointing at the SDK).
    public var extraEnvironment: [String: String] = [:]
    /// Extra environment per plugin id, over `extraEnvironment`.
    public var pluginEnvironment: [String: [String: String]] = [:]
    /// How much of a plugin's stderr reaches the log.
    public var stderrLimits = StderrLimits()
    /// Interceptors around every hook call the host makes into a plugin, outermost (the host's
    /// own hook metrics run inside them). Empty by default. With RPCObservability's
    /// `ClientTracingInterceptor` here, hook calls carry the caller's trace (`traceparent`),
    /// and the Python SDK passes it on to the API calls a hook makes.
    public var hookInterceptors: [any ClientInterceptor] = []
    /// Interceptors around every call a plugin makes to its API server, outermost (before the
    /// host's metrics and secret check, so refused calls pass through them too). Empty by
    /// default; RPCObservability's `ServerTracingInterceptor` here continues the plugin's trace.
    public var apiServerInterceptors: [any ServerInterceptor] = []
    /// Receives a line for each step of each plugin's life (start, handshake, activation,
    /// failures, shutdown steps), e.g. to print a timeline.
    public var onEvent: (@Sendable (PluginEvent) -> Void)?

    public init() {}

    /// How long the host waits for `hook`: its entry in `hookTimeouts`, else
    /// `messageHookTimeout` for the hooks on the path of a user's action (posts, reactions,
    /// users, channels, teams, WebSocket, notifications, plugin events), `fileHookTimeout`
    /// for FileWillBeUploaded, `httpTimeout` for ServeHTTP, and `callTimeout` for the rest
    /// (activation, commands, configuration, OnInstall; `deactivateTimeout` for OnDeactivate).
    public func timeout(for hook: PluginHook) -> Duration {
        if let timeout = hookTimeouts[hook] { return timeout }
        switch hook {
        case .onDeactivate:
            return deactivateTimeout
        case .onActivate, .onConfigurationChange, .executeCommand, .onInstall,
            .configurationWillBeSaved:
            return callTimeout
        case .serveHTTP:
            return httpTimeout
        case .fileWillBeUploaded:
            return fileHookTimeout
        case .messageWillBePosted, .messageHasBeenPosted, .messageWillBeUpdated, .messageHasBeenUpdated,
            .messageHasBeenDeleted, .messagesWillBeConsumed, .reactionHasBeenAdded, .reactionHasBeenRemoved,
            .userHasBeenCreated, .userWillLogIn, .userHasLoggedIn, .userHasBeenDeactivated, .channelHasBeenCreated,
            .userHasJoinedChannel, .userHasLeftChannel, .userHasJoinedTeam, .userHasLeftTeam, .onWebSocketConnect,
            .onWebSocketDisconnect, .webSocketMessageHasBeenPosted, .notificationWillBePushed, .onPluginEvent:
            return messageHookTimeout
        }
    }
}

/// One step in a plugin's life, for timelines and diagnostics.
public struct PluginEvent: Sendable, CustomStringConvertible {
    public var pluginID: String
    public var message: String
    public var at: ContinuousClock.Instant

    public var description: String { "[\(pluginID)] \(message)" }
}
