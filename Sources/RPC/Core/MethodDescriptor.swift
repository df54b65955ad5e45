/// Names one RPC method: the fully qualified service (`package.Service`) and the method name.
/// Its `path` (`/package.Service/Method`) is the HTTP/2 `:path` calls are routed by.
public struct MethodDescriptor: Sendable, Hashable, CustomStringConvertible {
    public var service: String { didSet { path = Self.path(service, method) } }
    public var method: String { didSet { path = Self.path(service, method) } }

    public init(service: String, method: String) {
        self.service = service
        self.method = method
        self.path = Self.path(service, method)
    }

    /// `/package.Service/Method`. Stored, not computed: the server routes and the client
    /// sends every call by it (building it per call was three string appends and an
    /// allocation per call).
    public private(set) var path: String

    private static func path(_ service: String, _ method: String) -> String { "/\(service)/\(method)" }

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
