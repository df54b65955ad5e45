import RPC
import Testing
import Wire

/// State only the main actor touches: the kind of UI model a caller updates while responses arrive.
@MainActor final class ReplyLog {
    var lines: [String] = []
}

/// A non-Sendable accumulator, captured by response closures.
final class ReplyCounter {
    var count = 0
}

/// Generated streaming client methods called from `@MainActor` code (response closures that are
/// main-actor isolated and touch main-actor state) and from a non-`@Sendable` closure, against a
/// real loopback server. Before client calls ran on the caller's actor, the `@MainActor` ones did not
/// compile ("sending value of non-Sendable type ... risks causing data races").
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

    @Test func streamingFromANonSendableClosure() async throws {
        let counter = ReplyCounter()
        let countReplies: (Stubtest_V1_Echo.Client) async throws -> Void = { echo in
            try await echo.expand(echoRequest("n", repeat: 4)) { replies in
                for try await _ in replies { counter.count += 1 }
            }
        }
        try await withLoopbackServer([EchoImplementation()]) { channel in
            try await countReplies(Stubtest_V1_Echo.Client(channel: channel))
        }
        #expect(counter.count == 4)
    }
}
