import CRPCSystem
import Glibc
import Testing
@testable import RPC

@Suite struct KeepaliveTests {
    @Test func serverDropsAClientThatNeverAnswersPings() async throws {
        let harness = try await Harness.start(configure: {
            $0.keepalive.pingInterval = .milliseconds(100)
            $0.keepalive.pingTimeout = .milliseconds(200)
        })
        defer { Task { await harness.stop() } }
        // A client that speaks the preface and then goes silent (never reads, never ACKs).
        let (socket, inProgress) = try Socket.connect(to: harness.address)
        defer { socket.close() }
        if inProgress {
            var pfd = pollfd(fd: socket.fd, events: Int16(POLLOUT), revents: 0)
            _ = poll(&pfd, 1, 2000)
        }
        let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + [0, 0, 0, 4, 0, 0, 0, 0, 0]
        _ = preface.withUnsafeBytes { send(socket.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        // The server closes the connection after interval + timeout; read until EOF (bounded).
        let closed = try await offPool { () -> Bool in
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            var buffer = [UInt8](repeating: 0, count: 4096)
            while ContinuousClock.now < deadline {
                var pfd = pollfd(fd: socket.fd, events: Int16(POLLIN), revents: 0)
                guard poll(&pfd, 1, 100) == 1 else { continue }
                let count = buffer.withUnsafeMutableBytes { recv(socket.fd, $0.baseAddress, $0.count, 0) }
                if count <= 0 { return true }
            }
            return false
        }
        #expect(closed)
    }

    @Test func answeredPingsKeepTheConnectionAndClientKeepaliveWorks() async throws {
        let harness = try await Harness.start(configure: {
            $0.keepalive.pingInterval = .milliseconds(50)
            $0.keepalive.minPingInterval = .milliseconds(10)
            $0.keepalive.permitWithoutCalls = true
        }, configureChannel: {
            $0.keepalive = Channel.Keepalive(interval: .milliseconds(50), timeout: .seconds(10), permitWithoutCalls: true)
        })
        defer { Task { await harness.stop() } }
        #expect(try await harness.get("a") == "echo: a")
        // Several ping rounds pass in both directions (our client ACKs the server's pings
        // through nghttp2); the same connection keeps serving calls.
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await harness.get("b") == "echo: b")
        #expect(harness.server.acceptedConnectionCount == 1)
        #expect(harness.server.openConnectionCount == 1)
    }
}
