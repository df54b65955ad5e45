import BenchSwiftProtobufMessages
import SwiftProtobuf

/// The `bench wire` messages built with swift-protobuf's generated code, and its loops.
enum SwiftProtobufSide {
    static func workload(_ benchCase: FixtureData.Case) throws -> Workload {
        switch benchCase {
        case .small: try workload(smallFlat()) { Int($0.id) }
        case .post: try workload(chatPost()) { $0.message.utf8.count }
        case .bytes: try workload(Bench_BytesPayload.with { $0.data = .init(FixtureData.bytesPayload) }) { $0.data.count }
        case .string, .ascii: try workload(Bench_StringPayload.with { $0.text = FixtureData.text(benchCase) }) { $0.text.utf8.count }
        case .repeated: try workload(largeRepeated()) { $0.int32S.count }
        }
    }

    /// `probe` reads one cheap value of a decoded message for the checksum.
    static func workload<M: SwiftProtobuf.Message>(_ message: M, probe: @escaping (M) -> Int) throws -> Workload {
        let encoded: [UInt8] = try message.serializedBytes()
        return Workload(
            encodedBytes: encoded,
            encode: { n in try encodeLoop(message, n) },
            decode: { n in try decodeLoop(M.self, encoded, n, probe) }
        )
    }

    @inline(never)
    static func encodeLoop<M: SwiftProtobuf.Message>(_ message: M, _ n: Int) throws -> Int {
        var check = 0
        for _ in 0..<n {
            let bytes: [UInt8] = try message.serializedBytes()
            check &+= bytes.count &+ Int(bytes[bytes.count >> 1])
        }
        return check
    }

    @inline(never)
    static func decodeLoop<M: SwiftProtobuf.Message>(_: M.Type, _ bytes: [UInt8], _ n: Int, _ probe: (M) -> Int) throws -> Int {
        var check = 0
        for _ in 0..<n {
            check &+= probe(try M(serializedBytes: bytes))
        }
        return check
    }

    /// True when `bytes` decode to a message equal to this side's own fixture.
    static func decodesToFixture(_ benchCase: FixtureData.Case, _ bytes: [UInt8]) throws -> Bool {
        switch benchCase {
        case .small: try Bench_SmallFlat(serializedBytes: bytes) == smallFlat()
        case .post: try Bench_ChatPost(serializedBytes: bytes) == chatPost()
        case .bytes: try Bench_BytesPayload(serializedBytes: bytes).data == .init(FixtureData.bytesPayload)
        case .string, .ascii: try Bench_StringPayload(serializedBytes: bytes).text == FixtureData.text(benchCase)
        case .repeated: try Bench_LargeRepeated(serializedBytes: bytes) == largeRepeated()
        }
    }

    static func smallFlat(_ index: Int = 0) -> Bench_SmallFlat {
        Bench_SmallFlat.with {
            $0.id = FixtureData.smallID &+ Int32(index)
            $0.timestamp = FixtureData.smallTimestamp
            $0.flags = FixtureData.smallFlags
            $0.active = true
            $0.score = FixtureData.smallScore
            $0.ratio = FixtureData.smallRatio
            $0.name = FixtureData.smallName
            $0.delta = FixtureData.smallDelta
            $0.hash = FixtureData.smallHash
            $0.kind = .text
        }
    }

    static func chatPost() -> Bench_ChatPost {
        Bench_ChatPost.with { post in
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
            post.user = Bench_ChatPost.User.with { user in
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
            }
            post.channel = Bench_ChatPost.Channel.with { channel in
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
            }
            post.reactions = FixtureData.reactionEmojis.enumerated().map { index, emoji in
                Bench_ChatPost.Reaction.with {
                    $0.userID = FixtureData.id26(100 + index)
                    $0.emojiName = emoji
                    $0.createAt = 1_732_500_001_000 + Int64(index)
                }
            }
            post.replyCount = 3
        }
    }

    static func largeRepeated() -> Bench_LargeRepeated {
        Bench_LargeRepeated.with {
            $0.int32S = FixtureData.int32s
            $0.sint64S = FixtureData.sint64s
            $0.doubles = FixtureData.doubles
            $0.fixed32S = FixtureData.fixed32s
            $0.uint64S = FixtureData.uint64s
            $0.items = (0..<FixtureData.itemCount).map(smallFlat)
        }
    }
}
