import Testing
@testable import RPC

/// While the server is down, calls on a channel that was connected before fail with the
/// real cause (the connect error) and name the target.
@Suite struct ServerDownErrorTests {
    @Test func callsOnAnExistingChannelNameTheTargetAndTheConnectError() async throws {
        let harness = try await Harness.start()
        #expect(try await harness.get("up") == "echo: up")
        await harness.server.shutdown()
        defer { Task { await harness.channel.close() } }
        for attempt in 0..<3 {
            do {
                _ = try await harness.get("down \(attempt)")
                Issue.record("a call succeeded with the server down")
            } catch let error as RPCError {
                #expect(error.code == .unavailable)
                #expect(error.message.contains("\(harness.address)"), "\(error.message)")
                #expect(error.message.contains("Connection refused"), "\(error.message)")
                #expect(!error.message.contains("closing"), "\(error.message)")
            }
        }
    }
}
