import Synchronization

/// Counts a server's running handler tasks, so shutdown can stop the event loops only after
/// the last one ended (a task whose loop stopped under it could not deliver its status).
/// Starting and ending a task is one atomic add each; the lock is only taken while a
/// shutdown waits.
final class HandlerTasks: Sendable {
    private let running = Atomic<Int>(0)
    private let draining = Atomic<Bool>(false)
    private let waiters = Mutex<[CheckedContinuation<Void, Never>]>([])

    func started() {
        running.wrappingAdd(1, ordering: .sequentiallyConsistent)
    }

    func ended() {
        let left = running.wrappingSubtract(1, ordering: .sequentiallyConsistent).newValue
        guard left == 0, draining.load(ordering: .sequentiallyConsistent) else { return }
        let ready = waiters.withLock { waiters -> [CheckedContinuation<Void, Never>] in
            guard running.load(ordering: .sequentiallyConsistent) == 0 else { return [] }
            let taken = waiters
            waiters = []
            return taken
        }
        for waiter in ready { waiter.resume() }
    }

    /// Returns once no handler task is running.
    func waitUntilNoneRunning() async {
        draining.store(true, ordering: .sequentiallyConsistent)
        await withCheckedContinuation { continuation in
            let done = waiters.withLock { waiters -> Bool in
                if running.load(ordering: .sequentiallyConsistent) == 0 { return true }
                waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
