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
