import Testing
@testable import RPC

@Suite struct Base64Tests {
    /// RFC 4648 section 10 test vectors.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    @Test func encodesRFCVectorsPaddedAndUnpadded() {
        for (plain, padded) in Self.vectors {
            #expect(Base64.encode(Array(plain.utf8), padded: true) == padded)
            #expect(Base64.encode(Array(plain.utf8)) == String(padded.filter { $0 != "=" }))
        }
    }

    @Test func decodesPaddedAndUnpadded() throws {
        for (plain, padded) in Self.vectors {
            #expect(try Base64.decode(padded) == Array(plain.utf8))
            #expect(try Base64.decode(String(padded.filter { $0 != "=" })) == Array(plain.utf8))
        }
    }

    @Test func allByteValuesRoundTrip() throws {
        let bytes = (0...255).map { UInt8($0) }
        for count in 0...bytes.count {
            let slice = Array(bytes.prefix(count))
            #expect(try Base64.decode(Base64.encode(slice)) == slice)
            #expect(try Base64.decode(Base64.encode(slice, padded: true)) == slice)
        }
        #expect(Base64.encode([0xFB, 0xFF]) == "+/8")
    }

    @Test func rejectsCharactersOutsideTheAlphabet() {
        #expect(throws: Base64Error.invalidCharacter(offset: 2)) { try Base64.decode("Zm-v") }
        #expect(throws: Base64Error.invalidCharacter(offset: 0)) { try Base64.decode("_m9v") }
        #expect(throws: Base64Error.invalidCharacter(offset: 4)) { try Base64.decode("Zm9v Zg") }
        #expect(throws: Base64Error.invalidCharacter(offset: 1)) { try Base64.decode("Z\u{e9}v") }
    }

    @Test func rejectsImpossibleLengths() {
        #expect(throws: Base64Error.invalidLength(1)) { try Base64.decode("Z") }
        #expect(throws: Base64Error.invalidLength(5)) { try Base64.decode("Zm9vY") }
    }

    @Test func rejectsMisplacedPadding() {
        #expect(throws: Base64Error.misplacedPadding(offset: 2)) { try Base64.decode("Zg=") }
        #expect(throws: Base64Error.misplacedPadding(offset: 0)) { try Base64.decode("====") }
        #expect(throws: Base64Error.misplacedPadding(offset: 1)) { try Base64.decode("Z===") }
        #expect(throws: Base64Error.misplacedPadding(offset: 2)) { try Base64.decode("Zg==Zm9v") }
        #expect(throws: Base64Error.misplacedPadding(offset: 4)) { try Base64.decode("Zm9v=") }
    }

    @Test func decodesCommaJoinedValues() throws {
        #expect(try Base64.decodeList("Zm8,Zm9vYg==, YQ") == [Array("fo".utf8), Array("foob".utf8), Array("a".utf8)])
        #expect(try Base64.decodeList("") == [[]])
        #expect(throws: Base64Error.invalidCharacter(offset: 6)) { try Base64.decodeList("Zm8,Zm!v") }
    }
}
