import Testing
import Wire

/// `encodedSizeBound()`: generated for flat messages (singular scalars, enums, strings and
/// bytes), which `serializedBytes()` then encodes in one write pass.
@Suite struct SizeBoundTests {
    /// The bytes of the size pass and exact write pass (`serialize(into:)`), for comparison.
    func exactEncoding<M: Wire.Message>(_ message: M) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: message.serializedSize())
        let written = try buffer.withUnsafeMutableBytes { try message.serialize(into: $0) }
        #expect(written == buffer.count)
        return buffer
    }

    func expectBoundHolds<M: Wire.Message>(_ message: M) throws {
        let bound = try #require(message.encodedSizeBound())
        #expect(message.serializedSize() <= bound)
        let bytes = try message.serializedBytes()
        #expect(bytes == (try exactEncoding(message)))
        #expect(try M(serializedBytes: bytes) == message)
    }

    @Test func proto3ScalarsAtTheirLargestEncodings() throws {
        let message = WireTest_P3_Scalars.atExtremes(
            string: String(repeating: "héllo 🌍 ", count: 40), bytes: [UInt8](repeating: 0xAB, count: 300))
        try expectBoundHolds(message)
        // Every other varint at its longest: the bound exceeds the size only by the room the
        // string and bytes length prefixes (2 of 10 bytes each) and the enum (1 of 10) leave.
        let bound = try #require(message.encodedSizeBound())
        #expect(bound - message.serializedSize() == 8 + 8 + 9)
        try expectBoundHolds(WireTest_P3_Scalars())
    }

    @Test func proto2OptionalsSetAndUnset() throws {
        var message = WireTest_P2_Defaults()
        try expectBoundHolds(message)
        message.i32 = .min
        message.text = "ünïcödé"
        message.raw = [1, 2, 3]
        message.big = .max
        message.small = .min
        message.plain = .min
        message.mood = .sad
        try expectBoundHolds(message)
    }

    @Test func unknownFieldsCountTowardTheBound() throws {
        // Field 99 (length-delimited, 200 bytes) is unknown to `Scalars`.
        let unknown: [UInt8] = [0x9A, 0x06, 0xC8, 0x01] + [UInt8](repeating: 7, count: 200)
        var message = try WireTest_P3_Scalars(serializedBytes: unknown)
        message.fInt64 = -1
        message.fString = "x"
        #expect(message.unknownFields.size == unknown.count)
        try expectBoundHolds(message)
    }

    @Test func appendingAfterExistingBytesKeepsThem() throws {
        var message = WireTest_P3_Scalars()
        message.fInt32 = -5
        message.fString = "tail"
        var buffer: [UInt8] = [0xFF, 0xFE]
        try message.serialize(appendingTo: &buffer)
        #expect(buffer == [0xFF, 0xFE] + (try exactEncoding(message)))
    }

    @Test func messagesWithNestedRepeatedOrMapFieldsHaveNoBound() {
        #expect(WireTest_P3_Nested().encodedSizeBound() == nil)
        #expect(WireTest_P3_Repeated().encodedSizeBound() == nil)
        #expect(WireTest_P3_Maps().encodedSizeBound() == nil)
        #expect(WireTest_P3_Choice().encodedSizeBound() == nil)
        #expect(WireTest_P3_Wide().encodedSizeBound() == nil)
    }
}
