/// Map fields: each entry is an embedded message with the key as field 1 and the value as
/// field 2. A missing key or value decodes as its default; a repeated key keeps the last entry.
public enum ProtoMap<Key: WireCodec, Value: WireCodec>: MapEntryDecoder where Key.Value: Hashable {
    public typealias Map = [Key.Value: Value.Value]
    @usableFromInline typealias KeyCodec = Key

    @inlinable static var keyTag: UInt32 { FieldTag.make(1, Key.wireType) }
    @inlinable static var valueTag: UInt32 { FieldTag.make(2, Value.wireType) }

    @inlinable
    static func entrySize(_ key: Key.Value, _ value: Value.Value) -> Int {
        2 &+ Key.size(of: key) &+ Value.size(of: value)
    }

    @inlinable
    public static func fieldSize(tagSize: Int, _ map: Map) -> Int {
        var total = 0
        for (key, value) in map {
            let entry = entrySize(key, value)
            total &+= tagSize &+ Varint.size(UInt64(entry)) &+ entry
        }
        return total
    }

    @inlinable
    public static func writeField(_ map: Map, tag: UInt32, to writer: inout Writer) {
        // Each piece is a tag and its value after one room check (the codecs' `writeField`);
        // separate `writeTag`s and writes checked the room, and were calls, one by one.
        for (key, value) in map {
            writer.writeVarintField(tag: tag, UInt64(entrySize(key, value)))
            Key.writeField(key, tag: keyTag, to: &writer)
            Value.writeField(value, tag: valueTag, to: &writer)
        }
    }

    @inlinable
    public static func readEntry(into map: inout Map, from reader: inout Reader) throws(WireError) {
        if map.isEmpty {
            map = try MapEntryRun<Self>.decode(from: &reader).map
            return
        }
        let (key, value) = try readEntry(from: &reader)
        map[key] = value
    }

    /// The same for `string` keys: an entry whose key the map already holds as an equal
    /// `String` with other bytes goes to `unknownFields` (see `StringMapKeys.swift`).
    @inlinable
    public static func readEntry(
        into map: inout Map, from reader: inout Reader, unknownFields: inout UnknownFields
    ) throws(WireError) {
        try readEntryKeepingDistinctKeys(into: &map, from: &reader, unknownFields: &unknownFields)
    }

    /// One entry (its tag was just read): a missing key or value is the default.
    @inlinable
    static func readEntry(from reader: inout Reader) throws(WireError) -> (Key.Value, Value.Value) {
        let length = try reader.readLength()
        let savedEnd = reader.end
        let savedGroup = reader.groupFieldNumber
        reader.end = reader.position + length
        reader.groupFieldNumber = 0
        defer {
            reader.end = savedEnd
            reader.groupFieldNumber = savedGroup
        }
        var key = Key.defaultValue
        var value = Value.defaultValue
        // `readValue(from:failure:)`, not `read(from:)`: see `GenericReads.swift`.
        var failure: WireError? = nil
        while let tag = try reader.nextTag() {
            switch tag {
            case keyTag: key = Key.readValue(from: &reader, failure: &failure)
            case valueTag: value = Value.readValue(from: &reader, failure: &failure)
            default: try reader.skipField(tag)
            }
            if let failure { throw failure }
        }
        return (key, value)
    }
}

/// Map fields whose values are messages (sizes of the values go through the `SizeCache`).
public enum ProtoMessageMap<Key: WireCodec, Value: Message>: MapEntryDecoder where Key.Value: Hashable {
    public typealias Map = [Key.Value: Value]
    @usableFromInline typealias KeyCodec = Key

    @inlinable static var keyTag: UInt32 { FieldTag.make(1, Key.wireType) }
    @inlinable static var valueTag: UInt32 { FieldTag.make(2, .lengthDelimited) }

    /// An entry's size: its key field, and its value field around a message of `valueSize` bytes.
    @inlinable @inline(__always)
    static func entrySize(_ key: Key.Value, valueSize: Int) -> Int {
        2 &+ Key.size(of: key) &+ Varint.size(UInt64(valueSize)) &+ valueSize
    }

