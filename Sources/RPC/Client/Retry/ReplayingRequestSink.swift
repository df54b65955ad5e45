import Synchronization

/// The request side of a streaming call under a retry policy (gRPC A6): each message goes to
/// the current attempt and is kept for replay, so a new attempt can be sent everything the
/// caller wrote so far. Keeping stops, and the call commits to its attempt, once the kept
/// messages exceed the retry buffer or the response headers arrive. A write that meets an
/// ended attempt waits for the retry decision: replayed on the next attempt, or failed.
final class ReplayingRequestSink: RequestSink {
    private enum Phase {
        /// Messages go to this attempt.
        case sending(ClientCall)
        /// The attempt ended; the call's driver decides whether another follows.
        case deciding
        /// No more attempts: the call's outcome is final (writes fail with the attempt's error).
        case final(ClientCall)
    }

    private struct State {
        var phase: Phase
        /// Messages sent so far, while not committed.
        var kept: [(bytes: [UInt8], compress: Bool)] = []
        var keptBytes = 0
        var committed = false
        var finished = false
        /// Bumped by every phase change; writers wait for a change past the one they saw.
        var generation = 0
        var waiters: [(generation: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state: Mutex<State>
    private let limit: Int

    init(first: ClientCall, limit: Int) {
        self.state = Mutex(State(phase: .sending(first)))
        self.limit = limit
    }

    /// Whether the call is committed to its current attempt.
    var isCommitted: Bool { state.withLock { $0.committed } }

    var hasEnded: Bool {
        state.withLock { state in
            if case .final(let call) = state.phase { return call.hasEnded }
            return false
        }
    }

    func send(_ bytes: [UInt8], compress: Bool) async throws {
        enum Step { case send(ClientCall, Int), wait(Int), fail(ClientCall) }
        var kept = false
        while true {
            let step = state.withLock { state -> Step in
                switch state.phase {
                case .deciding: return .wait(state.generation)
                case .final(let call): return .fail(call)
                case .sending(let call):
                    if !kept && !state.committed {
                        kept = true
                        state.kept.append((bytes, compress))
                        state.keptBytes += bytes.count
                        if state.keptBytes > limit { Self.commit(&state) }
                    }
                    return .send(call, state.generation)
                }
            }
            switch step {
            case .fail(let call):
                try await call.send(bytes, compress: compress)  // throws the call's own error
                return
            case .wait(let generation):
                await waitForChange(after: generation)
            case .send(let call, let generation):
                do {
                    try await call.send(bytes, compress: compress)
                    return
                } catch {
                    // The attempt ended under this write. Kept (not committed): wait for the
                    // driver's decision; a replacement attempt replays it.
                    if await awaitDecision(after: generation, kept: kept) { return }
                    throw error
                }
            }
        }
    }

    /// True when the write is replayed on a new attempt, false when the call is final.
    private func awaitDecision(after generation: Int, kept: Bool) async -> Bool {
        enum Verdict { case wait(Int), replayed, final }
        var seen = generation
        while true {
            let verdict = state.withLock { state -> Verdict in
                if state.committed || !kept { return .final }
                switch state.phase {
                case .final: return .final
                case .deciding: return .wait(state.generation)
                case .sending: return state.generation == seen ? .wait(seen) : .replayed
                }
            }
            switch verdict {
            case .final: return false
            case .replayed: return true
            case .wait(let generation):
                seen = generation
                await waitForChange(after: generation)
            }
        }
    }

    func finishRequests() {
        let call = state.withLock { state -> ClientCall? in
            state.finished = true
            if case .sending(let call) = state.phase { return call }
            return nil
        }
        call?.finishRequests()
    }

    func cancel(code: StatusCode, message: String) {
        let call = state.withLock { state -> ClientCall? in
            switch state.phase {
            case .sending(let call), .final(let call): return call
            case .deciding: return nil
            }
        }
        call?.cancel(code: code, message: message)
    }

    // MARK: The call's driver

    /// The attempt failed: writes wait until `replay(onto:)` or `finalize(with:)`.
    func attemptEnded() {
        change { $0.phase = .deciding }
    }

    /// The response headers arrived: this attempt is final, nothing more is kept.
    func commit() {
        change { Self.commit(&$0) }
    }

    /// No more attempts: `call`'s outcome stands.
    func finalize(with call: ClientCall) {
        change {
            Self.commit(&$0)
            $0.phase = .final(call)
        }
    }

    /// Sends everything kept to a new attempt (and half-closes it when the caller is done),
    /// then lets writes continue on it. When the attempt fails meanwhile, the rest is not sent:
    /// its status (awaited by the driver) decides about another attempt.
    func replay(onto call: ClientCall) async {
        let (messages, finished) = state.withLock { ($0.kept, $0.finished) }
        for message in messages {
            do {
                try await call.send(message.bytes, compress: message.compress)
            } catch {
                break
            }
        }
        // Writers wait while deciding, so nothing was added meanwhile; `finished` may have flipped.
        let finishedNow = change { state -> Bool in
            state.phase = .sending(call)
            return state.finished
        }
        if finished || finishedNow { call.finishRequests() }
    }

    private static func commit(_ state: inout State) {
        state.committed = true
        state.kept = []
        state.keptBytes = 0
    }

    @discardableResult
    private func change<T>(_ body: (inout State) -> T) -> T {
        let (result, ready) = state.withLock { state -> (T, [CheckedContinuation<Void, Never>]) in
            let result = body(&state)
            state.generation += 1
            let ready = state.waiters.map(\.continuation)
            state.waiters = []
            return (result, ready)
        }
        for waiter in ready { waiter.resume() }
        return result
    }

    private func waitForChange(after generation: Int) async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool in
                guard state.generation == generation else { return true }
                state.waiters.append((generation, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }
}
