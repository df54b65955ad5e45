/// What a channel connects to, in gRPC's target-name syntax (gRPC `doc/naming.md`):
///
/// - `dns:///host:port` (or `dns:host:port`): a name resolved with the system resolver, off the
///   event loop, and resolved again when connections fail and periodically;
/// - `ipv4:a.b.c.d:port,a.b.c.d:port`: one or more numeric IPv4 addresses;
/// - `ipv6:[::1]:port,[fe80::1]:port`: one or more numeric IPv6 addresses (a bare `::1` takes port 443);
/// - `unix:relative/or/absolute/path` or `unix:///absolute/path`: a Unix domain socket;
/// - `host:port` without a scheme: numeric addresses are used as they are, names go through DNS.
public struct ChannelTarget: Sendable, Hashable, CustomStringConvertible {
    /// How the target's addresses are found.
    public enum Kind: Sendable, Hashable {
        /// A host name looked up in DNS (the system resolver), with its port.
        case dns(host: String, port: Int)
        /// Fixed addresses, used in the order given.
        case addresses([SocketAddress])
    }

    public let kind: Kind

    private init(kind: Kind) { self.kind = kind }

    /// A DNS name and port.
    public static func dns(host: String, port: Int) -> ChannelTarget { ChannelTarget(kind: .dns(host: host, port: port)) }

    /// Fixed addresses (at least one).
    public static func addresses(_ addresses: [SocketAddress]) -> ChannelTarget {
        precondition(!addresses.isEmpty, "a channel target needs at least one address")
        return ChannelTarget(kind: .addresses(addresses))
    }

    /// One fixed address.
    public static func address(_ address: SocketAddress) -> ChannelTarget { ChannelTarget(kind: .addresses([address])) }

    /// The port gRPC assumes when a target names none.
    static let defaultPort = 443

    /// Parses a gRPC target string; throws `ChannelTargetError` naming what is wrong.
    public init(parsing text: String) throws(ChannelTargetError) {
        guard !text.isEmpty else { throw ChannelTargetError(target: text, reason: "the target is empty") }
        if let rest = Self.dropScheme("dns", from: text) {
            // dns:[//authority/]host[:port]; a DNS server authority is not supported.
            var name = rest
            if name.hasPrefix("//") {
                let afterSlashes = name.dropFirst(2)
                guard let slash = afterSlashes.firstIndex(of: "/") else {
                    throw ChannelTargetError(target: text, reason: "expected dns:///host:port")
                }
                guard afterSlashes[..<slash].isEmpty else {
                    throw ChannelTargetError(target: text, reason: "a DNS server authority is not supported")
                }
                name = afterSlashes[afterSlashes.index(after: slash)...]
            }
            self = try Self.hostAndPort(String(name), in: text)
        } else if let rest = Self.dropScheme("ipv4", from: text) {
            let addresses = try rest.split(separator: ",", omittingEmptySubsequences: false).map { part throws(ChannelTargetError) in
                let (host, port) = try Self.splitHostPort(String(part), in: text)
                guard Self.isNumericIPv4(host) else {
                    throw ChannelTargetError(target: text, reason: "'\(host)' is not a numeric IPv4 address")
                }
                return SocketAddress.ipv4(host: host, port: port)
            }
            self = .addresses(addresses)
        } else if let rest = Self.dropScheme("ipv6", from: text) {
            let addresses = try rest.split(separator: ",", omittingEmptySubsequences: false).map { part throws(ChannelTargetError) in
                let (host, port) = try Self.splitHostPort(String(part), in: text, bareIPv6: true)
                guard Self.isNumericIPv6(host) else {
                    throw ChannelTargetError(target: text, reason: "'\(host)' is not a numeric IPv6 address")
                }
                return SocketAddress.ipv6(host: host, port: port)
            }
            self = .addresses(addresses)
        } else if let rest = Self.dropScheme("unix", from: text) {
            // unix:path (relative or absolute) or unix:///absolute/path.
            let path = rest.hasPrefix("//") ? String(rest.dropFirst(2)) : String(rest)
            guard !path.isEmpty else { throw ChannelTargetError(target: text, reason: "the socket path is empty") }
            if rest.hasPrefix("//") && !path.hasPrefix("/") {
                throw ChannelTargetError(target: text, reason: "unix:// needs an absolute path (unix:///path)")
            }
            guard path.utf8.count < 108 else {
                throw ChannelTargetError(target: text, reason: "the socket path is longer than 107 bytes")
            }
            self = .address(.unix(path: path))
        } else {
            self = try Self.hostAndPort(text, in: text)
        }
    }

