import Glibc
import Logging
import ServiceLifecycle
import Testing
@testable import RPC

@Suite struct LifecycleTests {
    @Test func gracefulShutdownLetsCallsInFlightFinish() async throws {
        let harness = try await Harness.start(configure: { $0.shutdownGracePeriod = .seconds(10) })
        let inFlight = Task {
            try await harness.channel.unary(Echo.hold, request: "late", serializer: StringSerializer(), deserializer: StringDeserializer()).message
        }
        #expect(await harness.observations.waitForCount("holding", atLeast: 1))
        let shutdown = Task { await harness.server.shutdown() }
        // New connections are refused once the listener is closed.
        let refused = await waitForRefusal(harness.address)
        #expect(refused)
        harness.observations.gate.open()
        #expect(try await inFlight.value == "released late")
        await shutdown.value
        await harness.channel.close()
    }

    @Test func shutdownCancelsCallsAfterTheGracePeriod() async throws {
        let harness = try await Harness.start(configure: { $0.shutdownGracePeriod = .milliseconds(300) })
        let inFlight = Task {
            try await harness.channel.unary(Echo.hold, request: "stuck", serializer: StringSerializer(), deserializer: StringDeserializer())
        }
        #expect(await harness.observations.waitForCount("holding", atLeast: 1))
        let started = ContinuousClock.now
        await harness.server.shutdown()
        #expect(ContinuousClock.now - started < .seconds(30))
        let result = await inFlight.result
        guard case .failure(let error as RPCError) = result else {
            Issue.record("expected the call to fail, got \(result)")
            return
        }
        #expect([.unavailable, .cancelled].contains(error.code))
        #expect(await harness.observations.waitFor("hold-cancelled"))
        await harness.channel.close()
    }

    @Test func clientVanishingMidCallCancelsTheHandler() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        _ = try raw.request(path: Echo.sleep.path, body: grpcFrame(Array("gone".utf8)))
        #expect(await harness.observations.waitFor("sleep-started gone"))
        raw.close()
        #expect(await harness.observations.waitFor("sleep-cancelled gone"))
    }

    @Test func clientVanishingWhileTheServerWritesStopsTheWriter() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        _ = try raw.request(path: Echo.flood.path, body: grpcFrame(Array("1000000".utf8)))
        #expect(await harness.observations.waitForCount("flood-written", atLeast: 10))
        // Close with unread data: the server sees a reset socket and must end the handler.
        raw.close()
        #expect(await harness.observations.waitFor("flood-cancelled"))
        #expect(try await harness.get("alive") == "echo: alive")
    }

    @Test func channelReconnectsAfterTheServerRestarts() async throws {
        let harness = try await Harness.start(.unix)
        #expect(try await harness.get("one") == "echo: one")
        await harness.server.shutdown()
        // The old connection is gone; with no server the call fails UNAVAILABLE.
        let error = await #expect(throws: RPCError.self) { _ = try await harness.get("none") }
        #expect(error?.code == .unavailable)
        var configuration = Server.Configuration(address: harness.address)
        configuration.loopCount = 1
        let again = Server(configuration: configuration, services: [EchoService(observations: Observations())])
        _ = try await again.start()
        // The failed attempt left the channel in TRANSIENT_FAILURE, where fail-fast calls fail
        // until the backoff's next attempt connects; a wait-for-ready call rides that out.
        #expect(try await harness.get("two", options: CallOptions(timeout: .seconds(30), waitForReady: true)) == "echo: two")
        await harness.channel.close()
        await again.shutdown()
    }

    @Test func serverRunsInAServiceGroupAndStopsOnGracefulShutdown() async throws {
        var configuration = Server.Configuration(address: .ipv4(host: "127.0.0.1", port: 0))
        configuration.loopCount = 1
        let server = Server(configuration: configuration, services: [EchoService(observations: Observations())])
        let group = ServiceGroup(configuration: .init(services: [server], logger: Logger(label: "test")))
        let running = Task { try await group.run() }
        // Wait (bounded) for the server to be listening, then call it.
        var address: SocketAddress?
        for _ in 0..<500 where address == nil {
            address = server.address
            if address == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        let bound = try #require(address)
        let channel = try Channel(configuration: .init(target: bound))
        let reply = try await channel.unary(Echo.get, request: "sl", serializer: StringSerializer(), deserializer: StringDeserializer())
        #expect(reply.message == "echo: sl")
        await channel.close()
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(server.address == nil)
    }

    /// Polls (bounded) until connecting to `address` fails.
    private func waitForRefusal(_ address: SocketAddress) async -> Bool {
        for _ in 0..<200 {
            if let channel = try? Channel(configuration: .init(target: address)) {
                let failed: Bool
                do {
                    _ = try await channel.unary(Echo.get, request: "probe", serializer: StringSerializer(), deserializer: StringDeserializer())
                    failed = false
                } catch {
                    failed = true
                }
                await channel.close()
                if failed { return true }
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}

@Suite struct ServerStartTests {
    /// Starts a server on `address`, then a second one configured for the address it got,
    /// which must fail to start and stay idle. Returns both; the first is still running.
    private func occupiedTwice(_ address: SocketAddress) async throws -> (first: Server, second: Server, taken: SocketAddress) {
        let first = Server(configuration: .init(address: address), services: [])
        let taken = try await first.start()
        var configuration = Server.Configuration(address: taken)
        configuration.loopCount = 1
        let second = Server(configuration: configuration, services: [])
        await #expect(throws: SocketError.self) { try await second.start() }
        #expect(second.address == nil)
        return (first, second, taken)
    }

    @Test func bindingATCPPortInUseFails() async throws {
        let (first, _, _) = try await occupiedTwice(.ipv4(host: "127.0.0.1", port: 0))
        await first.shutdown()
    }

    /// The retry half runs on a Unix socket: a TCP port freed by one server can be handed at
    /// once to another test's outgoing connection as its ephemeral port (same range), which
    /// made a TCP version of this test fail now and then in a parallel run.
    @Test func aServerWhoseStartFailedCanStartOnceTheAddressIsFree() async throws {
        let path = "/tmp/rpc-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        let (first, second, taken) = try await occupiedTwice(.unix(path: path))
        await first.shutdown()
        // The failed start left the server idle: it can start once the address is free.
        let address = try await second.start()
        #expect(address == taken)
        await second.shutdown()
    }

    @Test func startingTwiceIsAnError() async throws {
        let server = Server(configuration: .init(address: .ipv4(host: "127.0.0.1", port: 0)), services: [])
        try await server.start()
        let error = await #expect(throws: RPCError.self) { try await server.start() }
        #expect(error?.code == .failedPrecondition)
        await server.shutdown()
    }
}
