import Testing
import Wire

/// The varint reader has three paths (1-2 byte fast path, 8-byte word, byte loop); every
/// length must decode the same whatever follows it in the buffer.
@Suite struct VarintDecodingTests {
    func encode(_ value: UInt64) -> [UInt8] { encoded(ProtoUInt64.self, value) }

    /// `Varint.size` uses (9h + 73) / 64 of the highest bit h instead of (bits + 6) / 7:
    /// both must agree on every bit length, at both ends of it.
    @Test func sizeMatchesSevenBitsPerByte() {
        #expect(Varint.size(UInt64(0)) == 1)
        for bits in 1...64 {
            let expected = (bits + 6) / 7
            let low: UInt64 = 1 << UInt64(bits - 1)
            let high: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
            #expect(Varint.size(low) == expected, "bits \(bits)")
            #expect(Varint.size(high) == expected, "bits \(bits)")
            #expect(encode(low).count == expected && encode(high).count == expected, "bits \(bits)")
        }
    }

    /// The element count of a packed run comes from summing terminator bytes in byte lanes,
    /// flushed every 255 words: check it against a plain count on long and odd lengths.
    @Test func packedCountsSurviveLaneFlushes() throws {
        for count in [0, 1, 7, 8, 9, 255 * 8 - 1, 255 * 8, 255 * 8 + 9, 5000] {
            var body: [UInt8] = []
            var values: [UInt64] = []
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            while body.count < count {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                let value = state >> (state % 64)
                values.append(value)
                body += encode(value)
            }
            var decoded: [UInt64] = []
            let error = decodePacked(body, into: &decoded)
            #expect(error == nil)
            #expect(decoded == values, "count \(count)")
        }
    }

    /// A packed run long enough for the word-at-a-time loop and its checked tail.
    @Test func packedRunsOfEveryLengthDecode() throws {
        var values: [UInt64] = []
        for bits in 0..<64 { values.append(1 << UInt64(bits)); values.append((1 << UInt64(bits)) - 1) }
        values += [.max, 0, 1, 127, 128]
        for count in [0, 1, 2, 3, 9, 10, 11, values.count] {
            let run = Array(values.prefix(count))
            var body: [UInt8] = []
            for value in run { body += encode(value) }
            var decoded: [UInt64] = [7]
            let error = decodePacked(body, into: &decoded)
            #expect(error == nil)
            #expect(decoded == [7] + run, "count \(count)")
        }
        // An 11-byte varint inside a long run is rejected, not read past.
        let bad = [UInt8](repeating: 0xFF, count: 11) + [0x01] + [UInt8](repeating: 0x01, count: 10)
        var decoded: [UInt64] = []
        #expect(decodePacked(bad, into: &decoded) == .varintTooLong)
    }

    /// Reads `body` as one packed uint64 field (length prefix added here), appending to
    /// `decoded`; the error, or `.truncated` when the reader stopped short of the end.
    private func decodePacked(_ body: [UInt8], into decoded: inout [UInt64]) -> WireError? {
        let input = encode(UInt64(body.count)) + body
        return input.withUnsafeBytes { raw in
            var reader = Reader(raw)
            do throws(WireError) { try ProtoUInt64.readPacked(into: &decoded, from: &reader) } catch { return error }
            return reader.isAtEnd ? nil : .truncated
        }
    }

    @Test func everyLengthDecodesWithAnyPadding() {
        var values: [UInt64] = [0, 1, 127, 128, 255, 300, 16383, 16384, .max, .max - 1, 1 << 63]
        for bits in 0..<64 { values.append(1 << UInt64(bits)); values.append((1 << UInt64(bits)) - 1) }
        for value in values {
            let bytes = encode(value)
            for padding in 0...12 {
                let input = bytes + [UInt8](repeating: 0x01, count: padding)
                let result: UInt64? = input.withUnsafeBytes { raw in
                    var reader = Reader(raw)
                    let value = try? reader.readVarint()
                    // What follows must still be readable as exactly `padding` one-byte varints.
                    var following = 0
                    while !reader.isAtEnd, (try? reader.readVarint()) == 1 { following += 1 }
                    return following == padding ? value : nil
                }
                #expect(result == value, "value \(value) padding \(padding)")
            }
        }
    }

