import Testing
import Wire

/// Every malformed input throws a typed error: no trap, no hang, no unbounded allocation.
@Suite struct MalformedInputTests {
    func error(_ bytes: [UInt8]) -> WireError? {
        do throws(WireError) {
            _ = try Node(serializedBytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    /// A varint in the last bytes of a nested message is decoded with a word load that may
    /// reach into the parent's bytes; it must still end inside the nested message.
    @Test func varintsAtTheEndOfANestedMessage() throws {
        let tail: [UInt8] = [18, 10] + Array("0123456789".utf8)  // the parent's next field
        let node = try Node(serializedBytes: [26, 3, 8, 0xAC, 0x02] + tail)
        #expect(node.children.map(\.id) == [300])
        #expect(node.name == "0123456789")
        // Length 2: the child ends inside the varint, whatever follows in the parent.
        #expect(error([26, 2, 8, 0xAC, 0x02] + tail) == .truncated)
        #expect(error([26, 3, 8, 0xFF, 0xFF] + [UInt8](repeating: 0xFF, count: 12)) == .truncated)
        // Inside the child, more than 10 continuation bytes is too long, as at top level.
        #expect(error([26, 13, 8] + [UInt8](repeating: 0xFF, count: 12) + tail) == .varintTooLong)
        #expect(error([8] + [UInt8](repeating: 0xFF, count: 12)) == .varintTooLong)
    }

    func legacyError(_ bytes: [UInt8]) -> WireError? {
        do throws(WireError) {
            _ = try Legacy(serializedBytes: bytes, partial: true)
            return nil
        } catch {
            return error
        }
    }

    @Test func truncatedVarint() { #expect(error([8, 0x80]) == .truncated) }
    @Test func truncatedTag() { #expect(error([0x80]) == .truncated) }
    @Test func truncatedLength() { #expect(error([18]) == .truncated) }
    @Test func truncatedFixed() { #expect(error([0x0D, 1, 2]) == .truncated) }
    @Test func lengthPastEnd() { #expect(error([18, 5, 0x61]) == .lengthPastEnd) }

    @Test func hugeLengthPrefixOnATinyInputDoesNotAllocate() {
        // 2 GiB length on a 10-byte input: rejected before anything is allocated.
        #expect(error([18, 0x80, 0x80, 0x80, 0x80, 0x08, 0, 0, 0, 0]) == .lengthPastEnd)
        #expect(error([50, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) == .lengthPastEnd)
        #expect(error([34, 0x80, 0x80, 0x80, 0x80, 0x08]) == .lengthPastEnd)
    }

    @Test func varintLongerThanTenBytes() {
        #expect(error([8] + [UInt8](repeating: 0x80, count: 10) + [0x01]) == .varintTooLong)
    }

    @Test func wireTypesSixAndSeven() {
        #expect(error([0x0E, 0]) == .invalidWireType(6))
        #expect(error([0x0F, 0]) == .invalidWireType(7))
        #expect(error([0x86, 0x01, 0]) == .invalidWireType(6))  // two-byte tag, field 16
    }

    @Test func fieldNumberZero() {
        #expect(error([0x00, 0x01]) == .invalidFieldNumber)
        #expect(error([0x02, 0x00]) == .invalidFieldNumber)
        // Field 0 spelled as a non-minimal two- or three-byte tag.
        #expect(error([0x80, 0x00, 0x01]) == .invalidFieldNumber)
        #expect(error([0x82, 0x80, 0x00, 0x00]) == .invalidFieldNumber)
    }

    @Test func fieldNumberAboveTheMaximum() {
        // A five-byte tag whose value (2^32) does not fit 32 bits.
        #expect(error([0x80, 0x80, 0x80, 0x80, 0x10, 0x01]) == .invalidFieldNumber)
    }

    @Test func tagsLongerThanFiveBytes() throws {
        // Field 1 (id, varint) padded with continuation bytes to six bytes: a small value,
        // but a tag never takes more than five. Rejected at top level and in a child.
        let sixByteTag: [UInt8] = [0x88, 0x80, 0x80, 0x80, 0x80, 0x00]
        #expect(error(sixByteTag + [5]) == .tagTooLong)
        #expect(error([26, 7] + sixByteTag + [5]) == .tagTooLong)
        // Inside an unknown group being skipped (group 1: start 0x0B, end 0x0C).
        #expect(error([0x0B] + sixByteTag + [1, 0x0C]) == .tagTooLong)
        // Inside a map entry (counts, field 5), whose tags the map codec reads.
        #expect(error([42, 9, 10, 1, 0x61] + [0x90, 0x80, 0x80, 0x80, 0x80, 0x00]) == .tagTooLong)
        // Ten continuation bytes: the varint itself is too long, before its length as a tag counts.
        #expect(error([UInt8](repeating: 0x88, count: 11) + [0]) == .varintTooLong)
        // Five bytes is the longest valid tag: padded, or the largest field number.
        #expect(try Node(serializedBytes: [0x88, 0x80, 0x80, 0x80, 0x00, 5]).id == 5)
        let largest: [UInt8] = [0xF8, 0xFF, 0xFF, 0xFF, 0x0F, 1]  // field 2^29 - 1, varint 1
        #expect(try Node(serializedBytes: largest).unknownFields.bytes == largest)
    }

    @Test func strayEndGroup() {
        #expect(error([0x0C]) == .unbalancedGroup)
        #expect(error([0x84, 0x01]) == .unbalancedGroup)  // two-byte end-group tag
    }

    @Test func nonMinimalTagsStillDecode() throws {
        // Field 1 (id) as a two-byte tag 0x88 0x00.
        #expect(try Node(serializedBytes: [0x88, 0x00, 5]).id == 5)
    }
    @Test func unterminatedUnknownGroup() { #expect(error([0x0B, 8, 1]) == .truncated) }
    @Test func mismatchedUnknownGroup() { #expect(error([0x0B, 0x14]) == .unbalancedGroup) }
    @Test func unterminatedKnownGroup() { #expect(legacyError([19, 24, 1]) == .truncated) }
    @Test func mismatchedKnownGroup() { #expect(legacyError([19, 24, 1, 28]) == .unbalancedGroup) }

    @Test func groupEndInsideANestedMessageDoesNotCloseTheOuterGroup() {
        // Known group 2 opens, then an unknown length-delimited field whose payload is the end tag:
        // fine as opaque bytes. But a nested known message cannot end an outer group.
        #expect(legacyError([19, 0x2A, 1, 20, 20]) == nil)
    }

    @Test func badUTF8InAStringField() { #expect(error([18, 1, 0xFF]) == .invalidUTF8) }
    @Test func badUTF8InAMapKey() { #expect(error([42, 3, 10, 1, 0xC0]) == .invalidUTF8) }

    @Test func malformedPackedFixedLength() {
        // Not possible on Node (sint64 is varint); check through the codec directly.
        let bytes: [UInt8] = [3, 1, 2, 3]
        let result: WireError? = bytes.withUnsafeBytes { raw in
            var reader = Reader(raw)
            var values: [UInt32] = []
            do throws(WireError) { try ProtoFixed32.readPacked(into: &values, from: &reader); return nil } catch { return error }
        }
        #expect(result == .malformedPackedField)
    }

    @Test func packedRunEndingInsideAVarint() { #expect(error([34, 1, 0x80]) == .truncated) }

    @Test func packedRunWithAnOverlongVarintInTheMiddle() {
        // Valid elements, then eleven bytes with one terminator at the end, then more: the
        // run is decoded straight into reserved storage and must stop with the error.
        let overlong = [UInt8](repeating: 0xFF, count: 10) + [0x01]
        let body: [UInt8] = [1, 2] + overlong + [3]
        #expect(error([34, UInt8(body.count)] + body) == .varintTooLong)
    }

    @Test func depthBombOfNestedMessagesIsRejected() {
        // 200 nested `children` messages (tag 26).
        var bytes: [UInt8] = []
        for _ in 0..<200 { bytes = [26] + lengthPrefix(bytes.count) + bytes }
        #expect(error(bytes) == .recursionLimitExceeded)
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        var bytes: [UInt8] = []
        for _ in 0..<Reader.maxDepth { bytes = [26] + lengthPrefix(bytes.count) + bytes }
        var node = try Node(serializedBytes: bytes)
        var depth = 0
        while let child = node.children.first { node = child; depth += 1 }
        #expect(depth == Reader.maxDepth)
    }

    @Test func depthBombOfUnknownGroupsIsRejected() {
        let bytes = [UInt8](repeating: 0x0B, count: 10_000) + [UInt8](repeating: 0x0C, count: 10_000)
        #expect(error(bytes) == .recursionLimitExceeded)
    }

    @Test func everyTruncationOfAValidMessageThrowsOrDecodes() throws {
        let bytes = try MessageCodingTests().sample().serializedBytes()
        for cut in 0..<bytes.count {
            _ = error(Array(bytes[..<cut]))  // must not trap
        }
    }

    func lengthPrefix(_ count: Int) -> [UInt8] {
        var value = count, out: [UInt8] = []
        while value >= 0x80 { out.append(UInt8(value & 0x7F) | 0x80); value >>= 7 }
        return out + [UInt8(value)]
    }
}
