/// UTF-8 validation for string fields. The stdlib's `String(validating:as:)` is generic over
/// the encoding and looks up type metadata on every call, which dominated decoding of
/// string-heavy messages; this checks 8 ASCII bytes at a time and walks multi-byte
/// sequences by the Unicode table (no overlongs, no surrogates, nothing above U+10FFFF).
public enum UTF8Validation {
    /// What `check` found: building a `String` from bytes known valid (and known ASCII or
    /// not) skips the stdlib's own validation and ASCII scan.
    public enum Result: Sendable {
        case invalid, ascii, nonASCII
    }

    @inlinable
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        check(bytes) != .invalid
    }

    @inlinable
    public static func check(_ bytes: UnsafeRawBufferPointer) -> Result {
        guard let base = bytes.baseAddress else { return .ascii }
        let count = bytes.count
        // Most map keys and labels are shorter than a word: two overlapping loads cover all
        // their bytes, so an ASCII one costs one test instead of a trip through the loop per byte.
        if count < 8, isShortASCII(base, count) { return .ascii }
        var index = 0
        // Set by the first multi-byte sequence: everything before it was ASCII.
        var result = Result.ascii
        while index < count {
            // ASCII fast path, eight bytes at a time.
            while count &- index >= 8,
                  base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index &+= 8
            }
            guard index < count else { return result }
            // An ASCII tail shorter than a word: one overlapping load of the last eight bytes
            // (still inside the buffer) instead of a byte at a time.
            if count &- index < 8 && count >= 8
                && base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                return result
            }
            // Single ASCII bytes up to the next lead byte (text mixing scripts has many).
            var lead = base.load(fromByteOffset: index, as: UInt8.self)
            while lead < 0x80 {
                index &+= 1
                guard index < count else { return result }
                lead = base.load(fromByteOffset: index, as: UInt8.self)
            }
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            let continuations: Int
            switch lead {
            case 0xC2...0xDF: continuations = 1
            case 0xE0: continuations = 2; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: continuations = 2
            case 0xED: continuations = 2; high = 0x9F
            case 0xF0: continuations = 3; low = 0x90
            case 0xF1...0xF3: continuations = 3
            case 0xF4: continuations = 3; high = 0x8F
            default: return .invalid
            }
            guard count &- index > continuations else { return .invalid }
            // The first continuation byte carries the range limits; the rest are plain 80...BF.
            let first = base.load(fromByteOffset: index &+ 1, as: UInt8.self)
            guard first >= low, first <= high else { return .invalid }
            var offset = 2
            while offset <= continuations {
                let byte = base.load(fromByteOffset: index &+ offset, as: UInt8.self)
                guard byte & 0xC0 == 0x80 else { return .invalid }
                offset &+= 1
            }
            index &+= continuations &+ 1
            result = .nonASCII
        }
        return result
    }

    /// Whether `count` (below 8) bytes are all ASCII: the first and last four (or two, or the one
    /// byte) overlap to cover them all.
    @inlinable @inline(__always)
    static func isShortASCII(_ base: UnsafeRawPointer, _ count: Int) -> Bool {
        let covered: UInt32
        if count >= 4 {
            covered = base.loadUnaligned(as: UInt32.self) | base.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        } else if count >= 2 {
            covered = UInt32(base.loadUnaligned(as: UInt16.self) | base.loadUnaligned(fromByteOffset: count &- 2, as: UInt16.self))
        } else if count == 1 {
            covered = UInt32(base.load(as: UInt8.self))
        } else {
            return true
        }
        return covered & 0x8080_8080 == 0
    }
}
