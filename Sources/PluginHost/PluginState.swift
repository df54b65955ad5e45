/// Where a plugin is in its life, as the host sees it.
public enum PluginState: Sendable, Equatable, CustomStringConvertible {
    /// Known (manifest read) but not running.
    case inactive
    case starting
    /// Handshake done, OnActivate succeeded, hooks callable.
    case active
    case stopping
    /// Crashed or unhealthy; a restart is scheduled after a backoff.
    case restarting(afterFailures: Int, reason: String)
    /// Could not be started or activated when asked to; not retried until asked again.
    case failed(reason: String)
    /// Given up on: failed too often within the window.
    case disabled(reason: String)

    public var description: String {
        switch self {
        case .inactive: "inactive"
        case .starting: "starting"
        case .active: "active"
        case .stopping: "stopping"
        case .restarting(let failures, let reason): "restarting after \(failures) failure(s): \(reason)"
        case .failed(let reason): "failed: \(reason)"
        case .disabled(let reason): "disabled: \(reason)"
        }
    }
}
