/// What the host knows about a plugin that exited unexpectedly, failed its health checks,
/// or could not be restarted: carried by `PluginState.restarting` and `.disabled`, and
/// printed by `plugin-host`.
public struct CrashReport: Sendable, Equatable, CustomStringConvertible {
    public enum Cause: Sendable, Equatable, CustomStringConvertible {
        /// The process ended on its own: its exit status or the signal that killed it.
        case exited(ExitStatus)
        /// The process ran but failed this many health checks in a row.
        case unhealthy(failedChecks: Int)
        /// A restart attempt did not get the plugin running.
        case restartFailed(PluginStartError.Reason)

        public var description: String {
            switch self {
            case .exited(let status): "process \(status)"
            case .unhealthy(let checks): "\(checks) health checks failed in a row"
            case .restartFailed(let reason): "restart failed: \(reason)"
            }
        }
    }

    public var cause: Cause
    /// How long the failed launch ran (nil when it never started).
    public var uptime: Duration?
    /// Restarts after failures before this one.
    public var restartCount: Int
    /// Failures within the restart policy's window, this one included.
    public var recentFailures: Int
    /// The plugin's last stderr lines (escaped), oldest first.
    public var lastStderrLines: [String]

    public init(
        cause: Cause, uptime: Duration?, restartCount: Int, recentFailures: Int, lastStderrLines: [String]
    ) {
        self.cause = cause
        self.uptime = uptime
        self.restartCount = restartCount
        self.recentFailures = recentFailures
        self.lastStderrLines = lastStderrLines
    }

    /// One line: cause, uptime and counts.
    public var summary: String {
        var text = "\(cause)"
        if let uptime { text += " after \(uptime.formattedMilliseconds) up" }
        return text + "; restarts so far: \(restartCount), failures in window: \(recentFailures)"
    }

    /// The summary, then the stderr lines indented.
    public var description: String {
        var text = summary
        if lastStderrLines.isEmpty {
            text += "\n  (no stderr output)"
        } else {
            text += "\n  last stderr lines:"
            for line in lastStderrLines { text += "\n  | \(line)" }
        }
        return text
    }
}