    public var description: String {
        switch kind {
        case .dns(let host, let port): "dns:///\(host.contains(":") ? "[\(host)]" : host):\(port)"
        case .addresses(let addresses): addresses.map(\.description).joined(separator: ",")
        }
    }

    /// The `:authority` gRPC sends by default: the name as written (host:port), or the one
    /// fixed address; "localhost" for Unix sockets.
    var defaultAuthority: String {
        switch kind {
        case .dns(let host, let port): return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .addresses(let addresses):
            switch addresses[0] {
            case .ipv4(let host, let port): return "\(host):\(port)"
            case .ipv6(let host, let port): return "[\(host)]:\(port)"
            case .unix: return "localhost"
            }
        }
    }

    // MARK: Parsing helpers

    private static func dropScheme(_ scheme: String, from text: String) -> Substring? {
        let prefix = scheme + ":"
        guard text.prefix(prefix.count).lowercased() == prefix else { return nil }
        return text.dropFirst(prefix.count)
    }

    /// A host (name or numeric) and port: numeric addresses become fixed, names DNS.
    private static func hostAndPort(_ text: String, in target: String) throws(ChannelTargetError) -> ChannelTarget {
        let (host, port) = try splitHostPort(text, in: target, bareIPv6: true)
        if isNumericIPv4(host) { return .address(.ipv4(host: host, port: port)) }
        if isNumericIPv6(host) { return .address(.ipv6(host: host, port: port)) }
        guard host.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_")
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0 | 0x20) })
        else {
            throw ChannelTargetError(target: target, reason: "'\(host)' is neither a host name nor a numeric address")
        }
        return .dns(host: host, port: port)
    }

    /// Splits "host:port", "[v6]:port", "host" (default port) or, with `bareIPv6`, "::1".
    private static func splitHostPort(_ text: String, in target: String, bareIPv6: Bool = false) throws(ChannelTargetError) -> (String, Int) {
        guard !text.isEmpty else { throw ChannelTargetError(target: target, reason: "an address is empty") }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw ChannelTargetError(target: target, reason: "'\(text)' lacks the closing ']'")
            }
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.isEmpty { return (host, defaultPort) }
            guard rest.hasPrefix(":") else { throw ChannelTargetError(target: target, reason: "unexpected '\(rest)' after ']'") }
            return (host, try port(rest.dropFirst(), in: target))
        }
        let colons = text.filter { $0 == ":" }.count
        if colons == 0 { return (text, defaultPort) }
        if colons > 1 {
            guard bareIPv6 else { throw ChannelTargetError(target: target, reason: "'\(text)' has more than one ':'") }
            return (text, defaultPort)  // a bare IPv6 address without a port
        }
        let colon = text.firstIndex(of: ":")!
        guard colon != text.startIndex else { throw ChannelTargetError(target: target, reason: "'\(text)' has no host") }
        return (String(text[..<colon]), try port(text[text.index(after: colon)...], in: target))
    }

    private static func port(_ text: Substring, in target: String) throws(ChannelTargetError) -> Int {
        guard let port = Int(text), (1...65535).contains(port) else {
            throw ChannelTargetError(target: target, reason: "'\(text)' is not a port in 1...65535")
        }
        return port
    }

    static func isNumericIPv4(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber) && Int(part)! <= 255
        }
    }

    static func isNumericIPv6(_ host: String) -> Bool {
        host.contains(":") && (try? SocketAddress.ipv6(host: host, port: 1).withSockAddr { _, _ in () }) != nil
    }
}

/// A channel target that does not parse, with the reason.
public struct ChannelTargetError: Error, Sendable, Hashable, CustomStringConvertible {
    public let target: String
    public let reason: String
    public var description: String { "invalid channel target '\(target)': \(reason)" }
}
