import CRPCSystem
import Glibc
import Logging
import Testing
@testable import RPC

@Suite struct AcceptTests {
    /// Accepted sockets get O_NONBLOCK and FD_CLOEXEC from `accept4` itself.
    @Test func acceptedSocketsAreNonBlockingAndCloseOnExec() throws {
        let (listener, address) = try Socket.listen(on: .ipv4(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        let (client, _) = try Socket.connect(to: address)
        defer { client.close() }
        var pfd = pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)
        #expect(poll(&pfd, 1, 5000) == 1)
        let accepted = try #require(try listener.accept())
        defer { accepted.close() }
        #expect(fcntl(accepted.fd, F_GETFL) & O_NONBLOCK != 0)
        #expect(fcntl(accepted.fd, F_GETFD) & FD_CLOEXEC != 0)
    }

    /// A connection whose `start()` fails (here: its descriptor is already registered on the
    /// loop) closes its socket once and leaves the registry, so shutdown neither waits for it
    /// nor closes its descriptor number a second time.
    @Test func aConnectionWhoseStartFailsLeavesTheRegistryAndClosesOnce() async throws {
        let loop = try EventLoop(name: "adopt")
        defer { loop.shutdown() }
        let (listener, address) = try Socket.listen(on: .ipv4(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        let peer = try RawFrameSocket(address: address)
        var pfd = pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)
        #expect(poll(&pfd, 1, 5000) == 1)
        let accepted = try #require(try listener.accept())
        let runtime = ServerRuntime(configuration: .init(address: address), methods: [:], interceptors: [],
                                    logger: Logger(label: "test"), liveStreams: LiveCounter())
        let registry = ConnectionRegistry()
        let errors = ErrorLog()
        let logger = Logger(label: "adopt") { _ in errors }
        try await loop.submit {
            let blocker = Blocker()
            // Occupy the descriptor's registration so the connection's own one fails.
            try loop.register(fd: accepted.fd, handler: blocker, readable: false, writable: false)
            Server.adopt(accepted, loop: loop, runtime: runtime, registry: registry, logger: logger)
            loop.unregister(fd: accepted.fd)
        }
        #expect(registry.count == 0)
        #expect(registry.acceptedTotal == 1)
        // The failure is reported with its cause (this test provokes it; a server never
        // registers a descriptor twice).
        #expect(errors.messages.count == 1)
        #expect(errors.messages.first?.contains("could not start an accepted connection") == true, "\(errors.messages)")
        #expect(errors.messages.first?.contains("File exists") == true, "\(errors.messages)")
        // The server side was closed: the peer reads end of file.
        #expect(try await offPool { peer.waitForClose(timeout: .seconds(10)) })
        // Exactly once: a descriptor that now takes the number stays open.
        let reuse = eventfd(0, Int32(EFD_CLOEXEC))
        defer { Glibc.close(reuse) }
        await registry.waitUntilEmpty()
        #expect(fcntl(reuse, F_GETFD) != -1)
    }

    private final class Blocker: EventHandler {
        func handleEvents(_ events: UInt32) {}
    }
}
