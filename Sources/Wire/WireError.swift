/// Every way a protobuf input (or an encode request) can be rejected.
/// Decoding never traps on malformed data: it throws one of these.
public enum WireError: Error, Hashable, Sendable {
    /// The input ended inside a varint, a fixed-width value, a tag or a group.
    case truncated
    /// A varint ran past 10 bytes.
    case varintTooLong
    /// A tag's varint took more than 5 bytes (a tag is a 32-bit value).
    case tagTooLong
    /// A length prefix points past the end of the enclosing input.
    case lengthPastEnd
    /// A tag carried wire type 6 or 7.
    case invalidWireType(UInt8)
    /// A tag carried field number 0 (or one above 2^29 - 1).
    case invalidFieldNumber
    /// An end-group tag without a matching start-group tag, or with a different field number.
    case unbalancedGroup
    /// A packed fixed-width field whose length is not a multiple of the element size.
    case malformedPackedField
    /// A string field did not hold valid UTF-8.
    case invalidUTF8
    /// Messages or groups nested deeper than `Reader.maxDepth`.
    case recursionLimitExceeded
    /// A required field was missing (encode or decode without `partial: true`).
    case missingRequiredFields
    /// A caller-supplied output buffer is smaller than the encoded message.
    case bufferTooSmall
}
