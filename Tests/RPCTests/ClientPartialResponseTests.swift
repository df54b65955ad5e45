import Testing
@testable import RPC

/// A response larger than the client connection's memory budget cannot complete while the
/// connection is not reading: the call must end with RESOURCE_EXHAUSTED, not stall the
/// connection (and every call on it) for good.
@Suite struct ClientPartialResponseTests {
    @Test func aResponseLargerThanTheBudgetFailsItsCallAndTheConnectionGoesOn() async throws {
        let harness = try await Harness.start(configureChannel: {
            $0.connectionMemoryBudget = 1 << 20
            $0.maxReceiveMessageSize = 8 << 20
        })
        do {
            // Stalled, the call would end at its deadline (DEADLINE_EXCEEDED) instead.
            _ = try await harness.channel.unary(Echo.sized, request: "\(3 << 20)", options: CallOptions(timeout: .seconds(60)),
                                                serializer: StringSerializer(), deserializer: RawBytesDeserializer())
            Issue.record("a 3 MiB response went through a 1 MiB budget")
        } catch let error as RPCError {
            #expect(error.code == .resourceExhausted, "\(error)")
        }
        // The same connection reads again: smaller calls go through.
        let small = try await harness.channel.unary(Echo.sized, request: "\(256 << 10)", options: CallOptions(timeout: .seconds(20)),
                                                    serializer: StringSerializer(), deserializer: RawBytesDeserializer()).message
        #expect(small.count == 256 << 10)
        await harness.stop()
    }
}
