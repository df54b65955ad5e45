import Testing
@testable import RPC

/// Every call with a `grpc-timeout` schedules a deadline timer on both sides and cancels it
/// when the call ends. Cancelled timers must leave the loop's timer heap at once, even while
/// a live timer that fires earlier (here the server's keepalive) sits on top of the heap.
@Suite struct TimerChurnTests {
    @Test func longDeadlineCallChurnLeavesTheTimerHeapsFlat() async throws {
        let group = try EventLoopGroup(loopCount: 1, name: "timer-churn")
        defer { group.shutdown() }
        var configuration = Server.Configuration(address: .ipv4(host: "127.0.0.1", port: 0))
        // Keepalive fires before the calls' deadlines: cancelled deadline timers sit below it.
        configuration.keepalive.pingInterval = .seconds(600)
        let server = Server(configuration: configuration, services: [EchoService(observations: Observations())], group: group)
        let address = try await server.start()
        let channel = try Channel(configuration: .init(target: address))
        let bystander = try Channel(configuration: .init(target: address))
        defer { Task { await channel.close(); await bystander.close(); await server.shutdown() } }
        let serverLoop = group.loops[0]
        let clientLoop = channel.eventLoop
        let long = CallOptions(timeout: .seconds(86_400))

        _ = try await channel.unary(Echo.get, request: "warm", options: long, serializer: StringSerializer(), deserializer: StringDeserializer())
        let serverBefore = try await serverLoop.submit { serverLoop.pendingTimerCount }
        let clientBefore = try await clientLoop.submit { clientLoop.pendingTimerCount }
        for round in 0..<20 {
            try await withThrowingTaskGroup(of: Void.self) { calls in
                for index in 0..<100 {
                    calls.addTask {
                        let reply = try await channel.unary(Echo.get, request: "\(round)-\(index)", options: long,
                                                            serializer: StringSerializer(), deserializer: StringDeserializer())
                        #expect(reply.message == "echo: \(round)-\(index)")
                    }
                }
                try await calls.waitForAll()
            }
            // Another client is served all along.
            _ = try await bystander.unary(Echo.get, request: "still here", serializer: StringSerializer(), deserializer: StringDeserializer())
        }
        let serverAfter = try await serverLoop.submit { serverLoop.pendingTimerCount }
        let clientAfter = try await clientLoop.submit { clientLoop.pendingTimerCount }
        // 2000 calls, each with a deadline timer per side: nothing of them may remain.
        #expect(serverAfter <= serverBefore + 1, "server timers \(serverBefore) -> \(serverAfter)")
        #expect(clientAfter <= clientBefore, "client timers \(clientBefore) -> \(clientAfter)")
    }

    @Test func cancellingRemovesTheEntryWhereverItSits() {
        var queue = TimerQueue()
        let base = MonotonicTime.now()
        var ids: [TimerID] = []
        for offset in [50, 10, 40, 20, 30, 60, 5] {
            ids.append(queue.schedule(at: base.adding(.seconds(offset))) {})
        }
        queue.cancel(ids[2])  // 40 s, deep in the heap
        queue.cancel(ids[6])  // 5 s, the top
        queue.cancel(ids[6])  // twice: no effect
        #expect(queue.count == 5)
        #expect(queue.nextDeadline() == base.adding(.seconds(10)))
        let due = queue.takeDue(now: base.adding(.seconds(35)))
        #expect(due.count == 3)  // 10, 20, 30
        #expect(queue.count == 2)
        #expect(queue.nextDeadline() == base.adding(.seconds(50)))
    }
}
