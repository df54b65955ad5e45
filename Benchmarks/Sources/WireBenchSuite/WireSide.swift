import BenchWireMessages
import Wire

/// `bench wire`'s records decoded and encoded by Wire's generated code, its loops, and the fixed
/// messages of the single-message cases.
enum WireSide {
    /// The single-message dataset of a fixed case, encoded by Wire.
    static func fixtureDataset(_ benchCase: FixtureData.Case) throws -> Dataset {
        let record: [UInt8] = switch benchCase {
        case .small: try smallFlat().serializedBytes()
        case .post: try chatPost().serializedBytes()
        case .bytes: try bytesPayload().serializedBytes()
        case .string, .ascii: try stringPayload(benchCase).serializedBytes()
        case .repeated: try largeRepeated().serializedBytes()
        case .wide, .tree, .maps, .packed, .mixed:
            throw WireBench.ContentMismatch(description: "\(benchCase.rawValue) is a generated dataset")
        }
        return Dataset(messageType: benchCase.messageType, records: [record])
    }

    /// Decodes every record (for the encode loop and the check) and returns the loops.
    static func prepare(_ dataset: Dataset) throws -> PreparedRuntime {
        switch dataset.messageType {
        case Bench_SmallFlat.protoMessageName: try prepare(Bench_SmallFlat.self, dataset)
        case Bench_ChatPost.protoMessageName: try prepare(Bench_ChatPost.self, dataset)
        case Bench_BytesPayload.protoMessageName: try prepare(Bench_BytesPayload.self, dataset)
        case Bench_StringPayload.protoMessageName: try prepare(Bench_StringPayload.self, dataset)
        case Bench_LargeRepeated.protoMessageName: try prepare(Bench_LargeRepeated.self, dataset)
        case Bench_Wide.protoMessageName: try prepare(Bench_Wide.self, dataset)
        case Bench_TreeNode.protoMessageName: try prepare(Bench_TreeNode.self, dataset)
        case Bench_MapHeavy.protoMessageName: try prepare(Bench_MapHeavy.self, dataset)
        case Bench_PackedNumerics.protoMessageName: try prepare(Bench_PackedNumerics.self, dataset)
        case Bench_Mixed.protoMessageName: try prepare(Bench_Mixed.self, dataset)
        default: throw WireBench.ContentMismatch(description: "Wire: no generated type \(dataset.messageType)")
        }
    }

    static func prepare<M: Wire.Message>(_: M.Type, _ dataset: Dataset) throws -> PreparedRuntime {
        let records = dataset.records
        let messages = try records.map { try M(serializedBytes: $0) }
        return PreparedRuntime(
            workload: Workload(
                encode: { passes in try encodeLoop(messages, passes) },
                decode: { passes in try decodeLoop(M.self, records, passes) }
            ),
            reencoded: try messages.map { try $0.serializedBytes() },
            decodesToRecord: { index, bytes in try M(serializedBytes: bytes) == messages[index] }
        )
    }

    @inline(never)
    static func encodeLoop<M: Wire.Message>(_ messages: [M], _ passes: Int) throws -> Int {
        var check = 0
        // Each message lent in place (`InPlaceElements`), as C++ iterates by reference.
        for _ in 0..<passes {
            try InPlaceElements.forEach(in: messages) { message in
                let bytes = try message.serializedBytes()
                check &+= bytes.count &+ (bytes.isEmpty ? 0 : Int(bytes[bytes.count >> 1]))
            }
        }
        return check
    }

    @inline(never)
    static func decodeLoop<M: Wire.Message>(_: M.Type, _ records: [[UInt8]], _ passes: Int) throws -> Int {
        var check = 0
        for _ in 0..<passes {
            for record in records {
                let message = try M(serializedBytes: record)
                check &+= withExtendedLifetime(message) { record.count }
            }
        }
        return check
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
