/// Where a plugin is in its life, as the host sees it.
public enum PluginState: Sendable, Equatable, CustomStringConvertible {
    /// Known (manifest read) but not running.
    case inactive
    case starting
    /// Handshake done, OnActivate succeeded, hooks callable.
    case active
    case stopping
    /// Crashed or unhealthy; a restart is scheduled after a backoff.
    case restarting(CrashReport)
    /// Could not be started or activated when asked to; not retried until asked again.
    case failed(reason: String)
    /// Given up on: failed too often within the window.
    case disabled(CrashReport)

    /// The crash report of a restarting or disabled plugin.
    public var crashReport: CrashReport? {
        switch self {
        case .restarting(let report), .disabled(let report): report
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .inactive: "inactive"
        case .starting: "starting"
        case .active: "active"
        case .stopping: "stopping"
        case .restarting(let report): "restarting: \(report.summary)"
        case .failed(let reason): "failed: \(reason)"
        case .disabled(let report): "disabled: \(report.summary)"
        }
    }
}
