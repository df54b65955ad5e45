import CRPCSystem
import Glibc

/// Where a server listens or a channel connects: TCP over IPv4/IPv6, or a Unix domain socket path.
public enum SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// A numeric IPv4 address (e.g. "127.0.0.1") and port. "localhost" is accepted as 127.0.0.1.
    case ipv4(host: String, port: Int)
    /// A numeric IPv6 address (e.g. "::1") and port.
    case ipv6(host: String, port: Int)
    /// A filesystem path of a Unix domain socket (at most 107 bytes).
    case unix(path: String)

    public var description: String {
        switch self {
        case .ipv4(let host, let port): "\(host):\(port)"
        case .ipv6(let host, let port): "[\(host)]:\(port)"
        case .unix(let path): "unix:\(path)"
        }
    }

    /// The TCP port, when this is a TCP address.
    public var port: Int? {
        switch self {
        case .ipv4(_, let port), .ipv6(_, let port): port
        case .unix: nil
        }
    }

    /// Parses "host:port", "[v6]:port", "unix:/path" or "unix:///path".
    public init?(parsing text: String) {
        if text.hasPrefix("unix://") {
            self = .unix(path: String(text.dropFirst(7)))
        } else if text.hasPrefix("unix:") {
            self = .unix(path: String(text.dropFirst(5)))
        } else if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()) else { return nil }
            self = .ipv6(host: host, port: port)
        } else if let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) {
            let host = String(text[..<colon])
            self = host.contains(":") ? .ipv6(host: host, port: port) : .ipv4(host: host, port: port)
        } else {
            return nil
        }
    }

    var family: Int32 {
        switch self {
        case .ipv4: AF_INET
        case .ipv6: AF_INET6
        case .unix: AF_UNIX
        }
    }

    /// Calls `body` with the C `sockaddr` form of this address.
    func withSockAddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws(SocketError) -> T) throws(SocketError) -> T {
        switch self {
        case .ipv4(let host, let port):
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(clamping: port).bigEndian)
            let numeric = host == "localhost" ? "127.0.0.1" : host
            guard inet_pton(AF_INET, numeric, &address.sin_addr) == 1 else { throw SocketError.badAddress(description) }
            return try withUnsafeBytes(of: &address) { raw throws(SocketError) in
                try body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        case .ipv6(let host, let port):
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(clamping: port).bigEndian)
            let numeric = host == "localhost" ? "::1" : host
            guard inet_pton(AF_INET6, numeric, &address.sin6_addr) == 1 else { throw SocketError.badAddress(description) }
            return try withUnsafeBytes(of: &address) { raw throws(SocketError) in
                try body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        case .unix(let path):
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            let capacity = MemoryLayout.size(ofValue: address.sun_path)
            guard !bytes.isEmpty, bytes.count < capacity else { throw SocketError.badAddress(description) }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: bytes)
                raw[bytes.count] = 0
            }
            return try withUnsafeBytes(of: &address) { raw throws(SocketError) in
                try body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }

    /// Decodes a C socket address (from getsockname/accept).
    init?(storage: sockaddr_storage) {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            let address = withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in.self) }
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            var inAddr = address.sin_addr
            inet_ntop(AF_INET, &inAddr, &text, socklen_t(text.count))
            self = .ipv4(host: String(decoding: text.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self), port: Int(UInt16(bigEndian: address.sin_port)))
        case AF_INET6:
            let address = withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in6.self) }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            var inAddr = address.sin6_addr
            inet_ntop(AF_INET6, &inAddr, &text, socklen_t(text.count))
            self = .ipv6(host: String(decoding: text.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self), port: Int(UInt16(bigEndian: address.sin6_port)))
        case AF_UNIX:
            let address = withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_un.self) }
            let path = withUnsafeBytes(of: address.sun_path) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            self = .unix(path: path)
        default:
            return nil
        }
    }
}
