import RPC
import Wire

/// Plugs Wire messages into RPC's generic call API.
struct WireSerializer<M: Wire.Message>: MessageSerializer {
    func serialize(_ message: M) throws -> [UInt8] { try message.serializedBytes() }
}

struct WireDeserializer<M: Wire.Message>: MessageDeserializer {
    func deserialize(_ bytes: [UInt8]) throws -> M { try M(serializedBytes: bytes) }
}
