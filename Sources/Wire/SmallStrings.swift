/// Strings of at most 15 UTF-8 bytes (most labels and map keys), built straight into the
/// standard library's small-string form: two words that hold the bytes themselves, no
/// allocation. `String(copying:)` reaches the same form through a generic copy that costs
/// about 80 instructions a string even when it fits; here two or three loads assemble it.
///
/// The form is the ABI-stable layout of `String` on 64-bit little-endian platforms: the first
/// word holds bytes 0-7, the second bytes 8-14 and, in its top byte, flags (immortal, small,
/// and ASCII when every byte is below 0x80) over the byte count. Unused bytes are zero, so a
/// string built here is bit for bit the one the standard library builds from the same bytes
/// (`SmallStringTests` checks that on random input). Elsewhere `isSupported` is false and
/// callers take the standard library's path.
@usableFromInline
enum SmallStrings {
    /// The most UTF-8 bytes a small string holds.
    @usableFromInline static let capacity = 15

    @inlinable static var isSupported: Bool {
        #if (arch(x86_64) || arch(arm64)) && _endian(little)
        return MemoryLayout<String>.size == 16 && layoutMatches
        #else
        return false
        #endif
    }

    /// Whether this standard library lays small strings out as `string(_:count:isASCII:)` does,
    /// checked once per process on probes of every length class, ASCII and not, by comparing
    /// raw words only (no `String` is made from them). A toolchain with another layout then
    /// takes the standard library's path instead of building invalid strings.
    @usableFromInline static let layoutMatches: Bool = {
        let probes: [[UInt8]] = [[], [0x61], Array("label".utf8), Array("fifteen bytes!!".utf8), Array("é".utf8), Array("schlüssel-∑".utf8)]
        return probes.allSatisfy { bytes in
            var expected = String(decoding: bytes, as: UTF8.self)
            let built = unsafe bytes.withUnsafeBytes { buffer in
                let words = buffer.baseAddress.map { unsafe Self.words($0, bytes.count) } ?? (0, 0)
                return Self.rawWords(words, count: bytes.count, isASCII: bytes.allSatisfy { $0 < 0x80 })
            }
            return unsafe withUnsafeBytes(of: &expected) { raw in
                unsafe raw.load(as: UInt64.self) == built.0 && raw.load(fromByteOffset: 8, as: UInt64.self) == built.1
            }
        }
    }()

    /// The two words of the small string of `words`, flags included.
    @inlinable @inline(__always)
    static func rawWords(_ words: (low: UInt64, high: UInt64), count: Int, isASCII: Bool) -> (UInt64, UInt64) {
        // Immortal and small (0xA0), ASCII (0x40), then the count.
        let flags: UInt64 = (isASCII ? 0xE0 : 0xA0) | UInt64(truncatingIfNeeded: count)
        return (words.low, words.high | flags &<< 56)
    }

    /// The `count` (at most 15) bytes at `base` as the two words of a small string, without
    /// its flags: little-endian loads that stay inside the bytes, overlapping when the count
    /// is not a power of two.
    @inlinable @inline(__always)
    static func words(_ base: UnsafeRawPointer, _ count: Int) -> (low: UInt64, high: UInt64) {
        if count >= 8 {
            let low = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
            guard count > 8 else { return (low, 0) }
            // The last eight bytes end at `count`; bytes 8..<count are their top ones.
            let last = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
            return (low, last &>> UInt64(truncatingIfNeeded: (16 &- count) &* 8))
        }
        if count >= 4 {
            let first = UInt64(UInt32(littleEndian: base.loadUnaligned(as: UInt32.self)))
            let last = UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)))
            return (first | last &<< UInt64(truncatingIfNeeded: (count &- 4) &* 8), 0)
        }
        if count >= 2 {
            let first = UInt64(UInt16(littleEndian: base.loadUnaligned(as: UInt16.self)))
            let last = UInt64(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: count &- 2, as: UInt16.self)))
            return (first | last &<< UInt64(truncatingIfNeeded: (count &- 2) &* 8), 0)
        }
        return (count == 1 ? UInt64(base.load(as: UInt8.self)) : 0, 0)
    }

    /// Whether every byte in the words is ASCII.
    @inlinable @inline(__always)
    static func isASCII(_ words: (low: UInt64, high: UInt64)) -> Bool {
        (words.low | words.high) & 0x8080_8080_8080_8080 == 0
    }

    /// The string of `words` (from `words(_:_:)` over `count` bytes of valid UTF-8).
    @inlinable @inline(__always)
    static func string(_ words: (low: UInt64, high: UInt64), count: Int, isASCII: Bool) -> String {
        var raw = rawWords(words, count: count, isASCII: isASCII)
        // Moved out, not copied: `unsafeBitCast` would retain the new string (a runtime call
        // that does nothing for a small string).
        return unsafe withUnsafeMutablePointer(to: &raw) { words in
            unsafe words.withMemoryRebound(to: String.self, capacity: 1) { unsafe $0.move() }
        }
    }
}
