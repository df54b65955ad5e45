/// Turns a message into bytes for the wire. The call API is generic over these so generated
/// code can plug in Wire messages (`WireSerializer`) and tests can use raw bytes.
public protocol MessageSerializer<Message>: Sendable {
    associatedtype Message
    func serialize(_ message: Message) throws -> [UInt8]
}

/// Turns received bytes into a message.
public protocol MessageDeserializer<Message>: Sendable {
    associatedtype Message
    /// `bytes` are the caller's to give away (a conformer may keep their storage, as
    /// `WireDeserializer` does for a large `bytes` field); a conformer taking them borrowed
    /// satisfies this too.
    func deserialize(_ bytes: consuming [UInt8]) throws -> Message
}

/// Passes bytes through unchanged (for proxies, tests and pre-serialized payloads).
public struct RawBytesSerializer: MessageSerializer {
    public init() {}
    public func serialize(_ message: [UInt8]) throws -> [UInt8] { message }
}

/// Passes bytes through unchanged.
public struct RawBytesDeserializer: MessageDeserializer {
    public init() {}
    public func deserialize(_ bytes: [UInt8]) throws -> [UInt8] { bytes }
}
