/// The transport-level life of one HTTP/2 connection (either side), as a value: whether the
/// socket is still connecting, open, closing after a request made where the session could
/// not be re-entered, lingering after our FIN, or closed, and which socket events it wants.
/// No I/O here: `HTTP2Session` asks, then does what the answer says, so every rule is tested
/// without a socket (`HTTP2SessionLifecycleTests`).
///
///     connecting --connected--> open --requestClose--> closing --output written--> lingering --peer EOF/timer--> closed
///                                 \--peer EOF / I/O error / close------------------------------------------------^
///
/// The first cause recorded is the one reported: a connection closed on purpose (GOAWAY,
/// timeout) still reports that cause when the peer hangs up while it is being closed.
struct HTTP2SessionLifecycle: Sendable {
    /// Which socket events the connection wants from the loop.
    struct Interest: Sendable, Equatable {
        /// False while reading is paused (a memory budget is spent).
        var readable: Bool
        /// True while output is waiting for the socket to take it.
        var writable: Bool
    }

    enum State: Sendable, Equatable {
        /// The TCP connect is in flight (client): frames wait in the session meanwhile.
        case connecting
        /// Reading and writing.
        case open(Interest)
        /// A close was asked for (`cause`): input is no longer processed; once the output
        /// queued so far (a GOAWAY, trailers) is written the connection lingers. `interest`
        /// is nil when the socket never connected (then it closes at once).
        case closing(cause: RPCError, interest: Interest?)
        /// Our FIN is out; input is read and dropped until the peer closes or a timer ends it.
        case lingering(cause: RPCError)
        case closed(cause: RPCError)
    }

    /// What the driver does to end the connection.
    enum CloseStep: Sendable, Equatable {
        /// Nothing (already lingering or closed).
        case none
        /// Shut down writing, then drop input until the peer's EOF (bounded by a timer).
        case linger(cause: RPCError)
        /// Unregister and close the socket now; the handler learns `cause`.
        case close(cause: RPCError)
    }

    private(set) var state: State

    /// `connecting` is true for a client socket whose connect is still in progress.
    init(connecting: Bool) {
        state = connecting ? .connecting : .open(Interest(readable: true, writable: false))
    }

    /// Input is handed to the session only while open (never while closing: its callbacks
    /// already asked to stop).
    var processesInput: Bool {
        if case .open = state { return true }
        return false
    }

    /// Output may be written (the socket is connected and our FIN is not out).
    var canWrite: Bool {
        switch state {
        case .open: return true
        case .closing(_, let interest): return interest != nil
        case .connecting, .lingering, .closed: return false
        }
    }

    var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    var isLingering: Bool {
        if case .lingering = state { return true }
        return false
    }

    var isReadingPaused: Bool { interest.map { !$0.readable } ?? false }

    /// The close asked for and not yet carried out (nil when none).
    var requestedCause: RPCError? {
        if case .closing(let cause, _) = state { return cause }
        return nil
    }

    private var interest: Interest? {
        switch state {
        case .open(let interest): return interest
        case .closing(_, let interest): return interest
        case .connecting, .lingering, .closed: return nil
        }
    }

    private mutating func setInterest(_ interest: Interest) {
        switch state {
        case .open: state = .open(interest)
        case .closing(let cause, _): state = .closing(cause: cause, interest: interest)
        case .connecting, .lingering, .closed: break
        }
    }

    // MARK: Events

    /// The TCP connect completed; returns the interest to register.
    mutating func connected() -> Interest? {
        guard case .connecting = state else { return nil }
        let interest = Interest(readable: true, writable: false)
        state = .open(interest)
        return interest
    }

    /// The memory budget is spent: stop reading. Returns the new interest when it changed.
    mutating func pauseReading() -> Interest? {
        guard case .open(var interest) = state, interest.readable else { return nil }
        interest.readable = false
        state = .open(interest)
        return interest
    }

    /// Memory was freed: read again. Returns the new interest when it changed.
    mutating func resumeReading() -> Interest? {
        guard case .open(var interest) = state, !interest.readable else { return nil }
        interest.readable = true
        state = .open(interest)
        return interest
    }

    /// A write finished (`socketFull`: output waits because the socket would block, not
    /// because everything went or a TLS handshake waits for the peer). Returns the new
    /// interest when it changed (ask for EPOLLOUT only while the socket is full).
    mutating func wrote(socketFull: Bool) -> Interest? {
        guard var interest else { return nil }
        guard interest.writable != socketFull else { return nil }
        interest.writable = socketFull
        setInterest(interest)
        return interest
    }

    /// Asked from inside a session callback (where the session may not be re-entered):
    /// stop processing input, close once the output is written. True the first time (the
    /// driver then schedules `finishClose`).
    mutating func requestClose(_ cause: RPCError) -> Bool {
        switch state {
        case .open(let interest):
            state = .closing(cause: cause, interest: interest)
            return true
        case .connecting:
            state = .closing(cause: cause, interest: nil)
            return true
        case .closing, .lingering, .closed:
            return false
        }
    }

    /// The output queued so far is flushed as far as it goes (or the session has nothing
    /// more to do: `fallbackCause` says why). Linger when all of it was written, else close.
    mutating func finishClose(outputEmpty: Bool, fallbackCause: RPCError) -> CloseStep {
        let cause: RPCError
        switch state {
        case .closing(let requested, let interest):
            guard interest != nil else { return close(requested) }
            cause = requested
        case .open: cause = fallbackCause
        case .connecting: return close(fallbackCause)
        case .lingering, .closed: return .none
        }
        guard outputEmpty else { return close(cause) }
        state = .lingering(cause: cause)
        return .linger(cause: cause)
    }

    /// The peer closed, the socket failed, a timer ran out, or the owner closes: closed now,
    /// with the cause asked for earlier if there was one. `.none` when already closed.
    mutating func close(_ cause: RPCError) -> CloseStep {
        switch state {
        case .closed:
            return .none
        case .closing(let requested, _), .lingering(let requested):
            state = .closed(cause: requested)
            return .close(cause: requested)
        case .connecting, .open:
            state = .closed(cause: cause)
            return .close(cause: cause)
        }
    }
}
