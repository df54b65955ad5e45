/// Per-field helpers generated code calls: one line per field for sizing, writing and reading.
/// `tagSize` is a constant the generator computes (bytes of the field's tag varint).
extension WireCodec {
    @inlinable
    public static func fieldSize(tagSize: Int, _ value: Value) -> Int {
        tagSize &+ size(of: value)
    }

    @inlinable
    public static func writeField(_ value: Value, tag: UInt32, to writer: inout Writer) {
        writer.writeTag(tag)
        write(value, to: &writer)
    }

    /// Unpacked repeated field: one tag per element.
    @inlinable
    public static func repeatedFieldSize(tagSize: Int, _ values: [Value]) -> Int {
        if fixedWidth > 0 { return values.count &* (tagSize &+ fixedWidth) }
        var total = values.count &* tagSize
        for value in values { total &+= size(of: value) }
        return total
    }

    @inlinable
    public static func writeRepeatedField(_ values: [Value], tag: UInt32, to writer: inout Writer) {
        for value in values { writeField(value, tag: tag, to: &writer) }
    }

    /// Reads one element of a repeated field sent unpacked (its tag was just read), and for
    /// scalars with a one- or two-byte tag, every element right after it that repeats the tag:
    /// those go straight in, without a trip through the message's tag switch each. An empty
    /// array first counts the run, so it is allocated once, at its size.
    @inlinable
    public static func readElement(into values: inout [Value], from reader: inout Reader) throws(WireError) {
        if wireType == .lengthDelimited {
            if values.isEmpty {
                values.reserveCapacity(reader.countLengthDelimitedRun(limit: Reader.runReservationLimit))
            }
            values.append(try read(from: &reader))
            return
        }
        guard let tag = reader.shortTagJustRead() else {
            values.append(try read(from: &reader))
            return
        }
        if values.isEmpty {
            values.reserveCapacity(reader.countScalarRun(tag: tag, fixedWidth: fixedWidth, limit: Reader.runReservationLimit))
        }
        repeat {
            values.append(try read(from: &reader))
        } while reader.skipTagIfNext(tag)
    }
}

extension PackableCodec {
    /// Bytes of the packed payload (without tag and length).
    @inlinable
    public static func packedBodySize(_ values: [Value]) -> Int {
        if fixedWidth > 0 { return values.count &* fixedWidth }
        var total = 0
        for value in values { total &+= size(of: value) }
        return total
    }

    /// Packed repeated field: one tag, one length, all elements; nothing when empty.
    @inlinable
    public static func packedFieldSize(tagSize: Int, _ values: [Value]) -> Int {
        if values.isEmpty { return 0 }
        let body = packedBodySize(values)
        return tagSize &+ Varint.size(UInt64(body)) &+ body
    }

    @inlinable
    public static func writePackedField(_ values: [Value], tag: UInt32, to writer: inout Writer) {
        if values.isEmpty { return }
        writer.writeVarintField(tag: tag, UInt64(packedBodySize(values)))
        if isBitwiseLittleEndian {
            values.withUnsafeBytes { writer.writeRawBytes($0) }
            return
        }
        for value in values { write(value, to: &writer) }
    }

    /// True when a value's memory is its wire form (fixed-width numbers on a little-endian host).
    @inlinable
    static var isBitwiseLittleEndian: Bool {
        fixedWidth > 0 && MemoryLayout<Value>.size == fixedWidth && MemoryLayout<Value>.stride == fixedWidth
            && _isPOD(Value.self) && 1.littleEndian == 1
    }

