import Glibc
import Synchronization
import Testing
@testable import RPC

/// A lock-protected value shared with closures that run on other threads.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
}

@Suite struct EventLoopTests {
    @Test func executeRunsWorkFromManyThreadsOnTheLoopThread() async throws {
        let loop = try EventLoop(name: "test-loop")
        defer { loop.shutdown() }
        let counter = Locked(0)
        let offLoop = Locked(0)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<1000 {
                        loop.execute {
                            if !loop.inEventLoop { offLoop.withLock { $0 += 1 } }
                            counter.withLock { $0 += 1 }
                        }
                    }
                }
            }
        }
        let total = try await loop.submit { counter.withLock { $0 } }
        #expect(total == 8000)
        #expect(offLoop.withLock { $0 } == 0)
    }

    /// Work the loop submits to itself wakes nothing (no eventfd write): it must still run,
    /// however deep the chain and whatever the loop was doing, because the loop looks at its
    /// inbox before it sleeps. Without that check this chain stops at its 4th link (the rounds
    /// one iteration runs) and the loop sleeps, so the bounded wait below fails.
    @Test func workSubmittedOnTheLoopRunsWithoutAWakeUp() async throws {
        let loop = try EventLoop(name: "self-submit")
        defer { loop.shutdown() }
        let links = Locked(0)
        @Sendable func link(_ remaining: Int) {
            links.withLock { $0 += 1 }
            if remaining > 0 { loop.execute { link(remaining - 1) } }
        }
        loop.execute { link(99) }
        // Wait on the condition, bounded (nothing else wakes the loop meanwhile).
        let deadline = ContinuousClock.now + .seconds(10)
        while links.withLock({ $0 }) < 100, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(links.withLock { $0 } == 100)
        // And interleaved with work from other threads, nothing is lost.
        let counter = Locked(0)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<500 {
                        loop.execute { counter.withLock { $0 += 1 }; loop.execute { counter.withLock { $0 += 1 } } }
                    }
                }
            }
        }
        // Each submit below queues behind everything queued before it.
        _ = try await loop.submit {}
        let total = try await loop.submit { counter.withLock { $0 } }
        #expect(total == 4000)
    }

    /// A burst of work queued while the loop is busy runs in full, and leaves no buffer of the
    /// burst's size behind: kept, it would pin the largest burst ever seen for the life of the
    /// loop (without the cap the inbox kept 32,936 entries of capacity here).
    @Test func aBurstOfWorkLeavesNoLargeInboxBehind() async throws {
        let loop = try EventLoop(name: "burst")
        defer { loop.shutdown() }
        let burst = 50_000
        let release = Atomic<Bool>(false)
        let ran = Atomic<Int>(0)
        // Holds the loop (bounded: 30 s) so that the whole burst queues behind it.
        loop.execute {
            let deadline = ContinuousClock.now + .seconds(30)
            while !release.load(ordering: .acquiring), ContinuousClock.now < deadline { sched_yield() }
        }
        for _ in 0..<burst { loop.execute { ran.wrappingAdd(1, ordering: .relaxed) } }
        release.store(true, ordering: .releasing)
        _ = try await loop.submit {}
        #expect(ran.load(ordering: .relaxed) == burst)
        // Two more small rounds, so both of the inbox's buffers went through a batch since.
        _ = try await loop.submit {}
        _ = try await loop.submit {}
        let capacity = try await loop.submit { loop.inboxCapacity }
        #expect(capacity <= 2 * EventLoop.retainedCapacity)
    }

    /// `hasQueuedWork` tells a job whether other work of this iteration is still to run (what
    /// a response may share a write with): true for all but the last of a batch, false for it.
    @Test func queuedWorkIsSeenByAllButTheLastItemOfABatch() async throws {
        let loop = try EventLoop(name: "queued-work-loop")
        defer { loop.shutdown() }
        let seen = Locked<[Bool]>([])
        // Queued from the loop itself, so the three land in one batch of the next round.
        try await loop.submit {
            for _ in 0..<3 { loop.execute { seen.withLock { $0.append(loop.hasQueuedWork) } } }
        }
        // Waited for without submitting anything (that could join their batch).
        #expect(await waitUntil(timeout: .seconds(10)) { seen.withLock { $0.count } == 3 })
        #expect(seen.withLock { $0 } == [true, true, false])
    }

    /// Deferred work (connection flushes) runs before the timers that are due in the same
    /// iteration, so output does not wait for them.
    @Test func deferredWorkRunsBeforeDueTimers() async throws {
        let loop = try EventLoop(name: "deferred-order-loop")
        defer { loop.shutdown() }
        let order = Locked<[String]>([])
        try await loop.submit {
            _ = loop.scheduleTimer(after: .zero) { order.withLock { $0.append("timer") } }
            loop.executeLater { order.withLock { $0.append("deferred") } }
        }
        #expect(await waitUntil(timeout: .seconds(10)) { order.withLock { $0.count } == 2 })
        #expect(order.withLock { $0 } == ["deferred", "timer"])
    }

    @Test func timersFireInDeadlineOrderAndCancelledOnesDoNot() async throws {
        let loop = try EventLoop(name: "timer-loop")
        defer { loop.shutdown() }
        let fired = Locked<[Int]>([])
        let done = OneShot<Void>()
        let started = ContinuousClock.now
        try await loop.submit {
            _ = loop.scheduleTimer(after: .milliseconds(60)) { fired.withLock { $0.append(3) }; done.set(.success(())) }
            _ = loop.scheduleTimer(after: .milliseconds(20)) { fired.withLock { $0.append(1) } }
            let cancelled = loop.scheduleTimer(after: .milliseconds(30)) { fired.withLock { $0.append(99) } }
            _ = loop.scheduleTimer(after: .milliseconds(40)) { fired.withLock { $0.append(2) } }
            loop.cancelTimer(cancelled)
        }
        try await done.get()
        #expect(ContinuousClock.now - started >= .milliseconds(50))
        #expect(fired.withLock { $0 } == [1, 2, 3])
    }

    @Test func aLoopCanBeStoppedFromItsOwnThread() async throws {
        let loop = try EventLoop(name: "self-stop")
        let stopped = OneShot<Bool>()
        loop.execute {
            loop.shutdown()
            stopped.set(.success(loop.inEventLoop))
        }
        #expect(try await stopped.get())
        loop.shutdown()  // a second call is a no-op
    }

    @Test func groupSpreadsRoundRobin() throws {
        let group = try EventLoopGroup(loopCount: 3, name: "rr")
        defer { group.shutdown() }
        let picks = (0..<6).map { _ in ObjectIdentifier(group.next()) }
        #expect(picks[0] == picks[3] && picks[1] == picks[4] && picks[2] == picks[5])
        #expect(Set(picks).count == 3)
    }

    @Test func socketAddressesParse() {
        #expect(SocketAddress(parsing: "127.0.0.1:80") == .ipv4(host: "127.0.0.1", port: 80))
        #expect(SocketAddress(parsing: "[::1]:443") == .ipv6(host: "::1", port: 443))
        #expect(SocketAddress(parsing: "unix:/tmp/x.sock") == .unix(path: "/tmp/x.sock"))
        #expect(SocketAddress(parsing: "nonsense") == nil)
    }
}
