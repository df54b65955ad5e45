import Foundation
import PluginHostBench
import Testing

/// The plugin benchmark behind `plugin-host bench` and `bench plugin`, run small with the real
/// testkit plugin and the real grpcio baselines.
@Suite struct PluginBenchmarkTests {
    @Test func everyRowIsMeasuredWithARealPluginAndTheGrpcioBaselines() async throws {
        var benchmark = PluginBenchmark(sdkPath: Repository.pythonSDK, pluginPath: Repository.testPlugin("testkit"))
        benchmark.count = 30
        benchmark.starts = 1
        let results = try await benchmark.run()
        #expect(results.map(\.name) == [
            "activate -> ready (Python start included)",
            "hook MessageWillBePosted: Swift host -> Python plugin",
            "hook MessageWillBePosted: grpcio client -> Python plugin",
            "API KVGet: Python plugin -> Swift host (SQLite)",
            "API KVGet: Python plugin -> grpcio server (dict)",
        ])
        for result in results {
            #expect(result.latency.p50 > 0 && result.latency.p99 >= result.latency.p50, "\(result.name)")
        }
        #expect(results.dropFirst().allSatisfy { $0.latency.samples == 30 })
        #expect(PluginBenchmark.locateSDK(from: Repository.root + "/Benchmarks") == Repository.pythonSDK)
        let table = PluginBenchmark.table(results)
        #expect(table.split(separator: "\n").count == 6)
    }
}
