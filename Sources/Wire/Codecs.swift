/// How one protobuf scalar type is sized, written and read. The conforming types are empty
/// namespaces (`ProtoInt32`, `ProtoSInt64`, `ProtoString`, ...); generated code calls their
/// static members directly, so every call is statically dispatched and inlined.
public protocol WireCodec {
    associatedtype Value
    /// Wire type of one value written as its own field.
    static var wireType: WireType { get }
    /// Size of one value on the wire; 0 when it varies.
    static var fixedWidth: Int { get }
    /// Value of a field that is absent (used for map entries missing key or value).
    static var defaultValue: Value { get }
    static func size(of value: Value) -> Int
    static func write(_ value: Value, to writer: inout Writer)
    /// Writes the field's tag and `value` (a requirement, so generic code such as map
    /// entries also reaches each codec's one-room-check version).
    static func writeField(_ value: Value, tag: UInt32, to writer: inout Writer)
    static func read(from reader: inout Reader) throws(WireError) -> Value
    /// `read(from:)` for generic code (map entries): a malformed value is reported in
    /// `failure` instead of thrown (the value returned is then meaningless), so the call is
    /// devirtualized and inlined; see `GenericReads.swift`.
    static func readValue(from reader: inout Reader, failure: inout WireError?) -> Value
}

/// Codecs whose repeated fields may be packed (numbers, bools, enums).
public protocol PackableCodec: WireCodec {}

/// Codecs whose values travel as one varint (integers, bools, open enums). Packed runs of
/// them are sized, written and read by loops over raw varints (see FieldHelpers.swift), with
/// only these two small conversions per element: calling the full `read` per element left a
/// protocol-witness call in the loop.
public protocol VarintCodec: PackableCodec {
    /// The value's varint payload (before varint encoding).
    static func varint(_ value: Value) -> UInt64
    /// The value a decoded varint payload stands for.
    static func value(fromVarint raw: UInt64) -> Value
}

// MARK: Varint codecs

public enum ProtoInt32: VarintCodec {
    @inlinable public static func varint(_ value: Int32) -> UInt64 { UInt64(bitPattern: Int64(value)) }
    @inlinable public static func value(fromVarint raw: UInt64) -> Int32 { Int32(truncatingIfNeeded: raw) }
    @inlinable public static var wireType: WireType { .varint }
    @inlinable public static var fixedWidth: Int { 0 }
    @inlinable public static var defaultValue: Int32 { 0 }
    @inlinable public static func size(of value: Int32) -> Int { Varint.size(int32: value) }
    @inlinable public static func write(_ value: Int32, to writer: inout Writer) {
        writer.writeVarint(UInt64(bitPattern: Int64(value)))
    }
    @inlinable @inline(__always) public static func read(from reader: inout Reader) throws(WireError) -> Int32 {
        Int32(truncatingIfNeeded: try reader.readVarint())
    }
}

public enum ProtoInt64: VarintCodec {
    @inlinable public static func varint(_ value: Int64) -> UInt64 { UInt64(bitPattern: value) }
    @inlinable public static func value(fromVarint raw: UInt64) -> Int64 { Int64(bitPattern: raw) }
    @inlinable public static var wireType: WireType { .varint }
    @inlinable public static var fixedWidth: Int { 0 }
    @inlinable public static var defaultValue: Int64 { 0 }
    @inlinable public static func size(of value: Int64) -> Int { Varint.size(UInt64(bitPattern: value)) }
    @inlinable public static func write(_ value: Int64, to writer: inout Writer) {
        writer.writeVarint(UInt64(bitPattern: value))
    }
    @inlinable @inline(__always) public static func read(from reader: inout Reader) throws(WireError) -> Int64 {
        Int64(bitPattern: try reader.readVarint())
    }
}

