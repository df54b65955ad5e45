import CRPCSystem
import Glibc
import Testing
@testable import RPC

/// After a loop stops, handing it work fails visibly instead of writing to its closed
/// eventfd's number (which another descriptor may own by then) and dropping the work; and a
/// server stops its loops only after its handler tasks ended.
@Suite struct LoopShutdownTests {
    @Test func executeAfterShutdownReportsFailureAndWritesNothing() async throws {
        let loop = try EventLoop(name: "stopped")
        #expect(try await loop.submit { 42 } == 42)
        loop.shutdown()
        // The loop's two descriptors are closed; new eventfds take their numbers (the lowest
        // free ones), so a stray wake-up write would show up as a readable count.
        let probes = (0..<4).map { _ in eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
        defer { for probe in probes { Glibc.close(probe) } }
        let ran = Locked(false)
        let accepted = await Task.detached { loop.execute { ran.withLock { $0 = true } } }.value
        #expect(accepted == false)
        await #expect(throws: EventLoopError.self) { try await loop.submit { 1 } }
        for probe in probes {
            var value: UInt64 = 0
            #expect(Glibc.read(probe, &value, 8) == -1, "a write reached descriptor \(probe)")
        }
        #expect(ran.withLock { $0 } == false)
    }

    @Test func serverShutdownWaitsForHandlerTasksBeforeStoppingItsLoops() async throws {
        let harness = try await Harness.start(configure: { $0.shutdownGracePeriod = .milliseconds(200) })
        let call = Task {
            try await harness.channel.unary(Echo.lingering, request: "x", serializer: StringSerializer(), deserializer: StringDeserializer())
        }
        #expect(await harness.observations.waitForCount("lingering", atLeast: 1))
        // The grace period ends, the call is cancelled, and its handler still needs its loop
        // for 300 ms of cleanup: shutdown must return only after that.
        await harness.server.shutdown()
        #expect(harness.observations.events.contains("linger-ended"))
        _ = await call.result
        await harness.channel.close()
    }
}
