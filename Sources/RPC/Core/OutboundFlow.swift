import Synchronization

/// Send-side backpressure for one stream: counts bytes handed to the event loop but not yet
/// taken by nghttp2 (which only takes them when the peer's HTTP/2 window allows). A writer
/// suspends while more than `highWater` bytes are pending and resumes when the loop has
/// drained them below half of that, or fails when the stream is gone. With a memory budget
/// (server responses), the pending bytes are charged to it, and a writer also suspends while
/// the budget is spent.
final class OutboundFlow: Sendable {
    private struct State {
        var pending = 0
        /// The most ever pending at once (what bounded memory means here; read by tests).
        var peak = 0
        var failure: (any Error)?
        var waiter: CheckedContinuation<Void, any Error>?
    }

    private let state = Mutex(State())
    let highWater: Int
    let budget: MemoryBudget?

    init(highWater: Int, budget: MemoryBudget? = nil) {
        self.highWater = highWater
        self.budget = budget
    }

    /// Throws the stream's failure, if it has one. Writers call it before queueing.
    func checkOpen() throws {
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }

    /// Records `count` bytes queued for sending.
    func add(_ count: Int) {
        budget?.charge(count)
        state.withLock { state in
            state.pending += count
            if state.pending > state.peak { state.peak = state.pending }
        }
    }

    /// Bytes queued and not yet taken by nghttp2, now and at most so far.
    var pendingBytes: (now: Int, peak: Int) { state.withLock { ($0.pending, $0.peak) } }

    /// Suspends until pending bytes are at most `highWater` and the memory budget (if any) is
    /// not spent.
    nonisolated(nonsending) func waitForCapacity() async throws {
        try await waitForWindow()
        if let budget, budget.isSpent {
            try await budget.waitUntilAvailable()
            try checkOpen()
        }
    }

    private nonisolated(nonsending) func waitForWindow() async throws {
        enum Decision { case proceed, fail(any Error), wait }
        let decision = state.withLock { state -> Decision in
            if let failure = state.failure { return .fail(failure) }
            return state.pending <= highWater ? .proceed : .wait
        }
        switch decision {
        case .proceed: return
        case .fail(let error): throw error
        case .wait: break
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let immediate = state.withLock { state -> Result<Void, any Error>? in
                    if let failure = state.failure { return .failure(failure) }
                    if state.pending <= highWater { return .success(()) }
                    state.waiter = continuation
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            fail(CancellationError())
        }
    }

    /// Loop side: nghttp2 took `count` bytes.
    func drained(_ count: Int) {
        budget?.release(count)
        let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            state.pending -= count
            guard state.pending <= highWater / 2, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// The stream ended: current and future writers get `error`.
    func fail(_ error: any Error) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            if state.failure == nil { state.failure = error }
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume(throwing: error)
    }
}
