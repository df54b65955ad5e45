import Glibc
import Testing
@testable import RPC

/// Channels over several real servers: round_robin and pick_first, wait-for-ready and
/// fail-fast calls, the observable connectivity state, and the target forms.
@Suite struct LoadBalancingTests {
    /// A fresh Unix socket path. Tests whose channel keeps reconnecting to an address with no
    /// server (or restart a server on it) use these: a freed TCP port can become another
    /// test's server's port in a parallel run, and the channel would connect to that server.
    private static func socketPath(_ name: String) -> SocketAddress {
        .unix(path: "/tmp/rpc-lb-\(getpid())-\(name)-\(UInt32.random(in: 0...UInt32.max)).sock")
    }
    /// Small backoff so reconnects happen within a test's time.
    private static func configuration(_ backends: [BackendServer], policy: LoadBalancingPolicy) -> Channel.Configuration {
        var configuration = Channel.Configuration(target: .addresses(backends.map(\.address)))
        configuration.loadBalancingPolicy = policy
        configuration.connectionBackoff = ConnectionBackoff(initial: .milliseconds(50), multiplier: 1.6, jitter: 0.2,
                                                            maximum: .milliseconds(200))
        configuration.connectTimeout = .seconds(5)
        return configuration
    }

    /// Names answering `count` calls, by name.
    private static func tally(_ channel: Channel, calls count: Int) async throws -> [String: Int] {
        var tally: [String: Int] = [:]
        for _ in 0..<count { tally[try await channel.backendName(), default: 0] += 1 }
        return tally
    }

    @Test func roundRobinSpreadsSurvivesALostServerAndSpreadsAgainWhenItReturns() async throws {
        var backends = [try await BackendServer.start("a", on: Self.socketPath("a")), try await BackendServer.start("b", on: Self.socketPath("b")),
                        try await BackendServer.start("c", on: Self.socketPath("c"))]
        let channel = try Channel(configuration: Self.configuration(backends, policy: .roundRobin))
        // All three connect (round_robin connects to every address); then calls rotate evenly.
        #expect(await eventually { (try? await Self.tally(channel, calls: 3).count) == 3 })
        let spread = try await Self.tally(channel, calls: 30)
        #expect(spread == ["a": 10, "b": 10, "c": 10], "\(spread)")

        // Kill one: every call keeps succeeding, on the other two.
        let lost = backends[1]
        await lost.stop()
        var afterLoss: [String: Int] = [:]
        for _ in 0..<30 { afterLoss[try await channel.backendName(), default: 0] += 1 }
        #expect(afterLoss["b"] == nil && afterLoss["a", default: 0] > 0 && afterLoss["c", default: 0] > 0, "\(afterLoss)")

        // Restart it on the same port: the channel reconnects (backoff) and load spreads again.
        backends[1] = try await BackendServer.start("b", on: lost.address)
        #expect(await eventually { (try? await Self.tally(channel, calls: 3)) == ["a": 1, "b": 1, "c": 1] })
        await channel.close()
        for backend in backends { await backend.stop() }
    }

    @Test func roundRobinOverThreeTLSServersSpreadsEvenly() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        var backends: [BackendServer] = []
        for name in ["a", "b", "c"] { backends.append(try await BackendServer.start(name, tls: certificates.server())) }
        var configuration = Self.configuration(backends, policy: .roundRobin)
        // Each connection verifies its server's certificate (issued for 127.0.0.1) against the test CA.
        configuration.tls = certificates.client()
        let channel = try Channel(configuration: configuration)
        #expect(await eventually { (try? await Self.tally(channel, calls: 3).count) == 3 })
        let spread = try await Self.tally(channel, calls: 30)
        #expect(spread == ["a": 10, "b": 10, "c": 10], "\(spread)")
        await channel.close()

