/// Timeouts, grace periods and policies for supervising plugins. Every wait of the
/// supervisor is bounded by one of these.
public struct SupervisorConfiguration: Sendable {
    /// How long a plugin may take to print its handshake.
    public var startTimeout: Duration = .seconds(15)
    /// Timeout of Implemented, OnActivate, OnConfigurationChange and ExecuteCommand calls.
    public var callTimeout: Duration = .seconds(5)
    /// Timeout of MessageWillBePosted / MessageHasBeenPosted: posting must stay fast, and a
    /// failed "will be posted" hook lets the post through unchanged.
    public var messageHookTimeout: Duration = .seconds(2)
    public var httpTimeout: Duration = .seconds(30)
    public var maximumHTTPResponseBody = 16 * 1024 * 1024
    /// How long OnDeactivate may run during an ordered stop.
    public var deactivateTimeout: Duration = .seconds(3)
    /// After the Shutdown request (and stdin closing): how long before SIGTERM.
    public var exitGrace: Duration = .seconds(2)
    /// After SIGTERM: how long before SIGKILL.
    public var terminateGrace: Duration = .seconds(2)
    /// How long the API server lets calls in flight finish when it stops.
    public var apiServerShutdownGrace: Duration = .seconds(5)
    public var healthCheckInterval: Duration = .seconds(2)
    public var healthCheckTimeout: Duration = .seconds(1)
    /// Consecutive failed health checks that count as one failure (restart).
    public var unhealthyChecksBeforeRestart = 2
    public var restartPolicy = RestartPolicy()
    /// Whether plugins inherit the host's environment (minus its own plugin variables).
    public var inheritEnvironment = true
    /// Extra environment for every plugin (e.g. PYTHONPATH pointing at the SDK).
    public var extraEnvironment: [String: String] = [:]
    /// Receives a line for each step of each plugin's life (start, handshake, activation,
    /// failures, shutdown steps), e.g. to print a timeline.
    public var onEvent: (@Sendable (PluginEvent) -> Void)?

    public init() {}
}

/// One step in a plugin's life, for timelines and diagnostics.
public struct PluginEvent: Sendable, CustomStringConvertible {
    public var pluginID: String
    public var message: String
    public var at: ContinuousClock.Instant

    public var description: String { "[\(pluginID)] \(message)" }
}
