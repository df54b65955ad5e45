import Testing
import Wire

@Suite struct UTF8ValidationTests {
    func valid(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { UTF8Validation.isValid($0) } }

    @Test func acceptsWhatSwiftProducesForEveryPlane() {
        for text in ["", "ascii only, longer than eight bytes", "é", "€", "𝄞", "mixed é€𝄞 text", "\u{10FFFF}", "\u{FFFD}"] {
            #expect(valid(Array(text.utf8)), "\(text)")
        }
    }

    /// `check` also says whether the bytes are all ASCII: decoded strings are built on that
    /// promise without another scan, so a wrong `.ascii` would corrupt them.
    @Test func checkTellsASCIIFromNonASCII() {
        func check(_ text: String) -> UTF8Validation.Result { Array(text.utf8).withUnsafeBytes { UTF8Validation.check($0) } }
        for text in ["", "a", "ascii", "exactly8", "ascii only, longer than eight bytes"] {
            #expect(check(text) == .ascii, "\(text)")
        }
        for text in ["é", "aé", "éa", "12345678é", "é12345678", "1234567é", "abcdefghijklmnopé", "€𝄞"] {
            #expect(check(text) == .nonASCII, "\(text)")
        }
        #expect([UInt8]([0x61, 0x80]).withUnsafeBytes { UTF8Validation.check($0) } == .invalid)
    }

    @Test func rejectsMalformedSequences() {
        #expect(!valid([0x80]))  // lone continuation
        #expect(!valid([0xC0, 0x80]))  // overlong NUL
        #expect(!valid([0xC1, 0xBF]))  // overlong
        #expect(!valid([0xE0, 0x80, 0x80]))  // overlong 3-byte
        #expect(!valid([0xED, 0xA0, 0x80]))  // surrogate U+D800
        #expect(!valid([0xF0, 0x80, 0x80, 0x80]))  // overlong 4-byte
        #expect(!valid([0xF4, 0x90, 0x80, 0x80]))  // above U+10FFFF
        #expect(!valid([0xF5, 0x80, 0x80, 0x80]))  // invalid lead
        #expect(!valid([0xFF]))
        #expect(!valid([0xE2, 0x82]))  // truncated
        #expect(!valid(Array("12345678".utf8) + [0xC3]))  // truncated after the fast path
        #expect(!valid([0xC3, 0x28]))  // bad continuation
        #expect(!valid([0xE2, 0x28, 0xA1]))
    }

    @Test func agreesWithTheStandardLibraryOnEveryTwoByteInput() {
        for first in 0...255 {
            for second in 0...255 {
                let bytes: [UInt8] = [UInt8(first), UInt8(second)]
                let expected = String(validating: bytes, as: UTF8.self) != nil
                if valid(bytes) != expected { Issue.record("mismatch on \(bytes)") }
            }
        }
    }

    @Test func agreesWithTheStandardLibraryOnThreeAndFourByteLeads() {
        for lead: UInt8 in [0xE0, 0xE1, 0xED, 0xEE, 0xF0, 0xF1, 0xF4] {
            for second in 0x70...0xC5 {
                for tail: [UInt8] in [[0x80], [0xBF], [0x80, 0x80], [0xBF, 0xBF], [0x41], [0x80, 0x41]] {
                    let bytes = [lead, UInt8(second)] + tail
                    let expected = String(validating: bytes, as: UTF8.self) != nil
                    if valid(bytes) != expected { Issue.record("mismatch on \(bytes)") }
                }
            }
        }
    }

    /// Up to 15 bytes are checked a character at a time, longer text by the automaton: both
    /// must agree with the standard library, on text and on random bytes.
    @Test func agreesWithTheStandardLibraryOnRandomShortAndLongInput() {
        var generator = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = ["a", "é", "€", "𝄞", "\u{FFFF}", "\u{10FFFF}"].map { Array($0.utf8) }
            + [[0x80], [0xC1], [0xE0, 0x9F], [0xED, 0xA0], [0xF0, 0x8F], [0xF4, 0x90], [0xF5], [0xFF]]
        for round in 0..<50_000 {
            let length = Int.random(in: 0...24, using: &generator)
            var bytes: [UInt8] = []
            if round % 2 == 0 {
                while bytes.count < length { bytes += pieces.randomElement(using: &generator)! }
            } else {
                bytes = (0..<length).map { _ in UInt8.random(in: 0x70...0xFF, using: &generator) }
            }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            if valid(bytes) != expected { Issue.record("mismatch on \(bytes)") }
        }
    }

    @Test func aBadOrMultiByteSequenceAnywhereInAShortTailIsSeen() {
        // Lengths around the 8-byte word, one non-ASCII byte at every position: the ASCII
        // tail is checked with one overlapping word, which must not skip any of them.
        for length in 1...24 {
            let ascii = [UInt8](repeating: 0x61, count: length)
            if !valid(ascii) { Issue.record("ASCII of length \(length) rejected") }
            for position in 0..<length {
                var bad = ascii
                bad[position] = 0xFF
                if valid(bad) { Issue.record("0xFF at \(position) of \(length) accepted") }
                var lone = ascii
                lone[position] = 0xC3  // a lead byte whose continuation is missing or ASCII
                if valid(lone) { Issue.record("lone lead at \(position) of \(length) accepted") }
            }
        }
    }

    /// Seeded random texts of valid characters of every length, ASCII runs and stray or
    /// truncated bytes, so sequences straddle the automaton's 8-byte steps at every offset:
    /// validity and ASCII-ness agree with the standard library's validator.
    @Test func agreesWithTheStandardLibraryOnRandomMixedText() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15  // splitmix64
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("word ".utf8), Array("ascii run!".utf8), Array("é".utf8), Array("€".utf8),
            Array("𝄞".utf8), Array("\u{10FFFF}".utf8), Array("日本".utf8), [0x80], [0xC3], [0xE2, 0x82], [0xF0, 0x9D],
            [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xFF],
        ]
        for round in 0..<20_000 {
            var bytes: [UInt8] = []
            let count = next(12)
            for _ in 0..<count {
                // Mostly valid pieces: about one text in six holds a malformed one.
                bytes += pieces[next(100) < 97 ? next(8) : next(pieces.count)]
            }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            let result = bytes.withUnsafeBytes { UTF8Validation.check($0) }
            if (result != .invalid) != expected {
                Issue.record("round \(round): \(bytes) valid is \(expected), check says \(result)")
                return
            }
            if expected && (result == .ascii) != bytes.allSatisfy({ $0 < 0x80 }) {
                Issue.record("round \(round): \(bytes) ASCII-ness wrong: \(result)")
                return
            }
        }
    }
}
