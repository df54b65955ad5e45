import Testing
import Wire

/// A message-typed oneof member that occurs many times is merged occurrence by occurrence
/// (protobuf merge semantics), and each merge costs only what that occurrence adds: the
/// decoder must not copy the value merged so far (which it would while the oneof still
/// holds a second reference to it).
@Suite struct OneofMergeTests {
    static let occurrences = 100_000
    /// Each test takes under 0.5 s in a debug build, input included. Copying the value merged
    /// so far at each occurrence (the bug this guards against) took 110 s for Choice and more
    /// than 200 s for Tree (stopped there) on the same machine.
    static let bound = Duration.seconds(5)

    /// Decodes `bytes` and fails the test if it took longer than `bound`.
    func decodeTimed<M: Wire.Message>(_ type: M.Type, _ bytes: [UInt8]) throws -> M {
        let clock = ContinuousClock()
        let start = clock.now
        let message = try M(serializedBytes: bytes)
        let elapsed = clock.now - start
        #expect(elapsed < Self.bound, "decoding \(Self.occurrences) occurrences took \(elapsed)")
        return message
    }

    @Test func repeatedOccurrencesInStorageBackedMessage() throws {
        // Tree.alt (field 5) = Tree { children: [Tree()] }, 100k times: Tree keeps its fields
        // in a copy-on-write class, and each occurrence appends one child.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 * Self.occurrences)
        for _ in 0..<Self.occurrences { bytes += [42, 2, 34, 0] }
        let tree = try decodeTimed(WireTest_P3_Tree.self, bytes)
        guard case .alt(let alt)? = tree.extra else {
            Issue.record("oneof extra is not alt: \(String(describing: tree.extra))")
            return
        }
        #expect(alt.children.count == Self.occurrences)
    }

    @Test func repeatedOccurrencesInPlainStructMessage() throws {
        // Choice.c (field 3) = Nested holding one unknown 16-byte field (number 9), 100k
        // times: Nested is a plain struct, and its unknown fields grow with each occurrence.
        let unknown: [UInt8] = [74, 16] + [UInt8](0..<16)
        var bytes: [UInt8] = []
        bytes.reserveCapacity((unknown.count + 2) * Self.occurrences)
        for _ in 0..<Self.occurrences { bytes += [26, UInt8(unknown.count)] + unknown }
        let choice = try decodeTimed(WireTest_P3_Choice.self, bytes)
        #expect(choice.c.unknownFields.bytes.count == unknown.count * Self.occurrences)
        #expect(choice.c.unknownFields.bytes.prefix(unknown.count).elementsEqual(unknown))
    }
}
