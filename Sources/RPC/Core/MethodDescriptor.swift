/// Names one RPC method: the fully qualified service (`package.Service`) and the method name.
/// Its `path` (`/package.Service/Method`) is the HTTP/2 `:path` calls are routed by.
public struct MethodDescriptor: Sendable, Hashable, CustomStringConvertible {
    public var service: String
    public var method: String

    public init(service: String, method: String) {
        self.service = service
        self.method = method
    }

    /// `/package.Service/Method`.
    public var path: String { "/\(service)/\(method)" }

    public var description: String { path }

    /// Parses a `:path` of the form `/service/method`.
    public init?(path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        self.init(service: String(parts[1]), method: String(parts[2]))
    }
}

/// The four kinds of RPC.
public enum RPCKind: Sendable, Hashable {
    case unary
    case clientStreaming
    case serverStreaming
    case bidirectionalStreaming
}
