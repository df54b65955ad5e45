import Synchronization

/// Messages received on one stream, handed from the event loop to the one task that reads them.
///
/// Backpressure: the loop asks `shouldWithhold` before returning received bytes to the HTTP/2
/// flow-control window. Once `highWater` bytes of complete messages wait unread, it keeps the
/// window closed; when the reader drains the queue below half of that, `onDrained` tells the loop
/// to reopen it. Memory per stream thus stays bounded by about one window plus one message.
///
/// With a memory budget (server requests, client responses), queued messages are charged to it by the loop as
/// their bytes arrive; taking a message (or discarding it) releases its `memoryCost` here. Sizes
/// here (`highWater`, `queuedByteCount`) are that cost, not wire bytes alone, so a flood of tiny
/// messages is bounded as what it takes in memory.
final class InboundMessageQueue: Sendable {
    private struct State {
        var messages: [ReceivedMessage] = []
        var head = 0
        var queuedBytes = 0
        var withheld = false
        var end: RPCError?? = nil  // nil: open; .some(nil): finished cleanly; .some(error): failed
        var waiter: CheckedContinuation<ReceivedMessage?, any Error>?
        var cancelledReader = false
        /// The reader has been given the end (nil or the error): it can no longer change.
        var endDelivered = false
        /// Where taken and dropped messages give their bytes back: set at init (server
        /// requests) or by `chargeTo` before the first message (client responses: the
        /// connection a call runs on is picked after the queue is made). Kept here, under the
        /// queue's own lock, rather than behind a second one read on every release.
        var budget: MemoryBudget?

        /// Drops every queued message; returns their wire bytes, for the budget.
        mutating func dropQueued() -> Int {
            let dropped = queuedBytes
            messages.removeAll()
            head = 0
            queuedBytes = 0
            return dropped
        }

        mutating func takeWaiter() -> CheckedContinuation<ReceivedMessage?, any Error>? {
            defer { waiter = nil }
            return waiter
        }
    }

    private let state: Mutex<State>
    private let highWater: Int
    /// Slots of taken messages kept at the front before the array is compacted (see `take`).
    static var compactionThreshold: Int { 256 }
    private let onDrained: @Sendable () -> Void

    init(highWater: Int, budget: MemoryBudget? = nil, onDrained: @escaping @Sendable () -> Void) {
        self.highWater = highWater
        var initial = State()
        initial.budget = budget
        self.state = Mutex(initial)
        self.onDrained = onDrained
    }

    /// Releases taken or dropped messages to `budget` (the connection's the call runs on).
    /// Called on the loop before the first message is pushed.
    func chargeTo(_ budget: MemoryBudget) {
        state.withLock { $0.budget = budget }
    }

    /// Messages nobody took (a reader that stopped early) give their bytes back.
    deinit {
        let (budget, queued) = state.withLock { ($0.budget, $0.queuedBytes) }
        budget?.release(queued)
    }

    // MARK: Loop side

    /// Queues a message (or hands it straight to a waiting reader). Its `memoryCost` must have
    /// been charged to the budget; it is released when the message is taken or dropped.
    func push(_ message: ReceivedMessage) {
        enum Outcome { case queued, dropped(MemoryBudget?), handed(CheckedContinuation<ReceivedMessage?, any Error>, MemoryBudget?) }
        let outcome = state.withLock { state -> Outcome in
            guard state.end == nil, !state.cancelledReader else { return .dropped(state.budget) }
            if let waiter = state.waiter {
                state.waiter = nil
                return .handed(waiter, state.budget)
            }
            state.messages.append(message)
            state.queuedBytes += message.memoryCost
            return .queued
        }
        switch outcome {
        case .queued: break
        case .dropped(let budget): budget?.release(message.memoryCost)
        case .handed(let waiter, let budget):
            budget?.release(message.memoryCost)
            waiter.resume(returning: message)
        }
    }

    /// Slots the queue's storage holds now, taken ones included (for tests: it must stay
    /// bounded by what is queued, not grow with every message a stream ever received).
    var storedSlotCount: Int { state.withLock { $0.messages.count } }

    /// Messages queued and not yet taken.
    var queuedMessageCount: Int { state.withLock { $0.messages.count - $0.head } }

    /// What the messages queued and not yet taken cost (`ReceivedMessage.memoryCost`).
    var queuedByteCount: Int { state.withLock { $0.queuedBytes } }

