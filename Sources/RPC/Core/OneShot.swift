import Synchronization

/// A value set once (from the event loop) and awaited by any number of tasks.
final class OneShot<Value: Sendable>: Sendable {
    private struct State {
        var value: Result<Value, RPCError>?
        var waiters: [CheckedContinuation<Value, any Error>] = []
    }

    private let state = Mutex(State())

    /// Sets the value unless already set; returns whether this call set it.
    @discardableResult
    func set(_ value: Result<Value, RPCError>) -> Bool {
        let waiters = state.withLock { state -> [CheckedContinuation<Value, any Error>]? in
            guard state.value == nil else { return nil }
            state.value = value
            let waiters = state.waiters
            state.waiters = []
            return waiters
        }
        guard let waiters else { return false }
        for waiter in waiters { waiter.resume(with: value.mapError { $0 as any Error }) }
        return true
    }

    var current: Result<Value, RPCError>? { state.withLock { $0.value } }

    func get() async throws -> Value {
        // Set already (a call's headers and trailers, once its responses ended): no suspension.
        if let value = current { return try value.get() }
        return try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<Value, RPCError>? in
                if let value = state.value { return value }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready.mapError { $0 as any Error }) }
        }
    }
}
