import Testing
import Wire

/// Map keys that Swift's `String` finds equal (canonically equivalent) but whose bytes differ
/// are different protobuf keys: decoding then encoding must keep every entry, byte for byte.
@Suite struct StringMapKeyTests {
    /// "é" as one code point and as "e" plus a combining acute accent: equal `String`s.
    static let composed: [UInt8] = Array("\u{E9}".utf8)
    static let decomposed: [UInt8] = Array("e\u{301}".utf8)

    /// A length-delimited field.
    static func field(_ number: Int, _ payload: [UInt8]) -> [UInt8] {
        precondition(number < 16 && payload.count < 128)
        return [UInt8(number << 3 | 2), UInt8(payload.count)] + payload
    }

    /// A varint field with a small value.
    static func varintField(_ number: Int, _ value: UInt8) -> [UInt8] {
        precondition(number < 16 && value < 128)
        return [UInt8(number << 3), value]
    }

    /// The entries of map field `number` in `bytes`, each as its raw key and value fields, in
    /// any order (a test-side reader of the wire format, independent of Wire's decoder).
    static func entries(ofField number: Int, in bytes: [UInt8]) throws -> [[UInt8]] {
        var found: [[UInt8]] = []
        var index = 0
        while index < bytes.count {
            let tag = Int(bytes[index])
            try #require(tag < 0x80, "test messages use one-byte tags")
            switch tag & 7 {
            case 0:
                index += 2
            case 2:
                let length = Int(bytes[index + 1])
                try #require(length < 0x80)
                if tag >> 3 == number { found.append(Array(bytes[(index + 2)..<(index + 2 + length)])) }
                index += 2 + length
            default:
                Issue.record("unexpected wire type in \(bytes)")
                return found
            }
        }
        return found.sorted { $0.lexicographicallyPrecedes($1) }
    }

    @Test func equalStringsWithDifferentBytesAreDifferentKeys() {
        #expect(String(decoding: Self.composed, as: UTF8.self) == String(decoding: Self.decomposed, as: UTF8.self))
        #expect(Self.composed != Self.decomposed)
    }

    /// map<string, int32>: both keys in one run (the dictionary is built from the run at once)
    /// and separated by another field (entries then arrive one at a time).
    @Test(arguments: [false, true])
    func scalarMapKeepsBothKeys(separated: Bool) throws {
        let first = Self.field(1, Self.field(1, Self.composed) + Self.varintField(2, 1))
        let second = Self.field(1, Self.field(1, Self.decomposed) + Self.varintField(2, 2))
        let other = Self.field(2, Self.varintField(1, 7) + Self.field(2, Array("x".utf8)))
        let input = separated ? first + other + second : first + second + other
        let message = try WireTest_P3_Maps(serializedBytes: input)
        #expect(message.stringToInt32.count == 1)
        #expect(message.stringToInt32["\u{E9}"] == 1, "the first key keeps its own value")
        let output = try message.serializedBytes()
        #expect(output.count == input.count)
        #expect(try Self.entries(ofField: 1, in: output) == Self.entries(ofField: 1, in: input))
        #expect(try Self.entries(ofField: 2, in: output) == Self.entries(ofField: 2, in: input))
        // Decoding the output again gives the same message (the second key rides along).
        #expect(try WireTest_P3_Maps(serializedBytes: output) == message)
    }

    /// A key repeated with the same bytes is one key whose last value wins, as before.
    @Test(arguments: [false, true])
    func sameBytesStillReplace(separated: Bool) throws {
        let first = Self.field(1, Self.field(1, Self.composed) + Self.varintField(2, 1))
        let second = Self.field(1, Self.field(1, Self.composed) + Self.varintField(2, 2))
        let other = Self.field(2, Self.varintField(1, 7))
        let input = separated ? first + other + second : first + second + other
        let message = try WireTest_P3_Maps(serializedBytes: input)
        #expect(message.stringToInt32 == ["\u{E9}": 2])
        #expect(message.unknownFields.isEmpty)
    }

    /// map<string, Message> (proto2, in storage) and map<string, closed enum>.
    @Test func messageAndClosedEnumMapsKeepBothKeys() throws {
        let inner = { (name: String) in Self.field(1, Array(name.utf8)) }
        let required = Self.varintField(1, 5)
            + Self.field(4, Self.field(1, Self.composed) + Self.field(2, inner("a")))
            + Self.field(4, Self.field(1, Self.decomposed) + Self.field(2, inner("b")))
        let decodedRequired = try WireTest_P2_Required(serializedBytes: required)
        #expect(decodedRequired.byName.count == 1)
        #expect(decodedRequired.byName["\u{E9}"]?.name == "a")
        let requiredOutput = try decodedRequired.serializedBytes()
        #expect(try Self.entries(ofField: 4, in: requiredOutput) == Self.entries(ofField: 4, in: required))

        let closed = Self.field(6, Self.field(1, Self.decomposed) + Self.varintField(2, 1))
            + Self.field(6, Self.field(1, Self.composed) + Self.varintField(2, 0))
        let decodedClosed = try WireTest_P2_Closed(serializedBytes: closed)
        #expect(decodedClosed.levelByName == ["e\u{301}": .high])
        let closedOutput = try decodedClosed.serializedBytes()
        #expect(try Self.entries(ofField: 6, in: closedOutput) == Self.entries(ofField: 6, in: closed))
    }

    /// A key repeated after others in a long run still keeps every distinct key.
    @Test func repeatInsideALongRun() throws {
        var input: [UInt8] = []
        for index in 0..<20 {
            input += Self.field(1, Self.field(1, Array("k\(index)".utf8)) + Self.varintField(2, UInt8(index)))
        }
        input += Self.field(1, Self.field(1, Array("k3".utf8)) + Self.varintField(2, 99))
        input += Self.field(1, Self.field(1, Self.composed) + Self.varintField(2, 1))
        input += Self.field(1, Self.field(1, Self.decomposed) + Self.varintField(2, 2))
        let message = try WireTest_P3_Maps(serializedBytes: input)
        #expect(message.stringToInt32.count == 21)
        #expect(message.stringToInt32["k3"] == 99)
        let output = try message.serializedBytes()
        var expected = try Self.entries(ofField: 1, in: input)
        expected.removeAll { $0 == Self.field(1, Array("k3".utf8)) + Self.varintField(2, 3) }
        #expect(try Self.entries(ofField: 1, in: output) == expected)
    }
}
