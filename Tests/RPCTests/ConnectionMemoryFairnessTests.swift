import Foundation
import Synchronization
import Testing
@testable import RPC

/// Memory budgets on both sides, over real sockets: a client is bounded against a server
/// that streams to calls that never read, and under a spent server-wide budget a connection
/// that holds nothing is still served.
@Suite struct ConnectionMemoryFairnessTests {
    /// 8 server-streaming calls of 600 KiB each (4.7 MiB in all, each under the per-call
    /// high-water mark) whose callers do not read: the client's connection holds no more than
    /// its 1 MiB budget (it stops reading and withholds the server's window), and once the
    /// callers read, every message arrives.
    @Test func aClientWhoseCallsNeverReadHoldsNoMoreThanItsBudget() async throws {
        let budget = 1 << 20
        let harness = try await Harness.start(configureChannel: { $0.connectionMemoryBudget = budget })
        defer { Task { await harness.stop() } }
        let calls = 8
        let messagesPerCall = 600
        let gate = Gate()
        let tasks = (0..<calls).map { _ in
            Task {
                try await harness.channel.serverStreaming(
                    Echo.flood, request: "\(messagesPerCall)", options: CallOptions(timeout: .seconds(120)),
                    serializer: StringSerializer(), deserializer: RawBytesDeserializer()
                ) { responses in
                    try await gate.wait()
                    var count = 0
                    for try await message in responses where message.count == 1024 { count += 1 }
                    return count
                }
            }
        }
        // The server writes until the client stops taking bytes.
        #expect(await harness.observations.waitForCount("flood-written", atLeast: 1))
        _ = await harness.observations.waitUntilStable("flood-written", quiet: .milliseconds(500))
        // The client reads until its budget is spent, then stops.
        #expect(await waitUntil { (harness.channel.heldMemoryBytes ?? 0) >= budget }, "held \(harness.channel.heldMemoryBytes ?? -1)")
        try await Task.sleep(for: .milliseconds(300))
        let held = try #require(harness.channel.heldMemoryBytes)
        // One socket read (256 KiB) may land after the budget is spent.
        #expect(held <= budget + (512 << 10), "the client holds \(held) bytes for calls that never read")
        gate.open()
        for task in tasks { #expect(try await task.value == messagesPerCall) }
        #expect(await waitUntil { harness.channel.heldMemoryBytes == 0 }, "still held: \(harness.channel.heldMemoryBytes ?? -1)")
    }

    /// Four connections hold partly received messages that together spend the server-wide
    /// budget (none spends its own): a new connection, holding nothing, is still served,
    /// within its floor.
    @Test func aConnectionThatHoldsNothingIsServedWhileOthersSpendTheServerBudget() async throws {
        let serverBudget = 1 << 20
        let floor = 64 << 10
        let harness = try await Harness.start(configure: {
            $0.serverMemoryBudget = serverBudget
            $0.connectionMemoryBudget = 8 << 20
            $0.connectionMemoryFloor = floor
        })
        defer { Task { await harness.stop() } }
        var attackers: [RawFrameSocket] = []
        for _ in 0..<4 {
            let attacker = try await offPool { try RawFrameSocket(address: harness.address) }
            // The server's SETTINGS acknowledged: its 1 MiB stream window applies (65535 before).
            let settings = try await offPool { () throws -> Bool in
                try attacker.sendPrefaceAndSettings()
                return attacker.readFrame(timeout: .seconds(5)) { $0.type == 4 && $0.flags & 1 == 0 } != nil
            }
            #expect(settings)
            var burst = RawFrameSocket.frame(type: 4, flags: 1, streamID: 0, payload: [])
            for index in 0..<3 {
                let id = UInt32(2 * index + 1)
                burst += RawFrameSocket.requestHeaders(streamID: id, path: Echo.bytes.path, endStream: false)
                // A message announced at 1 MiB of which 320 KiB arrive, in 16 KiB frames.
                burst += RawFrameSocket.data(streamID: id, [0, 0x00, 0x10, 0x00, 0x00])
                for _ in 0..<20 { burst += RawFrameSocket.data(streamID: id, [UInt8](repeating: 1, count: 16 << 10)) }
            }
            let bytes = burst
            // The server stops reading partway, so the send may block: a thread of its own
            // (`closeNow` below wakes it).
            Thread.detachNewThread { try? attacker.send(bytes) }
            attackers.append(attacker)
        }
        defer { for attacker in attackers { attacker.closeNow() } }
        #expect(await waitUntil { (harness.server.heldMemoryBytes ?? 0) >= serverBudget },
                "the attackers should spend the server budget (held \(harness.server.heldMemoryBytes ?? -1))")
        let bystander = try Channel(configuration: Channel.Configuration(target: harness.address))
        let reply = try await bystander.unary(Echo.get, request: "bystander", options: CallOptions(timeout: .seconds(5)),
                                              serializer: StringSerializer(), deserializer: StringDeserializer()).message
        #expect(reply == "echo: bystander")
        await bystander.close()
        // Bounded: the server budget plus, per connection, its floor and one socket read.
        let held = try #require(harness.server.heldMemoryBytes)
        #expect(held <= serverBudget + 5 * (floor + (256 << 10)), "held \(held) bytes")
    }
}

