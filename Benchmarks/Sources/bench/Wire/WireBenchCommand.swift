import ArgumentParser
import Foundation

/// `bench wire`: encode and decode throughput of Wire-generated code against
/// swift-protobuf-generated code for the same messages, in the same process.
struct WireBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wire",
        abstract: "Protobuf encode/decode throughput: Wire vs swift-protobuf (and memcpy for payloads)."
    )

    @Option(help: "Seconds measured per run of each operation.")
    var seconds: Double = 1.0

    @Option(help: "Runs per operation; the fastest is reported.")
    var runs: Int = 3

    @Option(help: "Comma-separated cases: \(FixtureData.Case.allCases.map(\.rawValue).joined(separator: ",")).")
    var cases: String = FixtureData.Case.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Also write the results as JSON to this path.")
    var json: String?

    func validate() throws {
        guard seconds > 0, seconds <= 60 else { throw ValidationError("--seconds must be in (0, 60]") }
        guard (1...20).contains(runs) else { throw ValidationError("--runs must be 1...20") }
        _ = try selectedCases()
    }

    func selectedCases() throws -> [FixtureData.Case] {
        try cases.split(separator: ",").map { name in
            guard let found = FixtureData.Case(rawValue: String(name)) else {
                throw ValidationError("unknown case '\(name)'")
            }
            return found
        }
    }

    func run() throws {
        let settings = MeasureSettings(seconds: seconds, runs: runs)
        var results: [WireBenchResult] = []
        for benchCase in try selectedCases() {
            let workloads = try WireBenchCommand.workloads(for: benchCase)
            results.append(try WireBenchCommand.measure(benchCase, workloads, settings))
        }
        let report = WireBenchReport(seconds: seconds, runs: runs, results: results)
        print(report.table())
        print(report.summary())
        if let json {
            try JSONReport.write(report, to: json)
            print("wrote \(json)")
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
            throw ValidationError("\(benchCase.rawValue): Wire and swift-protobuf encode different content "
                + "(\(wire.encodedBytes.count) vs \(swiftProtobuf.encodedBytes.count) bytes)")
        }
        var memcpy: Workload?
        if benchCase.hasMemcpyBaseline {
            let payload = benchCase == .bytes ? FixtureData.bytesPayload : Array(FixtureData.stringPayload.utf8)
            memcpy = MemcpyBaseline.workload(payload: payload, encoded: wire.encodedBytes)
        }
        return CaseWorkloads(wire: wire, swiftProtobuf: swiftProtobuf, memcpy: memcpy)
    }

    static func measure(_ benchCase: FixtureData.Case, _ workloads: CaseWorkloads, _ settings: MeasureSettings) throws
        -> WireBenchResult
    {
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

    static func progress(_ text: String) {
        FileHandle.standardError.write(Data("bench wire: measuring \(text)\n".utf8))
    }
}
