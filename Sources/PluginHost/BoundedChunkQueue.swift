import Synchronization

/// A queue of chunks from one producer task to one consumer task, bounded by weight (bytes):
/// `push` suspends while `limit` or more is waiting, so a fast producer runs at the consumer's
/// pace and at most `limit` plus one chunk is ever held. The producer ends it with `finish`;
/// the consumer gives up with `cancel` (also when either waiting task is cancelled), which
/// drops what is queued, fails both sides and runs the cancellation handler once.
final class BoundedChunkQueue<Element: Sendable>: Sendable {
    private enum State {
        /// Both sides at work: queued chunks, their weight, and the side that waits, if any
        /// (the consumer waits only on an empty queue, the producer only on a full one).
        case open(queued: [Element], weight: Int, consumer: CheckedContinuation<Element?, any Error>?,
                  producer: CheckedContinuation<Void, any Error>?)
        /// The producer is done (`error` nil: normally); the queued chunks are still delivered.
        case finished(queued: [Element], error: (any Error)?)
        /// The consumer went away: nothing more is delivered or accepted.
        case cancelled
    }

    /// What `push` does once the lock is released.
    private enum PushAction {
        case resume, wait, handOver(CheckedContinuation<Element?, any Error>), fail(any Error)
    }

    /// What `next` does once the lock is released: deliver (and maybe release the producer), wait or fail.
    private enum NextAction {
        case deliver(Element?, CheckedContinuation<Void, any Error>?), wait, fail(any Error)
    }

    private let limit: Int
    private let weigh: @Sendable (Element) -> Int
    private let state = Mutex(State.open(queued: [], weight: 0, consumer: nil, producer: nil))
    /// Runs once on `cancel`; set at most once (`onCancel`).
    private let cancellationHandler = Mutex<(@Sendable () -> Void)?>(nil)
    private let cancelledFlag = Atomic<Bool>(false)

    init(limit: Int, weigh: @escaping @Sendable (Element) -> Int) {
        self.limit = max(1, limit)
        self.weigh = weigh
    }

    /// Runs `handler` when the queue is cancelled (at once if it already was).
    func onCancel(_ handler: @escaping @Sendable () -> Void) {
        let runNow = cancellationHandler.withLock { stored -> Bool in
            if cancelledFlag.load(ordering: .acquiring) { return true }
            stored = handler
            return false
        }
        if runNow { handler() }
    }

    /// Queues `element`; suspends while the queue holds `limit` or more. Throws
    /// `CancellationError` once the consumer is gone.
    func push(_ element: Element) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let action: PushAction = state.withLock { state in
                    switch state {
                    case .open(var queued, var weight, let consumer, _):
                        if let consumer {
                            state = .open(queued: queued, weight: weight, consumer: nil, producer: nil)
                            return .handOver(consumer)
                        }
                        queued.append(element)
                        weight += weigh(element)
                        let full = weight >= limit
                        state = .open(queued: queued, weight: weight, consumer: nil, producer: full ? continuation : nil)
                        return full ? .wait : .resume
                    case .finished:
                        return .fail(CancellationError())
                    case .cancelled:
                        return .fail(CancellationError())
                    }
                }
                switch action {
                case .resume: continuation.resume()
                case .wait: break
                case .handOver(let consumer):
                    consumer.resume(returning: element)
                    continuation.resume()
                case .fail(let error): continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// No more chunks: the consumer gets what is queued, then the end (or `error`).
    func finish(throwing error: (any Error)? = nil) {
        let consumer: CheckedContinuation<Element?, any Error>? = state.withLock { state in
            guard case .open(let queued, _, let consumer, _) = state else { return nil }
            state = .finished(queued: queued, error: consumer == nil ? error : nil)
            return consumer
        }
        guard let consumer else { return }
        if let error { consumer.resume(throwing: error) } else { consumer.resume(returning: nil) }
    }

    /// The next chunk, or nil at the end; rethrows the producer's error. Throws
    /// `CancellationError` after `cancel`.
    func next() async throws -> Element? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Element?, any Error>) in
                let action: NextAction = state.withLock { state in
                    switch state {
                    case .open(var queued, var weight, _, let producer):
                        guard !queued.isEmpty else {
                            state = .open(queued: queued, weight: weight, consumer: continuation, producer: producer)
                            return .wait
                        }
                        let first = queued.removeFirst()
                        weight -= weigh(first)
                        let release = weight < limit ? producer : nil
                        state = .open(queued: queued, weight: weight, consumer: nil, producer: release == nil ? producer : nil)
                        return .deliver(first, release)
                    case .finished(var queued, let error):
                        if !queued.isEmpty {
                            let first = queued.removeFirst()
                            state = .finished(queued: queued, error: error)
                            return .deliver(first, nil)
                        }
                        state = .finished(queued: [], error: nil)
                        return error.map { .fail($0) } ?? .deliver(nil, nil)
                    case .cancelled:
                        return .fail(CancellationError())
                    }
                }
                switch action {
                case .deliver(let element, let producer):
                    producer?.resume()
                    continuation.resume(returning: element)
                case .wait: break
                case .fail(let error): continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// The consumer is gone: drops what is queued, fails a waiting side, runs the
    /// cancellation handler. A no-op after the end was delivered or a previous cancel.
    func cancel() {
        let waiting: (CheckedContinuation<Element?, any Error>?, CheckedContinuation<Void, any Error>?)? =
            state.withLock { state in
                switch state {
                case .open(_, _, let consumer, let producer):
                    state = .cancelled
                    return (consumer, producer)
                case .finished(let queued, let error):
                    // Already at its end and drained: nothing to cancel.
                    if queued.isEmpty && error == nil { return nil }
                    state = .cancelled
                    return (nil, nil)
                case .cancelled:
                    return nil
                }
            }
        guard let waiting else { return }
        waiting.0?.resume(throwing: CancellationError())
        waiting.1?.resume(throwing: CancellationError())
        let handler = cancellationHandler.withLock { stored -> (@Sendable () -> Void)? in
            cancelledFlag.store(true, ordering: .releasing)
            defer { stored = nil }
            return stored
        }
        handler?()
    }
}