    @Test func nonCanonicalVarintsDecode() {
        // 0 written in 2, 5 and 10 bytes; 1 written in 3 bytes.
        let cases: [([UInt8], UInt64)] = [
            ([0x80, 0x00], 0),
            ([0x80, 0x80, 0x80, 0x80, 0x00], 0),
            ([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], 0),
            ([0x81, 0x80, 0x00], 1),
        ]
        for (bytes, expected) in cases {
            for padding in [0, 9] {
                let input = bytes + [UInt8](repeating: 0, count: padding)
                let value: UInt64? = input.withUnsafeBytes { raw in
                    var reader = Reader(raw)
                    return try? reader.readVarint()
                }
                #expect(value == expected)
            }
        }
    }

    @Test func tenByteVarintWithHighBitsInTheLastByteKeepsTheLow64Bits() {
        let bytes: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]
        let value: UInt64? = bytes.withUnsafeBytes { raw in
            var reader = Reader(raw)
            return try? reader.readVarint()
        }
        #expect(value == .max)
    }

    @Test func writerProducesMinimalVarintsNearTheEndOfItsBuffer() {
        for value: UInt64 in [0, 127, 128, 1 << 35, .max] {
            let size = Varint.size(value)
            let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                var writer = Writer(UnsafeMutableRawBufferPointer(buffer))
                writer.writeVarint(value)
                count = size
            }
            #expect(bytes.count == size)
            #expect(bytes.last! < 0x80)
        }
    }

    /// Reference encoder: the textbook byte loop.
    func referenceVarint(_ value: UInt64) -> [UInt8] {
        var value = value, out: [UInt8] = []
        while value >= 0x80 { out.append(UInt8(value & 0x7F) | 0x80); value >>= 7 }
        return out + [UInt8(value)]
    }

    @Test func writerMatchesTheReferenceWhetherOrNotTheBufferHasSlack() {
        var values: [UInt64] = [0, 1, 127, 128, 300, .max, 1 << 63, (1 << 56) - 1, 1 << 56]
        for bits in 0..<64 { values.append(1 << UInt64(bits)); values.append((1 << UInt64(bits)) | 1) }
        // All values back to back: early ones have slack after them, the last ones do not.
        let expected = values.flatMap(referenceVarint)
        let written = [UInt8](unsafeUninitializedCapacity: expected.count) { buffer, count in
            var writer = Writer(UnsafeMutableRawBufferPointer(buffer))
            for value in values { writer.writeVarint(value) }
            count = expected.count
        }
        #expect(written == expected)
        // Reversed order puts other lengths at the tight end.
        let reversedExpected = values.reversed().flatMap(referenceVarint)
        let reversedWritten = [UInt8](unsafeUninitializedCapacity: reversedExpected.count) { buffer, count in
            var writer = Writer(UnsafeMutableRawBufferPointer(buffer))
            for value in values.reversed() { writer.writeVarint(value) }
            count = reversedExpected.count
        }
        #expect(reversedWritten == reversedExpected)
    }

    @Test func scatterAndGatherAreInverses() {
        // Seeded xorshift: values of every length up to 56 bits (what `scatter8` accepts).
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var mismatches = 0
        for _ in 0..<10_000 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            let value = (state >> (state % 64)) & ((1 << 56) - 1)
            let spread = Varint.scatter8(value)
            if spread & 0x8080_8080_8080_8080 != 0 || Varint.gather8(spread) != value
                || Varint.gather8(spread | 0x8080_8080_8080_8080) != value { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func writeVarintsMatchesTheReferenceUpToTheLastByte() {
        // A packed body written as one run into an exact buffer: the register-held position
        // must hand over to the checked path for the last few bytes.
        var values: [UInt64] = [0, 1, 127, 128, 300, .max, 1 << 63, (1 << 56) - 1, 1 << 56]
        for bits in 0..<64 { values.append(1 << UInt64(bits)); values.append((1 << UInt64(bits)) | 1) }
        let runs: [[UInt64]] = [values, Array(values.reversed()), [1, 2, 3], [.max]]
        for run in runs {
            let expected = run.flatMap(referenceVarint)
            let written = [UInt8](unsafeUninitializedCapacity: expected.count) { buffer, count in
                var writer = Writer(UnsafeMutableRawBufferPointer(buffer))
                writer.writeVarints(run) { $0 }
                count = expected.count
            }
            #expect(written == expected)
        }
    }
}
