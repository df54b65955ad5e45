import CRPCSystem
import Glibc
import Synchronization

/// Something registered on an event loop for readiness events of one file descriptor.
/// Called only on that loop's thread.
protocol EventHandler: AnyObject {
    /// `events` is the epoll event mask (EPOLLIN, EPOLLOUT, EPOLLHUP, EPOLLERR, ...).
    func handleEvents(_ events: UInt32)
}

/// Errors from setting up or using an event loop.
public struct EventLoopError: Error, Sendable, Hashable, CustomStringConvertible {
    public let operation: String
    public let errno: Int32
    public var description: String { "\(operation) failed: \(String(cString: strerror(errno)))" }
}

/// One thread running an epoll loop. Everything bound to a loop (connections, listeners, timers)
/// is touched only on that thread; other threads hand work over with `execute(_:)`, which wakes
/// the loop through an eventfd.
///
/// Marked `@unchecked Sendable` because its loop-only state is confined to the loop thread
/// (checked by `assertInLoop()` in debug builds) and the cross-thread state sits behind a `Mutex`.
public final class EventLoop: @unchecked Sendable {
    private let epollFD: Int32
    private let wakeFD: Int32
    private let inbox = Mutex<Inbox>(Inbox())
    private let threadID = Atomic<UInt>(0)
    /// The thread to join; taken by the first `shutdown()`.
    private let stopRequested = Mutex<pthread_t?>(nil)
    private var closeOnExit = false

    // Loop-confined state.
    private var handlers: [Int32: Registration] = [:]
    /// The tag of the next registration (0 is the wake-up eventfd's).
    private var nextTag: UInt32 = 1
    private var timers = TimerQueue()
    private var running = true
    private var deferred: [() -> Void] = []
    /// The inbox's previous batch, emptied with its capacity kept: swapped in for the next
    /// batch, so taking a batch allocates nothing. Capacity beyond `retainedCapacity` is not
    /// kept (see there).
    private var spareBatch: [Work] = []
    /// Items of the inbox batch being run (`runInbox`) that have not started yet.
    private var batchRemaining = 0

    /// Entries of capacity the inbox's batches and the deferred list keep between iterations.
    /// Their usual size is the calls of one batch (tens); a burst (thousands of jobs queued
    /// while the loop was busy or descheduled) grows them, and kept at that size they would
    /// pin their largest burst for the life of the loop: after a soak of the server its two
    /// batch buffers held 16k entries each (786 KiB) with no load left, a size that grows in
    /// steps with each larger burst. A batch above this size allocates its buffer afresh, once per batch of
    /// thousands of jobs.
    static let retainedCapacity = 1024

    /// Work handed over from any thread. Once `accepting` is false (the loop thread has exited
    /// its loop) nothing more is queued, and the wake-up eventfd, which is closed after that,
    /// is never written again.
    private struct Inbox {
        var work: [Work] = []
        var accepting = true
    }

    /// A registered descriptor's handler, with the tag its epoll events carry. A descriptor
    /// number is reused as soon as it is closed: a handler that runs early in a batch of
    /// events may close one descriptor and register a new socket that gets its number, while
    /// the batch still holds an event of the old one. The tag tells them apart, so that event
    /// is dropped instead of reaching the new handler (a connecting client would read a stale
    /// EPOLLHUP as a refused connect).
    private struct Registration {
        let handler: any EventHandler
        let tag: UInt32
    }

    /// What an epoll event carries: the descriptor in the low 32 bits, its registration's tag
    /// in the high ones.
    private static func eventData(fd: Int32, tag: UInt32) -> UInt64 {
        UInt64(tag) << 32 | UInt64(UInt32(bitPattern: fd))
    }

    /// One item of handed-over work. A task's job is queued as it is: wrapping it in a closure
    /// would cost an allocation per job (several per call for handlers running on the loop).
    private enum Work {
        case closure(@Sendable () -> Void)
        case job(UnownedJob)
    }

    /// A short name used in thread names and logs.
    public let name: String

