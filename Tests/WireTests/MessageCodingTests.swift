import Testing
import Wire

@Suite struct MessageCodingTests {
    func sample() -> Node {
        var node = Node()
        node.id = 7
        node.name = "root"
        node.values = [1, -1, 1000, .min]
        node.counts = ["a": 1, "b": -2]
        node.blobs = [[], [0, 1, 2]]
        var child = Node()
        child.id = 8
        child.children = [Node()]
        node.children = [child, Node()]
        return node
    }

    @Test func roundTripsEveryFieldKind() throws {
        let node = sample()
        let bytes = try node.serializedBytes()
        #expect(bytes.count == node.serializedSize())
        #expect(try Node(serializedBytes: bytes) == node)
        #expect(try Node(serializedBytes: bytes[...]) == node)
        let fromRaw = bytes.withUnsafeBytes { raw in try? Node(serializedBytes: raw) }
        #expect(fromRaw == node)
    }

    @Test func emptyMessageEncodesToNothingAndDecodesFromNothing() throws {
        #expect(try Node().serializedBytes() == [])
        #expect(try Node(serializedBytes: []) == Node())
    }

    @Test func appendsAndWritesIntoCallerBuffers() throws {
        let node = sample()
        var buffer: [UInt8] = [9, 9]
        try node.serialize(appendingTo: &buffer)
        #expect(Array(buffer[2...]) == (try node.serializedBytes()))
        var small = [UInt8](repeating: 0, count: 3)
        let error: WireError? = small.withUnsafeMutableBytes { raw in
            do throws(WireError) { _ = try node.serialize(into: raw); return nil } catch { return error }
        }
        #expect(error == .bufferTooSmall)
    }

    @Test func aReusedBufferIsWrittenInPlace() throws {
        var largest = sample()
        largest.name = String(repeating: "x", count: 300)
        var buffer: [UInt8] = []
        try largest.serialize(appendingTo: &buffer)
        #expect(buffer == (try largest.serializedBytes()))
        let storage = buffer.withUnsafeBufferPointer { $0.baseAddress }
        for node in [sample(), Node(), largest] {
            buffer.removeAll(keepingCapacity: true)
            try node.serialize(appendingTo: &buffer)
            #expect(buffer == (try node.serializedBytes()))
            #expect(buffer.withUnsafeBufferPointer { $0.baseAddress } == storage)  // no reallocation
        }
    }

    @Test func decodesFromAnyCollectionOfBytes() throws {
        let node = sample()
        let bytes = try node.serializedBytes()
        #expect(try Node(serializedBytes: ContiguousArray(bytes)) == node)
        let fromPointer = bytes.withUnsafeBufferPointer { pointer in try? Node(serializedBytes: pointer) }
        #expect(fromPointer == node)
        // No contiguous storage: copied first.
        #expect(try Node(serializedBytes: bytes.lazy.map { $0 }) == node)
        var merged = Node()
        try merged.merge(serializedBytes: ContiguousArray(bytes))
        #expect(merged == node)
        // Errors come out of both paths unchanged.
        let truncated = bytes.dropLast()
        #expect(throws: WireError.lengthPastEnd) { try Node(serializedBytes: ContiguousArray(truncated)) }
        #expect(throws: WireError.lengthPastEnd) { try Node(serializedBytes: truncated.lazy.map { $0 }) }
    }

    /// `serializedBytes` writes with spare room past the end (one-check field writes);
    /// an exactly sized caller buffer takes the checked paths for its last fields. Both
    /// must produce the same bytes, for every prefix length of the fields' values.
    @Test func exactBuffersAndSpareRoomWriteTheSameBytes() throws {
        for id in [0, 1, 127, 128, -1, .max, .min] as [Int32] {
            for length in [0, 1, 5, 127, 128] {
                for trimmed in [false, true] {
                var node = trimmed ? Node() : sample()  // trimmed: id or name is the last field
                node.id = id
                node.name = String(repeating: "n", count: length)
                if !trimmed { node.values = [Int64(id), -1, .max] }
                let bytes = try node.serializedBytes()
                #expect(bytes.count == node.serializedSize())
                var exact = [UInt8](repeating: 0, count: bytes.count)
                let written = try exact.withUnsafeMutableBytes { raw throws(WireError) in try node.serialize(into: raw) }
                #expect(written == bytes.count)
                #expect(exact == bytes)
                #expect(try Node(serializedBytes: bytes) == node)
                }
            }
        }
    }

    @Test func lastScalarWins() throws {
        #expect(try Node(serializedBytes: [8, 1, 8, 2, 18, 1, 0x61, 18, 1, 0x62]).id == 2)
        #expect(try Node(serializedBytes: [18, 1, 0x61, 18, 1, 0x62]).name == "b")
    }

    @Test func packedAndUnpackedRepeatedAreBothAccepted() throws {
        // Field 4 packed (tag 34) [1, -1] then unpacked (tag 32) 2: values append in order.
        let node = try Node(serializedBytes: [34, 2, 2, 1, 32, 4])
        #expect(node.values == [1, -1, 2])
        // Packed is what we write.
        var packed = Node()
        packed.values = [1, -1]
        #expect(try packed.serializedBytes() == [34, 2, 2, 1])
    }

