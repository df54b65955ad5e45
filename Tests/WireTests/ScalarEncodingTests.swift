import Testing
import Wire

@Suite struct ScalarEncodingTests {
    @Test func wireTypeRawValuesMatchTheSpec() {
        #expect(WireType.varint.rawValue == 0)
        #expect(WireType.fixed64.rawValue == 1)
        #expect(WireType.lengthDelimited.rawValue == 2)
        #expect(WireType.fixed32.rawValue == 5)
    }

    @Test func varintSizesAtEachBoundary() {
        #expect(Varint.size(UInt64(0)) == 1)
        #expect(Varint.size(UInt64(127)) == 1)
        #expect(Varint.size(UInt64(128)) == 2)
        #expect(Varint.size(UInt64(16383)) == 2)
        #expect(Varint.size(UInt64(16384)) == 3)
        #expect(Varint.size(UInt64.max) == 10)
    }

    @Test func varint300IsTheSpecExample() {
        #expect(encoded(ProtoUInt32.self, 300) == [0xAC, 0x02])
    }

    @Test func negativeInt32IsSignExtendedToTenBytes() {
        let bytes = encoded(ProtoInt32.self, -1)
        #expect(bytes == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        #expect(ProtoInt32.size(of: -1) == 10)
        #expect(decode(ProtoInt32.self, bytes) == -1)
    }

    @Test func int32AcceptsFiveByteNegativeEncodingByTruncation() {
        // Some encoders write int32 in 5 bytes; the value is the low 32 bits.
        #expect(decode(ProtoInt32.self, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) == -1)
    }

    @Test func zigZagMapsSmallMagnitudesToSmallNumbers() {
        #expect(Varint.zigZag(Int32(0)) == 0)
        #expect(Varint.zigZag(Int32(-1)) == 1)
        #expect(Varint.zigZag(Int32(1)) == 2)
        #expect(Varint.zigZag(Int32(-2)) == 3)
        #expect(Varint.zigZag(Int32.max) == 0xFFFF_FFFE)
        #expect(Varint.zigZag(Int32.min) == 0xFFFF_FFFF)
        #expect(Varint.zigZag(Int64.min) == UInt64.max)
        for value: Int64 in [0, 1, -1, 12345, -98765, .max, .min] {
            #expect(Varint.unZigZag(Varint.zigZag(value)) == value)
            #expect(decode(ProtoSInt64.self, encoded(ProtoSInt64.self, value)) == value)
        }
        #expect(encoded(ProtoSInt32.self, -1) == [0x01])
    }

    @Test func fixedWidthValuesAreLittleEndian() {
        #expect(encoded(ProtoFixed32.self, 0x0102_0304) == [4, 3, 2, 1])
        #expect(encoded(ProtoSFixed32.self, -2) == [0xFE, 0xFF, 0xFF, 0xFF])
        #expect(encoded(ProtoFixed64.self, 1) == [1, 0, 0, 0, 0, 0, 0, 0])
        #expect(decode(ProtoSFixed64.self, encoded(ProtoSFixed64.self, .min)) == .min)
    }

    @Test func floatsKeepNaNPayloadNegativeZeroAndInfinities() {
        let nan = Float(bitPattern: 0x7FC0_1234)
        #expect(decode(ProtoFloat.self, encoded(ProtoFloat.self, nan))?.bitPattern == 0x7FC0_1234)
        #expect(decode(ProtoFloat.self, encoded(ProtoFloat.self, -0.0))?.bitPattern == (-0.0 as Float).bitPattern)
        #expect(encoded(ProtoDouble.self, -0.0) == [0, 0, 0, 0, 0, 0, 0, 0x80])
        #expect(decode(ProtoDouble.self, encoded(ProtoDouble.self, .infinity)) == .infinity)
        #expect(decode(ProtoDouble.self, encoded(ProtoDouble.self, .nan))?.isNaN == true)
        #expect(encoded(ProtoFloat.self, 1.0) == [0, 0, 0x80, 0x3F])
    }

    @Test func boolAcceptsAnyNonZeroVarint() {
        #expect(decode(ProtoBool.self, [0x02]) == true)
        #expect(decode(ProtoBool.self, [0x80, 0x01]) == true)
        #expect(decode(ProtoBool.self, [0x00]) == false)
        #expect(encoded(ProtoBool.self, true) == [1])
    }

    @Test func uint64MaxRoundTrips() {
        #expect(decode(ProtoUInt64.self, encoded(ProtoUInt64.self, .max)) == .max)
        #expect(decode(ProtoInt64.self, encoded(ProtoInt64.self, .min)) == .min)
    }

    @Test func stringsAreLengthPrefixedUTF8() {
        #expect(encoded(ProtoString.self, "hé") == [3, 0x68, 0xC3, 0xA9])
        #expect(decode(ProtoString.self, [3, 0x68, 0xC3, 0xA9]) == "hé")
        #expect(decode(ProtoBytes.self, [2, 0xFF, 0x00]) == [0xFF, 0x00])
    }

    /// Short strings are built from bytes validated once (and flagged ASCII or not): they
    /// must come out byte for byte, with the String's own ASCII-dependent paths agreeing.
    @Test func shortStringsDecodeByteForByte() {
        for text in ["", "a", "ascii only text", "hé", "éa", "12345678é", "𝄞 clef", "mixed é€𝄞 text, then ASCII"] {
            let body = Array(text.utf8)
            let decoded = decode(ProtoString.self, [UInt8(body.count)] + body)
            #expect(decoded == text)
            #expect(decoded.map { Array($0.utf8) } == body)
            #expect(decoded?.count == text.count)
            #expect(decoded?.lowercased() == text.lowercased())
        }
    }

    @Test func longStringsAreValidatedToo() {
        let text = String(repeating: "ünïcödé 😀 ", count: 100)
        let body = Array(text.utf8)
        let prefix = encoded(ProtoUInt32.self, UInt32(body.count))
        #expect(decode(ProtoString.self, prefix + body) == text)
        var broken = body
        broken[broken.count / 2] = 0xFF
        #expect(decodeError(ProtoString.self, prefix + broken) == .invalidUTF8)
    }

    @Test func bytesOfEveryLengthCopyExactly() {
        for count in [0, 1, 15, 16, 17, 1000, 70_000] {
            let payload = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            #expect(decode(ProtoBytes.self, encoded(ProtoBytes.self, payload)) == payload)
        }
    }

    @Test func invalidUTF8InAStringThrows() {
        #expect(decodeError(ProtoString.self, [2, 0xC3, 0x28]) == .invalidUTF8)
        #expect(decodeError(ProtoString.self, [1, 0xFF]) == .invalidUTF8)
        // An encoded surrogate (ED A0 80) is not valid UTF-8 either.
        #expect(decodeError(ProtoString.self, [3, 0xED, 0xA0, 0x80]) == .invalidUTF8)
    }
}

func decode<C: WireCodec>(_ codec: C.Type, _ bytes: [UInt8]) -> C.Value? {
    bytes.withUnsafeBytes { raw in
        var reader = Reader(raw)
        return try? C.read(from: &reader)
    }
}

func decodeError<C: WireCodec>(_ codec: C.Type, _ bytes: [UInt8]) -> WireError? {
    bytes.withUnsafeBytes { raw in
        var reader = Reader(raw)
        do throws(WireError) {
            _ = try C.read(from: &reader)
            return nil
        } catch {
            return error
        }
    }
}
