import Synchronization

/// Bytes a server holds on behalf of its peers, against a limit: one budget per connection
/// whose `parent` is the server-wide one, so every charge counts on both. What is charged:
/// request bytes received and not yet taken by a handler (partly received messages and
/// queued ones, at their wire size) and response bytes queued and not yet taken by nghttp2
/// (waiting for the peer's flow-control window).
///
/// A spent budget (this one or its parent) is what makes a connection stop reading from its
/// socket and start no new handlers, and a streaming writer suspend, until memory is freed.
/// Charging and releasing are an atomic add each per level; the lock is only touched while
/// someone waits for memory to be freed.
final class MemoryBudget: Sendable {
    /// The most this budget lets its holders keep.
    let limit: Int
    /// The budget this one is part of (the server's, for a connection's); charged alongside.
    let parent: MemoryBudget?
    private let used = Atomic<Int>(0)
    private let hasWaiters = Atomic<Bool>(false)
    private let waiters = Mutex<[@Sendable () -> Void]>([])

    init(limit: Int, parent: MemoryBudget? = nil) {
        self.limit = max(1, limit)
        self.parent = parent
    }

    /// Bytes charged now.
    var usedBytes: Int { used.load(ordering: .relaxed) }

    /// True when this budget or its parent is at or over its limit.
    var isSpent: Bool {
        used.load(ordering: .relaxed) >= limit || parent?.isSpent == true
    }

    func charge(_ count: Int) {
        guard count != 0 else { return }
        used.wrappingAdd(count, ordering: .relaxed)
        parent?.charge(count)
    }

    func release(_ count: Int) {
        guard count != 0 else { return }
        let left = used.wrappingSubtract(count, ordering: .sequentiallyConsistent).newValue
        if left < limit && hasWaiters.load(ordering: .sequentiallyConsistent) { wakeWaiters() }
        parent?.release(count)
    }

    /// Calls `action` once memory was freed on the level that is spent (at once when neither
    /// is). The callee re-checks `isSpent` and asks again if it still is.
    func whenFreed(_ action: @escaping @Sendable () -> Void) {
        if let parent, parent.isSpent {
            parent.whenFreed(action)
            return
        }
        let registered = waiters.withLock { waiters -> Bool in
            hasWaiters.store(true, ordering: .sequentiallyConsistent)
            // Checked after announcing the waiter: a release that saw no waiter happened
            // before this load and is visible to it.
            guard used.load(ordering: .sequentiallyConsistent) >= limit else {
                if waiters.isEmpty { hasWaiters.store(false, ordering: .sequentiallyConsistent) }
                return false
            }
            waiters.append(action)
            return true
        }
        if !registered { action() }
    }

    /// Suspends until neither this budget nor its parent is spent (writers' backpressure).
    func waitUntilAvailable() async throws {
        // Bounded by the memory freed: each round waits for one release below the limit.
        while isSpent {
            try Task.checkCancellation()
            let freed = OneShot<Void>()
            whenFreed { freed.set(.success(())) }
            try await withTaskCancellationHandler {
                try await freed.get()
            } onCancel: {
                freed.set(.failure(RPCError(code: .cancelled, message: "cancelled while waiting for server memory")))
            }
        }
    }

    private func wakeWaiters() {
        let woken = waiters.withLock { waiters -> [@Sendable () -> Void] in
            guard used.load(ordering: .sequentiallyConsistent) < limit else { return [] }
            let taken = waiters
            waiters = []
            hasWaiters.store(false, ordering: .sequentiallyConsistent)
            return taken
        }
        for action in woken { action() }
    }
}