    @Test func mapEntriesDefaultMissingPartsAndLastDuplicateWins() throws {
        // entry {key "a" value 1}, entry {key "a" value 5}, entry {value 3} (no key), entry {key "z"}.
        let bytes: [UInt8] = [42, 5, 10, 1, 0x61, 16, 1,
                              42, 5, 10, 1, 0x61, 16, 5,
                              42, 2, 16, 3,
                              42, 3, 10, 1, 0x7A]
        let node = try Node(serializedBytes: bytes)
        #expect(node.counts == ["a": 5, "": 3, "z": 0])
    }

    /// An empty map decodes its first run of consecutive entries at once; entries after other
    /// fields join it one by one, and a later duplicate still replaces the earlier value.
    @Test func mapEntriesSplitByOtherFieldsJoinTheFirstRun() throws {
        let bytes: [UInt8] = [42, 5, 10, 1, 0x61, 16, 1,
                              42, 5, 10, 1, 0x62, 16, 2,
                              8, 7,
                              42, 5, 10, 1, 0x61, 16, 9,
                              42, 5, 10, 1, 0x63, 16, 3]
        let node = try Node(serializedBytes: bytes)
        #expect(node.id == 7)
        #expect(node.counts == ["a": 9, "b": 2, "c": 3])
    }

    /// A bad entry inside the run decoded at once throws, wherever it is in the run.
    @Test func aMalformedEntryInsideARunThrows() {
        let good: [UInt8] = [42, 5, 10, 1, 0x61, 16, 1]
        let badUTF8: [UInt8] = [42, 5, 10, 1, 0xFF, 16, 1]
        let badInnerLength: [UInt8] = [42, 5, 10, 9, 0x61, 16, 1]
        for bad in [badUTF8, badInnerLength] {
            for position in 0...2 {
                var entries = [good, good, good]
                entries[position] = bad
                #expect(throws: WireError.self) { try Node(serializedBytes: entries.flatMap { $0 }) }
            }
        }
    }

    @Test func mapEntryIgnoresUnknownFieldsInsideTheEntry() throws {
        let node = try Node(serializedBytes: [42, 7, 24, 9, 10, 1, 0x61, 16, 4])
        #expect(node.counts == ["a": 4])
    }

    @Test func mergeAppendsRepeatedAndReplacesScalars() throws {
        var node = try Node(serializedBytes: [8, 1, 26, 2, 8, 5])
        try node.merge(serializedBytes: [8, 2, 26, 2, 8, 6])
        #expect(node.id == 2)
        #expect(node.children.map(\.id) == [5, 6])
    }

    @Test func unknownFieldsOfEveryWireTypeAreKeptAndReemitted() throws {
        let unknown: [UInt8] = [
            0x78, 0x96, 0x01,  // field 15 varint 150
            0x81, 0x01, 1, 2, 3, 4, 5, 6, 7, 8,  // field 16 fixed64
            0x8A, 0x01, 2, 0xAA, 0xBB,  // field 17 length-delimited
            0x93, 0x01, 0x08, 0x01, 0x9B, 0x01, 0x9C, 0x01, 0x94, 0x01,  // field 18 group holding field 1 and an empty group 19
            0xA5, 0x01, 1, 2, 3, 4,  // field 20 fixed32
        ]
        let node = try Node(serializedBytes: [8, 3] + unknown)
        #expect(node.id == 3)
        #expect(node.unknownFields.bytes == unknown)
        #expect(try node.serializedBytes() == [8, 3] + unknown)
    }

    @Test func knownFieldWithWrongWireTypeIsKeptAsUnknown() throws {
        // Field 1 (id, varint) sent as fixed32.
        let node = try Node(serializedBytes: [0x0D, 1, 0, 0, 0])
        #expect(node.id == 0)
        #expect(node.unknownFields.bytes == [0x0D, 1, 0, 0, 0])
    }

    @Test func groupsDecodeAndEncode() throws {
        var legacy = Legacy()
        legacy.a = 1
        legacy.g = Legacy.G()
        legacy.g?.b = 150
        let bytes = try legacy.serializedBytes()
        #expect(bytes == [8, 1, 19, 24, 0x96, 0x01, 20])
        #expect(try Legacy(serializedBytes: bytes) == legacy)
    }

    @Test func closedEnumUnknownValueGoesToUnknownFields() throws {
        let legacy = try Legacy(serializedBytes: [8, 1, 32, 2, 32, 9])
        #expect(legacy.color == .green)
        #expect(legacy.unknownFields.bytes == [32, 9])
    }

    @Test func missingRequiredFieldFailsUnlessPartial() throws {
        #expect(throws: WireError.missingRequiredFields) { try Legacy(serializedBytes: [32, 1]) }
        let partial = try Legacy(serializedBytes: [32, 1], partial: true)
        #expect(partial.color == .red)
        #expect(throws: WireError.missingRequiredFields) { try partial.serializedBytes() }
        #expect(try partial.serializedBytes(partial: true) == [32, 1])
    }
}
