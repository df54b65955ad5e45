/// The values every `bench wire` message is built from. Both implementations build their
/// messages from these, so they encode the same content (checked before measuring).
public enum FixtureData {
    /// One shape of message measured by `bench wire`: a dataset of one or more records.
    public enum Case: String, CaseIterable, Sendable {
        case small, post, wide, tree, maps, ascii, string, packed, repeated, bytes, mixed

        public var title: String {
            switch self {
            case .small: "small flat (10 fields)"
            case .post: "chat post (nested user/channel)"
            case .wide: "wide sparse (131 fields, 3-8 set)"
            case .tree: "recursive tree, 20-60 deep"
            case .maps: "map-heavy"
            case .ascii: "string 1 MiB ASCII"
            case .string: "string 1 MiB non-ASCII"
            case .packed: "packed numerics"
            case .repeated: "large repeated/packed"
            case .bytes: "bytes 1 MiB"
            case .mixed: "random mixed, every kind"
            }
        }

        /// The protobuf message type of every record (in Protos/bench.proto or Protos/shapes.proto).
        public var messageType: String {
            switch self {
            case .small: "bench.SmallFlat"
            case .post: "bench.ChatPost"
            case .wide: "bench.Wide"
            case .tree: "bench.TreeNode"
            case .maps: "bench.MapHeavy"
            case .ascii, .string: "bench.StringPayload"
            case .packed: "bench.PackedNumerics"
            case .repeated: "bench.LargeRepeated"
            case .bytes: "bench.BytesPayload"
            case .mixed: "bench.Mixed"
            }
        }

        /// The seeded dataset the C++ harness generates (CppProtobufBench/generate.cc), or nil for
        /// the single fixed messages built in Swift from the values below.
        var generatedDataset: (name: String, seed: UInt64)? {
            switch self {
            case .wide: ("wide", 0x5EED_0001)
            case .tree: ("tree", 0x5EED_0002)
            case .maps: ("maps", 0x5EED_0003)
            case .packed: ("packed", 0x5EED_0004)
            case .mixed: ("mixed", 0x5EED_0005)
            case .small, .post, .ascii, .string, .repeated, .bytes: nil
            }
        }

        /// Cases whose payload is one large bytes/string field, compared against memcpy.
        var hasMemcpyBaseline: Bool { self == .bytes || self == .string || self == .ascii }
    }

    // (a) small flat message
    static let smallID: Int32 = 12345
    static let smallTimestamp: Int64 = 1_732_500_000_123
    static let smallFlags: UInt32 = 0x1F
    static let smallScore = 98.6
    static let smallRatio: Float = 0.25
    static let smallName = "alice-smith"
    static let smallDelta: Int32 = -42
    static let smallHash: UInt64 = 0xDEAD_BEEF_CAFE_BABE

    // (b) chat post
    static func id26(_ seed: Int) -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyz13456789")
        var state = UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9_7F4A_7C15 | 1
        return String((0..<26).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return alphabet[Int(state % UInt64(alphabet.count))]
        })
    }
    static let postMessage = """
        Deploy of build 4821 finished ✅ — all 312 checks green. Rolling restart of the chat \
        cluster starts at 14:00 UTC; expect a 30 s reconnect. Thanks @maria.garcia and @li.wei \
        for the overnight fixes 🎉. Release notes: https://example.com/releases/4821 #deploy #ops
        """
    static let postProps = ["from_webhook": "false", "disable_group_highlight": "true", "channel_mentions": "ops,deploys"]
    static let userTimezone = ["useAutomaticTimezone": "true", "automaticTimezone": "Europe/Berlin", "manualTimezone": ""]
    static let reactionEmojis = ["+1", "tada", "rocket", "eyes", "white_check_mark"]

    // (c) bytes and (c') string payloads
    static let payloadSize = 1 << 20
    static let bytesPayload: [UInt8] = (0..<payloadSize).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ ($0 >> 8)) }
    static let stringPayload: String = {
        let unit = "Hello, world — ünïcödé text 😀 with some ASCII padding. "
        var text = String(repeating: unit, count: payloadSize / unit.utf8.count + 1)
        while text.utf8.count > payloadSize { text.removeLast() }
        return text
    }()
    /// Plain ASCII text: shows what UTF-8 validation costs when it can take its fastest path.
    static let asciiPayload: String = {
        let unit = "The quick brown fox jumps over the lazy dog; 0123456789. "
        var text = String(repeating: unit, count: payloadSize / unit.utf8.count + 1)
        while text.utf8.count > payloadSize { text.removeLast() }
        return text
    }()

    /// The text of the `string` and `ascii` cases.
    static func text(_ benchCase: Case) -> String {
        benchCase == .ascii ? asciiPayload : stringPayload
    }

    /// The raw payload of the cases compared against memcpy.
    static func payload(_ benchCase: Case) -> [UInt8] {
        benchCase == .bytes ? bytesPayload : Array(text(benchCase).utf8)
    }

    // (d) large repeated
    static let repeatedCount = 10_000
    static let itemCount = 1_000
    static let int32s: [Int32] = (0..<repeatedCount).map { i in
        let magnitude = Int32(truncatingIfNeeded: i &* 2_654_435_761) >> Int32(i % 31)
        return i % 7 == 0 ? -magnitude : magnitude
    }
    static let sint64s: [Int64] = (0..<repeatedCount).map { Int64($0 - repeatedCount / 2) * 1_000_003 }
    static let doubles: [Double] = (0..<repeatedCount).map { Double($0) * 0.001 - 3.5 }
    static let fixed32s: [UInt32] = (0..<repeatedCount).map { UInt32(truncatingIfNeeded: $0 &* 2_246_822_519) }
    static let uint64s: [UInt64] = (0..<repeatedCount).map { UInt64($0) << UInt64($0 % 50) }
}