        // A channel that does not trust the servers' CA reaches none of them.
        var untrusting = Self.configuration(backends, policy: .roundRobin)
        untrusting.tls = certificates.client(trusting: "other-ca.pem")
        let refused = try Channel(configuration: untrusting)
        let error = await #expect(throws: RPCError.self) { _ = try await refused.backendName() }
        #expect(error?.code == .unavailable, "\(String(describing: error))")
        #expect(error?.message.contains("certificate") == true, "\(String(describing: error))")
        await refused.close()
        for backend in backends { await backend.stop() }
    }

    @Test func pickFirstSendsEverythingToTheFirstAndFailsOverInOrder() async throws {
        let first = try await BackendServer.start("first", on: Self.socketPath("first"))
        let second = try await BackendServer.start("second", on: Self.socketPath("second"))
        let channel = try Channel(configuration: Self.configuration([first, second], policy: .pickFirst))
        #expect(try await Self.tally(channel, calls: 10) == ["first": 10])
        await first.stop()
        // The lost connection sends the channel back to IDLE; the next calls start over from the
        // first address, find it refused and go to the second, without failing.
        #expect(await eventually { (try? await channel.backendName()) == "second" })
        #expect(try await Self.tally(channel, calls: 10) == ["second": 10])
        await channel.close()
        await second.stop()
    }

    @Test func failFastCallsFailAtOnceWhileWaitForReadyCallsWaitForAServerThatStartsLater() async throws {
        // A free port with nothing listening yet.
        let address = Self.socketPath("late")
        var configuration = Channel.Configuration(target: address)
        configuration.connectionBackoff = ConnectionBackoff(initial: .milliseconds(50), maximum: .milliseconds(100))
        let channel = try Channel(configuration: configuration)
        let states = channel.connectivityStates()

        let failFast = await #expect(throws: RPCError.self) { _ = try await channel.backendName() }
        #expect(failFast?.code == .unavailable)
        #expect(failFast?.message.contains("\(address)") == true, "\(String(describing: failFast))")
        #expect(channel.connectivityState == .transientFailure)
        // In TRANSIENT_FAILURE a fail-fast call fails without waiting for another attempt.
        let started = ContinuousClock.now
        await #expect(throws: RPCError.self) { _ = try await channel.backendName(options: CallOptions(timeout: .seconds(30))) }
        #expect(ContinuousClock.now - started < .seconds(10))

        let waiting = Task { try await channel.backendName(options: CallOptions(timeout: .seconds(30), waitForReady: true)) }
        try await Task.sleep(for: .milliseconds(300))  // the call is held through several failed attempts
        let backend = try await BackendServer.start("late", on: address)
        #expect(try await waiting.value == "late")
        #expect(channel.connectivityState == .ready)

        var seen: [ConnectivityState] = []
        for await state in states {
            seen.append(state)
            if state == .ready { break }
        }
        // (A missing Unix socket fails the attempt at once, and TRANSIENT_FAILURE sticks through
        // later attempts until READY, so CONNECTING need not show.)
        #expect(seen.first == .idle && seen.contains(.transientFailure) && seen.last == .ready, "\(seen)")
        await channel.close()
        #expect(channel.connectivityState == .shutdown)
        await backend.stop()
    }

    @Test func aWaitForReadyCallStillEndsAtItsDeadline() async throws {
        let address = Self.socketPath("late")
        let channel = try Channel(configuration: .init(target: address))
        let error = await #expect(throws: RPCError.self) {
            _ = try await channel.backendName(options: CallOptions(timeout: .milliseconds(300), waitForReady: true))
        }
        #expect(error?.code == .deadlineExceeded, "\(String(describing: error))")
        await channel.close()
    }

    @Test func dnsAndUnixTargetsConnect() async throws {
        let tcp = try await BackendServer.start("tcp")
        let dnsChannel = try Channel(configuration: try .init(target: "dns:///localhost:\(tcp.address.port!)"))
        // localhost may resolve to ::1 first, where nothing listens: pick_first moves on to 127.0.0.1.
        #expect(try await dnsChannel.backendName() == "tcp")
        await dnsChannel.close()

        let path = "/tmp/rpc-lb-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        let unix = try await BackendServer.start("unix", on: .unix(path: path))
        let unixChannel = try Channel(configuration: try .init(target: "unix://\(path)"))
        #expect(try await unixChannel.backendName() == "unix")
        await unixChannel.close()
        await tcp.stop()
        await unix.stop()
    }

    @Test func closingTheChannelEndsCallsOnADrainingConnectionToo() async throws {
        let harness = try await Harness.start(configure: {
            $0.maxConnectionAge = .milliseconds(200)
            $0.maxConnectionAgeGrace = .seconds(30)
        })
        let held = Task {
            try await harness.channel.unary(Echo.hold, request: "old", options: CallOptions(timeout: .seconds(60)),
                                            serializer: StringSerializer(), deserializer: StringDeserializer()).message
        }
        #expect(await harness.observations.waitForCount("holding", atLeast: 1))
        // Past its age the connection got GOAWAY: the channel no longer uses it for new calls.
        #expect(await eventually { (try? await harness.get("new")) == "echo: new" && harness.server.acceptedConnectionCount == 2 })
        await harness.channel.close()
        let error = await #expect(throws: RPCError.self) { _ = try await held.value }
        #expect(error?.code == .cancelled, "\(String(describing: error))")
        await harness.server.shutdown()
    }

    @Test func aStreamingCallWrittenWhileWaitingForReadySendsEverythingOnceConnected() async throws {
        let address = Self.socketPath("late")
        var configuration = Channel.Configuration(target: address)
        configuration.connectionBackoff = ConnectionBackoff(initial: .milliseconds(50), maximum: .milliseconds(100))
        let channel = try Channel(configuration: configuration)
        let wrote = AsyncStream<Void>.makeStream()
        let call = Task {
            try await channel.bidirectionalStreaming(BackendServer.flakyChat, options: CallOptions(timeout: .seconds(30), waitForReady: true),
                                                     serializer: StringSerializer(), deserializer: StringDeserializer()) { writer in
                for word in ["one", "two", "three"] { try await writer.write(word) }
                wrote.continuation.yield()
            } onResponse: { responses in
                var acks: [String] = []
                for try await ack in responses { acks.append(ack) }
                return acks
            }
        }
        // Every request is written (kept by the held call) before any server exists.
        for await _ in wrote.stream { break }
        #expect(channel.connectivityState != .ready)
        let backend = try await BackendServer.start("late", on: address)
        #expect(try await call.value == ["ack one", "ack two", "ack three"])
        await channel.close()
        await backend.stop()
    }
}