public enum ProtoUInt32: VarintCodec {
    @inlinable public static func varint(_ value: UInt32) -> UInt64 { UInt64(value) }
    @inlinable public static func value(fromVarint raw: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: raw) }
    @inlinable public static var wireType: WireType { .varint }
    @inlinable public static var fixedWidth: Int { 0 }
    @inlinable public static var defaultValue: UInt32 { 0 }
    @inlinable public static func size(of value: UInt32) -> Int { Varint.size(value) }
    @inlinable public static func write(_ value: UInt32, to writer: inout Writer) { writer.writeVarint(value) }
    @inlinable @inline(__always) public static func read(from reader: inout Reader) throws(WireError) -> UInt32 {
        UInt32(truncatingIfNeeded: try reader.readVarint())
    }
}

public enum ProtoUInt64: VarintCodec {
    @inlinable public static func varint(_ value: UInt64) -> UInt64 { value }
    @inlinable public static func value(fromVarint raw: UInt64) -> UInt64 { raw }
    @inlinable public static var wireType: WireType { .varint }
    @inlinable public static var fixedWidth: Int { 0 }
    @inlinable public static var defaultValue: UInt64 { 0 }
    @inlinable public static func size(of value: UInt64) -> Int { Varint.size(value) }
    @inlinable public static func write(_ value: UInt64, to writer: inout Writer) { writer.writeVarint(value) }
    @inlinable @inline(__always) public static func read(from reader: inout Reader) throws(WireError) -> UInt64 {
        try reader.readVarint()
    }
}

public enum ProtoSInt32: VarintCodec {
    @inlinable public static func varint(_ value: Int32) -> UInt64 { UInt64(Varint.zigZag(value)) }
    @inlinable public static func value(fromVarint raw: UInt64) -> Int32 { Varint.unZigZag(UInt32(truncatingIfNeeded: raw)) }
    @inlinable public static var wireType: WireType { .varint }
    @inlinable public static var fixedWidth: Int { 0 }
    @inlinable public static var defaultValue: Int32 { 0 }
    @inlinable public static func size(of value: Int32) -> Int { Varint.size(Varint.zigZag(value)) }
    @inlinable public static func write(_ value: Int32, to writer: inout Writer) {
        writer.writeVarint(Varint.zigZag(value))
    }
    @inlinable @inline(__always) public static func read(from reader: inout Reader) throws(WireError) -> Int32 {
        Varint.unZigZag(UInt32(truncatingIfNeeded: try reader.readVarint()))
    }
}

public enum ProtoSInt64: VarintCodec {
    @inlinable public static func varint(_ value: Int64) -> UInt64 { Varint.zigZag(value) }
    @inlinable public static func value(fromVarint raw: UInt64) -> Int64 { Varint.unZigZag(raw) }
    @inlinable public static var wireType: WireType { .varint }
    @inlinable public static var fixedWidth: Int { 0 }
    @inlinable public static var defaultValue: Int64 { 0 }
    @inlinable public static func size(of value: Int64) -> Int { Varint.size(Varint.zigZag(value)) }
    @inlinable public static func write(_ value: Int64, to writer: inout Writer) {
        writer.writeVarint(Varint.zigZag(value))
    }
    @inlinable @inline(__always) public static func read(from reader: inout Reader) throws(WireError) -> Int64 {
        Varint.unZigZag(try reader.readVarint())
    }
}

public enum ProtoBool: VarintCodec {
    @inlinable public static func varint(_ value: Bool) -> UInt64 { value ? 1 : 0 }
    @inlinable public static func value(fromVarint raw: UInt64) -> Bool { raw != 0 }
    @inlinable public static var wireType: WireType { .varint }
    @inlinable public static var fixedWidth: Int { 0 }
    @inlinable public static var defaultValue: Bool { false }
    @inlinable public static func size(of value: Bool) -> Int { 1 }
    @inlinable public static func write(_ value: Bool, to writer: inout Writer) { writer.writeByte(value ? 1 : 0) }
    /// Any non-zero varint is true (protobuf accepts non-canonical booleans).
    @inlinable @inline(__always) public static func read(from reader: inout Reader) throws(WireError) -> Bool {
        try reader.readVarint() != 0
    }
}

