/// Reads protobuf bytes from a borrowed span (it never copies the input).
///
/// A `Reader` only lives inside the `withUnsafeBytes` scope opened by `Message`'s decoding
/// entry points; generated code receives it `inout` and never stores it. Every read checks
/// the bytes left once, before touching memory; lengths are checked against the bytes
/// actually present before anything is allocated.
public struct Reader {
    /// Deepest nesting of messages and groups accepted.
    public static let maxDepth = 100

    @usableFromInline var position: UnsafeRawPointer
    @usableFromInline var end: UnsafeRawPointer
    /// Nesting depth of the message currently being decoded.
    @usableFromInline var depth = 0
    /// Field number of the group being decoded (0: not inside a group at this level).
    @usableFromInline var groupFieldNumber = 0
    /// Start of the most recent tag, so unknown fields can be copied verbatim.
    @usableFromInline var tagStart: UnsafeRawPointer
    /// End of the whole input. `end` shrinks to a nested message's end, but the bytes up to
    /// here stay readable: see `readVarintSlow`.
    @usableFromInline let inputEnd: UnsafeRawPointer

    /// Reads from `buffer`, which must outlive the reader (a `withUnsafeBytes` scope).
    public init(_ buffer: UnsafeRawBufferPointer) {
        let base = buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 0x10)!
        position = base
        end = base + buffer.count
        tagStart = base
        inputEnd = end
    }

    @inlinable
    var remaining: Int { end - position }

    @inlinable
    public var isAtEnd: Bool { position == end }

    // MARK: Primitive reads

    @inlinable @inline(__always)
    public mutating func readVarint() throws(WireError) -> UInt64 {
        let available = end - position
        if available >= 10 {
            // Room for the longest varint: decode from one 8-byte word with no per-byte checks.
            guard let (value, length) = Varint.decode(position) else { throw .varintTooLong }
            position += length
            return value
        }
        if available > 0 {
            let first = position.load(as: UInt8.self)
            if first < 0x80 {
                position += 1
                return UInt64(first)
            }
        }
        return try readVarintSlow()
    }

    @usableFromInline
    mutating func readVarintSlow() throws(WireError) -> UInt64 {
        let available = end - position
        if available < 10 && inputEnd - position >= 10 {
            // A multi-byte varint in the last bytes of a nested message (a timestamp as its
            // last field): the input goes on, so decode from one word load all the same and
            // hold the result to `end`. The errors are the byte loop's below: cut off by
            // `end` is truncated (fewer than 10 bytes here, so never "too long").
            guard let (value, length) = Varint.decode(position), length <= available else { throw .truncated }
            position += length
            return value
        }
        var result: UInt64 = 0
        var shift: UInt64 = 0
        if available >= 10 {
            // Enough bytes for the longest varint: no per-byte bounds check.
            for index in 0..<10 {
                let byte = position.load(fromByteOffset: index, as: UInt8.self)
                result |= UInt64(byte & 0x7F) &<< shift
                if byte < 0x80 {
                    position += index &+ 1
                    return result
                }
                shift &+= 7
            }
            throw .varintTooLong
        }
        for index in 0..<available {
            let byte = position.load(fromByteOffset: index, as: UInt8.self)
            result |= UInt64(byte & 0x7F) &<< shift
            if byte < 0x80 {
                position += index &+ 1
                return result
            }
            shift &+= 7
        }
        throw .truncated
    }

    @inlinable
    public mutating func readFixed32() throws(WireError) -> UInt32 {
        guard end - position >= 4 else { throw .truncated }
        let value = position.loadUnaligned(as: UInt32.self)
        position += 4
        return UInt32(littleEndian: value)
    }

    @inlinable
    public mutating func readFixed64() throws(WireError) -> UInt64 {
        guard end - position >= 8 else { throw .truncated }
        let value = position.loadUnaligned(as: UInt64.self)
        position += 8
        return UInt64(littleEndian: value)
    }

    /// Reads a length prefix and checks that many bytes are really there.
    @inlinable @inline(__always)
    public mutating func readLength() throws(WireError) -> Int {
        let length = try readVarint()
        guard length <= UInt64(end - position) else { throw .lengthPastEnd }
        return Int(length)
    }

    /// Reads a length-delimited payload and hands its bytes (still borrowed) to `body`.
    @inlinable
    public mutating func withLengthDelimited<T>(_ body: (UnsafeRawBufferPointer) throws(WireError) -> T) throws(WireError) -> T {
        let length = try readLength()
        let start = position
        position += length
        return try body(UnsafeRawBufferPointer(start: start, count: length))
    }

    // MARK: Tags

    /// The next field's raw tag, or nil at the end of the current message or group.
    /// Rejects field number 0, wire types 6/7 and stray or mismatched end-group tags.
    @inlinable @inline(__always)
    public mutating func nextTag() throws(WireError) -> UInt32? {
        let available = end - position
        if available > 0 {
            // Fast path: a one- or two-byte tag (fields 1...2047) with an ordinary wire type.
            let first = UInt32(position.load(as: UInt8.self))
            if first < 0x80 {
                if first >= 8 && (0b0010_1111 >> (first & 7)) & 1 == 1 {
                    tagStart = position
                    position += 1
                    return first
                }
            } else if available > 1 {
                let second = UInt32(position.load(fromByteOffset: 1, as: UInt8.self))
                let tag = (first & 0x7F) | second << 7
                if second < 0x80 && tag >= 8 && (0b0010_1111 >> (tag & 7)) & 1 == 1 {
                    tagStart = position
                    position += 2
                    return tag
                }
            }
        } else if groupFieldNumber == 0 {
            return nil  // the end of every message: no call
        }
        return try nextTagSlow()
    }

    /// Every other case: end of input, longer tags, end-group tags and malformed tags.
    @usableFromInline
    mutating func nextTagSlow() throws(WireError) -> UInt32? {
        if position == end {
            if groupFieldNumber != 0 { throw .truncated }
            return nil
        }
        tagStart = position
        let tag = try readTagVarint()
        guard tag >= 8 else { throw tag & 7 >= 6 ? .invalidWireType(UInt8(tag & 7)) : .invalidFieldNumber }
        switch tag & 7 {
        case 6, 7:
            throw .invalidWireType(UInt8(tag & 7))
        case 4:
            guard groupFieldNumber != 0, Int(tag >> 3) == groupFieldNumber else { throw .unbalancedGroup }
            return nil
        default:
            return tag
        }
    }

    /// Reads a tag's varint: a tag is a 32-bit value, so its varint takes at most 5 bytes
    /// (longer ones, even with a small value padded by continuation bytes, are rejected).
    @usableFromInline
    mutating func readTagVarint() throws(WireError) -> UInt32 {
        let start = position
        let raw = try readVarint()
        guard position - start <= 5 else { throw .tagTooLong }
        guard raw <= UInt64(UInt32.max) else { throw .invalidFieldNumber }
        return UInt32(truncatingIfNeeded: raw)
    }

    // MARK: Skipping and unknown fields

    /// Skips the payload of the field whose tag was just read.
    @inlinable
    public mutating func skipField(_ tag: UInt32) throws(WireError) {
        switch tag & 7 {
        case 0: _ = try readVarint()
        case 1:
            guard end - position >= 8 else { throw .truncated }
            position += 8
        case 2:
            position += try readLength()
        case 3: try skipGroup(fieldNumber: Int(tag >> 3))
        case 5:
            guard end - position >= 4 else { throw .truncated }
            position += 4
        default: throw .invalidWireType(UInt8(tag & 7))
        }
    }

    /// Skips a group (and groups nested in it) without recursion; depth still counts
    /// toward `maxDepth` so a group bomb is rejected like a message bomb.
    @usableFromInline
    mutating func skipGroup(fieldNumber: Int) throws(WireError) {
        var open: [Int] = [fieldNumber]
        while let last = open.last {
            guard depth &+ open.count <= Reader.maxDepth else { throw .recursionLimitExceeded }
            guard position < end else { throw .truncated }
            let tag = try readTagVarint()
            guard tag >= 8 else { throw tag & 7 >= 6 ? .invalidWireType(UInt8(tag & 7)) : .invalidFieldNumber }
            switch tag & 7 {
            case 3: open.append(Int(tag >> 3))
            case 4:
                guard Int(tag >> 3) == last else { throw .unbalancedGroup }
                open.removeLast()
            default: try skipField(tag)
            }
        }
    }

    /// Skips the field whose tag was just read and keeps its bytes (tag included) verbatim.
    @inlinable
    public mutating func skipField(_ tag: UInt32, into unknownFields: inout UnknownFields) throws(WireError) {
        let start = tagStart
        try skipField(tag)
        unknownFields.append(UnsafeRawBufferPointer(start: start, count: position - start))
    }

    // MARK: Runs of one field

    /// How many length-delimited fields, starting with the one whose tag was just read,
    /// repeat that exact tag back to back (up to `limit`). Maps and repeated fields usually
    /// arrive as such a run, so they can reserve their storage once instead of growing
    /// (and rehashing) as entries arrive. Malformed bytes only end the count early: the
    /// real read reports them.
    @usableFromInline
    func countLengthDelimitedRun(limit: Int) -> Int {
        let tagLength = position - tagStart
        var cursor = position
        var count = 0
        guard tagLength > 0 else { return 0 }  // only called right after a tag
        let firstTagByte = tagStart.load(as: UInt8.self)
        while count < limit {
            var length: UInt64 = 0
            if end - cursor >= 10 {
                // Room for the longest varint: one word load, as when reading.
                guard let (value, size) = Varint.decode(cursor) else { return count }
                length = value
                cursor += size
            } else {
                var shift: UInt64 = 0
                while true {
                    guard cursor < end, shift < 64 else { return count }
                    let byte = cursor.load(as: UInt8.self)
                    cursor += 1
                    length |= UInt64(byte & 0x7F) &<< shift
                    if byte < 0x80 { break }
                    shift &+= 7
                }
            }
            guard length <= UInt64(end - cursor) else { return count }
            cursor += Int(length)
            count &+= 1
            guard end - cursor >= tagLength else { return count }
            // Most tags are one byte: compare it directly, the rest byte by byte.
            guard cursor.load(as: UInt8.self) == firstTagByte else { return count }
            for offset in 1..<tagLength {  // a tag is at most 5 bytes
                guard cursor.load(fromByteOffset: offset, as: UInt8.self)
                        == tagStart.load(fromByteOffset: offset, as: UInt8.self) else { return count }
            }
            cursor += tagLength
        }
        return count
    }

    /// Most entries reserved ahead for one run (beyond it, growth amortizes anyway).
    @usableFromInline
    static let runReservationLimit = 1024

    // MARK: Nested messages and groups

    /// Decodes a length-delimited message, merging into `message` (protobuf merge semantics).
    @inlinable
    public mutating func readMessage<M: Message>(into message: inout M) throws(WireError) {
        let length = try readLength()
        guard depth < Reader.maxDepth else { throw .recursionLimitExceeded }
        let savedEnd = end
        let savedGroup = groupFieldNumber
        end = position + length
        groupFieldNumber = 0
        depth &+= 1
        try message.decodeMessage(from: &self)
        depth &-= 1
        end = savedEnd
        groupFieldNumber = savedGroup
    }

    @inlinable
    public mutating func readMessage<M: Message>(into message: inout M?) throws(WireError) {
        // Decode in place (no copy of an existing value, whose storage would then be shared).
        if message == nil { message = M() }
        try readMessage(into: &message!)
    }

    @inlinable
    public mutating func readRepeatedMessage<M: Message>(into messages: inout [M]) throws(WireError) {
        if messages.isEmpty {
            messages.reserveCapacity(countLengthDelimitedRun(limit: Reader.runReservationLimit))
        }
        var value = M()
        try readMessage(into: &value)
        messages.append(consume value)  // moved in: no retain of its storage, no release
    }

    /// Decodes a group (its start tag was just read) until its matching end tag.
    @inlinable
    public mutating func readGroup<M: Message>(into message: inout M, fieldNumber: Int) throws(WireError) {
        guard depth < Reader.maxDepth else { throw .recursionLimitExceeded }
        let savedGroup = groupFieldNumber
        groupFieldNumber = fieldNumber
        depth &+= 1
        try message.decodeMessage(from: &self)
        // nextTag throws if the input ends first, so reaching here means the end tag was seen.
        depth &-= 1
        groupFieldNumber = savedGroup
    }

    @inlinable
    public mutating func readGroup<M: Message>(into message: inout M?, fieldNumber: Int) throws(WireError) {
        if message == nil { message = M() }
        try readGroup(into: &message!, fieldNumber: fieldNumber)
    }

    @inlinable
    public mutating func readRepeatedGroup<M: Message>(into messages: inout [M], fieldNumber: Int) throws(WireError) {
        var value = M()
        try readGroup(into: &value, fieldNumber: fieldNumber)
        messages.append(consume value)
    }
}