    /// Reads a packed run of elements (wire type 2), appending to `values`.
    @inlinable
    public static func readPacked(into values: inout [Value], from reader: inout Reader) throws(WireError) {
        let length = try reader.readLength()
        if fixedWidth > 0 {
            guard length % fixedWidth == 0 else { throw .malformedPackedField }
            if isBitwiseLittleEndian {
                // Fixed-width numbers are stored exactly as they sit in memory: one copy
                // straight into the new capacity (not zeroed first).
                let elements = length / fixedWidth
                let source = reader.position
                values.append(addingCapacity: elements) { span in
                    span.withUnsafeMutableBufferPointer { buffer, initialized in
                        // `buffer` holds room for exactly `elements` values: the copy fills it.
                        guard let destination = buffer.baseAddress, elements > 0 else { return }
                        UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: elements &* fixedWidth)
                        initialized = elements
                    }
                }
                reader.position += length
                return
            }
            // The count is bounded by bytes actually present, so this reservation is safe.
            values.reserveCapacity(values.count &+ length / fixedWidth)
        } else {
            try readPackedVarints(into: &values, length: length, from: &reader)
            return
        }
        let savedEnd = reader.end
        reader.end = reader.position + length
        defer { reader.end = savedEnd }
        while reader.position < reader.end {
            values.append(try read(from: &reader))
        }
    }

    /// A packed run of varints. Every varint ends in exactly one byte below 0x80, so counting
    /// those bytes gives the element count, so the array grows once.
    @inlinable
    static func readPackedVarints(into values: inout [Value], length: Int, from reader: inout Reader) throws(WireError) {
        let body = reader.position
        let elements = Varint.countTerminators(body, length)
        let savedEnd = reader.end
        reader.end = body + length
        defer { reader.end = savedEnd }
        // A plain loop: reading inside a `withUnsafeMutableBufferPointer` closure kept the
        // codec's `read` behind a protocol-witness call per element.
        values.reserveCapacity(values.count &+ elements)
        for _ in 0..<elements {
            values.append(try read(from: &reader))
        }
        // Bytes left after the last terminator are a varint cut off by the end of the run.
        guard reader.position == reader.end else { throw .truncated }
    }
}

// MARK: Packed varints

/// The same entry points as `PackableCodec`'s, chosen for varint codecs (a refined protocol's
/// extension wins overload resolution): each loop works on raw varints, so the per-element
/// work is the varint itself plus one inlined conversion.
extension VarintCodec {
    /// Tag and varint after one room check (see `Writer.writeVarintField`).
    @inlinable @inline(__always)
    public static func writeField(_ value: Value, tag: UInt32, to writer: inout Writer) {
        writer.writeVarintField(tag: tag, varint(value))
    }

    @inlinable
    public static func packedBodySize(_ values: [Value]) -> Int {
        var total = 0
        for value in values { total &+= Varint.size(varint(value)) }
        return total
    }

    @inlinable
    public static func packedFieldSize(tagSize: Int, _ values: [Value]) -> Int {
        if values.isEmpty { return 0 }
        let body = packedBodySize(values)
        return tagSize &+ Varint.size(UInt64(body)) &+ body
    }

    @inlinable
    public static func writePackedField(_ values: [Value], tag: UInt32, to writer: inout Writer) {
        if values.isEmpty { return }
        writer.writeVarintField(tag: tag, UInt64(packedBodySize(values)))
        writer.writeVarints(values, varint)
    }

