/// Fields a message's schema does not know (or knows with another wire type), kept as the
/// exact bytes they arrived as (tag included) and re-emitted after the known fields.
/// Every wire type is kept, groups included.
public struct UnknownFields: Hashable, Sendable {
    /// The raw encoded fields, concatenated in arrival order.
    public private(set) var bytes: [UInt8] = []

    @inlinable
    public init() {}

    /// Wraps already-encoded fields (for example bytes to append to a message).
    public init(bytes: [UInt8]) { self.bytes = bytes }

    @inlinable
    public var isEmpty: Bool { bytes.isEmpty }

    /// Encoded size (what it adds to a message's size).
    @inlinable
    public var size: Int { bytes.count }

    @usableFromInline
    mutating func append(_ raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
    }

    /// Appends a varint field (used for closed-enum numbers the schema does not declare).
    public mutating func appendVarint(fieldNumber: Int, _ value: UInt64) {
        appendRawVarint(UInt64(FieldTag.make(fieldNumber, .varint)))
        appendRawVarint(value)
    }

    private mutating func appendRawVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    public mutating func removeAll() { bytes.removeAll() }
}
