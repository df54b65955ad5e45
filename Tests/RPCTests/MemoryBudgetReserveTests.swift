import Foundation
import Testing
@testable import RPC

/// `MemoryBudget.tryCharge`: the check against the limits and the charge are one step, so
/// budgets used from different threads (connections on different loops) that share a parent
/// cannot together pass the parent's limit, and what was charged comes back exactly.
@Suite struct MemoryBudgetReserveTests {
    @Test func aChargeThatDoesNotFitChargesNothing() {
        let server = MemoryBudget(limit: 100)
        let connection = MemoryBudget(limit: 80, parent: server)
        #expect(connection.tryCharge(60))
        #expect(!connection.tryCharge(30), "over the connection's own limit")
        #expect(connection.usedBytes == 60 && server.usedBytes == 60)
        let other = MemoryBudget(limit: 80, parent: server)
        #expect(!other.tryCharge(50), "over the server's limit")
        #expect(other.usedBytes == 0 && server.usedBytes == 60, "a refused charge leaves nothing behind on either level")
        #expect(other.tryCharge(40))
        #expect(server.usedBytes == 100)
        connection.release(60)
        other.release(40)
        #expect(server.usedBytes == 0)
    }

    /// The floor is a budget's own even while its parent is full.
    @Test func theFloorIsChargedWhateverTheParentHolds() {
        let server = MemoryBudget(limit: 100)
        let filler = MemoryBudget(limit: 100, parent: server)
        #expect(filler.tryCharge(100))
        let connection = MemoryBudget(limit: 50, parent: server, floor: 30)
        #expect(connection.tryCharge(30))
        #expect(!connection.tryCharge(1), "past its floor it needs the parent's room")
        #expect(connection.usedBytes == 30 && server.usedBytes == 130)
        filler.release(100)
        connection.release(30)
        #expect(server.usedBytes == 0)
    }

    /// Threads, each with a connection budget of its own under one server budget, reserve
    /// until refused (bounded: each tries at most `attempts` times). The server's limit
    /// holds exactly; every successful reserve is counted and given back, leaving zero.
    @Test func concurrentReservesNeverPassTheSharedLimit() async throws {
        let threads = 8
        let attempts = 20_000
        let serverLimit = 10_000
        let chunk = 7
        for _ in 0..<20 {
            let server = MemoryBudget(limit: serverLimit)
            let connections = (0..<threads).map { _ in MemoryBudget(limit: serverLimit, parent: server) }
            // Per thread: what it holds at the end, and the most the server held as it saw it.
            let results = try await withThrowingTaskGroup(of: (held: Int, peak: Int).self) { group in
                for connection in connections {
                    group.addTask {
                        try await offPool {
                            var held = 0
                            var peak = 0
                            for _ in 0..<attempts {
                                guard connection.tryCharge(chunk) else { continue }
                                held += chunk
                                peak = max(peak, server.usedBytes)
                                // Give some back now and then, so reserves keep racing at the limit.
                                if held >= 4 * chunk, Bool.random() {
                                    connection.release(chunk)
                                    held -= chunk
                                }
                            }
                            return (held, peak)
                        }
                    }
                }
                return try await group.reduce(into: [(held: Int, peak: Int)]()) { $0.append($1) }
            }
            let total = results.reduce(0) { $0 + $1.held }
            let peak = results.map(\.peak).max() ?? 0
            #expect(peak <= serverLimit, "the server held \(peak) of \(serverLimit)")
            #expect(server.usedBytes == total, "the server counts exactly what was charged")
            #expect(total > serverLimit - chunk * threads, "the threads filled the server's limit (\(total))")
            for connection in connections {
                let held = connection.usedBytes
                #expect(held % chunk == 0)
                connection.release(held)
            }
            #expect(server.usedBytes == 0)
        }
    }
}
