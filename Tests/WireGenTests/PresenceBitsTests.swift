import Testing
import Wire

/// The presence bits of wide messages (Protos/wiretest/wide.proto): sizing, encoding, copying
/// and comparing visit only fields whose bits are set, so every way of setting a field must
/// set its bit, and every way of clearing one must leave the message equal to its defaults.
@Suite struct PresenceBitsTests {
    typealias Wide = WireTest_Wide_Wide

    static var inner: WireTest_Wide_Inner {
        var inner = WireTest_Wide_Inner()
        inner.id = 7
        inner.label = "in"
        inner.values = [1, -2]
        return inner
    }

    /// One setter for every kind of field, in both presence words (slots below and above 64).
    static let setters: [(name: String, set: @Sendable (inout Wide) -> Void)] = [
        ("double", { $0.doubleValue = -1.5 }),
        ("float", { $0.floatValue = 2.5 }),
        ("int64", { $0.int64Value = .min }),
        ("uint64", { $0.uint64Value = .max }),
        ("int32", { $0.int32Value = -1 }),
        ("fixed64", { $0.fixed64Value = 1 << 40 }),
        ("fixed32", { $0.fixed32Value = 9 }),
        ("bool", { $0.boolValue = true }),
        ("string", { $0.stringValue = "héllo" }),
        ("bytes", { $0.bytesValue = [0, 255] }),
        ("uint32", { $0.uint32Value = .max }),
        ("sfixed32", { $0.sfixed32Value = .min }),
        ("sfixed64", { $0.sfixed64Value = -3 }),
        ("sint32", { $0.sint32Value = -4 }),
        ("sint64", { $0.sint64Value = .max }),
        ("enum", { $0.level = .high }),
        ("optional double at its default", { $0.optionalDouble = 0 }),
        ("optional int32", { $0.optionalInt32 = 5 }),
        ("optional string at its default", { $0.optionalString = "" }),
        ("optional bytes", { $0.optionalBytes = [1] }),
        ("optional enum at its default", { $0.optionalLevel = .unspecified }),
        ("packed double", { $0.repeatedDouble = [1, 2] }),
        ("packed int64", { $0.repeatedInt64 = [-1, 300] }),
        ("packed bool", { $0.repeatedBool = [true, false] }),
        ("packed enum", { $0.repeatedLevel = [.low, .UNRECOGNIZED(9)] }),
        ("repeated string", { $0.repeatedString = ["a", ""] }),
        ("repeated bytes", { $0.repeatedBytes = [[], [1]] }),
        ("unpacked sint64", { $0.unpackedSint64 = [-5, 5] }),
        ("unpacked fixed32", { $0.unpackedFixed32 = [1] }),
        ("unpacked enum", { $0.unpackedLevel = [.high] }),
        ("message", { $0.inner = PresenceBitsTests.inner }),
        ("empty message", { $0.otherInner = WireTest_Wide_Inner() }),
        ("repeated message", { $0.inners = [PresenceBitsTests.inner, WireTest_Wide_Inner()] }),
        ("string map", { $0.labels = ["": "v"] }),  // one entry per map: no iteration order
        ("number map", { $0.counters = [-1: .max] }),
        ("message map", { $0.innerByName = ["x": PresenceBitsTests.inner] }),
        ("enum map", { $0.levels = [3: .low] }),
        ("bool map", { $0.blobs = [true: [1, 2]] }),
        ("oneof number", { $0.choiceInt32 = 0 }),
        ("oneof string", { $0.choiceString = "c" }),
        ("oneof message", { $0.choiceInner = PresenceBitsTests.inner }),
        ("oneof enum", { $0.choiceLevel = .low }),
        ("second word: double", { $0.laterDouble = 3 }),
        ("second word: string", { $0.laterString = "late" }),
        ("second word: message", { $0.lateInner = PresenceBitsTests.inner }),
        ("second word: repeated", { $0.lateStrings = ["x"] }),
        ("second word: optional", { $0.lateOptional = 0 }),
        ("three-byte tag", { $0.farInner = PresenceBitsTests.inner }),
    ]