// MARK: Fixed-width codecs

public enum ProtoFixed32: PackableCodec {
    @inlinable @inline(__always) public static func writeField(_ value: UInt32, tag: UInt32, to writer: inout Writer) {
        writer.writeFixed32Field(tag: tag, value)
    }
    @inlinable public static var wireType: WireType { .fixed32 }
    @inlinable public static var fixedWidth: Int { 4 }
    @inlinable public static var defaultValue: UInt32 { 0 }
    @inlinable public static func size(of value: UInt32) -> Int { 4 }
    @inlinable public static func write(_ value: UInt32, to writer: inout Writer) { writer.writeFixed32(value) }
    @inlinable public static func read(from reader: inout Reader) throws(WireError) -> UInt32 {
        try reader.readFixed32()
    }
}

public enum ProtoFixed64: PackableCodec {
    @inlinable @inline(__always) public static func writeField(_ value: UInt64, tag: UInt32, to writer: inout Writer) {
        writer.writeFixed64Field(tag: tag, value)
    }
    @inlinable public static var wireType: WireType { .fixed64 }
    @inlinable public static var fixedWidth: Int { 8 }
    @inlinable public static var defaultValue: UInt64 { 0 }
    @inlinable public static func size(of value: UInt64) -> Int { 8 }
    @inlinable public static func write(_ value: UInt64, to writer: inout Writer) { writer.writeFixed64(value) }
    @inlinable public static func read(from reader: inout Reader) throws(WireError) -> UInt64 {
        try reader.readFixed64()
    }
}

public enum ProtoSFixed32: PackableCodec {
    @inlinable @inline(__always) public static func writeField(_ value: Int32, tag: UInt32, to writer: inout Writer) {
        writer.writeFixed32Field(tag: tag, UInt32(bitPattern: value))
    }
    @inlinable public static var wireType: WireType { .fixed32 }
    @inlinable public static var fixedWidth: Int { 4 }
    @inlinable public static var defaultValue: Int32 { 0 }
    @inlinable public static func size(of value: Int32) -> Int { 4 }
    @inlinable public static func write(_ value: Int32, to writer: inout Writer) {
        writer.writeFixed32(UInt32(bitPattern: value))
    }
    @inlinable public static func read(from reader: inout Reader) throws(WireError) -> Int32 {
        Int32(bitPattern: try reader.readFixed32())
    }
}

public enum ProtoSFixed64: PackableCodec {
    @inlinable @inline(__always) public static func writeField(_ value: Int64, tag: UInt32, to writer: inout Writer) {
        writer.writeFixed64Field(tag: tag, UInt64(bitPattern: value))
    }
    @inlinable public static var wireType: WireType { .fixed64 }
    @inlinable public static var fixedWidth: Int { 8 }
    @inlinable public static var defaultValue: Int64 { 0 }
    @inlinable public static func size(of value: Int64) -> Int { 8 }
    @inlinable public static func write(_ value: Int64, to writer: inout Writer) {
        writer.writeFixed64(UInt64(bitPattern: value))
    }
    @inlinable public static func read(from reader: inout Reader) throws(WireError) -> Int64 {
        Int64(bitPattern: try reader.readFixed64())
    }
}

/// Floats travel as their IEEE-754 bit pattern, so NaN payloads and -0 survive a round trip.
public enum ProtoFloat: PackableCodec {
    @inlinable @inline(__always) public static func writeField(_ value: Float, tag: UInt32, to writer: inout Writer) {
        writer.writeFixed32Field(tag: tag, value.bitPattern)
    }
    @inlinable public static var wireType: WireType { .fixed32 }
    @inlinable public static var fixedWidth: Int { 4 }
    @inlinable public static var defaultValue: Float { 0 }
    @inlinable public static func size(of value: Float) -> Int { 4 }
    @inlinable public static func write(_ value: Float, to writer: inout Writer) {
        writer.writeFixed32(value.bitPattern)
    }
    @inlinable public static func read(from reader: inout Reader) throws(WireError) -> Float {
        Float(bitPattern: try reader.readFixed32())
    }
}

