import CRPCSystem
import Glibc

/// A socket failure, with the failing call and errno.
public enum SocketError: Error, Sendable, Hashable, CustomStringConvertible {
    case system(operation: String, errno: Int32)
    case badAddress(String)

    public var description: String {
        switch self {
        case .system(let operation, let code): "\(operation): \(String(cString: strerror(code)))"
        case .badAddress(let address): "invalid socket address \(address)"
        }
    }

    static func last(_ operation: String) -> SocketError { .system(operation: operation, errno: errno) }
}

/// The outcome of a non-blocking read.
enum ReadOutcome {
    case bytes(Int)
    case wouldBlock
    case endOfFile
}

/// A non-blocking, close-on-exec socket descriptor. A plain value: the owner closes it exactly once.
struct Socket {
    let fd: Int32

    // MARK: Creation

    /// Binds and listens on `address`; returns the socket and the address actually bound
    /// (with the kernel-chosen port when `port` was 0).
    static func listen(on address: SocketAddress, backlog: Int32 = 1024) throws(SocketError) -> (Socket, SocketAddress) {
        let fd = Glibc.socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .last("socket") }
        let socket = Socket(fd: fd)
        do {
            if address.family != AF_UNIX {
                try socket.setOption(SOL_SOCKET, SO_REUSEADDR, 1)
            }
            if address.family == AF_INET6 {
                try socket.setOption(Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1)
            }
            try address.withSockAddr { pointer, length throws(SocketError) in
                guard Glibc.bind(fd, pointer, length) == 0 else { throw .last("bind \(address)") }
            }
            guard Glibc.listen(fd, backlog) == 0 else { throw SocketError.last("listen") }
            return (socket, try socket.localAddress() ?? address)
        } catch let error as SocketError {
            socket.close()
            throw error
        } catch {
            socket.close()
            throw SocketError.badAddress(address.description)
        }
    }

    /// Starts a non-blocking connect. `inProgress` is true when completion must be awaited
    /// (the socket becomes writable; then check `pendingError()`).
    static func connect(to address: SocketAddress) throws(SocketError) -> (socket: Socket, inProgress: Bool) {
        let fd = Glibc.socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .last("socket") }
        let socket = Socket(fd: fd)
        do {
            if address.family != AF_UNIX { try socket.setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1) }
            let inProgress = try address.withSockAddr { pointer, length throws(SocketError) -> Bool in
                if Glibc.connect(fd, pointer, length) == 0 { return false }
                if errno == EINPROGRESS || errno == EAGAIN { return true }
                throw .last("connect \(address)")
            }
            return (socket, inProgress)
        } catch {
            socket.close()
            throw error
        }
    }

    /// Accepts one pending connection, or nil when none is waiting.
    func accept() throws(SocketError) -> Socket? {
        // One call sets both flags: no window in which a fork+exec elsewhere in the process
        // could inherit the descriptor, and no extra fcntl syscalls per connection.
        let fd = accept4(self.fd, nil, nil, Int32(SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue))
        if fd < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNABORTED { return nil }
            throw .last("accept4")
        }
        let socket = Socket(fd: fd)
        // Fails harmlessly (ENOTSUP) on Unix sockets.
        try? socket.setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        return socket
    }

    // MARK: I/O

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(SocketError) -> ReadOutcome {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count > 0 { return .bytes(count) }
            if count == 0 { return .endOfFile }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return .wouldBlock }
            throw .last("read")
        }
    }

    /// Writes as much of the vectors as the kernel takes; returns the byte count (0 when it would
    /// block). `sendmsg` with MSG_NOSIGNAL rather than `writev`: a peer that went away must give
    /// EPIPE, not a SIGPIPE that kills the process.
    func writev(_ vectors: UnsafeBufferPointer<iovec>) throws(SocketError) -> Int {
        var message = msghdr()
        message.msg_iov = UnsafeMutablePointer(mutating: vectors.baseAddress)
        message.msg_iovlen = vectors.count
        while true {
            let count = Glibc.sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
            if count >= 0 { return count }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return 0 }
            throw .last("sendmsg")
        }
    }

    // MARK: Options and state

    func setOption(_ level: Int32, _ name: Int32, _ value: Int32) throws(SocketError) {
        var value = value
        guard setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw .last("setsockopt")
        }
    }

    /// The error of an asynchronous connect (0 = connected).
    func pendingError() -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length)
        return value
    }

    func localAddress() throws(SocketError) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { throw .last("getsockname") }
        return SocketAddress(storage: storage)
    }

    func remoteAddress() -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        return result == 0 ? SocketAddress(storage: storage) : nil
    }

    func shutdownWrite() { _ = Glibc.shutdown(fd, Int32(SHUT_WR)) }

    func close() { _ = Glibc.close(fd) }
}
