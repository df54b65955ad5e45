import Testing
@testable import Wire

/// `init(adoptingSerializedBytes:)`: a `bytes` field that fills most of the input keeps the
/// input's storage (the same address), everything else decodes as `init(serializedBytes:)` does.
@Suite struct AdoptedStorageTests {
    static func address(_ bytes: [UInt8]) -> UInt {
        bytes.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
    }

    static func pattern(_ count: Int, seed: Int = 7) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* seed &+ $0 >> 11) }
    }

    @Test func aFieldThatFillsTheInputKeepsItsStorage() throws {
        var node = Node()
        node.id = 42
        node.name = "large"
        node.blobs = [Self.pattern(4 << 20)]
        var input = try node.serializedBytes()
        // A field after the blob (the id again: the last one wins) is read from the bytes
        // behind the moved content.
        input += [8, 9]
        let inputAddress = Self.address(input)
        let decoded = try Node(adoptingSerializedBytes: consume input)
        #expect(decoded.id == 9 && decoded.name == "large")
        #expect(decoded.blobs == node.blobs)
        #expect(Self.address(decoded.blobs[0]) == inputAddress)
    }

    @Test func smallerFieldsAreCopied() throws {
        var node = Node()
        node.blobs = [Self.pattern(2 << 20), Self.pattern(2 << 20, seed: 13)]
        let input = try node.serializedBytes()
        let inputAddress = Self.address(input)
        let decoded = try Node(adoptingSerializedBytes: input)
        #expect(decoded == node)
        #expect(decoded.blobs.allSatisfy { Self.address($0) != inputAddress })
    }

    @Test func aReplacedFieldLeavesTheRestOfTheInputReadable() throws {
        // BytesValue.value twice: the first (adopted) is replaced while the reader still
        // reads the second from the same storage.
        var first = Google_Protobuf_BytesValue()
        first.value = Self.pattern(3 << 20)
        var second = Google_Protobuf_BytesValue()
        second.value = Array("the last one wins".utf8)
        let input = try first.serializedBytes() + second.serializedBytes()
        let decoded = try Google_Protobuf_BytesValue(adoptingSerializedBytes: input)
        #expect(decoded.value == second.value)
    }

    @Test func anInputTheCallerKeepsIsLeftAsItWas() throws {
        var node = Node()
        node.blobs = [Self.pattern(4 << 20)]
        let input = try node.serializedBytes()
        let kept = input
        let decoded = try Node(adoptingSerializedBytes: input)
        #expect(decoded == node)
        #expect(kept == (try node.serializedBytes()))
        #expect(Self.address(decoded.blobs[0]) != Self.address(kept))
    }

    @Test func aTruncatedInputStillThrows() throws {
        var node = Node()
        node.blobs = [Self.pattern(4 << 20)]
        var input = try node.serializedBytes()
        input.removeLast(100)
        #expect(throws: WireError.self) { try Node(adoptingSerializedBytes: input) }
    }
}