/// The floor of a memory budget, without a socket.
@Suite struct MemoryBudgetFloorTests {
    @Test func aBudgetUnderItsFloorIsNotSpentByItsParent() {
        let server = MemoryBudget(limit: 100)
        let busy = MemoryBudget(limit: 1000, parent: server, floor: 10)
        let idle = MemoryBudget(limit: 1000, parent: server, floor: 10)
        busy.charge(150)
        #expect(server.isSpent)
        #expect(busy.isSpent, "over its floor while the parent is spent")
        #expect(!idle.isSpent, "nothing held: the floor lets it go on")
        idle.charge(10)
        #expect(!idle.isSpent, "holding exactly its floor is allowed")
        idle.charge(1)
        #expect(idle.isSpent)
        idle.release(11)
        busy.release(150)
        #expect(!busy.isSpent && server.usedBytes == 0)
    }

    /// A budget's room: what may still be charged before it is spent, its parent's room
    /// counting beyond its floor; charging all of it leaves the budget not spent.
    @Test func theRoomIsWhatMayBeChargedBeforeTheBudgetIsSpent() {
        let server = MemoryBudget(limit: 100)
        let connection = MemoryBudget(limit: 60, parent: server, floor: 10)
        let other = MemoryBudget(limit: 1000, parent: server, floor: 10)
        #expect(connection.room == 60)
        other.charge(70)
        #expect(connection.room == 30, "the server's room is smaller")
        connection.charge(30)
        #expect(!connection.isSpent && !server.isSpent && connection.room == 0)
        connection.charge(1)
        #expect(connection.isSpent && connection.room == 0)
        connection.release(31)
        other.charge(40)
        #expect(server.isSpent)
        #expect(connection.room == 10, "its floor is its own while the server is spent")
        other.release(110)
    }

    @Test func droppingUnderTheFloorWakesWhoWaitsOnTheSpentParent() {
        let server = MemoryBudget(limit: 100)
        let hog = MemoryBudget(limit: 1000, parent: server, floor: 10)
        let other = MemoryBudget(limit: 1000, parent: server, floor: 10)
        hog.charge(100)
        other.charge(15)
        #expect(other.isSpent)
        let woken = Mutex(0)
        other.whenFreed { woken.withLock { $0 += 1 } }
        #expect(woken.withLock { $0 } == 0, "the parent is spent: it waits")
        other.release(10)
        #expect(server.isSpent)
        #expect(woken.withLock { $0 } == 1, "back under its floor, it goes on though the parent is still spent")
        #expect(!other.isSpent)
    }

    /// The same with the release racing the wait, on two threads: whichever comes first, the
    /// waiter has run once both returned (every wake-up happens inside those calls), also when
    /// the release takes the budget under its floor just before the waiter reaches the
    /// parent's list, where that release could not see it.
    @Test func droppingUnderTheFloorWhileTheWaiterRegistersIsNeverLost() async {
        var lost = 0
        for _ in 0..<1000 {
            let server = MemoryBudget(limit: 100)
            let hog = MemoryBudget(limit: 1000, parent: server, floor: 10)
            let other = MemoryBudget(limit: 1000, parent: server, floor: 10)
            hog.charge(100)
            other.charge(15)
            let woken = Locked(0)
            await withTaskGroup(of: Void.self) { group in
                group.addTask { other.whenFreed { woken.withLock { $0 += 1 } } }
                group.addTask { other.release(10) }
            }
            if woken.withLock({ $0 }) != 1 { lost += 1 }
        }
        #expect(lost == 0, "\(lost) of 1000 waiters were never woken")
    }
}
