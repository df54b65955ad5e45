/// The protobuf wire types (the low three bits of a field tag).
public enum WireType: UInt8, Sendable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5
}

/// Helpers for field tags (`fieldNumber << 3 | wireType`). Generated code switches on the
/// raw tag value, so a known field arriving with an unexpected wire type falls through to
/// the unknown-field branch, as the protobuf spec requires.
public enum FieldTag {
    /// Largest field number protobuf allows (2^29 - 1).
    public static let maxFieldNumber = 536_870_911

    @inlinable
    public static func make(_ fieldNumber: Int, _ wireType: WireType) -> UInt32 {
        UInt32(truncatingIfNeeded: fieldNumber) << 3 | UInt32(wireType.rawValue)
    }

    @inlinable
    public static func fieldNumber(_ tag: UInt32) -> Int { Int(tag >> 3) }

    @inlinable
    public static func wireType(_ tag: UInt32) -> UInt8 { UInt8(truncatingIfNeeded: tag & 7) }
}
