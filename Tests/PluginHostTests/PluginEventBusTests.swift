import Synchronization
import Testing

@testable import PluginHost

/// The bound on one plugin's publications in flight, against the bus itself (the delivery
/// end to end is in HookChainTests).
@Suite struct PluginEventBusTests {
    @Test func aPublisherHasAtMostSixteenPublicationsInFlight() async throws {
        let bus = PluginEventBus()
        let release = AsyncSignal<Void>()
        let started = Mutex(0)
        bus.connect { _, _, _ in
            started.withLock { $0 += 1 }
            _ = await release.wait(timeout: .seconds(30))
            return 1
        }
        let limit = PluginEventBus.maximumInFlightPerPublisher
        try await withThrowingTaskGroup(of: Int?.self) { group in
            for _ in 0..<limit {
                group.addTask { await bus.publish(from: "flooder", topic: "t", payload: []) }
            }
            #expect(await eventually { started.withLock { $0 } == limit })
            // The next one of the same publisher is refused; another publisher still gets through.
            #expect(await bus.publish(from: "flooder", topic: "t", payload: []) == nil)
            group.addTask { await bus.publish(from: "neighbour", topic: "t", payload: []) }
            #expect(await eventually { started.withLock { $0 } == limit + 1 })
            release.fulfill(())
            var delivered = 0
            for try await result in group { delivered += result ?? 0 }
            #expect(delivered == limit + 1)
        }
        // Once they are done, the publisher may publish again.
        #expect(await bus.publish(from: "flooder", topic: "t", payload: []) == 1)
    }
}
