/// The connectivity state of a channel or one of its subchannels (gRPC `doc/connectivity-semantics-and-api.md`).
public enum ConnectivityState: Sendable, Hashable, CustomStringConvertible {
    /// No connection and none being made; the next call starts connecting.
    case idle
    /// A connection attempt is under way.
    case connecting
    /// A connection is up (the server's HTTP/2 SETTINGS arrived) and takes calls.
    case ready
    /// The last attempt failed; the next one follows the connection backoff. Fail-fast calls
    /// fail at once in this state, wait-for-ready calls wait.
    case transientFailure
    /// The channel was closed.
    case shutdown

    public var description: String {
        switch self {
        case .idle: "IDLE"
        case .connecting: "CONNECTING"
        case .ready: "READY"
        case .transientFailure: "TRANSIENT_FAILURE"
        case .shutdown: "SHUTDOWN"
        }
    }
}
