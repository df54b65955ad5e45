import BenchSupport

/// The records of one case: the same bytes every runtime decodes, one message each.
public struct Dataset: Sendable {
    public var messageType: String
    public var records: [[UInt8]]
    public var totalBytes: Int { records.reduce(0) { $0 + $1.count } }
}

/// One runtime's loops over a dataset. Each loop makes `passes` passes over every record
/// (decode: a fresh message per record; encode: each message into a fresh buffer) and returns
/// a checksum, so the optimizer cannot drop the work.
public struct Workload {
    public var encode: (Int) throws -> Int
    public var decode: (Int) throws -> Int
}

/// What a Swift runtime made of a dataset before measuring: its loops, its own encoding of
/// each record (decoded, then encoded again) for the correctness check, and a test of whether
/// some other bytes decode to the message it decoded from record `index`.
struct PreparedRuntime {
    var workload: Workload
    var reencoded: [[UInt8]]
    var decodesToRecord: (_ index: Int, _ bytes: [UInt8]) throws -> Bool
}

/// The implementations measured side by side for one case.
struct CaseWorkloads {
    var wire: Workload
    var swiftProtobuf: Workload
    var cpp: Workload
    /// Copying the payload with memcpy into a fresh array: the floor for bytes/string fields.
    var memcpy: Workload?
}