    @inlinable
    public static func fieldSize(tagSize: Int, _ map: Map, sizes: inout SizeCache) -> Int {
        var total = 0
        for (key, value) in map {
            // Only the value's size is recorded: the write pass derives the entry's from it and
            // the key, which costs less than a slot of its own.
            let slot = sizes.reserveSlot()
            let valueSize = value.computeSize(&sizes)
            sizes.sizes[slot] = valueSize
            let entry = entrySize(key, valueSize: valueSize)
            total &+= tagSize &+ Varint.size(UInt64(entry)) &+ entry
        }
        return total
    }

    @inlinable
    public static func writeField(_ map: Map, tag: UInt32, to writer: inout Writer, sizes: inout SizeCache) {
        for (key, value) in map {
            let valueSize = sizes.takeSize()
            writer.writeVarintField(tag: tag, UInt64(entrySize(key, valueSize: valueSize)))
            Key.writeField(key, tag: keyTag, to: &writer)
            writer.writeVarintField(tag: valueTag, UInt64(valueSize))
            value.encodeMessage(to: &writer, &sizes)
        }
    }

    @inlinable
    public static func readEntry(into map: inout Map, from reader: inout Reader) throws(WireError) {
        if map.isEmpty {
            map = try MapEntryRun<Self>.decode(from: &reader).map
            return
        }
        let (key, value) = try readEntry(from: &reader)
        map[key] = value
    }

    /// The same for `string` keys: an entry whose key the map already holds as an equal
    /// `String` with other bytes goes to `unknownFields` (see `StringMapKeys.swift`).
    @inlinable
    public static func readEntry(
        into map: inout Map, from reader: inout Reader, unknownFields: inout UnknownFields
    ) throws(WireError) {
        try readEntryKeepingDistinctKeys(into: &map, from: &reader, unknownFields: &unknownFields)
    }

    /// One entry (its tag was just read): a missing key is the default, a missing value an
    /// empty message.
    @inlinable
    static func readEntry(from reader: inout Reader) throws(WireError) -> (Key.Value, Value) {
        let length = try reader.readLength()
        guard reader.depth < Reader.maxDepth else { throw .recursionLimitExceeded }
        let savedEnd = reader.end
        let savedGroup = reader.groupFieldNumber
        reader.end = reader.position + length
        reader.groupFieldNumber = 0
        reader.depth &+= 1
        defer {
            reader.end = savedEnd
            reader.groupFieldNumber = savedGroup
            reader.depth &-= 1
        }
        var key = Key.defaultValue
        var value = Value()
        var failure: WireError? = nil  // see `GenericReads.swift`
        while let tag = try reader.nextTag() {
            switch tag {
            case keyTag: key = Key.readValue(from: &reader, failure: &failure)
            case valueTag: try reader.readMessage(into: &value)
            default: try reader.skipField(tag)
            }
            if let failure { throw failure }
        }
        return (key, value)
    }
}

extension ProtoMap {
    /// Map entry whose value is a closed (proto2) enum: an entry holding a number the enum
    /// does not declare is kept whole in unknown fields instead of entering the map, as is
    /// one whose `string` key equals one in the map as a `String` but not in bytes.
    @inlinable
    public static func readClosedEnumEntry<E: WireEnum>(
        into map: inout Map, from reader: inout Reader, unknownFields: inout UnknownFields
    ) throws(WireError) where Value == ProtoEnum<E> {
        let entryStart = reader.tagStart
        let length = try reader.readLength()
        let savedEnd = reader.end
        let savedGroup = reader.groupFieldNumber
        reader.end = reader.position + length
        reader.groupFieldNumber = 0
        var key = Key.defaultValue
        var number: Int32 = E().rawValue
        var failure: WireError? = nil  // see `GenericReads.swift`
        while let tag = try reader.nextTag() {
            switch tag {
            case keyTag: key = Key.readValue(from: &reader, failure: &failure)
            case valueTag: number = try ProtoInt32.read(from: &reader)
            default: try reader.skipField(tag)
            }
            if let failure { throw failure }
        }
        reader.end = savedEnd
        reader.groupFieldNumber = savedGroup
        if let value = E(rawValue: number), !Key.holdsDistinctEqualKey(map, key) {
            map[key] = value
        } else {
            unknownFields.append(UnsafeRawBufferPointer(start: entryStart, count: reader.position - entryStart))
        }
    }
}