    @Test(arguments: 0..<setters.count)
    func eachFieldSetAloneRoundTrips(_ index: Int) throws {
        let (name, set) = Self.setters[index]
        var message = Wide()
        set(&message)
        let bytes = try message.serializedBytes()
        #expect(!bytes.isEmpty, "\(name)")
        #expect(bytes.count == message.serializedSize(), "\(name)")
        let decoded = try Wide(serializedBytes: bytes)
        #expect(decoded == message, "\(name)")
        #expect(decoded.hashValue == message.hashValue, "\(name)")
        #expect(decoded != Wide(), "\(name)")
        #expect(try decoded.serializedBytes() == bytes, "\(name)")
    }

    @Test func everyFieldSetTogetherRoundTripsInFieldOrder() throws {
        // All at once (one oneof member wins): the bytes are the fields in number order,
        // exactly as each one alone writes them.
        var message = Wide()
        for (_, set) in Self.setters { set(&message) }
        let bytes = try message.serializedBytes()
        #expect(try Wide(serializedBytes: bytes) == message)
        var expected: [UInt8] = []
        for (_, set) in Self.setters where !(Self.isOneof(set)) {
            var alone = Wide()
            set(&alone)
            expected += try alone.serializedBytes()
        }
        var oneofOnly = Wide()
        oneofOnly.choice = message.choice
        let oneofBytes = try oneofOnly.serializedBytes()
        // The oneof (fields 84-89) sits between the maps (79-83) and the late fields (100+).
        #expect(bytes.count == expected.count + oneofBytes.count)
        let numbers = try Self.fieldNumbers(bytes)
        #expect(numbers == numbers.sorted())
    }

    @Test func settingBackToTheDefaultWritesNothingAndEqualsTheDefault() throws {
        var message = Wide()
        message.int32Value = 5
        message.laterString = "x"
        message.repeatedInt32 = [1]
        message.labels = ["a": "b"]
        message.int32Value = 0
        message.laterString = ""
        message.repeatedInt32 = []
        message.labels = [:]
        #expect(try message.serializedBytes() == [])
        #expect(message == Wide())
        #expect(Wide() == message)
        #expect(message.hashValue == Wide().hashValue)
    }

    @Test func clearingAnOptionalFieldForgetsIt() throws {
        var message = Wide()
        message.optionalInt32 = 3
        message.lateOptional = 4
        message.inner = Self.inner
        message.clearOptionalInt32()
        message.clearLateOptional()
        message.clearInner()
        #expect(!message.hasOptionalInt32 && !message.hasLateOptional && !message.hasInner)
        #expect(try message.serializedBytes() == [])
        #expect(message == Wide())
        message.optionalInt32 = 0
        #expect(message.hasOptionalInt32)
        #expect(try message.serializedBytes() == [0xA8, 0x01, 0])  // field 21, varint 0
    }

    @Test func copiesAreIndependentAndKeepEverySetField() throws {
        var original = Wide()
        original.stringValue = "first word"
        original.laterSint64 = -9
        original.inners = [Self.inner]
        original.choiceString = "c"
        var copy = original  // shares storage until the first mutation
        copy.laterSint64 = 10  // copies the storage: only the fields whose bits are set
        #expect(copy.stringValue == "first word")
        #expect(copy.inners == [Self.inner])
        #expect(copy.choiceString == "c")
        #expect(original.laterSint64 == -9)
        #expect(copy != original)
        copy.laterSint64 = -9
        #expect(copy == original)
        #expect(try copy.serializedBytes() == original.serializedBytes())
        copy.clearInner()  // a clear copies too
        copy.stringValue = ""
        #expect(original.stringValue == "first word")
        #expect(try Wide(serializedBytes: copy.serializedBytes()) == copy)
    }

