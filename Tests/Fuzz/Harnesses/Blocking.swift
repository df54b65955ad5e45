import Dispatch
import Synchronization

/// Runs async work from the synchronous fuzz entry point and waits for its result. The fuzz
/// thread is not a Swift concurrency thread, so blocking it does not starve the task pool.
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let result = Mutex<T?>(nil)
    let finished = DispatchSemaphore(value: 0)
    Task {
        let value = await body()
        result.withLock { $0 = value }
        finished.signal()
    }
    finished.wait()
    return result.withLock { $0! }
}
