import Glibc

/// A nonblocking Unix stream socket driven directly by a harness, every wait bounded by a deadline.
final class HarnessSocket: Sendable {
    let fd: Int32

    struct Failure: Error, CustomStringConvertible {
        let description: String
        static func system(_ operation: String) -> Failure {
            Failure(description: "\(operation): \(String(cString: strerror(errno)))")
        }
    }

    private init(fd: Int32) {
        self.fd = fd
    }

    deinit { close(fd) }

    static func listen(path: String) throws(Failure) -> HarnessSocket {
        let socket = try HarnessSocket(fd: makeSocket())
        unlink(path)  // a socket file left by an earlier listener in the harness's own folder
        try withAddress(path) { address, length throws(Failure) in
            guard bind(socket.fd, address, length) == 0 else { throw .system("bind \(path)") }
        }
        guard Glibc.listen(socket.fd, 16) == 0 else { throw .system("listen \(path)") }
        return socket
    }

    static func connect(path: String) throws(Failure) -> HarnessSocket {
        let socket = try HarnessSocket(fd: makeSocket())
        try withAddress(path) { address, length throws(Failure) in
            // A Unix socket connects at once or fails (EAGAIN: the backlog is full).
            guard Glibc.connect(socket.fd, address, length) == 0 else { throw .system("connect \(path)") }
        }
        return socket
    }

    /// The next pending connection, or nil when none arrives before `deadline`.
    func accept(before deadline: ContinuousClock.Instant) -> HarnessSocket? {
        guard wait(for: Int16(POLLIN), until: deadline) else { return nil }
        let accepted = Glibc.accept(fd, nil, nil)  // (Glibc does not export accept4)
        guard accepted >= 0 else { return nil }
        let socket = HarnessSocket(fd: accepted)
        _ = fcntl(accepted, F_SETFD, FD_CLOEXEC)
        _ = fcntl(accepted, F_SETFL, fcntl(accepted, F_GETFL) | O_NONBLOCK)
        return socket
    }

    func shutdownWrite() { _ = shutdown(fd, Int32(SHUT_WR)) }

    enum PumpEnd { case stopped, peerClosed, deadline }

    /// Writes all of `bytes` while reading what the peer sends (so neither side stalls on a full
    /// socket buffer), handing each chunk read to `received`. Ends once everything is written and
    /// `done()` is true, when the peer closes (or resets) the connection, or at `deadline`.
    func pump(sending bytes: [UInt8] = [], until deadline: ContinuousClock.Instant,
              received: ([UInt8]) -> Void = { _ in }, done: () -> Bool) -> PumpEnd {
        var sent = 0
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            if sent == bytes.count, done() { return .stopped }
            let now = ContinuousClock.now
            guard now < deadline else { return .deadline }
            // Short slices: `done` may turn true because of work on other threads, not this socket.
            let slice = min(deadline - now, .milliseconds(5))
            var events = Int16(POLLIN)
            if sent < bytes.count { events |= Int16(POLLOUT) }
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            guard poll(&descriptor, 1, Int32(slice.milliseconds)) >= 0 else {
                if errno == EINTR { continue }
                return .peerClosed
            }
            if descriptor.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count == 0 { return .peerClosed }
                if count < 0, errno != EAGAIN, errno != EINTR { return .peerClosed }
                if count > 0 { received(Array(chunk[..<count])) }
            }
            if sent < bytes.count, descriptor.revents & Int16(POLLOUT) != 0 {
                let count = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
                if count < 0, errno != EAGAIN, errno != EINTR { return .peerClosed }
                if count > 0 { sent += count }
            }
        }
    }

    /// Writes all of `bytes` (waiting for room), unless the peer goes away or `deadline` passes.
    @discardableResult
    func sendAll(_ bytes: [UInt8], before deadline: ContinuousClock.Instant) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if count > 0 {
                sent += count
            } else if count < 0, errno == EAGAIN || errno == EINTR {
                guard wait(for: Int16(POLLOUT), until: deadline) else { return false }
            } else {
                return false
            }
        }
        return true
    }

    /// Forwards bytes both ways between `client` and `server` until both have closed their side
    /// or `deadline` passes, handing what each sent to `fromClient` and `fromServer`.
    static func relay(_ client: HarnessSocket, _ server: HarnessSocket, until deadline: ContinuousClock.Instant,
                      fromClient: ([UInt8]) -> Void, fromServer: ([UInt8]) -> Void) {
        var open = (client: true, server: true)
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while open.client || open.server, ContinuousClock.now < deadline {
            var descriptors = [pollfd(fd: open.client ? client.fd : -1, events: Int16(POLLIN), revents: 0),
                               pollfd(fd: open.server ? server.fd : -1, events: Int16(POLLIN), revents: 0)]
            guard poll(&descriptors, 2, 5) >= 0 || errno == EINTR else { return }
            for (index, source) in [client, server].enumerated()
            where descriptors[index].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                let target = index == 0 ? server : client
                let count = chunk.withUnsafeMutableBytes { recv(source.fd, $0.baseAddress, $0.count, 0) }
                if count > 0 {
                    let bytes = Array(chunk[..<count])
                    if index == 0 { fromClient(bytes) } else { fromServer(bytes) }
                    target.sendAll(bytes, before: deadline)
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    if index == 0 { open.client = false } else { open.server = false }
                    target.shutdownWrite()
                }
            }
        }
    }

    private func wait(for events: Int16, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let now = ContinuousClock.now
            guard now < deadline else { return false }
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&descriptor, 1, Int32(max(1, (deadline - now).milliseconds)))
            if ready > 0 { return true }
            if ready < 0, errno != EINTR { return false }
        }
    }

    private static func makeSocket() throws(Failure) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system("socket") }
        return fd
    }

    /// Calls `body` with a `sockaddr_un` for `path` (which must fit its 108-byte field).
    private static func withAddress(
        _ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) throws(Failure) -> Void
    ) throws(Failure) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { throw Failure(description: "socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &address.sun_path) { field in
            field.copyBytes(from: bytes)
            field[bytes.count] = 0
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.size)
        try withUnsafePointer(to: &address) { pointer throws(Failure) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(Failure) in
                try body(address, length)
            }
        }
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
