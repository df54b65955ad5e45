import CRPCSystem
import Glibc
import Logging

/// Accepts connections on a listening socket (on one loop) and hands each to the next loop of
/// the group, where it lives until it closes.
final class Listener: EventHandler {
    private let socket: Socket
    private let loop: EventLoop
    private let group: EventLoopGroup
    private let accepted: @Sendable (Socket, EventLoop) -> Void
    private let logger: Logger
    private var isClosed = false
    private let unixPath: String?

    init(socket: Socket, address: SocketAddress, loop: EventLoop, group: EventLoopGroup, logger: Logger,
         accepted: @escaping @Sendable (Socket, EventLoop) -> Void) {
        self.socket = socket
        self.loop = loop
        self.group = group
        self.logger = logger
        self.accepted = accepted
        if case .unix(let path) = address { unixPath = path } else { unixPath = nil }
    }

    func start() throws {
        try loop.register(fd: socket.fd, handler: self, readable: true, writable: false)
    }

    func handleEvents(_ events: UInt32) {
        // Bounded per wake-up; level-triggered epoll brings us back for the rest.
        for _ in 0..<64 {
            guard !isClosed else { return }
            do {
                guard let connection = try socket.accept() else { return }
                accepted(connection, group.next())
            } catch {
                // EMFILE and friends: log and retry on the next readiness event.
                logger.error("accept failed", metadata: ["error": "\(error)"])
                return
            }
        }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        loop.unregister(fd: socket.fd)
        socket.close()
        if let unixPath { _ = unlink(unixPath) }
    }
}