public enum ProtoDouble: PackableCodec {
    @inlinable @inline(__always) public static func writeField(_ value: Double, tag: UInt32, to writer: inout Writer) {
        writer.writeFixed64Field(tag: tag, value.bitPattern)
    }
    @inlinable public static var wireType: WireType { .fixed64 }
    @inlinable public static var fixedWidth: Int { 8 }
    @inlinable public static var defaultValue: Double { 0 }
    @inlinable public static func size(of value: Double) -> Int { 8 }
    @inlinable public static func write(_ value: Double, to writer: inout Writer) {
        writer.writeFixed64(value.bitPattern)
    }
    @inlinable public static func read(from reader: inout Reader) throws(WireError) -> Double {
        Double(bitPattern: try reader.readFixed64())
    }
}

// MARK: Length-delimited codecs

/// Strings must be valid UTF-8 on the wire; anything else is `WireError.invalidUTF8`.
public enum ProtoString: WireCodec {
    @inlinable public static func writeField(_ value: String, tag: UInt32, to writer: inout Writer) {
        writer.writeStringField(tag: tag, value)
    }
    @inlinable public static var wireType: WireType { .lengthDelimited }
    @inlinable public static var fixedWidth: Int { 0 }
    @inlinable public static var defaultValue: String { "" }
    @inlinable @inline(__always) public static func size(of value: String) -> Int {
        let count = value.utf8.count
        return Varint.size(UInt64(count)) &+ count
    }
    @inlinable public static func write(_ value: String, to writer: inout Writer) {
        writer.writeLengthDelimited(value)
    }
    @inlinable public static func read(from reader: inout Reader) throws(WireError) -> String {
        // The length and bounds inline; the String is built by one call (through
        // `withLengthDelimited` and its closure it took two per string).
        let length = try reader.readLength()
        let start = reader.position
        reader.position += length
        return try string(fromUTF8: UnsafeRawBufferPointer(start: start, count: length))
    }

    /// A String from bytes that must be valid UTF-8 (else `WireError.invalidUTF8`).
    /// Inlined into `read`: as a call of its own it costs ~20 more instructions per string field.
    @inlinable @inline(__always) static func string(fromUTF8 bytes: UnsafeRawBufferPointer) throws(WireError) -> String {
        // Up to 15 bytes: built in place as a small string (see `SmallStrings.swift`); ASCII,
        // seen in the words just loaded, needs no other check.
        if SmallStrings.isSupported, bytes.count <= SmallStrings.capacity, let base = bytes.baseAddress {
            let count = bytes.count
            let words = SmallStrings.words(base, count)
            if SmallStrings.isASCII(words) { return SmallStrings.string(words, count: count, isASCII: true) }
            guard UTF8Validation.checkShortNonASCII(base, count) != .invalid else { throw .invalidUTF8 }
            return SmallStrings.string(words, count: count, isASCII: false)
        }
        let utf8 = bytes.bindMemory(to: UInt8.self)
        // `String(validating:)` looks up generic metadata per call, which only pays off
        // for long strings.
        if utf8.count >= 512 {
            guard let string = String(validating: utf8, as: UTF8.self) else { throw .invalidUTF8 }
            return string
        }
        // Validated once here; the `UTF8Span` tells `String` so (and whether the bytes are
        // all ASCII), so it copies without validating or scanning again.
        let result = UTF8Validation.check(bytes)
        guard result != .invalid else { throw .invalidUTF8 }
        return String(copying: unsafe UTF8Span(unchecked: utf8.span, isKnownASCII: result == .ascii))
    }
}

