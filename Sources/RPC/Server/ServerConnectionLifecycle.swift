/// The life of one server connection, as a value: which phase it is in, what each phase
/// needs to know, and what the driver (`ServerConnection`) must do on each event. No I/O and
/// no clock reads here: events carry the time, methods return actions, so every rule is
/// tested without a socket (`ServerConnectionLifecycleTests`).
///
///     handshaking --SETTINGS--> active --idle/age/shutdown/client GOAWAY--> draining --last stream/grace--> closed
///          \--handshake timeout------------------------------------------------------------^
///
/// Timers are never rescheduled per call: the idle timer, when it fires, checks how long the
/// connection really has been idle and asks to be scheduled again for the rest.
struct ServerConnectionLifecycle: Sendable {
    /// The connection-management settings (`Server.Configuration`).
    struct Limits: Sendable, Equatable {
        var handshakeTimeout: Duration
        var maxIdle: Duration?
        var maxAge: Duration?
        var maxAgeGrace: Duration?
    }

    enum Timer: Sendable, Hashable {
        /// The client's preface and SETTINGS are due.
        case handshake
        /// Checks `maxIdle`.
        case idle
        /// `maxAge` reached.
        case age
        /// The final GOAWAY follows the shutdown notice after one round trip's grace.
        case finalGoAway
        /// Calls still running when draining began have had their time.
        case grace
    }

    enum Action: Sendable, Equatable {
        case schedule(Timer, after: Duration)
        case cancel(Timer)
        /// GOAWAY with the maximum stream id: the client opens no new streams.
        case sendShutdownNotice
        /// GOAWAY with the last stream id processed, NO_ERROR, and this debug text.
        case sendFinalGoAway(String)
        /// Close once pending output (GOAWAY, trailers) is written.
        case close(reason: String)
    }

    enum State: Sendable, Equatable {
        /// Accepted; the client's preface and first SETTINGS have not arrived.
        case handshaking
        /// Serving. `idleSince`: when the last stream closed (read only while none is open,
        /// and only kept when `maxIdle` is set).
        case active(idleSince: ContinuousClock.Instant?)
        /// GOAWAY sent (`finalSent` once the second one is out); open streams may finish.
        case draining(finalSent: Bool, reason: String)
        case closed
    }

    let limits: Limits
    private(set) var state: State = .handshaking
    /// Streams open now. Kept beside the phase, not in it: opening and closing a stream, once
    /// per call, then only count, where rewriting the phase (an enum holding a String) cost a
    /// copy, an assignment and a destruction through value witnesses each time.
    private(set) var openStreams = 0

    init(limits: Limits) { self.limits = limits }

    /// The connection was accepted.
    mutating func started(now: ContinuousClock.Instant) -> [Action] {
        guard case .handshaking = state else { return [] }
        var actions: [Action] = [.schedule(.handshake, after: limits.handshakeTimeout)]
        if let maxAge = limits.maxAge { actions.append(.schedule(.age, after: maxAge)) }
        return actions
    }

    /// The client's first SETTINGS arrived (nghttp2 has checked the preface before it).
    mutating func settingsReceived(now: ContinuousClock.Instant) -> [Action] {
        guard case .handshaking = state else { return [] }
        state = .active(idleSince: limits.maxIdle != nil ? now : nil)
        var actions: [Action] = [.cancel(.handshake)]
        if let maxIdle = limits.maxIdle { actions.append(.schedule(.idle, after: maxIdle)) }
        return actions
    }

    /// A stream opened. Never needs an action (the idle timer checks on its own).
    mutating func streamOpened() {
        openStreams += 1
        // HEADERS before SETTINGS is a protocol error nghttp2 rejects; count it anyway.
        if openStreams == 1, case .handshaking = state { state = .active(idleSince: nil) }
    }

