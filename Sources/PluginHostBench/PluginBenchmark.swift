import Foundation
import Logging
import PluginHost
import PluginHostDemo

/// The plugin benchmark shared by `plugin-host bench` and `bench plugin`: how long a real
/// Python plugin takes from activate to ready (Python start included), and hook and PluginAPI
/// round trips through our gRPC layer, next to the same round trips through plain grpcio
/// (a grpcio client calling the same plugin's hook; the plugin calling a grpcio PluginAPI
/// server), so our layer's overhead is visible.
public struct PluginBenchmark: Sendable {
    /// The python/ folder (the mattermost_plugin SDK and the bench helpers).
    public var sdkPath: String
    /// The plugin to measure; it needs the testkit's `/bench-api` command.
    public var pluginPath: String
    /// Round trips per latency measurement.
    public var count = 2000
    /// Activate/deactivate cycles for the start time.
    public var starts = 5

    public init(sdkPath: String, pluginPath: String) {
        self.sdkPath = URL(fileURLWithPath: sdkPath).standardizedFileURL.path
        self.pluginPath = URL(fileURLWithPath: pluginPath).standardizedFileURL.path
    }

    /// Finds python/ (and the testkit plugin in it) from the current directory or its parent,
    /// so the command works from the repository root and from Benchmarks/.
    public static func locateSDK(from directory: String = FileManager.default.currentDirectoryPath) -> String? {
        var folder = URL(fileURLWithPath: directory)
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("python")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("mattermost_plugin").path) {
                return candidate.path
            }
            folder.deleteLastPathComponent()
        }
        return nil
    }

    /// One measured row.
    public struct Result: Sendable, Codable {
        public var name: String
        public var latency: Latency
    }

    /// Runs every measurement; the plugin host is shut down before this returns, also on failure.
    public func run() async throws -> [Result] {
        let folder = NSTemporaryDirectory() + "plugin-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createSymbolicLink(atPath: folder + "/plugin", withDestinationPath: pluginPath)

        var configuration = SupervisorConfiguration()
        configuration.extraEnvironment["PYTHONPATH"] = sdkPath
        configuration.callTimeout = .seconds(120)
        let store = try SQLiteKVStore(path: ":memory:")
        let workspace = try DemoWorkspace.seeded()
        // Warnings only: the plugin's own info lines (start, exit) would clutter the table, and
        // a host that bootstrapped logging (plugin-host bench) still filters by its handler.
        let logger = {
            var logger = Logger(label: "plugin-host.bench")
            logger.logLevel = .warning
            return logger
        }()
        let environment = try Environment(pluginsDirectory: folder, configuration: configuration, logger: logger) {
            manifest in DemoPluginAPI(pluginID: manifest.id, store: store, workspace: workspace, logger: logger)
        }
        do {
            let results = try await measure(environment)
            await environment.shutdown()
            return results
        } catch {
            await environment.shutdown()
            throw error
        }
    }

    private func measure(_ environment: Environment) async throws -> [Result] {
        guard let id = await environment.discover().first else { throw PluginBenchError("no plugin in \(pluginPath)") }
        // Each Python helper run gets generous time: `count` round trips of well under 10 ms.
        let helperTimeout = Duration.seconds(60) + .milliseconds(10 * count)
        var results: [Result] = []

        var startTimes: [Duration] = []
        for _ in 0..<max(1, starts) {
            let begin = ContinuousClock.now
            try await environment.activate(id)
            startTimes.append(ContinuousClock.now - begin)
            await environment.deactivate(id)
        }
        results.append(Result(name: "activate -> ready (Python start included)", latency: Latency(startTimes)))

        try await environment.activate(id)
        guard let supervisor = await environment.supervisor(for: id), let hooks = await supervisor.hooksAddress,
              let secrets = await supervisor.currentSecrets
        else {
            throw PluginBenchError("the plugin did not start")
        }
        var post = PluginPost()
        post.message = "hello"
        post.channelID = "channel-town-square"
        post.userID = "user-alice"
        for _ in 0..<50 { _ = await supervisor.messageWillBePosted(post) }
        var hookSamples: [Duration] = []
        hookSamples.reserveCapacity(count)
        for _ in 0..<count {
            let begin = ContinuousClock.now
            _ = await supervisor.messageWillBePosted(post)
            hookSamples.append(ContinuousClock.now - begin)
        }
        results.append(Result(name: "hook MessageWillBePosted: Swift host -> Python plugin", latency: Latency(hookSamples)))
        let baselineHook = try runPythonHelper(
            ["-m", "bench.hook_client", hooks.target, "\(count)"], sdkPath: sdkPath,
            environment: ["BENCH_HOOKS_SECRET": secrets.hooks], timeout: helperTimeout)
        results.append(Result(
            name: "hook MessageWillBePosted: grpcio client -> Python plugin", latency: try Latency(json: baselineHook)))

        var args = PluginCommandArgs()
        args.command = "/bench-api \(count)"
        let ours = try await environment.executeCommand(pluginID: id, args).response.text
        results.append(Result(name: "API KVGet: Python plugin -> Swift host (SQLite)", latency: try Latency(json: ours)))

        let baselineServer = try BaselineAPIServer(sdkPath: sdkPath)
        args.command = "/bench-api \(count) 127.0.0.1:\(baselineServer.port)"
        let baselineAPI: String
        do {
            baselineAPI = try await environment.executeCommand(pluginID: id, args).response.text
        } catch {
            baselineServer.stop()
            throw error
        }
        baselineServer.stop()
        results.append(Result(name: "API KVGet: Python plugin -> grpcio server (dict)", latency: try Latency(json: baselineAPI)))
        return results
    }

    /// The results as an aligned text table (name, p50, p99).
    public static func table(_ results: [Result]) -> String {
        func row(_ name: String, _ p50: String, _ p99: String) -> String {
            name.padding(toLength: 58, withPad: " ", startingAt: 0)
                + String(repeating: " ", count: max(0, 10 - p50.count)) + p50
                + String(repeating: " ", count: max(0, 10 - p99.count)) + p99
        }
        return ([row("measurement", "p50", "p99")] + results.map { row($0.name, $0.latency.p50Text, $0.latency.p99Text) })
            .joined(separator: "\n")
    }

    /// The results as pretty JSON (name, p50_us, p99_us, samples).
    public static func json(_ results: [Result]) throws -> Data {
        let object = results.map {
            ["name": $0.name, "p50_us": $0.latency.p50, "p99_us": $0.latency.p99, "samples": $0.latency.samples] as [String: Any]
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }
}
