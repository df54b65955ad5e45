import Testing
import Wire

/// `message Item { repeated sint64 numbers = 1; string name = 2; }` and
/// `message Catalog { map<uint32, Item> items = 1; repeated sint64 numbers = 2; }`, packed
/// fields sized through the `SizeCache` as generated code does.
private struct Item: Message {
    static let protoMessageName = "test.Item"
    var numbers: [Int64] = []
    var name = ""
    var unknownFields = UnknownFields()

    mutating func decodeMessage(from reader: inout Reader) throws(WireError) {
        while let tag = try reader.nextTag() {
            switch tag {
            case 10: try ProtoSInt64.readPacked(into: &numbers, from: &reader)
            case 18: name = try ProtoString.read(from: &reader)
            default: try reader.skipField(tag, into: &unknownFields)
            }
        }
    }

    func computeSize(_ sizes: inout SizeCache) -> Int {
        var size = ProtoSInt64.packedFieldSize(tagSize: 1, numbers, sizes: &sizes)
        if !name.isEmpty { size += ProtoString.fieldSize(tagSize: 1, name) }
        return size + unknownFields.size
    }

    func encodeMessage(to writer: inout Writer, _ sizes: inout SizeCache) {
        ProtoSInt64.writePackedField(numbers, tag: 10, to: &writer, sizes: &sizes)
        if !name.isEmpty { ProtoString.writeField(name, tag: 18, to: &writer) }
        writer.writeUnknownFields(unknownFields)
    }
}

private struct Catalog: Message {
    static let protoMessageName = "test.Catalog"
    var items: [UInt32: Item] = [:]
    var numbers: [Int64] = []
    var unknownFields = UnknownFields()

    mutating func decodeMessage(from reader: inout Reader) throws(WireError) {
        while let tag = try reader.nextTag() {
            switch tag {
            case 10: try ProtoMessageMap<ProtoUInt32, Item>.readEntry(into: &items, from: &reader)
            case 18: try ProtoSInt64.readPacked(into: &numbers, from: &reader)
            default: try reader.skipField(tag, into: &unknownFields)
            }
        }
    }

    func computeSize(_ sizes: inout SizeCache) -> Int {
        var size = ProtoMessageMap<ProtoUInt32, Item>.fieldSize(tagSize: 1, items, sizes: &sizes)
        size += ProtoSInt64.packedFieldSize(tagSize: 1, numbers, sizes: &sizes)
        return size + unknownFields.size
    }

    func encodeMessage(to writer: inout Writer, _ sizes: inout SizeCache) {
        ProtoMessageMap<ProtoUInt32, Item>.writeField(items, tag: 10, to: &writer, sizes: &sizes)
        ProtoSInt64.writePackedField(numbers, tag: 18, to: &writer, sizes: &sizes)
        writer.writeUnknownFields(unknownFields)
    }
}

@Suite struct MapEncodingTests {
    /// Entries of message-valued maps keep only their value's size between the passes (the
    /// entry's is derived from it), and packed varint fields of up to 8 elements keep none:
    /// lengths must still come out right on both sides of those limits, nested or not.
    @Test func messageMapEntriesAndPackedFieldsWriteTheirLengths() throws {
        let long = String(repeating: "ü", count: 70)  // 140 bytes: two-byte lengths
        let eight: [Int64] = [1, -1, 300, -300, 1 << 40, -(1 << 40), .max, .min]
        let nine = eight + [64]
        var catalog = Catalog()
        catalog.items[300] = Item(numbers: nine, name: long)
        catalog.numbers = eight

        func zigzag(_ values: [Int64]) -> [UInt8] {
            var bytes: [UInt8] = []
            for value in values {
                var raw = UInt64(bitPattern: (value << 1) ^ (value >> 63))
                while raw >= 0x80 {
                    bytes.append(UInt8(truncatingIfNeeded: raw) | 0x80)
                    raw >>= 7
                }
                bytes.append(UInt8(raw))
            }
            return bytes
        }
        func lengthBytes(_ value: Int) -> [UInt8] {  // below 2^14
            value < 0x80 ? [UInt8(value)] : [UInt8(value & 0x7F) | 0x80, UInt8(value >> 7)]
        }
        let itemBody = [0x0A] + lengthBytes(zigzag(nine).count) + zigzag(nine) + [0x12] + lengthBytes(140) + Array(long.utf8)
        let entry = [0x08, 0xAC, 0x02, 0x12] + lengthBytes(itemBody.count) + itemBody
        let expected = [0x0A] + lengthBytes(entry.count) + entry + [0x12] + lengthBytes(zigzag(eight).count) + zigzag(eight)
        #expect(try catalog.serializedBytes() == expected)

        // Many entries, in the dictionary's order: every length read back as written.
        for key in 0..<40 {
            catalog.items[UInt32(key)] = Item(numbers: Array(eight.prefix(key % 10)) + (key % 10 > 8 ? [7] : []), name: key.isMultiple(of: 3) ? long : "x")
        }
        let bytes = try catalog.serializedBytes()
        let decoded = try Catalog(serializedBytes: bytes)
        #expect(decoded.items.count == catalog.items.count && decoded.numbers == catalog.numbers)
        for (key, item) in catalog.items {
            #expect(decoded.items[key]?.numbers == item.numbers && decoded.items[key]?.name == item.name)
        }
        var sizes = SizeCache()
        #expect(bytes.count == catalog.computeSize(&sizes))
    }
}
