import Foundation

/// Runs blocking work (waitpid loops, /proc scans, sleeps between polls) on a thread of its
/// own and resumes the caller with its result, so nothing blocks a thread of Swift's
/// cooperative pool, which has only as many threads as cores.
func runOnDedicatedThread<T: Sendable>(name: String, _ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: body()) }
        thread.name = name
        thread.stackSize = 256 * 1024
        thread.start()
    }
}