    /// A stream closed; while draining, the last one closes the connection once the final
    /// GOAWAY is out.
    /// `now` is read only when the connection becomes idle and `maxIdle` is set.
    mutating func streamClosed(now: @autoclosure () -> ContinuousClock.Instant) -> Action? {
        openStreams = max(0, openStreams - 1)
        guard openStreams == 0 else { return nil }
        switch state {
        case .active:
            if limits.maxIdle != nil { state = .active(idleSince: now()) }
            return nil
        case .draining(let finalSent, let reason):
            return finalSent ? .close(reason: reason) : nil
        case .handshaking, .closed:
            return nil
        }
    }

    mutating func timerFired(_ timer: Timer, now: ContinuousClock.Instant) -> [Action] {
        switch (timer, state) {
        case (.handshake, .handshaking):
            state = .closed
            return [.close(reason: "no HTTP/2 preface and SETTINGS within \(limits.handshakeTimeout)")]
        case (.idle, .active(let idleSince)):
            guard let maxIdle = limits.maxIdle else { return [] }
            guard openStreams == 0, let idleSince else { return [.schedule(.idle, after: maxIdle)] }
            let idleFor = idleSince.duration(to: now)
            if idleFor < maxIdle { return [.schedule(.idle, after: maxIdle - idleFor)] }
            return beginDraining(reason: "max_idle", grace: nil)
        case (.age, .active):
            return beginDraining(reason: "max_age", grace: limits.maxAgeGrace)
        case (.age, .handshaking):
            state = .closed
            return [.close(reason: "max_age")]
        case (.finalGoAway, .draining(false, let reason)):
            state = .draining(finalSent: true, reason: reason)
            var actions: [Action] = [.sendFinalGoAway(reason)]
            if openStreams == 0 { actions.append(.close(reason: reason)) }
            return actions
        case (.grace, .draining(_, let reason)):
            state = .closed
            return [.close(reason: "\(reason): grace period ended")]
        default:
            // A timer that outlived the phase it was for.
            return []
        }
    }

    /// The server shuts down: drain, cancelling what still runs after `grace`.
    mutating func shutdown(grace: Duration) -> [Action] {
        switch state {
        case .handshaking:
            state = .closed
            return [.close(reason: "server shutdown")]
        case .active:
            return beginDraining(reason: "server shutdown", grace: grace)
        case .draining, .closed:
            return []
        }
    }

    /// The client sent GOAWAY: it opens no more streams, so the connection closes once the
    /// calls it has open end (at once when none is).
    mutating func goAwayReceived() -> [Action] {
        let reason = "the client sent GOAWAY"
        switch state {
        case .handshaking:
            state = .closed
            return [.close(reason: reason)]
        case .active:
            if openStreams == 0 {
                state = .closed
                return [.cancel(.idle), .cancel(.age), .close(reason: reason)]
            }
            state = .draining(finalSent: true, reason: reason)
            return [.cancel(.idle), .cancel(.age)]
        case .draining, .closed:
            return []
        }
    }

    /// The connection closed (whatever the cause): every timer goes, nothing more happens.
    mutating func closed() -> [Action] {
        state = .closed
        return [.cancel(.handshake), .cancel(.idle), .cancel(.age), .cancel(.finalGoAway), .cancel(.grace)]
    }

    /// Two-step GOAWAY (a notice, then the final one a round trip later, so streams already
    /// on their way are not refused), then close when the last stream ends or `grace` ends.
    private mutating func beginDraining(reason: String, grace: Duration?) -> [Action] {
        guard case .active = state else { return [] }
        state = .draining(finalSent: false, reason: reason)
        var actions: [Action] = [.cancel(.idle), .cancel(.age), .sendShutdownNotice, .schedule(.finalGoAway, after: Self.finalGoAwayDelay)]
        if let grace { actions.append(.schedule(.grace, after: grace)) }
        return actions
    }

    /// How long the shutdown notice has to reach the client before the final GOAWAY.
    static let finalGoAwayDelay: Duration = .milliseconds(100)
}
