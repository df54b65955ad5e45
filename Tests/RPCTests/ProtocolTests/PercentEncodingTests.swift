import Testing
@testable import RPC

@Suite struct PercentEncodingTests {
    @Test func plainASCIIIsUnchanged() {
        let text = "Hello, world! ~ {}[] 0123"
        #expect(GRPCMessageEncoding.encode(text) == text)
        #expect(GRPCMessageEncoding.decode(text) == text)
    }

    @Test func escapesPercentControlAndNonASCIIBytes() {
        #expect(GRPCMessageEncoding.encode("100%") == "100%25")
        #expect(GRPCMessageEncoding.encode("a\nb\tc\r") == "a%0Ab%09c%0D")
        #expect(GRPCMessageEncoding.encode("\u{7F}") == "%7F")
        // U+00E9 is C3 A9 in UTF-8; each byte escapes separately, upper-case hex.
        #expect(GRPCMessageEncoding.encode("é") == "%C3%A9")
        #expect(GRPCMessageEncoding.encode(" ") == " ")
        #expect(GRPCMessageEncoding.encode("~") == "~")
    }

    /// The interop special_status_message case sends exactly this text.
    @Test func interopSpecialMessageRoundTrips() {
        let special = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n"
        let encoded = GRPCMessageEncoding.encode(special)
        #expect(encoded.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E })
        #expect(GRPCMessageEncoding.decode(encoded) == special)
    }

    @Test func decodesLowerAndUpperCaseHex() {
        #expect(GRPCMessageEncoding.decode("%c3%a9%C3%A9") == "éé")
        #expect(GRPCMessageEncoding.decode("%41%42") == "AB")
    }

    @Test func badEscapesPassThroughUnchanged() {
        #expect(GRPCMessageEncoding.decode("%") == "%")
        #expect(GRPCMessageEncoding.decode("abc%") == "abc%")
        #expect(GRPCMessageEncoding.decode("%4") == "%4")
        #expect(GRPCMessageEncoding.decode("%zz%41") == "%zzA")
        #expect(GRPCMessageEncoding.decode("%%41") == "%A")
        #expect(GRPCMessageEncoding.decode("100%2") == "100%2")
    }

    @Test func invalidUTF8AfterDecodingBecomesReplacementCharacter() {
        #expect(GRPCMessageEncoding.decode("a%FFb") == "a\u{FFFD}b")
    }

    @Test func everyByteValueRoundTrips() {
        var scalars = ""
        for value in 0..<0x800 { if let scalar = Unicode.Scalar(value) { scalars.unicodeScalars.append(scalar) } }
        #expect(GRPCMessageEncoding.decode(GRPCMessageEncoding.encode(scalars)) == scalars)
    }
}
