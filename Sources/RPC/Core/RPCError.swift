/// The error of a failed RPC: a status code, a human-readable message and trailing metadata.
///
/// Handlers throw it to end a call with a specific status; any other error thrown by a handler
/// ends the call with `UNKNOWN`. Clients receive it for every non-OK status.
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: StatusCode
    public var message: String
    public var metadata: Metadata

    public init(code: StatusCode, message: String = "", metadata: Metadata = [:]) {
        self.code = code
        self.message = message
        self.metadata = metadata
    }

    public var description: String {
        message.isEmpty ? "\(code)" : "\(code): \(message)"
    }
}
