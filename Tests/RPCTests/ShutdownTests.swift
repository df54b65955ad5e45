import Glibc
import Testing
@testable import RPC

/// `Server.shutdown()` returns only once the listening socket is closed and every connection is
/// gone, so a caller may at once reuse the port or assert that nothing is left behind.
@Suite struct ShutdownTests {
    @Test(arguments: [1, 2, 4])
    func theListenerIsClosedWhenShutdownReturns(loops: Int) async throws {
        let harness = try await Harness.start(configure: { $0.loopCount = loops })
        #expect(try await harness.get("up") == "echo: up")
        await harness.server.shutdown()
        // No retry and no wait: the very first attempt must be refused.
        #expect(connectErrno(harness.address) == ECONNREFUSED)
        #expect(harness.server.openConnectionCount == 0)
        await harness.channel.close()
    }

    @Test func connectionsAcceptedDuringShutdownAreGoneWhenItReturns() async throws {
        let harness = try await Harness.start()
        // Keep connecting while shutdown runs: whatever got accepted must be closed by the time
        // shutdown returns (none may be left registered on a loop).
        let connector = Task.detached { () -> Int in
            var sockets: [Socket] = []
            defer { for socket in sockets { socket.close() } }
            for _ in 0..<200 {
                guard let (socket, _) = try? Socket.connect(to: harness.address) else { break }
                sockets.append(socket)
            }
            return sockets.count
        }
        await harness.server.shutdown()
        #expect(harness.server.openConnectionCount == 0)
        #expect(connectErrno(harness.address) == ECONNREFUSED)
        _ = await connector.value
        await harness.channel.close()
    }

    /// 0 when a TCP connect succeeds, else its errno (bounded wait for a connect in progress).
    private func connectErrno(_ address: SocketAddress) -> Int32 {
        let socket: Socket
        let inProgress: Bool
        do {
            (socket, inProgress) = try Socket.connect(to: address)
        } catch {
            if case .system(_, let code) = error { return code }
            return -1
        }
        defer { socket.close() }
        guard inProgress else { return 0 }
        var pfd = pollfd(fd: socket.fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&pfd, 1, 10_000) == 1 else { return ETIMEDOUT }
        return socket.pendingError()
    }
}
