import ArgumentParser
import Foundation
import PluginHostBench

/// `bench plugin`: a real Python plugin under our plugin host: activate -> ready (Python start
/// included), hook and PluginAPI round trips (p50/p99) through our gRPC layer, next to the same
/// round trips through plain grpcio, so our layer's overhead is visible. The measuring logic is
/// the root package's `PluginHostBench` (also behind `plugin-host bench`).
struct PluginBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin",
        abstract: "Plugin host: Python plugin start time, hook and API round trips vs plain grpcio."
    )

    @Option(help: "The repository's python/ folder (SDK and bench helpers); found from . or .. by default.")
    var sdk: String?

    @Option(help: "Plugin folder to measure (default: <sdk>/test_plugins/testkit, which has /bench-api).")
    var plugin: String?

    @Option(help: "Round trips per latency measurement.")
    var count: Int = 2000

    @Option(help: "Activate/deactivate cycles for the start time.")
    var starts: Int = 5

    @Option(help: "Also write the results as JSON to this path.")
    var json: String?

    func validate() throws {
        guard (1...1_000_000).contains(count) else { throw ValidationError("--count must be 1...1000000") }
        guard (1...100).contains(starts) else { throw ValidationError("--starts must be 1...100") }
    }

    func run() async throws {
        guard let sdkPath = sdk ?? PluginBenchmark.locateSDK() else {
            throw ValidationError("python/ not found from here or its parent; pass --sdk")
        }
        var benchmark = PluginBenchmark(sdkPath: sdkPath, pluginPath: plugin ?? sdkPath + "/test_plugins/testkit")
        benchmark.count = count
        benchmark.starts = starts
        FileHandle.standardError.write(Data("bench plugin: \(benchmark.pluginPath), \(count) round trips each\n".utf8))
        let results = try await benchmark.run()
        print(PluginBenchmark.table(results))
        if let json {
            try PluginBenchmark.json(results).write(to: URL(fileURLWithPath: json))
            print("wrote \(json)")
        }
    }
}
