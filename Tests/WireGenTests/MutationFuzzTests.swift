import Testing
import Wire

/// Seeded, bounded mutation fuzzing: flipping, truncating and splicing bytes of valid
/// encodings must only ever decode or throw a `WireError` (never trap or hang), and whatever
/// decodes must re-encode and decode to an equal message.
@Suite struct MutationFuzzTests {
    /// SplitMix64: a tiny deterministic generator so failures reproduce.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func mutate(_ bytes: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var out = bytes
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            switch Int.random(in: 0..<5, using: &rng) {
            case 0 where !out.isEmpty:
                out[Int.random(in: 0..<out.count, using: &rng)] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            case 1 where !out.isEmpty:
                out[Int.random(in: 0..<out.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            case 2 where !out.isEmpty:
                out.removeLast(Int.random(in: 0...out.count, using: &rng))
            case 3:
                out.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...out.count, using: &rng))
            default:
                if !out.isEmpty {
                    let start = Int.random(in: 0..<out.count, using: &rng)
                    out += out[start...]
                }
            }
        }
        return out
    }

    func fuzz<M: Wire.Message>(_ seed: M, iterations: Int, rngSeed: UInt64) throws {
        var rng = SeededGenerator(state: rngSeed)
        let valid = try seed.serializedBytes(partial: true)
        var decodedCount = 0
        for _ in 0..<iterations {
            let input = mutate(valid, &rng)
            do throws(WireError) {
                let decoded = try M(serializedBytes: input, partial: true)
                decodedCount += 1
                let again = try M(serializedBytes: try decoded.serializedBytes(partial: true), partial: true)
                // Values compare equal, except that NaN never equals itself; then the encodings
                // must match (map order can differ between equal dictionaries, NaN bits cannot).
                if again != decoded {
                    #expect(try again.serializedBytes(partial: true) == (try decoded.serializedBytes(partial: true)))
                }
            } catch {
                // A typed WireError is the only acceptable failure.
            }
        }
        #expect(decodedCount > 0)
    }

    @Test func proto3MessagesSurviveMutation() throws {
        var maps = WireTest_P3_Maps()
        maps.stringToInt32 = ["a": 1, "bb": 2]
        maps.uint32ToNested = [3: WireTest_P3_Nested()]
        maps.stringToColor = ["c": .green]
        try fuzz(maps, iterations: 3000, rngSeed: 1)

        var tree = WireTest_P3_Tree()
        tree.value = 5
        tree.left.right.value = 6
        tree.children = [WireTest_P3_Tree(), tree.left]
        tree.label = "leaf"
        try fuzz(tree, iterations: 3000, rngSeed: 2)

        var repeated = WireTest_P3_Repeated()
        repeated.rInt32 = [1, -1, 300]
        repeated.rDouble = [1, 2]
        repeated.rString = ["x", "yz"]
        repeated.rUnpacked = [7, 8]
        repeated.rNested = [WireTest_P3_Nested()]
        try fuzz(repeated, iterations: 3000, rngSeed: 3)
    }

    @Test func proto2MessagesSurviveMutation() throws {
        var groups = WireTest_P2_WithGroups()
        groups.single.a = 1
        groups.single.b = "b"
        groups.multi = [WireTest_P2_WithGroups.Multi(), WireTest_P2_WithGroups.Multi()]
        groups.after = 9
        try fuzz(groups, iterations: 3000, rngSeed: 4)

        var closed = WireTest_P2_Closed()
        closed.mood = .sad
        closed.moods = [.happy, .angry]
        closed.packedMoods = [.sad, .sad]
        closed.levelByName = ["k": .high]
        closed.oneMood = .angry
        try fuzz(closed, iterations: 3000, rngSeed: 5)

        var required = WireTest_P2_Required()
        required.id = 1
        required.child.id = 2
        required.byName = ["n": WireTest_P2_Required.Inner()]
        try fuzz(required, iterations: 3000, rngSeed: 6)
    }
}
