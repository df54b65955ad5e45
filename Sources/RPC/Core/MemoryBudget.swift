import Synchronization

/// Bytes a server holds on behalf of its peers, against a limit: one budget per connection
/// whose `parent` is the server-wide one, so every charge counts on both. What is charged:
/// request bytes received and not yet taken by a handler (queued messages at their wire
/// size; partly received ones with the storage reserved ahead for them), response bytes
/// queued and not yet taken by nghttp2 (waiting for the peer's flow-control window), the
/// frames nghttp2 produced and the socket has not taken yet, and the transport's fixed
/// buffers (TLS). A client connection's budget counts the same on its side.
///
/// A spent budget (this one or its parent: more than its limit held) is what makes a
/// connection stop reading from its socket and start no new handlers, and a streaming writer
/// suspend, until memory is freed. Holding exactly the limit is allowed: storage reserved
/// ahead of arriving bytes (`StreamDeframer`) may take all of `room` without stopping the
/// reads that fill it.
/// Charging and releasing are an atomic add each per level; the lock is only touched while
/// someone waits for memory to be freed.
///
/// Fairness: a budget with a `floor` may hold that much even while its parent is spent, so
/// connections that hold partly received messages (which cannot complete while nothing is
/// read) and together spend the server's budget cannot stall a connection that holds
/// nothing: it still reads and serves up to its floor. The most a server holds is thus its
/// own limit plus one floor per connection.
final class MemoryBudget: Sendable {
    /// The most this budget lets its holders keep.
    let limit: Int
    /// The budget this one is part of (the server's, for a connection's); charged alongside.
    let parent: MemoryBudget?
    /// What this budget may hold even while its parent is spent (at most `limit`).
    let floor: Int
    private let used = Atomic<Int>(0)
    private let hasWaiters = Atomic<Bool>(false)
    private let waiters = Mutex<[@Sendable () -> Void]>([])

    init(limit: Int, parent: MemoryBudget? = nil, floor: Int = 0) {
        self.limit = max(1, limit)
        self.parent = parent
        self.floor = min(max(0, floor), self.limit)
    }

    /// A connection's limit: the configured one, plus what any connection needs on top of
    /// it: one message's 5-byte gRPC prefix and queue overhead (`ReceivedMessage.memoryCost`)
    /// and the bytes the connection always holds (`fixedBytes`: TLS buffers). So a configured
    /// budget of at least the largest message accepted always lets one such message in whole,
    /// and queued without spending the budget: reading stops only once the limit is exceeded,
    /// and a message cut off by its own prefix could never complete (it would be dropped on a
    /// server, and stall its connection on a client).
    static func connectionLimit(configured: Int, fixedBytes: Int) -> Int {
        let extra = MessageFramer.prefixSize + ReceivedMessage.queuedOverhead + fixedBytes
        let (limit, overflow) = max(0, configured).addingReportingOverflow(extra)
        return overflow ? .max : limit
    }

    /// Bytes charged now.
    var usedBytes: Int { used.load(ordering: .relaxed) }

    /// True when this budget holds more than its limit, or more than its floor while its
    /// parent is spent.
    var isSpent: Bool {
        let used = used.load(ordering: .relaxed)
        return used > limit || (used > floor && parent?.isSpent == true)
    }

    /// Bytes that may still be charged before this budget is spent (counting its parent and
    /// its floor): what storage reserved ahead of arriving bytes may take. 0 when spent.
    var room: Int {
        let used = used.load(ordering: .relaxed)
        let own = max(0, limit - used)
        guard let parent else { return own }
        // The floor is this budget's to hold whatever the parent says.
        return min(own, max(parent.room, floor - used))
    }

    func charge(_ count: Int) {
        guard count != 0 else { return }
        used.wrappingAdd(count, ordering: .relaxed)
        parent?.charge(count)
    }

    /// Charges `count` only if it fits, as one atomic step on each level: this budget's
    /// limit, then its parent's `room`, unless the charge stays within this budget's floor
    /// (the floor is its own whatever the parent says). A check of `room` followed by
    /// `charge` is two steps: budgets on different loops sharing a parent could both see the
    /// same room and together pass the parent's limit. True when charged (give it back with
    /// `release`), false when nothing was charged.
    func tryCharge(_ count: Int) -> Bool {
        guard count > 0 else { return count == 0 }
        var current = used.load(ordering: .relaxed)
        while true {
            let (next, overflow) = current.addingReportingOverflow(count)
            guard !overflow, next <= limit else { return false }
            let (exchanged, original) = used.compareExchange(expected: current, desired: next, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
        guard let parent else { return true }
        if current + count <= floor {
            parent.charge(count)
            return true
        }
        if parent.tryCharge(count) { return true }
        // The parent had no room: take back this level's part (the parent holds nothing of it).
        let left = used.wrappingSubtract(count, ordering: .sequentiallyConsistent).newValue
        if left <= limit && hasWaiters.load(ordering: .sequentiallyConsistent) { wakeWaiters() }
        return false
    }

    func release(_ count: Int) {
        guard count != 0 else { return }
        let left = used.wrappingSubtract(count, ordering: .sequentiallyConsistent).newValue
        if left <= limit && hasWaiters.load(ordering: .sequentiallyConsistent) { wakeWaiters() }
        if let parent {
            parent.release(count)
            // Back under the floor: whoever waits on the (still spent) parent because of this
            // budget may go on; the others look again and wait again.
            if left <= floor && left + count > floor && parent.isSpent && parent.hasWaiters.load(ordering: .sequentiallyConsistent) {
                parent.wakeWaiters(evenIfSpent: true)
            }
        }
    }

    /// Calls `action` once memory was freed on the level that is spent (at once when neither
    /// is). The callee re-checks `isSpent` and asks again if it still is.
    func whenFreed(_ action: @escaping @Sendable () -> Void) {
        if let parent, parent.isSpent, used.load(ordering: .sequentiallyConsistent) > floor {
            parent.whenFreed(action)
            // A release that took this budget under its floor before the waiter was on the
            // parent's list saw no waiter there and woke nobody; the parent may stay spent
            // for good (other connections' partly received messages). Looked at after the
            // waiter is announced (sequentially consistent, like `release`): either that
            // release saw the waiter, or this load sees what it freed.
            if used.load(ordering: .sequentiallyConsistent) <= floor { parent.wakeWaiters(evenIfSpent: true) }
            return
        }
        let registered = waiters.withLock { waiters -> Bool in
            hasWaiters.store(true, ordering: .sequentiallyConsistent)
            // Checked after announcing the waiter: a release that saw no waiter happened
            // before this load and is visible to it.
            guard used.load(ordering: .sequentiallyConsistent) > limit else {
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
        // Bounded by the memory freed: each round waits for one release down to the limit.
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

    private func wakeWaiters(evenIfSpent: Bool = false) {
        let woken = waiters.withLock { waiters -> [@Sendable () -> Void] in
            guard evenIfSpent || used.load(ordering: .sequentiallyConsistent) <= limit else { return [] }
            let taken = waiters
            waiters = []
            hasWaiters.store(false, ordering: .sequentiallyConsistent)
            return taken
        }
        for action in woken { action() }
    }
}
