import BenchWireMessages
import Wire

/// The `bench wire` messages built with Wire's generated code, and its loops.
enum WireSide {
    static func workload(_ benchCase: FixtureData.Case) throws -> Workload {
        switch benchCase {
        case .small: try workload(smallFlat()) { Int($0.id) }
        case .post: try workload(chatPost()) { $0.message.utf8.count }
        case .bytes: try workload(bytesPayload()) { $0.data.count }
        case .string, .ascii: try workload(stringPayload(benchCase)) { $0.text.utf8.count }
        case .repeated: try workload(largeRepeated()) { $0.int32s.count }
        }
    }

    /// `probe` reads one cheap value of a decoded message for the checksum.
    static func workload<M: Wire.Message>(_ message: M, probe: @escaping (M) -> Int) throws -> Workload {
        let encoded = try message.serializedBytes()
        return Workload(
            encodedBytes: encoded,
            encode: { n in try encodeLoop(message, n) },
            decode: { n in try decodeLoop(M.self, encoded, n, probe) }
        )
    }

    @inline(never)
    static func encodeLoop<M: Wire.Message>(_ message: M, _ n: Int) throws -> Int {
        var check = 0
        for _ in 0..<n {
            let bytes = try message.serializedBytes()
            check &+= bytes.count &+ Int(bytes[bytes.count >> 1])
        }
        return check
    }

    @inline(never)
    static func decodeLoop<M: Wire.Message>(_: M.Type, _ bytes: [UInt8], _ n: Int, _ probe: (M) -> Int) throws -> Int {
        var check = 0
        for _ in 0..<n {
            check &+= probe(try M(serializedBytes: bytes))
        }
        return check
    }

    /// True when `bytes` (made by the other implementation) decode to this side's fixture.
    static func decodesToFixture(_ benchCase: FixtureData.Case, _ bytes: [UInt8]) throws -> Bool {
        switch benchCase {
        case .small: try Bench_SmallFlat(serializedBytes: bytes) == smallFlat()
        case .post: try Bench_ChatPost(serializedBytes: bytes) == chatPost()
        case .bytes: try Bench_BytesPayload(serializedBytes: bytes) == bytesPayload()
        case .string, .ascii: try Bench_StringPayload(serializedBytes: bytes) == stringPayload(benchCase)
        case .repeated: try Bench_LargeRepeated(serializedBytes: bytes) == largeRepeated()
        }
    }

    static func smallFlat(_ index: Int = 0) -> Bench_SmallFlat {
        var m = Bench_SmallFlat()
        m.id = FixtureData.smallID &+ Int32(index)
        m.timestamp = FixtureData.smallTimestamp
        m.flags = FixtureData.smallFlags
        m.active = true
        m.score = FixtureData.smallScore
        m.ratio = FixtureData.smallRatio
        m.name = FixtureData.smallName
        m.delta = FixtureData.smallDelta
        m.hash = FixtureData.smallHash
        m.kind = .text
        return m
    }

    static func chatPost() -> Bench_ChatPost {
        var post = Bench_ChatPost()
        post.id = FixtureData.id26(1)
        post.createAt = 1_732_500_000_123
        post.updateAt = 1_732_500_000_456
        post.isPinned = true
        post.userID = FixtureData.id26(2)
        post.channelID = FixtureData.id26(3)
        post.rootID = FixtureData.id26(4)
        post.message = FixtureData.postMessage
        post.type = "system_generic"
        post.props = FixtureData.postProps
        post.hashtags = "#deploy #ops"
        post.fileIds = [FixtureData.id26(5), FixtureData.id26(6)]

        var user = Bench_ChatPost.User()
        user.id = FixtureData.id26(2)
        user.username = "maria.garcia"
        user.firstName = "María"
        user.lastName = "García"
        user.email = "maria.garcia@example.com"
        user.emailVerified = true
        user.roles = "system_user channel_admin"
        user.locale = "es"
        user.timezone = FixtureData.userTimezone
        user.lastActivityAt = 1_732_499_999_000
        post.user = user

        var channel = Bench_ChatPost.Channel()
        channel.id = FixtureData.id26(3)
        channel.teamID = FixtureData.id26(7)
        channel.name = "ops-deploys"
        channel.displayName = "Ops · Deploys"
        channel.type = .private
        channel.header = "Deploy announcements and rollbacks"
        channel.purpose = "Where the release train reports"
        channel.lastPostAt = 1_732_500_000_123
        channel.totalMsgCount = 48_213
        channel.memberCount = 214
        post.channel = channel

        post.reactions = FixtureData.reactionEmojis.enumerated().map { index, emoji in
            var reaction = Bench_ChatPost.Reaction()
            reaction.userID = FixtureData.id26(100 + index)
            reaction.emojiName = emoji
            reaction.createAt = 1_732_500_001_000 + Int64(index)
            return reaction
        }
        post.replyCount = 3
        return post
    }

    static func bytesPayload() -> Bench_BytesPayload {
        var m = Bench_BytesPayload()
        m.data = FixtureData.bytesPayload
        return m
    }

    static func stringPayload(_ benchCase: FixtureData.Case) -> Bench_StringPayload {
        var m = Bench_StringPayload()
        m.text = FixtureData.text(benchCase)
        return m
    }

    static func largeRepeated() -> Bench_LargeRepeated {
        var m = Bench_LargeRepeated()
        m.int32s = FixtureData.int32s
        m.sint64s = FixtureData.sint64s
        m.doubles = FixtureData.doubles
        m.fixed32s = FixtureData.fixed32s
        m.uint64s = FixtureData.uint64s
        m.items = (0..<FixtureData.itemCount).map(smallFlat)
        return m
    }
}