    /// A type this wide keeps its map, message and oneof fields in a second object that
    /// copies share: writing one of them through either copy leaves the other alone.
    @Test func copiesShareColdFieldsOnlyUntilOneWritesThem() throws {
        var original = Wide()
        original.inner = Self.inner
        original.labels = ["k": "v"]
        original.choiceInner = Self.inner
        var copy = original
        copy.int32Value = 1  // copies the storage; the cold fields stay shared
        copy.inner.values.append(3)
        copy.labels["k2"] = "w"
        copy.choiceString = "c"
        #expect(original.inner == Self.inner)
        #expect(original.labels == ["k": "v"])
        #expect(original.choiceInner == Self.inner)
        #expect(copy.inner.values == [1, -2, 3])
        var merged = original
        try merged.merge(serializedBytes: copy.serializedBytes())  // merges into shared cold fields
        #expect(merged.inner.values == [1, -2, 1, -2, 3])
        #expect(merged.labels == ["k": "v", "k2": "w"])
        #expect(merged.choiceString == "c")
        #expect(original.inner == Self.inner && original.choiceInner == Self.inner)
        var cleared = original
        cleared.clearInner()
        cleared.choice = nil
        #expect(original.hasInner && original.choiceInner == Self.inner)
        #expect(try Wide(serializedBytes: cleared.serializedBytes()) == cleared)
    }

    @Test func equalityComparesFieldsSetOnEitherSide() {
        var left = Wide()
        var right = Wide()
        left.lateDouble = 1
        #expect(left != right)
        #expect(right != left)
        right.lateDouble = 1
        right.doubleValue = 0  // a bit set on one side only, at the default
        #expect(left == right)
        #expect(left.hashValue == right.hashValue)
        right.choice = nil
        #expect(left == right)
    }

    @Test func decodingMergesIntoSetFields() throws {
        var first = Wide()
        first.int32Value = 1
        first.repeatedString = ["a"]
        first.inner = Self.inner
        first.choiceString = "s"
        first.laterInt32 = 2
        var second = Wide()
        second.int32Value = 3  // last one wins
        second.repeatedString = ["b"]  // appended
        var innerUpdate = WireTest_Wide_Inner()
        innerUpdate.label = "merged"
        second.inner = innerUpdate  // merged into the existing message
        second.choiceInt32 = 4  // replaces the other member
        second.laterUint32 = 5
        var merged = first
        try merged.merge(serializedBytes: second.serializedBytes())
        #expect(merged.int32Value == 3)
        #expect(merged.repeatedString == ["a", "b"])
        #expect(merged.inner.id == 7 && merged.inner.label == "merged" && merged.inner.values == [1, -2])
        #expect(merged.choice == .choiceInt32(4))
        #expect(merged.laterInt32 == 2 && merged.laterUint32 == 5)
        #expect(try Wide(serializedBytes: merged.serializedBytes()) == merged)
        #expect(first.int32Value == 1)  // the merge copied the shared storage first
    }

    @Test func aFailedMergeLeavesAMessageThatEncodesWhatItHolds() throws {
        // inner {id: 9}, then a string field cut off: the merge throws after changing `inner`.
        var message = Wide()
        var inner = WireTest_Wide_Inner()
        inner.id = 9
        var source = Wide()
        source.inner = inner
        let truncated = try source.serializedBytes() + [0x4A, 5, 0x61]  // field 9, length 5, 1 byte
        #expect(throws: WireError.lengthPastEnd) { try message.merge(serializedBytes: truncated) }
        #expect(message.inner.id == 9)
        #expect(try Wide(serializedBytes: message.serializedBytes()) == message)
    }

    @Test func unknownFieldsSurviveAlongsideSetFields() throws {
        let bytes: [UInt8] = [0x28, 1, 0xB8, 0x3E, 7]  // int32_value = 1, then field 999 = 7
        let message = try Wide(serializedBytes: bytes)
        #expect(message.int32Value == 1)
        #expect(message.unknownFields.bytes == [0xB8, 0x3E, 7])
        #expect(try message.serializedBytes() == bytes)
    }

    // MARK: Helpers

    static func isOneof(_ set: (inout Wide) -> Void) -> Bool {
        var probe = Wide()
        set(&probe)
        return probe.choice != nil
    }

    /// The field numbers of an encoding, in order (top level only).
    static func fieldNumbers(_ bytes: [UInt8]) throws -> [Int] {
        var numbers: [Int] = []
        var failure: WireError? = nil
        bytes.withUnsafeBytes { raw in
            var reader = Wire.Reader(raw)
            do throws(WireError) {
                while let tag = try reader.nextTag() {
                    numbers.append(Int(tag >> 3))
                    try reader.skipField(tag)
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return numbers
    }
}
