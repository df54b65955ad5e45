/// Packing messages into `google.protobuf.Any` and back (hand-written; the rest of this
/// folder is generated).
extension Google_Protobuf_Any {
    /// The type URL prefix protobuf runtimes use by default.
    public static let defaultTypeURLPrefix = "type.googleapis.com"

    /// Wraps `message` with its type URL (`type.googleapis.com/pkg.Name`).
    public init<M: Message>(packing message: M, typeURLPrefix: String = Google_Protobuf_Any.defaultTypeURLPrefix) throws(WireError) {
        self.init()
        typeURL = typeURLPrefix + "/" + M.protoMessageName
        value = try message.serializedBytes()
    }

    /// True when this Any holds a message of type `M` (by the name after the last `/`).
    public func isA<M: Message>(_ type: M.Type) -> Bool {
        guard let slash = typeURL.lastIndex(of: "/") else { return typeURL == M.protoMessageName }
        return typeURL[typeURL.index(after: slash)...] == M.protoMessageName
    }

    /// Decodes the held message as `M`, or nil when it holds another type.
    public func unpack<M: Message>(_ type: M.Type) throws(WireError) -> M? {
        guard isA(type) else { return nil }
        return try M(serializedBytes: value)
    }
}
