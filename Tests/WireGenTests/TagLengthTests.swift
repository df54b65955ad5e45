import Testing
import Wire

/// Generated decoders reject a tag whose varint takes more than 5 bytes (a tag is a 32-bit
/// value), wherever they read one: a message, a nested message in a oneof, a map entry.
@Suite struct TagLengthTests {
    func error<M: Wire.Message>(_ type: M.Type, _ bytes: [UInt8]) -> WireError? {
        do throws(WireError) {
            _ = try M(serializedBytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    /// `tag` (a one-byte tag) padded with continuation bytes to `length` bytes.
    func padded(_ tag: UInt8, to length: Int) -> [UInt8] {
        [tag | 0x80] + [UInt8](repeating: 0x80, count: length - 2) + [0x00]
    }

    @Test func sixByteTagsThrow() {
        // Choice.after = 6 (tag 48).
        #expect(error(WireTest_P3_Choice.self, padded(48, to: 6) + [7]) == .tagTooLong)
        // Choice.c (tag 26) holding Nested.x = 1 (tag 8).
        let nested = padded(8, to: 6) + [1]
        #expect(error(WireTest_P3_Choice.self, [26, UInt8(nested.count)] + nested) == .tagTooLong)
        // Maps.string_to_int32 (tag 10): an entry whose value tag (16) takes six bytes.
        let entry: [UInt8] = [10, 1, 0x61] + padded(16, to: 6) + [3]
        #expect(error(WireTest_P3_Maps.self, [10, UInt8(entry.count)] + entry) == .tagTooLong)
        // An unknown field (number 100) behind a six-byte tag.
        #expect(error(WireTest_P3_Choice.self, [0xA0, 0x86, 0x80, 0x80, 0x80, 0x00, 1]) == .tagTooLong)
    }

    @Test func fiveByteTagsDecode() throws {
        #expect(try WireTest_P3_Choice(serializedBytes: padded(48, to: 5) + [7]).after == 7)
        let entry: [UInt8] = [10, 1, 0x61] + padded(16, to: 5) + [3]
        #expect(try WireTest_P3_Maps(serializedBytes: [10, UInt8(entry.count)] + entry).stringToInt32 == ["a": 3])
    }
}
