import ArgumentParser
import Foundation
import Logging
import PluginHostBench

/// `plugin-host bench`: the plugin benchmark (`PluginHostBench.PluginBenchmark`, shared with
/// the Benchmarks package's `bench plugin`): activate-to-ready time of a Python plugin, and hook
/// and API round trips through our layer next to plain grpcio.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure plugin start time and hook/API round trips.")

    @Option(help: "Plugin folder to measure (needs the testkit's /bench-api command).")
    var plugin: String = "python/test_plugins/testkit"

    @Option(help: "Folder holding the mattermost_plugin SDK and the bench helpers.")
    var sdk: String = "python"

    @Option(help: "Round trips per latency measurement.")
    var count: Int = 2000

    @Option(help: "Activate/deactivate cycles for the start time.")
    var starts: Int = 5

    @Option(help: "Also write the results as JSON to this file.")
    var json: String?

    func run() async throws {
        LoggingSystem.bootstrap { _ in ConsoleLogHandler(minimumLevel: .warning) }
        var benchmark = PluginBenchmark(sdkPath: sdk, pluginPath: plugin)
        benchmark.count = count
        benchmark.starts = starts
        let results = try await benchmark.run()
        print(PluginBenchmark.table(results))
        if let json { try PluginBenchmark.json(results).write(to: URL(fileURLWithPath: json)) }
    }
}
