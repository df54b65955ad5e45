import RPC
import Testing
import Wire

/// State only the main actor touches: the kind of UI model a caller updates while responses arrive.
@MainActor final class ReplyLog {
    var lines: [String] = []
}

/// Generated streaming client methods called from `@MainActor` code, whose response closures
/// are main-actor isolated and touch main-actor state, against a real loopback server.
@Suite(.timeLimit(.minutes(1))) struct MainActorCallTests {
    @MainActor @Test func serverStreamingFromMainActor() async throws {
        let log = ReplyLog()
        try await withLoopbackServer([EchoImplementation()]) { channel in
            let echo = Stubtest_V1_Echo.Client(channel: channel)
            let count = try await echo.expand(echoRequest("m", repeat: 3)) { replies in
                var count = 0
                for try await reply in replies {
                    log.lines.append("\(reply.index):\(reply.text)")
                    count += 1
                }
                return count
            }
            #expect(count == 3)
        }
        #expect(log.lines == ["0:m", "1:m", "2:m"])
    }

    @MainActor @Test func bidirectionalFromMainActor() async throws {
        let log = ReplyLog()
        try await withLoopbackServer([EchoImplementation()]) { channel in
            let echo = Stubtest_V1_Echo.Client(channel: channel)
            let count = try await echo.update { writer in
                for word in ["a", "b"] { try await writer.write(echoRequest(word)) }
            } onResponse: { replies in
                var count = 0
                for try await reply in replies {
                    log.lines.append("\(reply.index):\(reply.text)")
                    count += 1
                }
                return count
            }
            #expect(count == 2)
        }
        #expect(log.lines == ["0:A", "1:B"])
    }
}