    /// Reads a packed run (wire type 2), appending to `values`. Every varint ends in exactly
    /// one byte below 0x80, so counting those bytes gives the element count and the array
    /// grows once.
    @inlinable
    public static func readPacked(into values: inout [Value], from reader: inout Reader) throws(WireError) {
        let length = try reader.readLength()
        let elements = Varint.countTerminators(reader.position, length)
        // A local reader confined to the run keeps its position in a register; elements go
        // straight into the new capacity (no per-element capacity or uniqueness check). The
        // caller's reader moves past the run only on success.
        var local = reader
        local.end = reader.position + length
        var failure: WireError? = nil
        values.append(addingCapacity: elements) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                // While 10 bytes of the run remain, the position lives in a local (a register;
                // through `local`, captured by the closure, every element stored and reloaded it).
                // The count stays in a local too (`initialized` is inout). Elements go in
                // chunks as large as the bytes left hold 10-byte varints, so the room is
                // checked once per chunk, not per element. The room is counted to the end of
                // the input, not of the run: while elements remain, the run holds their
                // terminators, so each varint decoded ends inside the run (a word load only
                // looks past it), and one of more than 10 bytes is too long either way. So a
                // short run at the end of a nested message is decoded here too.
                var pointer = local.position
                let end = local.end
                let readableEnd = local.inputEnd
                var count = initialized
                if elements == end - pointer {
                    // Every byte ends a varint, so each is a whole value below 128 (booleans,
                    // most enums, small numbers): widened one by one, nothing to decode.
                    var offset = 0
                    while count < elements {
                        let byte = pointer.load(fromByteOffset: offset, as: UInt8.self)
                        buffer.initializeElement(at: count, to: value(fromVarint: UInt64(byte)))
                        offset &+= 1
                        count &+= 1
                    }
                    pointer += offset
                }
                while count < elements {
                    let fitting = (readableEnd - pointer) / 10
                    if fitting == 0 { break }
                    let stop = Swift.min(elements, count &+ fitting)
                    while count < stop {
                        guard let (raw, length) = Varint.decode(pointer) else {
                            initialized = count
                            failure = .varintTooLong
                            return
                        }
                        buffer.initializeElement(at: count, to: value(fromVarint: raw))
                        pointer += length
                        count &+= 1
                    }
                }
                initialized = count
                local.position = pointer
                // The last few varints of the run: checked reads.
                while initialized < elements {
                    do throws(WireError) {
                        buffer.initializeElement(at: initialized, to: value(fromVarint: try local.readVarint()))
                    } catch {
                        failure = error
                        return
                    }
                    initialized &+= 1
                }
            }
        }
        if let failure { throw failure }
        // Bytes left after the last terminator are a varint cut off by the end of the run.
        guard local.position == local.end else { throw .truncated }
        reader.position = local.position
    }
}

// MARK: Closed enums

extension Reader {
    /// Reads a closed (proto2) enum; a number it does not declare goes to unknown fields.
    @inlinable
    public mutating func readClosedEnum<E: WireEnum>(
        into value: inout E?, fieldNumber: Int, unknownFields: inout UnknownFields
    ) throws(WireError) {
        let raw = Int32(truncatingIfNeeded: try readVarint())
        if let known = E(rawValue: raw) {
            value = known
        } else {
            unknownFields.appendVarint(fieldNumber: fieldNumber, UInt64(bitPattern: Int64(raw)))
        }
    }

    @inlinable
    public mutating func readClosedEnum<E: WireEnum>(
        into value: inout E, fieldNumber: Int, unknownFields: inout UnknownFields
    ) throws(WireError) {
        var optional: E? = nil
        try readClosedEnum(into: &optional, fieldNumber: fieldNumber, unknownFields: &unknownFields)
        if let optional { value = optional }
    }

    /// One element of a repeated closed enum sent unpacked.
    @inlinable
    public mutating func readClosedEnumElement<E: WireEnum>(
        into values: inout [E], fieldNumber: Int, unknownFields: inout UnknownFields
    ) throws(WireError) {
        var optional: E? = nil
        try readClosedEnum(into: &optional, fieldNumber: fieldNumber, unknownFields: &unknownFields)
        if let optional { values.append(optional) }
    }

    /// A packed run of a repeated closed enum; undeclared numbers go to unknown fields.
    @inlinable
    public mutating func readClosedEnumPacked<E: WireEnum>(
        into values: inout [E], fieldNumber: Int, unknownFields: inout UnknownFields
    ) throws(WireError) {
        let length = try readLength()
        let savedEnd = end
        end = position + length
        defer { end = savedEnd }
        while position < end {
            try readClosedEnumElement(into: &values, fieldNumber: fieldNumber, unknownFields: &unknownFields)
        }
    }
}
