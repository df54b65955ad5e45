/// What stopping a plugin process took: each escalation step with its time since the
/// stop began, so callers and tests can see (and prove) the order.
public struct StopReport: Sendable, CustomStringConvertible {
    public enum Step: Sendable, Equatable, CustomStringConvertible {
        case askedToExit
        case sentSIGTERM
        case sentSIGKILL
        case exited(ExitStatus)
        /// Processes the plugin left behind (any session or group), frozen, killed and reaped.
        case killedDescendants(Int)
        case readersClosed

        public var description: String {
            switch self {
            case .askedToExit: "asked to exit"
            case .sentSIGTERM: "SIGTERM to process group"
            case .sentSIGKILL: "SIGKILL to process group"
            case .exited(let status): "reaped: \(status)"
            case .killedDescendants(let count): "killed \(count) leftover descendant(s)"
            case .readersClosed: "stdout/stderr closed"
            }
        }
    }

    public struct TimedStep: Sendable {
        public var step: Step
        public var at: Duration
    }

    public var steps: [TimedStep] = []
    public var exitStatus: ExitStatus?

    public func contains(_ step: Step) -> Bool { steps.contains { $0.step == step } }

    public var description: String {
        steps.map { "+\($0.at.formattedMilliseconds) \($0.step)" }.joined(separator: ", ")
    }
}

extension Duration {
    /// "123 ms" style text for timelines.
    public var formattedMilliseconds: String {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return "\(milliseconds) ms"
    }
}
