/// An event loop can run Swift tasks: handlers started with this executor preference run on
/// the loop thread of their connection, so a request, its handler and its response never hop
/// between threads (no wake-ups of a thread pool per call). Handlers must then not block.
extension EventLoop: TaskExecutor {
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let queued = enqueue(job)
        // A task that outlives its loop must still run to its end (a job dropped here would
        // leave it suspended forever): it continues on the global executor.
        if !queued { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
    }
}
