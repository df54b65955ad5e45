import Synchronization

/// The server's live connections, so shutdown can reach each one on its loop and wait until
/// all are gone.
final class ConnectionRegistry: Sendable {
    private struct State {
        var connections: [UInt64: LoopBound<ServerConnection>] = [:]
        var nextID: UInt64 = 0  // also the number of connections ever accepted
        var emptyWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func add(_ connection: LoopBound<ServerConnection>) -> UInt64 {
        state.withLock { state in
            state.nextID += 1
            state.connections[state.nextID] = connection
            return state.nextID
        }
    }

    func remove(_ id: UInt64) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.connections[id] = nil
            guard state.connections.isEmpty else { return [] }
            let waiters = state.emptyWaiters
            state.emptyWaiters = []
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    var all: [LoopBound<ServerConnection>] { state.withLock { Array($0.connections.values) } }

    var count: Int { state.withLock { $0.connections.count } }

    var acceptedTotal: Int { state.withLock { Int($0.nextID) } }

    /// Returns once no connection is left.
    func waitUntilEmpty() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.connections.isEmpty { return true }
                state.emptyWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