    /// True when enough unread data is queued that the loop should keep the window closed;
    /// the queue then calls `onDrained` once the reader catches up.
    func shouldWithhold() -> Bool {
        state.withLock { state in
            if state.queuedBytes >= highWater {
                state.withheld = true
                return true
            }
            return false
        }
    }

    /// Ends the sequence: `nil` after the last message, or an error the reader gets after
    /// the messages already queued (an error discards them when `discard` is set).
    func finish(_ error: RPCError?, discardQueued: Bool = false) {
        let (waiter, discarded, budget) = state.withLock { state -> (CheckedContinuation<ReceivedMessage?, any Error>?, Int, MemoryBudget?) in
            // Discarding also applies after a clean end: messages the reader never took
            // must still give their bytes back to the budget.
            guard state.end == nil || discardQueued else { return (nil, 0, nil) }
            if state.end == nil { state.end = .some(error) }
            let discarded = discardQueued ? state.dropQueued() : 0
            return (state.takeWaiter(), discarded, state.budget)
        }
        if discarded > 0 { budget?.release(discarded) }
        if let waiter {
            if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: nil) }
        }
    }

    /// The reader's side gave up on the stream (a local cancel, from any thread). Unless the
    /// reader has already been given the end, the end becomes `error`, even over a clean end
    /// the loop recorded first, and queued messages are dropped: a call cancelled before its
    /// caller saw it complete can then only end with the cancellation.
    func cancel(_ error: RPCError) {
        let (waiter, discarded, budget) = state.withLock { state -> (CheckedContinuation<ReceivedMessage?, any Error>?, Int, MemoryBudget?) in
            guard !state.endDelivered else { return (nil, 0, nil) }
            state.end = .some(error)
            let discarded = state.dropQueued()
            return (state.takeWaiter(), discarded, state.budget)
        }
        if discarded > 0 { budget?.release(discarded) }
        waiter?.resume(throwing: error)
    }

    // MARK: Reader side

    private enum Immediate {
        /// A message, and the budget its bytes go back to.
        case message(ReceivedMessage, MemoryBudget?)
        case end(RPCError?)
        case wait
    }

    /// Takes the next queued message or the end, under the lock; `notify` asks for `onDrained`.
    private func take(_ state: inout State) -> (Immediate, notify: Bool) {
        if state.head < state.messages.count {
            let message = state.messages[state.head]
            state.messages[state.head] = ReceivedMessage(bytes: [], compression: .identity)
            state.head += 1
            if state.head == state.messages.count {
                state.messages.removeAll(keepingCapacity: true)
                state.head = 0
            } else if state.head >= Self.compactionThreshold && state.head * 2 >= state.messages.count {
                // A reader that stays a message or more behind never empties the queue: without
                // this the slots of every message taken would stay, growing without end over a
                // long stream. Amortized: each message is moved at most once per halving.
                state.messages.removeFirst(state.head)
                state.head = 0
            }
            state.queuedBytes -= message.memoryCost
            var notify = false
            if state.withheld && state.queuedBytes < highWater / 2 {
                state.withheld = false
                notify = true
            }
            return (.message(message, state.budget), notify)
        }
        if let end = state.end {
            state.endDelivered = true
            return (.end(end), false)
        }
        return (.wait, false)
    }

    /// The next message, nil at the end of the stream. One reader at a time.
    nonisolated(nonsending) func next() async throws -> ReceivedMessage? {
        let (immediate, notify) = state.withLock { take(&$0) }
        if notify { onDrained() }
        switch immediate {
        case .message(let message, let budget):
            budget?.release(message.memoryCost)
            return message
        case .end(let error):
            if let error { throw error }
            return nil
        case .wait: break
        }
        try Task.checkCancellation()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let (immediate, notify) = state.withLock { state -> (Immediate, notify: Bool) in
                    if state.cancelledReader { return (.end(RPCError(code: .cancelled, message: "reader cancelled")), false) }
                    let taken = take(&state)
                    if case .wait = taken.0 { state.waiter = continuation }
                    return taken
                }
                if notify { onDrained() }
                switch immediate {
                case .message(let message, let budget):
                    budget?.release(message.memoryCost)
                    continuation.resume(returning: message)
                case .end(let error):
                    if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: nil) }
                case .wait: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<ReceivedMessage?, any Error>? in
                state.cancelledReader = true
                let waiter = state.waiter
                state.waiter = nil
                return waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
