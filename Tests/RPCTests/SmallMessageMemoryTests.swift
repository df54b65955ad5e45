import Foundation
import Testing
@testable import RPC

/// Tiny request messages are held at what they cost, not at their wire size: a message of
/// no bytes is 5 bytes on the wire but a queue slot and more in memory, and a peer sending
/// floods of them could otherwise hold many times the memory budget. And a queue whose
/// reader stays behind does not keep the slots of every message it ever took.
@Suite struct SmallMessageMemoryTests {
    @Test func emptyMessagesAreChargedWhatHoldingThemCosts() async throws {
        let harness = try await Harness.start(configure: { $0.loopCount = 1 })
        defer { Task { await harness.stop() } }
        let peer = try await offPool { try RawFrameSocket(address: harness.address) }
        defer { peer.closeNow() }
        try await offPool { try peer.sendPrefaceAndSettings() }
        // 10,000 empty messages (50,000 bytes, within the default 65,535-byte windows), for a
        // handler that does not read them (its gate stays closed), in frames of 16,380 bytes.
        let messages = 10_000
        let wire = [UInt8](repeating: 0, count: 5 * messages)
        var bytes = RawFrameSocket.requestHeaders(streamID: 1, path: Echo.slowCollect.path, endStream: false)
        var offset = 0
        while offset < wire.count {
            let end = min(wire.count, offset + 16_380)
            bytes += RawFrameSocket.data(streamID: 1, Array(wire[offset..<end]))
            offset = end
        }
        let request = bytes
        try await offPool { try peer.send(request) }
        let cost = messages * (5 + ReceivedMessage.queuedOverhead)
        #expect(await waitUntil(timeout: .seconds(30)) { (harness.server.heldMemoryBytes ?? 0) >= cost },
                "held \(harness.server.heldMemoryBytes ?? -1) for \(messages) queued messages; expected at least \(cost)")
        peer.closeNow()
        #expect(await waitUntil(timeout: .seconds(30)) { harness.server.heldMemoryBytes == 0 }, "still held: \(harness.server.heldMemoryBytes ?? -1)")
    }

    @Test func aReaderThatStaysBehindDoesNotGrowTheQueuesStorage() async throws {
        let budget = MemoryBudget(limit: 1 << 30)
        let queue = InboundMessageQueue(highWater: 1 << 30, budget: budget) {}
        let message = ReceivedMessage(bytes: [1], compression: .identity)
        // One message always waits: the queue never runs empty.
        budget.charge(message.memoryCost)
        queue.push(message)
        for _ in 0..<100_000 {
            budget.charge(message.memoryCost)
            queue.push(message)
            _ = try await queue.next()
        }
        #expect(queue.storedSlotCount <= InboundMessageQueue.compactionThreshold + 1, "\(queue.storedSlotCount) slots for 1 queued message")
        #expect(queue.queuedByteCount == message.memoryCost)
        #expect(budget.usedBytes == message.memoryCost)
    }
}

/// Which partly received messages a spent budget reclaims, with queued messages charged their
/// overhead on top of their wire size (no sockets: the rule alone).
@Suite struct PartialMessageReclaimRuleTests {
    let overhead = ReceivedMessage.queuedOverhead

    /// 127 whole messages of 16,389 wire bytes and part of the next fit a 2 MiB budget in
    /// wire bytes: only their overhead spends it, so the partial message is not what holds it.
    @Test func queueOverheadAloneDoesNotMakeAPartialMessageHoldTheBudget() {
        let limit = MemoryBudget.connectionLimit(configured: 2 << 20, fixedBytes: 0)
        let queued = 127
        let partial = 10_000
        let used = queued * (16_389 + overhead) + partial
        #expect(used > limit)
        #expect(!ReceivedMessage.partialMessagesHoldBudget(used: used, limit: limit, partialBytes: partial, queuedMessages: queued))
    }

    @Test func aPartialMessageThatSpendsTheBudgetInWireBytesHoldsIt() {
        let limit = MemoryBudget.connectionLimit(configured: 1 << 20, fixedBytes: 0)
        // Nothing queued: the partial message alone is over the limit.
        #expect(ReceivedMessage.partialMessagesHoldBudget(used: limit + 1, limit: limit, partialBytes: limit + 1, queuedMessages: 0))
        // Queued messages within the limit, the partial one takes it over in wire bytes.
        let queued = 10
        let queuedCost = queued * (1000 + overhead)
        let partial = limit - queuedCost + queued * overhead + 1
        #expect(ReceivedMessage.partialMessagesHoldBudget(used: queuedCost + partial, limit: limit, partialBytes: partial, queuedMessages: queued))
    }

    /// Whole messages over the limit hold the budget themselves: taking them frees it.
    @Test func queuedMessagesOverTheLimitHoldTheBudgetThemselves() {
        let limit = MemoryBudget.connectionLimit(configured: 1 << 20, fixedBytes: 0)
        let queued = 100
        let queuedCost = queued * (20_000 + overhead)
        #expect(queuedCost > limit)
        #expect(!ReceivedMessage.partialMessagesHoldBudget(used: queuedCost + 500, limit: limit, partialBytes: 500, queuedMessages: queued))
    }
}
