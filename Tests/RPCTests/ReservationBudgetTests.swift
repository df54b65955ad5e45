import Foundation
import Testing
@testable import RPC

/// Storage the server reserves ahead of a message's arriving bytes is charged to the memory
/// budgets and bounded by them: streams that each announce a large message and send a little
/// of it cannot make the server reserve past its budget, while another client is still
/// served. Checked with the connections' own counters (`Server.connectionMemoryReports`).
@Suite struct ReservationBudgetTests {
    /// Bytes of body each stream sends (one DATA frame of 16 KiB with the prefix: the
    /// largest frame a peer may send before our SETTINGS are acknowledged), and what
    /// `streams` of them would reserve unbounded (16x that each: 256 KiB).
    static let bodyPerStream = (16 << 10) - 5
    static func unboundedReservations(streams: Int) -> Int { streams * (5 + 16 * bodyPerStream) }

    /// The attack: each stream announces 4 MiB - 1 (within the receive limit) and sends one
    /// frame of it.
    static func attack(streams: Int) -> [UInt8] {
        var burst: [UInt8] = []
        for index in 0..<streams {
            let id = UInt32(2 * index + 1)
            burst += RawFrameSocket.requestHeaders(streamID: id, path: Echo.bytes.path, endStream: false)
            burst += RawFrameSocket.data(streamID: id, [0, 0x00, 0x3F, 0xFF, 0xFF] + [UInt8](repeating: 0xA5, count: bodyPerStream))
        }
        return burst
    }

    /// 15 streams: 240 KiB sent, which the server may take in one socket read (after which
    /// nothing would look at the budget again), for 3.8 MiB of reservations unbounded.
    @Test func aConnectionCannotReserveBeyondItsBudget() async throws {
        let streams = 15
        let budget = 1 << 20
        let harness = try await Harness.start(configure: {
            $0.connectionMemoryBudget = budget
            $0.loopCount = 1
        })
        defer { Task { await harness.stop() } }
        #expect(Self.unboundedReservations(streams: streams) > 2 * budget, "the attack must be able to exceed the budget unbounded")
        let attacker = try await offPool { try RawFrameSocket(address: harness.address) }
        try await offPool { try attacker.sendPrefaceAndSettings() }
        let bytes = Self.attack(streams: streams)
        // On a thread of its own: the server may stop reading before it took everything.
        Thread.detachNewThread { try? attacker.send(bytes) }
        let arrived = streams * (16 << 10)
        let report = try #require(await harness.server.settledMemoryReport(timeout: .seconds(60)) { $0.openStreams >= streams && $0.deframerHeldBytes >= arrived })
        #expect(report.deframerHeldBytes == report.partialBytes, "the counter must match what the deframers hold")
        #expect(report.budgetUsedBytes >= report.deframerHeldBytes, "everything held is charged")
        // Reservations never take more than the room left; bytes that arrive once it is taken
        // are held as they are, at most the rest of one socket read (256 KiB) before reads
        // stop (and the reservations are given back). Unbounded, the deframers would hold
        // `unboundedReservations`, over twice the budget.
        #expect(report.budgetUsedBytes <= report.budgetLimit + (256 << 10), "charged \(report.budgetUsedBytes) of \(report.budgetLimit)")
        #expect(report.deframerHeldBytes <= report.budgetLimit + (256 << 10), "deframers hold \(report.deframerHeldBytes)")
        #expect(try await harness.get("bystander") == "echo: bystander")
        attacker.closeNow()
        #expect(await waitUntil { harness.server.heldMemoryBytes == 0 }, "still held: \(harness.server.heldMemoryBytes ?? -1)")
    }

    /// 40 streams: 640 KiB sent, 10 MiB of reservations unbounded.
    @Test func connectionsCannotReserveBeyondTheServerBudget() async throws {
        let streams = 40
        let serverBudget = 2 << 20
        let harness = try await Harness.start(configure: {
            $0.serverMemoryBudget = serverBudget
            $0.loopCount = 1
        })
        defer { Task { await harness.stop() } }
        #expect(Self.unboundedReservations(streams: streams) > 2 * serverBudget)
        let attacker = try await offPool { try RawFrameSocket(address: harness.address) }
        try await offPool { try attacker.sendPrefaceAndSettings() }
        let bytes = Self.attack(streams: streams)
        // On a thread of its own: the server may stop reading before it took everything.
        Thread.detachNewThread { try? attacker.send(bytes) }
        // The reservations take the server budget's room; reads then stop.
        let report = try #require(await harness.server.settledMemoryReport(timeout: .seconds(60)) { $0.budgetUsedBytes >= serverBudget })
        #expect(report.deframerHeldBytes == report.partialBytes)
        // Reservations take the server's room and no more; bytes that arrived once it was
        // taken are held as they are, at most one socket read (256 KiB) before reads stop.
        let held = try #require(harness.server.heldMemoryBytes)
        #expect(held <= serverBudget + (256 << 10), "the server holds \(held) bytes")
        #expect(report.deframerHeldBytes <= serverBudget + (256 << 10), "deframers hold \(report.deframerHeldBytes)")
        // Another connection still gets its floor.
        #expect(try await harness.get("bystander") == "echo: bystander")
        attacker.closeNow()
        #expect(await waitUntil { harness.server.heldMemoryBytes == 0 }, "still held: \(harness.server.heldMemoryBytes ?? -1)")
    }

    /// A message that completes in a DATA frame followed, in the same frame, by an invalid
    /// prefix: the call fails, and what was charged for the partial message is given back
    /// both to the budget and to the connection's count of partial bytes (which decides
    /// when partial messages are dropped), so the two stay equal.
    @Test func aDeframingErrorAfterAPartialMessageLeavesNoPartialBytesCounted() async throws {
        let harness = try await Harness.start(configure: { $0.loopCount = 1 })
        defer { Task { await harness.stop() } }
        let attacker = try await offPool { try RawFrameSocket(address: harness.address) }
        defer { attacker.closeNow() }
        try await offPool { try attacker.sendPrefaceAndSettings() }
        let first = RawFrameSocket.requestHeaders(streamID: 1, path: Echo.bytes.path, endStream: false)
            + RawFrameSocket.data(streamID: 1, [0, 0, 0, 0, 200] + [UInt8](repeating: 1, count: 100))
        try await offPool { try attacker.send(first) }
        let partial = try #require(await harness.server.settledMemoryReport(timeout: .seconds(60)) { $0.partialBytes > 0 })
        #expect(partial.partialBytes == partial.deframerHeldBytes)
        #expect(partial.partialBytes >= 105)
        // The rest of the message, then a prefix with flag 2 (invalid).
        let second = RawFrameSocket.data(streamID: 1, [UInt8](repeating: 1, count: 100) + [2, 0, 0, 0, 0])
        try await offPool { try attacker.send(second) }
        let status = try await offPool {
            attacker.readFrame(timeout: .seconds(30)) { $0.type == 1 && $0.streamID == 1 }
        }
        #expect(status != nil, "the call must end")
        let after = try #require(await harness.server.settledMemoryReport(timeout: .seconds(60)) { $0.budgetUsedBytes == 0 })
        #expect(after.partialBytes == 0, "the connection still counts \(after.partialBytes) partial bytes")
        #expect(after.deframerHeldBytes == 0)
    }
}
