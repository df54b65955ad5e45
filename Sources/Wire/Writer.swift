/// Writes protobuf bytes forward into one preallocated buffer.
///
/// The buffer is sized by a prior size pass (`Message.computeSize`), or for flat messages by
/// `Message.encodedSizeBound()`, so the writer never grows or reallocates. Every write checks
/// the remaining room once (a programming error in a size computation traps here instead of
/// corrupting memory).
public struct Writer {
    @usableFromInline var position: UnsafeMutableRawPointer
    @usableFromInline let end: UnsafeMutableRawPointer

    /// Writes into `buffer`, which must be at least as large as the bytes to be written; room
    /// beyond them (`fieldSlack`, or what a size bound leaves over) the caller leaves out of
    /// its result.
    public init(_ buffer: UnsafeMutableRawBufferPointer) {
        // An empty buffer may have no base address; any non-null pointer with end == position works.
        let base = buffer.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 0x10)!
        position = base
        end = base + buffer.count
    }

    /// Bytes still free.
    @inlinable
    var remaining: Int { end - position }

    @inlinable
    mutating func reserve(_ count: Int) -> UnsafeMutableRawPointer {
        precondition(count <= end - position, "Wire.Writer: size pass and encode pass disagree")
        let start = position
        position += count
        return start
    }

    @inlinable
    public mutating func writeByte(_ byte: UInt8) {
        reserve(1).storeBytes(of: byte, as: UInt8.self)
    }

    @inlinable @inline(__always)
    public mutating func writeVarint(_ value: UInt64) {
        // Inline and without a per-byte loop: a one-byte value (a constant tag folds here)
        // is one store; with room for the longest varint (all but the last few bytes of a
        // buffer), a longer value is one word store (`storeVarint`). Otherwise the checked
        // path out of line.
        if value < 0x80 {
            // Tags, lengths, booleans, small numbers: one store, also in the last bytes of
            // the buffer (where the last fields' tags land).
            if position < end {
                position.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
                position += 1
                return
            }
        } else if end - position >= 10 {
            position = Writer.storeVarint(value, roomAt: position)
            return
        }
        writeLongVarint(value)
    }

    /// Stores a varint of two or more bytes at `pointer`, which must have at least 10 bytes
    /// of room (callers check), and returns the pointer just past it. Values below 2^56 are
    /// spread over one word (`Varint.scatter8`) stored at once; 9- and 10-byte values take
    /// one word plus the top bits. Bytes stored past the varint's end stay inside those
    /// 10 bytes and are overwritten by the next writes (the encode pass fills the buffer).
    @inlinable @inline(__always)
    static func storeVarint(_ value: UInt64, roomAt pointer: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        if value < 1 &<< 56 {
            // The highest set bit of the spread groups, rounded down to a byte, is the offset
            // of the varint's last byte: every byte below it takes a continuation bit.
            let bytes = Varint.scatter8(value)
            let lastByteShift = (63 &- (bytes | 1).leadingZeroBitCount) & 0x38
            let continuation: UInt64 = 0x8080_8080_8080_8080 & ((1 &<< UInt64(truncatingIfNeeded: lastByteShift)) &- 1)
            pointer.storeBytes(of: (bytes | continuation).littleEndian, as: UInt64.self)
            return pointer + (lastByteShift &>> 3 &+ 1)
        }
        pointer.storeBytes(of: (Varint.scatter8(value) | 0x8080_8080_8080_8080).littleEndian, as: UInt64.self)
        let high = value &>> 56
        if high < 0x80 {
            pointer.storeBytes(of: UInt8(truncatingIfNeeded: high), toByteOffset: 8, as: UInt8.self)
            return pointer + 9
        }
        pointer.storeBytes(of: UInt8(truncatingIfNeeded: high) | 0x80, toByteOffset: 8, as: UInt8.self)
        pointer.storeBytes(of: 1 as UInt8, toByteOffset: 9, as: UInt8.self)
        return pointer + 10
    }

    /// Writes a run of varints (a packed field's body). The position stays in a local
    /// (a register); through `self`, every element stored and reloaded it. Elements go in
    /// chunks as large as the room left holds longest (10-byte) varints, so the room is
    /// checked once per chunk, not per element; the last few bytes take the checked path.
    @inlinable
    public mutating func writeVarints<C: Collection>(_ values: C, _ transform: (C.Element) -> UInt64) {
        var pointer = position
        var index = values.startIndex
        while index != values.endIndex {
            let fitting = (end - pointer) / 10
            if fitting == 0 { break }
            let stop = values.index(index, offsetBy: fitting, limitedBy: values.endIndex) ?? values.endIndex
            while index != stop {
                let value = transform(values[index])
                if value < 0x80 {
                    pointer.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
                    pointer += 1
                } else {
                    pointer = Writer.storeVarint(value, roomAt: pointer)
                }
                values.formIndex(after: &index)
            }
        }
        position = pointer
        while index != values.endIndex {
            writeLongVarint(transform(values[index]))
            values.formIndex(after: &index)
        }
    }

    @usableFromInline
    mutating func writeLongVarint(_ value: UInt64) {
        // Near the end of the buffer (fewer than 10 bytes left): size it and check exactly.
        let room = end - position
        let pointer = room >= 10 ? position : reserve(Varint.size(value))
        var value = value
        var index = 0
        while value >= 0x80 {
            pointer.storeBytes(of: UInt8(truncatingIfNeeded: value) | 0x80, toByteOffset: index, as: UInt8.self)
            value >>= 7
            index &+= 1
        }
        pointer.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: index, as: UInt8.self)
        if room >= 10 { position += index &+ 1 }
    }

    /// Most bytes one scalar field (tag and value) can touch when stored with word stores:
    /// a tag of up to 5 bytes whose word store spans 8, then a varint of up to 10 bytes.
    /// `Message.serializedBytes` allocates this much beyond the encoded size, so the fields
    /// at the end of a message take the same one-check path as the rest.
    public static let fieldSlack = 16

    /// Stores a constant tag (generated code passes literals, so the branch folds away).
    @inlinable @inline(__always)
    static func storeTag(_ tag: UInt32, at pointer: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        if tag < 0x80 {
            pointer.storeBytes(of: UInt8(truncatingIfNeeded: tag), as: UInt8.self)
            return pointer + 1
        }
        return storeVarint(UInt64(tag), roomAt: pointer)
    }

    /// Writes a whole varint field (tag, then value) after one room check instead of one
    /// per write; the checked writes remain for the last bytes of an exactly sized buffer.
    @inlinable @inline(__always)
    public mutating func writeVarintField(tag: UInt32, _ value: UInt64) {
        if end - position >= Writer.fieldSlack {
            let pointer = Writer.storeTag(tag, at: position)
            if value < 0x80 {
                pointer.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
                position = pointer + 1
            } else {
                position = Writer.storeVarint(value, roomAt: pointer)
            }
            return
        }
        writeTag(tag)
        writeVarint(value)
    }

    /// A fixed32 field (tag and four bytes) after one room check.
    @inlinable @inline(__always)
    public mutating func writeFixed32Field(tag: UInt32, _ value: UInt32) { writeFixedWidthField(tag: tag, value) }

    /// A fixed64 field (tag and eight bytes) after one room check.
    @inlinable @inline(__always)
    public mutating func writeFixed64Field(tag: UInt32, _ value: UInt64) { writeFixedWidthField(tag: tag, value) }

    @inlinable @inline(__always)
    mutating func writeFixedWidthField<T: FixedWidthInteger & UnsignedInteger>(tag: UInt32, _ value: T) {
        if end - position >= Writer.fieldSlack {
            let pointer = Writer.storeTag(tag, at: position)
            pointer.storeBytes(of: value.littleEndian, as: T.self)
            position = pointer + MemoryLayout<T>.size
            return
        }
        writeTag(tag)
        reserve(MemoryLayout<T>.size).storeBytes(of: value.littleEndian, as: T.self)
    }

    /// A length-delimited field (tag, length, bytes) after one room check.
    @inlinable @inline(__always)
    public mutating func writeLengthDelimitedField(tag: UInt32, _ bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        if end - position >= Writer.fieldSlack &+ count {
            var pointer = Writer.storeTag(tag, at: position)
            if count < 0x80 {
                pointer.storeBytes(of: UInt8(truncatingIfNeeded: count), as: UInt8.self)
                pointer += 1
            } else {
                pointer = Writer.storeVarint(UInt64(count), roomAt: pointer)
            }
            if count > 0 { pointer.copyMemory(from: bytes.baseAddress!, byteCount: count) }
            position = pointer + count
            return
        }
        writeTag(tag)
        writeVarint(UInt64(count))
        writeRawBytes(bytes)
    }

    /// A string field: its UTF-8 is lent without a copy of the string value when native.
    @inlinable
    public mutating func writeStringField(tag: UInt32, _ string: String) {
        let written: Void? = string.utf8.withContiguousStorageIfAvailable { utf8 in
            writeLengthDelimitedField(tag: tag, UnsafeRawBufferPointer(utf8))
        }
        if written != nil { return }
        writeTag(tag)
        writeLengthDelimited(string)
    }

    @inlinable
    public mutating func writeVarint(_ value: UInt32) { writeVarint(UInt64(value)) }

    /// Writes a tag (its varint bytes are what generated code switches on when decoding).
    @inlinable
    public mutating func writeTag(_ tag: UInt32) { writeVarint(UInt64(tag)) }

    @inlinable
    public mutating func writeFixed32(_ value: UInt32) {
        reserve(4).storeBytes(of: value.littleEndian, as: UInt32.self)
    }

    @inlinable
    public mutating func writeFixed64(_ value: UInt64) {
        reserve(8).storeBytes(of: value.littleEndian, as: UInt64.self)
    }

    @inlinable
    public mutating func writeRawBytes(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        reserve(bytes.count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
    }

    @inlinable
    public mutating func writeRawBytes(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeRawBytes($0) }
    }

    /// Writes a length prefix followed by the bytes.
    @inlinable
    public mutating func writeLengthDelimited(_ bytes: [UInt8]) {
        writeVarint(UInt64(bytes.count))
        writeRawBytes(bytes)
    }

    @inlinable
    public mutating func writeLengthDelimited(_ string: String) {
        // Native and small strings lend their UTF-8 without a copy of the string value
        // (`withUTF8` is mutating, so it needed one: a retain and release per field).
        let written: Void? = string.utf8.withContiguousStorageIfAvailable { utf8 in
            writeVarint(UInt64(utf8.count))
            writeRawBytes(UnsafeRawBufferPointer(utf8))
        }
        if written != nil { return }
        var contiguous = string
        contiguous.withUTF8 { utf8 in
            writeVarint(UInt64(utf8.count))
            writeRawBytes(UnsafeRawBufferPointer(utf8))
        }
    }

    /// Every message ends with this call and its unknown fields are almost always empty:
    /// decide that inline (it was a call per message), copy out of line.
    @inlinable @inline(__always)
    public mutating func writeUnknownFields(_ fields: UnknownFields) {
        if !fields.isEmpty { writeUnknownFieldBytes(fields.bytes) }
    }

    @usableFromInline
    mutating func writeUnknownFieldBytes(_ bytes: [UInt8]) {
        writeRawBytes(bytes)
    }
}
