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
        let results = try selectedCases().map { benchCase in
            try WireBench.measure(benchCase, settings) { what in
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
