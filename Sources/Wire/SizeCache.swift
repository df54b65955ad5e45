/// Remembers the sizes of nested messages between the size pass and the encode pass,
/// so each message's size is computed exactly once per serialization.
///
/// The size pass reserves a slot before sizing a nested message (pre-order); the encode
/// pass walks the same fields in the same order and takes the slots back one by one.
public struct SizeCache {
    @usableFromInline var sizes: [Int]
    @usableFromInline var next: Int

    /// Assigned here rather than by default values: a default value is a call per encode
    /// into Wire (its initializer is not inlinable), an assignment in an inlinable `init` is not.
    @inlinable
    public init() {
        sizes = []
        next = 0
    }

    @inlinable
    mutating func reserveSlot() -> Int {
        // One allocation covers typical messages instead of growing 1, 2, 4, 8...
        if sizes.capacity == 0 { sizes.reserveCapacity(16) }
        sizes.append(0)
        return sizes.count &- 1
    }

    /// Packed varint fields of at most this many elements size their body again in the write
    /// pass instead of keeping it in a slot: a few instructions an element, against a slot's
    /// append, uniqueness checks and growth (callgrind, `bench wire` maps: `bench.Inner`'s
    /// one to three `values`).
    @inlinable
    static var packedRecountLimit: Int { 8 }

    @inlinable
    mutating func takeSize() -> Int {
        let size = sizes[next]
        next &+= 1
        return size
    }

    /// Size of a length-delimited embedded message field, including its tag and length;
    /// records the message's size for the encode pass.
    @inlinable
    public mutating func messageFieldSize<M: Message>(tagSize: Int, _ message: M) -> Int {
        let slot = reserveSlot()
        let size = message.computeSize(&self)
        sizes[slot] = size
        return tagSize &+ Varint.size(UInt64(size)) &+ size
    }

    @inlinable
    public mutating func repeatedMessageFieldSize<M: Message>(tagSize: Int, _ messages: [M]) -> Int {
        // One slot per element at least: make room for them at once (geometrically, so many
        // small repeated fields never regrow the array one field at a time).
        let needed = sizes.count &+ messages.count
        if needed > sizes.capacity { sizes.reserveCapacity(Swift.max(needed, sizes.capacity &* 2, 16)) }
        var total = 0
        InPlace.forEach(in: messages) { message in
            let slot = reserveSlot()
            let size = message.computeSize(&self)
            sizes[slot] = size
            total &+= tagSize &+ Varint.size(UInt64(size)) &+ size
        }
        return total
    }

    /// Size of a group field: start tag, the message's fields, end tag (same tag size).
    @inlinable
    public mutating func groupFieldSize<M: Message>(tagSize: Int, _ message: M) -> Int {
        2 &* tagSize &+ message.computeSize(&self)
    }

    @inlinable
    public mutating func repeatedGroupFieldSize<M: Message>(tagSize: Int, _ messages: [M]) -> Int {
        var total = 0
        InPlace.forEach(in: messages) { message in total &+= 2 &* tagSize &+ message.computeSize(&self) }
        return total
    }
}

extension Writer {
    @inlinable
    public mutating func writeMessageField<M: Message>(_ message: M, tag: UInt32, sizes: inout SizeCache) {
        writeVarintField(tag: tag, UInt64(sizes.takeSize()))
        message.encodeMessage(to: &self, &sizes)
    }

    @inlinable
    public mutating func writeRepeatedMessageField<M: Message>(_ messages: [M], tag: UInt32, sizes: inout SizeCache) {
        // Lent in place (`InPlace`) and encoded here: passed on to `writeMessageField`, each
        // element was copied (a retain and release of every reference it holds).
        InPlace.forEach(in: messages) { message in
            writeVarintField(tag: tag, UInt64(sizes.takeSize()))
            message.encodeMessage(to: &self, &sizes)
        }
    }

    /// `fieldNumber` gives both tags: start (wire type 3) and end (wire type 4).
    @inlinable
    public mutating func writeGroupField<M: Message>(_ message: M, fieldNumber: Int, sizes: inout SizeCache) {
        writeTag(FieldTag.make(fieldNumber, .startGroup))
        message.encodeMessage(to: &self, &sizes)
        writeTag(FieldTag.make(fieldNumber, .endGroup))
    }

    @inlinable
    public mutating func writeRepeatedGroupField<M: Message>(_ messages: [M], fieldNumber: Int, sizes: inout SizeCache) {
        InPlace.forEach(in: messages) { message in
            writeTag(FieldTag.make(fieldNumber, .startGroup))
            message.encodeMessage(to: &self, &sizes)
            writeTag(FieldTag.make(fieldNumber, .endGroup))
        }
    }
}

// MARK: Packed fields

/// Packed varint bodies cost a pass over every element to size; the size pass records the
/// body size so the encode pass writes the length prefix without a second pass. Fixed-width
/// bodies are `count * width` and skip the cache, and so do bodies of at most
/// `SizeCache.packedRecountLimit` varints (both passes decide the same way, by the count).
extension PackableCodec {
    @inlinable
    public static func packedFieldSize(tagSize: Int, _ values: [Value], sizes: inout SizeCache) -> Int {
        if values.isEmpty { return 0 }
        if fixedWidth > 0 { return packedFieldSize(tagSize: tagSize, values) }
        let body = packedBodySize(values)
        if values.count > SizeCache.packedRecountLimit { sizes.sizes[sizes.reserveSlot()] = body }
        return tagSize &+ Varint.size(UInt64(body)) &+ body
    }

    @inlinable
    public static func writePackedField(_ values: [Value], tag: UInt32, to writer: inout Writer, sizes: inout SizeCache) {
        if values.isEmpty { return }
        if fixedWidth > 0 { return writePackedField(values, tag: tag, to: &writer) }
        let body = values.count > SizeCache.packedRecountLimit ? sizes.takeSize() : packedBodySize(values)
        writer.writeVarintField(tag: tag, UInt64(body))
        for value in values { write(value, to: &writer) }
    }
}

extension VarintCodec {
    @inlinable
    public static func packedFieldSize(tagSize: Int, _ values: [Value], sizes: inout SizeCache) -> Int {
        if values.isEmpty { return 0 }
        let body = packedBodySize(values)
        if values.count > SizeCache.packedRecountLimit { sizes.sizes[sizes.reserveSlot()] = body }
        return tagSize &+ Varint.size(UInt64(body)) &+ body
    }

    @inlinable
    public static func writePackedField(_ values: [Value], tag: UInt32, to writer: inout Writer, sizes: inout SizeCache) {
        if values.isEmpty { return }
        let body = values.count > SizeCache.packedRecountLimit ? sizes.takeSize() : packedBodySize(values)
        writer.writeVarintField(tag: tag, UInt64(body))
        writer.writeVarints(values, varint)
    }
}
