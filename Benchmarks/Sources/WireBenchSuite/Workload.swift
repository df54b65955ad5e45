import BenchSupport

/// One implementation's encode and decode loops for one case. Each loop runs its operation
/// `n` times and returns a checksum of the results.
public struct Workload {
    public var encodedBytes: [UInt8]
    public var encode: (Int) throws -> Int
    public var decode: (Int) throws -> Int
}

/// The implementations measured side by side for one case.
struct CaseWorkloads {
    var wire: Workload
    var swiftProtobuf: Workload
    /// Copying the payload with memcpy into a fresh array: the floor for bytes/string fields.
    var memcpy: Workload?
}
