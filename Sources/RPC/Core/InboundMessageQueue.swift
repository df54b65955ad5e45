import Synchronization

/// Messages received on one stream, handed from the event loop to the one task that reads them.
///
/// Backpressure: the loop asks `shouldWithhold` before returning received bytes to the HTTP/2
/// flow-control window. Once `highWater` bytes of complete messages wait unread, it keeps the
/// window closed; when the reader drains the queue below half of that, `onDrained` tells the loop
/// to reopen it. Memory per stream thus stays bounded by about one window plus one message.
final class InboundMessageQueue: Sendable {
    private struct State {
        var messages: [ReceivedMessage] = []
        var head = 0
        var queuedBytes = 0
        var withheld = false
        var end: RPCError?? = nil  // nil: open; .some(nil): finished cleanly; .some(error): failed
        var waiter: CheckedContinuation<ReceivedMessage?, any Error>?
        var cancelledReader = false
    }

    private let state = Mutex(State())
    private let highWater: Int
    private let onDrained: @Sendable () -> Void

    init(highWater: Int, onDrained: @escaping @Sendable () -> Void) {
        self.highWater = highWater
        self.onDrained = onDrained
    }

    // MARK: Loop side

    /// Queues a message (or hands it straight to a waiting reader).
    func push(_ message: ReceivedMessage) {
        let waiter = state.withLock { state -> CheckedContinuation<ReceivedMessage?, any Error>? in
            guard state.end == nil, !state.cancelledReader else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.messages.append(message)
            state.queuedBytes += message.bytes.count + 5
            return nil
        }
        waiter?.resume(returning: message)
    }

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
        let waiter = state.withLock { state -> CheckedContinuation<ReceivedMessage?, any Error>? in
            guard state.end == nil else { return nil }
            state.end = .some(error)
            if discardQueued {
                state.messages.removeAll()
                state.head = 0
                state.queuedBytes = 0
            }
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        if let waiter {
            if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: nil) }
        }
    }

    // MARK: Reader side

    private enum Immediate {
        case message(ReceivedMessage)
        case end(RPCError?)
        case wait
    }

    /// Takes the next queued message or the end, under the lock; `notify` asks for `onDrained`.
    private func take(_ state: inout State) -> (Immediate, notify: Bool) {
        if state.head < state.messages.count {
            let message = state.messages[state.head]
            state.messages[state.head] = ReceivedMessage(bytes: [], compressed: false)
            state.head += 1
            if state.head == state.messages.count {
                state.messages.removeAll(keepingCapacity: true)
                state.head = 0
            }
            state.queuedBytes -= message.bytes.count + 5
            var notify = false
            if state.withheld && state.queuedBytes < highWater / 2 {
                state.withheld = false
                notify = true
            }
            return (.message(message), notify)
        }
        if let end = state.end { return (.end(end), false) }
        return (.wait, false)
    }

    /// The next message, nil at the end of the stream. One reader at a time.
    func next() async throws -> ReceivedMessage? {
        let (immediate, notify) = state.withLock { take(&$0) }
        if notify { onDrained() }
        switch immediate {
        case .message(let message): return message
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
                case .message(let message): continuation.resume(returning: message)
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