/// `bytes` fields are `[UInt8]` values of their own: decoding copies the payload once
/// (memcpy speed), so a decoded message never keeps the whole input buffer alive and
/// never shares storage with it. A zero-copy field (a slice sharing the input's storage,
/// as upb/prost do) would need a different public field type and would pin the input for
/// the message's life; at one memcpy, decoding is already at the copy's physical limit,
/// which is also where swift-protobuf's `Data` decoding sits.
public enum ProtoBytes: WireCodec {
    @inlinable public static func writeField(_ value: [UInt8], tag: UInt32, to writer: inout Writer) {
        value.withUnsafeBytes { writer.writeLengthDelimitedField(tag: tag, $0) }
    }
    @inlinable public static var wireType: WireType { .lengthDelimited }
    @inlinable public static var fixedWidth: Int { 0 }
    @inlinable public static var defaultValue: [UInt8] { [] }
    @inlinable public static func size(of value: [UInt8]) -> Int {
        Varint.size(UInt64(value.count)) &+ value.count
    }
    @inlinable public static func write(_ value: [UInt8], to writer: inout Writer) {
        writer.writeLengthDelimited(value)
    }
    @inlinable public static func read(from reader: inout Reader) throws(WireError) -> [UInt8] {
        try reader.withLengthDelimited { bytes throws(WireError) in
            // A large field may take over the input of `init(adoptingSerializedBytes:)`.
            if bytes.count >= AdoptedStorage.minimumFieldSize, let adopted = AdoptedStorage.adopt(bytes) { return adopted }
            // Below the huge-page threshold: the array initializer from a raw buffer (the
            // standard library's own `UInt8` copy: about 80 instructions fewer per field than
            // growing an empty array, measured with callgrind).
            if bytes.count < LargeBuffers.hugePageAdviceThreshold { return [UInt8](bytes) }
            // One memcpy, into storage allocated by code specialized here (see
            // `Message.serializedBytes`: the stdlib's unspecialized allocator looks up metadata),
            // advised to use huge pages before it is written.
            var value: [UInt8] = []
            guard let base = bytes.baseAddress, bytes.count > 0 else { return value }
            value.append(addingCapacity: bytes.count) { span in
                span.withUnsafeMutableBufferPointer { buffer, initialized in
                    LargeBuffers.prepareForWriting(UnsafeMutableRawBufferPointer(buffer))
                    UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: base, byteCount: bytes.count)
                    initialized = bytes.count
                }
            }
            return value
        }
    }
}

// MARK: Enums

/// Generated enums conform. Open (proto3) enums map unknown numbers to `UNRECOGNIZED(n)`,
/// so their `init?(rawValue:)` never fails; closed (proto2) enums return nil and the decoder
/// keeps the number in the message's unknown fields.
public protocol WireEnum: Hashable, Sendable {
    init()
    init?(rawValue: Int32)
    var rawValue: Int32 { get }
}

/// Codec for open enums (unknown numbers become `UNRECOGNIZED`, never nil).
public enum ProtoEnum<E: WireEnum>: VarintCodec {
    @inlinable public static func varint(_ value: E) -> UInt64 { UInt64(bitPattern: Int64(value.rawValue)) }
    @inlinable public static func value(fromVarint raw: UInt64) -> E {
        E(rawValue: Int32(truncatingIfNeeded: raw)) ?? E()
    }
    @inlinable public static var wireType: WireType { .varint }
    @inlinable public static var fixedWidth: Int { 0 }
    @inlinable public static var defaultValue: E { E() }
    @inlinable public static func size(of value: E) -> Int { Varint.size(int32: value.rawValue) }
    @inlinable public static func write(_ value: E, to writer: inout Writer) {
        writer.writeVarint(UInt64(bitPattern: Int64(value.rawValue)))
    }
    @inlinable @inline(__always) public static func read(from reader: inout Reader) throws(WireError) -> E {
        E(rawValue: Int32(truncatingIfNeeded: try reader.readVarint())) ?? E()
    }
}
