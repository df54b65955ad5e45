/// The single stdout line a plugin prints once its hooks server listens, in go-plugin's
/// format: `CORE-VERSION|APP-VERSION|NETWORK|ADDRESS|PROTOCOL`, e.g.
/// `1|2|unix|/run/plugin-Ab12Cd/hooks.sock|grpc` or `1|2|tcp|127.0.0.1:5000|grpc`.
public struct Handshake: Sendable, Equatable {
    public enum Address: Sendable, Equatable, CustomStringConvertible {
        case tcp(host: String, port: Int)
        case unix(path: String)

        /// The address as a gRPC target string (`127.0.0.1:5000`, `[::1]:5000`, `unix:/path`).
        public var target: String {
            switch self {
            case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            case .unix(let path): "unix:\(path)"
            }
        }

        public var description: String { target }
    }

    public static let coreProtocolVersion = 1
    public static let appProtocolVersion = 2
    static let maximumLineLength = 4096

    public var address: Address

    public init(address: Address) { self.address = address }

    /// Parses a handshake line (without its newline). Only loopback TCP addresses and
    /// Unix sockets are accepted: plugins run on the same machine.
    public static func parse(_ line: String) throws(HandshakeError) -> Handshake {
        guard line.utf8.count <= maximumLineLength else { throw .notAHandshake(line: String(line.prefix(200))) }
        let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 5, let core = Int(fields[0]), let app = Int(fields[1]) else {
            throw .notAHandshake(line: line)
        }
        guard core == coreProtocolVersion else { throw .unsupportedCoreVersion(core) }
        guard app == appProtocolVersion else { throw .unsupportedAppVersion(app) }
        guard fields[4] == "grpc" else { throw .unsupportedProtocol(fields[4]) }
        switch fields[2] {
        case "tcp":
            return Handshake(address: try parseTCP(fields[3]))
        case "unix":
            let path = fields[3]
            guard path.hasPrefix("/"), !path.utf8.contains(0) else { throw .invalidAddress(path) }
            return Handshake(address: .unix(path: path))
        default:
            throw .unsupportedNetwork(fields[2])
        }
    }

    private static func parseTCP(_ text: String) throws(HandshakeError) -> Address {
        let host: String
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .invalidAddress(text) }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .invalidAddress(text) }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw .invalidAddress(text) }
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
        }
        guard let port = Int(portText), (1...65535).contains(port) else { throw .invalidAddress(text) }
        guard ["127.0.0.1", "::1", "localhost"].contains(host) else { throw .notLoopback(host) }
        return .tcp(host: host, port: port)
    }
}

/// Why a handshake line was refused.
public enum HandshakeError: Error, Equatable, CustomStringConvertible {
    case notAHandshake(line: String)
    case unsupportedCoreVersion(Int)
    case unsupportedAppVersion(Int)
    case unsupportedNetwork(String)
    case unsupportedProtocol(String)
    case invalidAddress(String)
    case notLoopback(String)
    /// A Unix socket other than the one the host assigned (MATTERMOST_PLUGIN_HOOKS_SOCKET).
    case unexpectedSocket(String, expected: String)

    public var description: String {
        switch self {
        case .notAHandshake(let line): "unexpected output before the handshake: \"\(line)\""
        case .unsupportedCoreVersion(let version):
            "handshake core protocol version \(version) is not supported (expected \(Handshake.coreProtocolVersion))"
        case .unsupportedAppVersion(let version):
            "handshake app protocol version \(version) is not supported (expected \(Handshake.appProtocolVersion))"
        case .unsupportedNetwork(let network): "handshake network \"\(network)\" is not supported (tcp or unix)"
        case .unsupportedProtocol(let name): "handshake protocol \"\(name)\" is not supported (expected grpc)"
        case .invalidAddress(let address): "handshake address \"\(address)\" is not valid"
        case .notLoopback(let host): "handshake host \(host) is not a loopback address"
        case .unexpectedSocket(let path, let expected): "handshake socket \(path) is not the assigned \(expected)"
        }
    }
}
