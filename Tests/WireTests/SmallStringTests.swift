import Testing
@testable import Wire

/// Strings of up to 15 bytes are assembled straight into the standard library's small-string
/// form: each must be bit for bit what the standard library makes of the same bytes, or
/// equality, hashing and every later use of the string could go wrong.
@Suite struct SmallStringTests {
    /// The string field decoder's result for `bytes`, or nil when it throws.
    func decoded(_ bytes: [UInt8]) -> String? {
        let field = [UInt8(bytes.count)] + bytes
        return field.withUnsafeBytes { raw -> String? in
            var reader = Reader(raw)
            return try? ProtoString.read(from: &reader)
        }
    }

    func bits(_ string: String) -> (UInt64, UInt64) { unsafe unsafeBitCast(string, to: (UInt64, UInt64).self) }

    func expectSame(_ bytes: [UInt8], _ comment: Comment? = nil) {
        let expected = String(validating: bytes, as: UTF8.self)
        let got = decoded(bytes)
        #expect(got == expected, comment)
        guard let got, let expected else { return }
        // Longer strings live in storage of their own, at another address.
        if bytes.count <= 15 { #expect(bits(got) == bits(expected), comment) }
        #expect(Array(got.utf8) == bytes, comment)
        #expect(got.hashValue == expected.hashValue, comment)
    }

    #if arch(x86_64) || arch(arm64)
    @Test func isUsedOnThe64BitPlatforms() {
        #expect(SmallStrings.isSupported)
    }
    #endif

    @Test func everyLengthOfASCIIAndNonASCII() {
        for text in ["", "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh", "abcdefghi",
                     "abcdefghijklmn", "abcdefghijklmno", "abcdefghijklmnop", "é", "aé", "grüße", "café",
                     "Ωμέγα", "日本語", "데이터", "привет", "😀", "🚀🚀🚀", "ñandú", "12345678é", "1234567890123é",
                     "\u{10FFFF}", "e\u{301}", "\u{0}", "\u{7F}"] {
            expectSame(Array(text.utf8), "\(text)")
        }
    }

    @Test func agreesWithTheStandardLibraryOnRandomBytes() {
        var generator = SystemRandomNumberGenerator()
        // Mostly valid text from a small alphabet of 1-4 byte characters, and raw bytes.
        let pieces: [[UInt8]] = ["a", "Z", "0", " ", "é", "ß", "€", "日", "😀", "\u{0}", "\u{7F}"].map { Array($0.utf8) }
        for round in 0..<20_000 {
            var bytes: [UInt8] = []
            let length = Int.random(in: 0...18, using: &generator)
            if round % 2 == 0 {
                while bytes.count < length { bytes += pieces.randomElement(using: &generator)! }
            } else {
                bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            }
            expectSame(bytes, "\(bytes)")
        }
    }

    @Test func malformedShortInputThrows() {
        for bytes: [UInt8] in [[0x80], [0x61, 0xC3], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
                               Array("abcdefghijklmn".utf8) + [0xFF], [0xC0, 0x80]] {
            #expect(decoded(bytes) == nil, "\(bytes)")
        }
    }
}
