import Testing
@testable import RPCBenchSuite

/// Pieces of `bench soak`'s load.
@Suite struct SoakLoadTests {
    /// The deadline worker's writer waits with `untilCancelled`: it must end, with
    /// CancellationError, as soon as its task is cancelled (the call's deadline does that).
    @Test func untilCancelledEndsOnCancellation() async {
        let waiting = Task { try await SoakLoad.untilCancelled() }
        waiting.cancel()
        let result = await waiting.result
        #expect(throws: CancellationError.self) { try result.get() }
    }
}
