import BenchSwiftProtobufMessages
import SwiftProtobuf

/// `bench wire`'s records decoded and encoded by swift-protobuf's generated code, and its loops.
enum SwiftProtobufSide {
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
        default: throw WireBench.ContentMismatch(description: "swift-protobuf: no generated type \(dataset.messageType)")
        }
    }

    static func prepare<M: SwiftProtobuf.Message>(_: M.Type, _ dataset: Dataset) throws -> PreparedRuntime {
        let records = dataset.records
        let messages = try records.map { try M(serializedBytes: $0) }
        return PreparedRuntime(
            workload: Workload(
                encode: { passes in try encodeLoop(messages, passes) },
                decode: { passes in try decodeLoop(M.self, records, passes) }
            ),
            reencoded: try messages.map { try $0.serializedBytes() },
            decodesToRecord: { index, bytes in try M(serializedBytes: bytes).isEqualTo(message: messages[index]) }
        )
    }

    @inline(never)
    static func encodeLoop<M: SwiftProtobuf.Message>(_ messages: [M], _ passes: Int) throws -> Int {
        var check = 0
        // Each message lent in place (`InPlaceElements`), as C++ iterates by reference.
        for _ in 0..<passes {
            try InPlaceElements.forEach(in: messages) { message in
                let bytes: [UInt8] = try message.serializedBytes()
                check &+= bytes.count &+ (bytes.isEmpty ? 0 : Int(bytes[bytes.count >> 1]))
            }
        }
        return check
    }

    @inline(never)
    static func decodeLoop<M: SwiftProtobuf.Message>(_: M.Type, _ records: [[UInt8]], _ passes: Int) throws -> Int {
        var check = 0
        for _ in 0..<passes {
            for record in records {
                let message = try M(serializedBytes: record)
                check &+= withExtendedLifetime(message) { record.count }
            }
        }
        return check
    }
}
