import ArgumentParser
import BenchSupport
import Foundation
import WireBenchSuite

/// `bench wire`: encode and decode throughput of Wire-generated code against
/// swift-protobuf-generated code and C++ libprotobuf for the same records, in the same process.
struct WireBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wire",
        abstract: "Protobuf encode/decode throughput: Wire vs swift-protobuf vs C++ libprotobuf (and memcpy for payloads)."
    )

    @Option(help: "Seconds measured per run of each operation.")
    var seconds: Double = 0.5

    @Option(help: "Runs per operation (interleaved across implementations); the median is reported.")
    var runs: Int = 5

    @Option(help: "Comma-separated cases: \(FixtureData.Case.allCases.map(\.rawValue).joined(separator: ",")).")
    var cases: String = FixtureData.Case.allCases.map(\.rawValue).joined(separator: ",")

    @Option(name: .customLong("shape"), help: "Only this case (repeatable, or comma-separated); overrides --cases.")
    var shapes: [String] = []

    @Option(
        name: .customLong("runtime"),
        help: "Only measure this runtime (repeatable, or comma-separated): \(WireBench.Side.allCases.map(\.rawValue).joined(separator: ",")). Every record is still checked in all three."
    )
    var runtimes: [String] = []

    @Option(help: "Also write the results as JSON to this path.")
    var json: String?

    func validate() throws {
        guard seconds > 0, seconds <= 60 else { throw ValidationError("--seconds must be in (0, 60]") }
        guard (1...20).contains(runs) else { throw ValidationError("--runs must be 1...20") }
        _ = try selectedCases()
        _ = try selectedSides()
    }

    /// Names given as repeated options, each possibly a comma-separated list.
    static func names(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",").map(String.init) }
    }

    func selectedCases() throws -> [FixtureData.Case] {
        try Self.names(shapes.isEmpty ? [cases] : shapes).map { name in
            guard let found = FixtureData.Case(rawValue: name) else { throw ValidationError("unknown case '\(name)'") }
            return found
        }
    }

    func selectedSides() throws -> [WireBench.Side] {
        guard !runtimes.isEmpty else { return WireBench.Side.allCases }
        return try Self.names(runtimes).map { name in
            guard let found = WireBench.Side(rawValue: name) else { throw ValidationError("unknown runtime '\(name)'") }
            return found
        }
    }

    func run() throws {
        let settings = MeasureSettings(seconds: seconds, runs: runs)
        let sides = try selectedSides()
        let results = try selectedCases().map { benchCase in
            try WireBench.measure(benchCase, settings, sides: sides) { what in
                FileHandle.standardError.write(Data("bench wire: measuring \(what)\n".utf8))
            }
        }
        let report = WireBenchReport(seconds: seconds, runs: runs, results: results)
        print(report.table())
        print(report.summary())
        if let json {
            try JSONReport.write(report, to: json)
            print("wrote \(json)")
        }
    }
}
