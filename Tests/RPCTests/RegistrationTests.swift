import Testing
@testable import RPC

#if canImport(Glibc)
import Glibc
#endif

/// Services registered on a `Server` after it is created (before start), and the port being
/// free when `shutdown()` returns.
@Suite struct RegistrationTests {
    private static func loopbackConfiguration() -> Server.Configuration {
        var configuration = Server.Configuration(address: .ipv4(host: "127.0.0.1", port: 0))
        configuration.loopCount = 1
        configuration.shutdownGracePeriod = .seconds(2)
        return configuration
    }

    @Test func servicesRegisteredBeforeStartAreServed() async throws {
        let server = Server(configuration: Self.loopbackConfiguration())
        #expect(server.registeredMethodPaths.isEmpty)
        server.register(EchoService(observations: Observations()))
        #expect(server.registeredMethodPaths.contains("/test.Echo/Get"))
        let address = try await server.start()
        let channel = try Channel(configuration: .init(target: address))
        let reply = try await channel.unary(
            Echo.get, request: "hi", serializer: StringSerializer(), deserializer: StringDeserializer())
        #expect(reply.message == "echo: hi")
        await channel.close()
        await server.shutdown()
    }

    @Test func anEmptyServerAnswersUnimplemented() async throws {
        let server = Server(configuration: Self.loopbackConfiguration())
        let address = try await server.start()
        let channel = try Channel(configuration: .init(target: address))
        let error = await #expect(throws: RPCError.self) {
            _ = try await channel.unary(
                Echo.get, request: "hi", serializer: StringSerializer(), deserializer: StringDeserializer())
        }
        #expect(error?.code == .unimplemented)
        await channel.close()
        await server.shutdown()
    }

    @Test func registerContentsOfAddsEveryServiceAndTheLaterPathWins() async throws {
        let server = Server(configuration: Self.loopbackConfiguration())
        server.register(contentsOf: [EchoService(observations: Observations()), Shadow()])
        let address = try await server.start()
        let channel = try Channel(configuration: .init(target: address))
        // Shadow re-registers /test.Echo/Get after EchoService: its handler answers.
        let get = try await channel.unary(
            Echo.get, request: "x", serializer: StringSerializer(), deserializer: StringDeserializer())
        #expect(get.message == "shadow: x")
        // The rest of EchoService is still there.
        let error = await #expect(throws: RPCError.self) {
            _ = try await channel.unary(
                Echo.fail, request: "boom", serializer: StringSerializer(), deserializer: StringDeserializer())
        }
        #expect(error?.code == .failedPrecondition)
        await channel.close()
        await server.shutdown()
    }

    @Test func registeringAfterStartIsAPreconditionFailure() async {
        await #expect(processExitsWith: .failure) {
            var configuration = Server.Configuration(address: .ipv4(host: "127.0.0.1", port: 0))
            configuration.loopCount = 1
            let server = Server(configuration: configuration)
            _ = try await server.start()
            server.register(EchoService(observations: Observations()))
        }
    }

    @Test func shutdownReturnsWithTheListeningPortClosed() async throws {
        // A server on a loop group it does not own (as the plugin host runs its API servers):
        // the loops keep running after shutdown, so only the close itself frees the port.
        let group = try EventLoopGroup(loopCount: 1, name: "registration-test")
        defer { group.shutdown() }
        for _ in 0..<5 {
            let server = Server(configuration: Self.loopbackConfiguration(), services: [EchoService(observations: Observations())], group: group)
            let address = try await server.start()
            guard case .ipv4(_, let port) = address else {
                Issue.record("expected an IPv4 address, got \(address)")
                return
            }
            #expect(Self.acceptsConnections(port: port))
            // Keep the listener's loop busy for a moment: a close merely queued on it would
            // still be pending when shutdown() returns.
            group.loops[0].execute { usleep(100_000) }
            await server.shutdown()
            #expect(!Self.acceptsConnections(port: port), "port \(port) still accepts connections after shutdown()")
        }
    }

    /// A plain TCP connect to 127.0.0.1:port (refused once nothing listens there).
    private static func acceptsConnections(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }
}

/// Re-registers Echo's Get path with a different answer.
private struct Shadow: RPCService {
    var methods: [ServerMethod] {
        [.unary(Echo.get, deserializer: StringDeserializer(), serializer: StringSerializer()) { request, _ in "shadow: \(request)" }]
    }
}