    /// Starts a loop on a new thread.
    public init(name: String = "rpc-loop") throws(EventLoopError) {
        self.name = name
        let epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw EventLoopError(operation: "epoll_create1", errno: errno) }
        let wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeFD >= 0 else {
            let code = errno
            Glibc.close(epollFD)
            throw EventLoopError(operation: "eventfd", errno: code)
        }
        self.epollFD = epollFD
        self.wakeFD = wakeFD
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = Self.eventData(fd: wakeFD, tag: 0)
        epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event)

        let box = Unmanaged.passRetained(self)
        var handle = pthread_t()
        let result = pthread_create(&handle, nil, { raw in
            let loop = Unmanaged<EventLoop>.fromOpaque(raw!).takeRetainedValue()
            loop.run()
            return nil
        }, box.toOpaque())
        guard result == 0 else {
            box.release()
            Glibc.close(epollFD)
            Glibc.close(wakeFD)
            throw EventLoopError(operation: "pthread_create", errno: result)
        }
        stopRequested.withLock { $0 = handle }
    }

    /// True when called on this loop's thread.
    package var inEventLoop: Bool { threadID.load(ordering: .acquiring) == UInt(pthread_self()) }

    func assertInLoop(file: StaticString = #fileID, line: UInt = #line) {
        assert(inEventLoop, "must run on event loop \(name)", file: file, line: line)
    }

    /// Runs `work` on the loop thread soon (FIFO with other submitted work). Callable from any
    /// thread. Returns false, without running `work`, once the loop has stopped.
    @discardableResult
    package func execute(_ work: @escaping @Sendable () -> Void) -> Bool {
        submit(.closure(work))
    }

    /// Queues a task's job (`TaskExecutor.enqueue`); false once the loop has stopped.
    func enqueue(_ job: UnownedJob) -> Bool {
        submit(.job(job))
    }

    private func submit(_ work: Work) -> Bool {
        let onLoop = inEventLoop
        // One wake-up per batch: the loop drains the whole inbox each time it wakes. Work
        // submitted on the loop thread itself (a handler task's jobs, its responses) needs
        // none, because the loop looks at the inbox before it sleeps (`run`); that saves an
        // eventfd write, an epoll wake-up and a read per batch of calls. Work from another
        // thread landing behind it needs none either, for the same reason. The wake-up is
        // written under the lock, so it can never reach the eventfd's number after the loop
        // closed it (another descriptor may own the number by then).
        return inbox.withLock { inbox in
            guard inbox.accepting else { return false }
            inbox.work.append(work)
            if inbox.work.count == 1 && !onLoop { wake() }
            return true
        }
    }

    /// Runs `work` on the loop and returns its result to the awaiting task.
    /// Throws `EventLoopError` (ESHUTDOWN) when the loop has stopped.
    package func submit<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let queued = execute { continuation.resume(with: Result { try work() }) }
            if !queued { continuation.resume(throwing: EventLoopError(operation: "submit to stopped loop \(name)", errno: ESHUTDOWN)) }
        }
    }

    private func wake() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }

    // MARK: Loop-only API

    /// Runs `work` at the end of this loop iteration (after all ready events). Loop thread only;
    /// used to batch output into one write per connection per iteration.
    func executeLater(_ work: @escaping () -> Void) {
        assertInLoop()
        deferred.append(work)
    }

    /// True when work handed to this loop has yet to run: the rest of the inbox batch being
    /// run now, or work queued since. Output produced while this is false has nothing left in
    /// this iteration to be batched with, so it may go out at once (see
    /// `HTTP2Session.responseEnded`). Loop thread only.
    package var hasQueuedWork: Bool {
        assertInLoop()
        return batchRemaining > 0 || !inboxIsEmpty
    }

    /// Schedules `action` on this loop after `delay`. Loop thread only.
    func scheduleTimer(after delay: Duration, _ action: @escaping () -> Void) -> TimerID {
        scheduleTimer(at: MonotonicTime.now().adding(delay), action)
    }

    func scheduleTimer(at deadline: MonotonicTime, _ action: @escaping () -> Void) -> TimerID {
        assertInLoop()
        return timers.schedule(at: deadline, action)
    }

    func cancelTimer(_ timer: TimerID) {
        assertInLoop()
        timers.cancel(timer)
    }

    /// Timers pending on this loop (tests check that cancelled ones leave nothing behind).
    /// Loop thread only.
    package var pendingTimerCount: Int {
        assertInLoop()
        return timers.count
    }

    /// Registers `handler` for readiness of `fd` (level-triggered). Loop thread only.
    func register(fd: Int32, handler: any EventHandler, readable: Bool, writable: Bool) throws(EventLoopError) {
        assertInLoop()
        var event = epoll_event()
        event.events = Self.mask(readable: readable, writable: writable)
        let tag = nextTag
        event.data.u64 = Self.eventData(fd: fd, tag: tag)
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
            throw EventLoopError(operation: "epoll_ctl(ADD)", errno: errno)
        }
        // Wrapping is harmless: a stale event would need 2^32 registrations within one batch.
        nextTag = nextTag == .max ? 1 : nextTag + 1
        handlers[fd] = Registration(handler: handler, tag: tag)
    }

    /// Changes the interest set of a registered descriptor. Loop thread only.
    /// `watchHangup` reports the peer's half-close (EPOLLRDHUP) even while input is not
    /// asked for: a connection that stopped reading still learns that its peer left.
    func reregister(fd: Int32, readable: Bool, writable: Bool, watchHangup: Bool = false) {
        assertInLoop()
        guard let registration = handlers[fd] else { return }
        var event = epoll_event()
        event.events = Self.mask(readable: readable, writable: writable, watchHangup: watchHangup)
        event.data.u64 = Self.eventData(fd: fd, tag: registration.tag)
        epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event)
    }

    /// Stops delivering events for `fd`; call before closing it. Loop thread only.
    func unregister(fd: Int32) {
        assertInLoop()
        epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
        handlers[fd] = nil
    }

    private static func mask(readable: Bool, writable: Bool, watchHangup: Bool = false) -> UInt32 {
        // Peer half-close is input: not asked for while input is not (it is level-triggered),
        // unless asked for on its own.
        var mask: UInt32 = 0
        if readable || watchHangup { mask |= EPOLLRDHUP.rawValue }
        if readable { mask |= EPOLLIN.rawValue }
        if writable { mask |= EPOLLOUT.rawValue }
        return mask
    }

    // MARK: Lifecycle

    /// Stops the loop and joins its thread. Work already submitted runs first; registered
    /// descriptors are left to their owners (close connections before shutting loops down).
    /// Called on the loop itself, it stops the loop without waiting (the thread cleans up).
    public func shutdown() {
        guard let handle = stopRequested.withLock({ state -> pthread_t? in
            let handle = state
            state = nil
            return handle
        }) else { return }
        if inEventLoop {
            running = false
            closeOnExit = true
            pthread_detach(handle)
            return
        }
        // When this fails the thread is already leaving its loop by itself: join it all the same.
        execute { [self] in running = false }
        pthread_join(handle, nil)
        Glibc.close(epollFD)
        Glibc.close(wakeFD)
    }

    private func run() {
        threadID.store(UInt(pthread_self()), ordering: .releasing)
        let capacity = 128
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        while running {
            // Work queued on this thread without a wake-up (see `execute`) must not wait.
            let timeout = inboxIsEmpty ? millisecondsUntilNextTimer() : 0
            let count = epoll_wait(epollFD, events, Int32(capacity), timeout)
            if count < 0 && errno != EINTR { break }
            for index in 0..<max(0, Int(count)) {
                let event = events[index]
                let data = event.data.u64
                let fd = Int32(bitPattern: UInt32(truncatingIfNeeded: data))
                let tag = UInt32(truncatingIfNeeded: data >> 32)
                if tag == 0 {
                    var value: UInt64 = 0
                    _ = Glibc.read(wakeFD, &value, 8)
                } else if let registration = handlers[fd], registration.tag == tag {
                    registration.handler.handleEvents(event.events)
                }
            }
            // Work the inbox's work submits on this thread (a handler's response after the
            // handler's job) runs in this iteration too, a few rounds at most, so a batch of
            // calls is read, handled and flushed in one pass; anything beyond that waits for
            // the next iteration, so I/O is never starved.
            var rounds = 1
            while runInbox(), rounds < Self.inboxRoundsPerIteration { rounds += 1 }
            // Output first (the deferred work is mostly connection flushes): responses waiting
            // in it do not wait for the timers that happen to be due.
            runDeferred()
            runDueTimers()
        }
        // Last round: work queued until now runs; later `execute` calls fail instead.
        let last = inbox.withLock { inbox -> [Work] in
            inbox.accepting = false
            let taken = inbox.work
            inbox.work = []
            return taken
        }
        for work in last { run(work) }
        if closeOnExit {
            Glibc.close(epollFD)
            Glibc.close(wakeFD)
        }
    }

    /// Rounds of inbox work per loop iteration (see `run`).
    private static let inboxRoundsPerIteration = 4

    private var inboxIsEmpty: Bool { inbox.withLock { $0.work.isEmpty } }

    /// Runs the work queued now and returns whether more was queued meanwhile.
    @discardableResult
    private func runInbox() -> Bool {
        // Bounded: only the batch present now; work it submits is left for the caller.
        var batch: [Work] = []
        swap(&batch, &spareBatch)
        inbox.withLock { inbox in swap(&inbox.work, &batch) }
        for index in batch.indices {
            batchRemaining = batch.count - index - 1
            run(batch[index])
        }
        batchRemaining = 0
        batch.removeAll(keepingCapacity: batch.capacity <= Self.retainedCapacity)
        spareBatch = batch
        return !inboxIsEmpty
    }

    /// Entries of capacity the inbox holds now (its queue and the spare batch), for tests
    /// that check a burst leaves no large buffer behind. Loop thread only.
    package var inboxCapacity: Int {
        assertInLoop()
        return spareBatch.capacity + inbox.withLock { $0.work.capacity }
    }

    private func run(_ work: Work) {
        switch work {
        case .closure(let closure): closure()
        case .job(let job): job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    private func runDeferred() {
        // Work queued while running goes to the next round, so this is bounded.
        let batch = deferred
        deferred.removeAll(keepingCapacity: deferred.capacity <= Self.retainedCapacity)
        for work in batch { work() }
    }

    private func runDueTimers() {
        for action in timers.takeDue(now: .now()) { action() }
    }

    private func millisecondsUntilNextTimer() -> Int32 {
        if !deferred.isEmpty { return 0 }
        guard let deadline = timers.nextDeadline() else { return -1 }
        let now = MonotonicTime.now()
        if deadline <= now { return 0 }
        // Round up so we never wake just before the deadline and spin.
        let millis = (deadline.nanoseconds - now.nanoseconds + 999_999) / 1_000_000
        return Int32(clamping: millis)
    }
}
