import BenchSupport

/// The `bench wire` suite without its command line: builds each case's workloads for Wire,
/// swift-protobuf and (for payloads) memcpy, checks they carry the same content, measures.
public enum WireBench {
    public struct ContentMismatch: Error, CustomStringConvertible {
        public var description: String
    }

    public enum Side: String, CaseIterable, Sendable {
        case wire, swiftProtobuf = "swift-protobuf"
    }

    /// One side's loops for one case (used by `wire-profile` too).
    public static func workload(_ side: Side, _ benchCase: FixtureData.Case) throws -> Workload {
        switch side {
        case .wire: try WireSide.workload(benchCase)
        case .swiftProtobuf: try SwiftProtobufSide.workload(benchCase)
        }
    }

    /// Builds both implementations' workloads and checks that they carry the same content:
    /// each decodes the other's bytes to its own fixture, and the sizes agree.
    static func workloads(for benchCase: FixtureData.Case) throws -> CaseWorkloads {
        let wire = try WireSide.workload(benchCase)
        let swiftProtobuf = try SwiftProtobufSide.workload(benchCase)
        guard wire.encodedBytes.count == swiftProtobuf.encodedBytes.count,
              try SwiftProtobufSide.decodesToFixture(benchCase, wire.encodedBytes),
              try WireSide.decodesToFixture(benchCase, swiftProtobuf.encodedBytes)
        else {
            throw ContentMismatch(description: "\(benchCase.rawValue): Wire and swift-protobuf encode different content "
                + "(\(wire.encodedBytes.count) vs \(swiftProtobuf.encodedBytes.count) bytes)")
        }
        var memcpy: Workload?
        if benchCase.hasMemcpyBaseline {
            memcpy = MemcpyBaseline.workload(payload: FixtureData.payload(benchCase), encoded: wire.encodedBytes)
        }
        return CaseWorkloads(wire: wire, swiftProtobuf: swiftProtobuf, memcpy: memcpy)
    }

    /// Measures one case; `progress` is told what is being measured.
    public static func measure(
        _ benchCase: FixtureData.Case, _ settings: MeasureSettings, progress: (String) -> Void
    ) throws -> WireBenchResult {
        let workloads = try workloads(for: benchCase)
        let size = workloads.wire.encodedBytes.count
        let all = [workloads.wire, workloads.swiftProtobuf] + (workloads.memcpy.map { [$0] } ?? [])
        progress("\(benchCase.rawValue) encode")
        let encode = try Measure.compare(settings, bytesPerOperation: size, all.map(\.encode))
        progress("\(benchCase.rawValue) decode")
        let decode = try Measure.compare(settings, bytesPerOperation: size, all.map(\.decode))
        func rates(_ index: Int) -> OperationRates {
            OperationRates(encode: encode.rates[index], decode: decode.rates[index])
        }
        return WireBenchResult(
            caseName: benchCase.rawValue, title: benchCase.title, encodedSize: size,
            wire: rates(0), swiftProtobuf: rates(1), memcpy: workloads.memcpy == nil ? nil : rates(2),
            checksum: encode.checksum &+ decode.checksum
        )
    }
}
