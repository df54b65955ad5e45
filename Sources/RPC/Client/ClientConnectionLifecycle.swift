/// The life of one client connection, as a value: connecting (TCP connect and the server's
/// first SETTINGS), ready, draining after the server's GOAWAY, closed with its cause. No I/O
/// here: `ClientConnection` asks and does what the answer says, so every rule is tested
/// without a socket (`ClientConnectionLifecycleTests`). Every error it produces names the
/// target and the real cause, never a bare "closing".
///
///     connecting --SETTINGS--> ready --GOAWAY--> draining --last stream--> closed(cause)
///         \--connect error / timeout ----------------------------------------^
struct ClientConnectionLifecycle: Sendable {
    enum State: Sendable, Equatable {
        /// Calls wait until the server's first SETTINGS (its stream limit) arrive.
        case connecting
        case ready
        /// The server sent GOAWAY: no new calls; the open ones may finish. `cause` is what
        /// new calls (and, for an error GOAWAY, the open ones) are told.
        case draining(cause: RPCError)
        case closed(cause: RPCError)
    }

    /// What to do with a new call.
    enum CallDecision: Sendable, Equatable {
        case open
        /// Queue it until `settingsReceived`.
        case wait
        /// The connection cannot take it (never sent: the channel may retry elsewhere).
        case fail(RPCError)
    }

    let target: String
    private(set) var state: State = .connecting
    /// An error GOAWAY's cause, which outranks whatever closes the connection afterwards.
    private var goAwayError: RPCError?

    init(target: String) { self.target = target }

    /// True while new calls are taken.
    var takesCalls: Bool {
        switch state {
        case .connecting, .ready: return true
        case .draining, .closed: return false
        }
    }

    var isReady: Bool { state == .ready }

    mutating func startCall() -> CallDecision {
        switch state {
        case .connecting: return .wait
        case .ready: return .open
        case .draining(let cause), .closed(let cause): return .fail(cause)
        }
    }

    /// The server's first SETTINGS: true when waiting calls open now (and the connect timer
    /// stops).
    mutating func settingsReceived() -> Bool {
        guard case .connecting = state else { return false }
        state = .ready
        return true
    }

    /// The connect timer fired: the cause to close with, nil when it came too late to matter.
    func connectTimedOut(after timeout: Duration) -> RPCError? {
        guard case .connecting = state else { return nil }
        return RPCError(code: .unavailable,
                        message: "connecting timed out after \(timeout): no HTTP/2 SETTINGS from the server at \(target)")
    }

    /// The TCP connect failed (`reason` is the system's).
    func connectFailed(_ reason: String) -> RPCError {
        RPCError(code: .unavailable, message: "could not connect to \(target): \(reason)")
    }

    /// GOAWAY received. Returns true when the connection should close now (no stream open).
    mutating func goAwayReceived(errorCode: UInt32, isNoError: Bool, errorStatus: StatusCode, openStreams: Int) -> Bool {
        switch state {
        case .connecting, .ready, .draining:
            if !isNoError {
                goAwayError = RPCError(code: errorStatus == .resourceExhausted ? .resourceExhausted : .unavailable,
                                       message: "the server at \(target) sent GOAWAY (HTTP/2 error \(errorCode))")
            }
            state = .draining(cause: goAwayError
                ?? RPCError(code: .unavailable, message: "the server at \(target) is shutting this connection down (GOAWAY)"))
            return openStreams == 0
        case .closed:
            return false
        }
    }

    /// A stream closed; true when the connection should close now (drained).
    func streamClosed(openStreams: Int) -> Bool {
        if case .draining = state { return openStreams == 0 }
        return false
    }

    /// The channel stops using this connection (the resolver dropped its address): no new
    /// calls, the open ones finish. Returns true when it should close now (no stream open).
    mutating func drain(openStreams: Int) -> Bool {
        switch state {
        case .connecting, .ready:
            state = .draining(cause: RPCError(code: .unavailable, message: "the channel stopped using \(target)"))
            return openStreams == 0
        case .draining:
            return openStreams == 0
        case .closed:
            return false
        }
    }

    /// The channel closes this connection: the cause calls still running end with.
    func shutdownCause() -> RPCError {
        RPCError(code: .cancelled, message: "the channel was closed")
    }

    /// The connection closed because of `error` (I/O, protocol, timeout, shutdown). Returns
    /// the cause its calls end with: an error GOAWAY's if there was one, and always naming
    /// the target.
    mutating func closed(_ error: RPCError) -> RPCError {
        if case .closed(let cause) = state { return cause }
        // The channel's own close (CANCELLED) is what its calls end with, whatever came before.
        var cause = error.code == .cancelled ? error : goAwayError ?? error
        if cause.code == .unavailable && !cause.message.contains(target) {
            cause = RPCError(code: cause.code, message: "connection to \(target): \(cause.message)", metadata: cause.metadata)
        }
        state = .closed(cause: cause)
        return cause
    }
}

/// What a client connection tells its owner (the subchannel): the lifecycle transitions it
/// acts on, derived from the states before and after.
enum ClientConnectionEvent: Sendable, Equatable {
    /// The server's first SETTINGS arrived: the connection takes calls.
    case ready
    /// GOAWAY (or the channel's drain): calls running finish, new ones need another connection.
    case draining
    /// The connection is gone, with why.
    case closed(RPCError)

    /// The event for the transition `before` -> `after`; nil when there is none to report.
    init?(from before: ClientConnectionLifecycle.State, to after: ClientConnectionLifecycle.State) {
        switch (before, after) {
        case (.closed, _):
            return nil
        case (_, .closed(let cause)):
            self = .closed(cause)
        case (.connecting, .ready):
            self = .ready
        case (.connecting, .draining), (.ready, .draining):
            self = .draining
        default:
            return nil
        }
    }
}
