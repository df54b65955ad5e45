import ArgumentParser
import Foundation
import Logging
import PluginHost
import PluginHostDemo

/// `plugin-host bench`: how long a Python plugin takes from activate to ready, and hook and
/// API round-trip latencies through our gRPC layer, next to the same round trips through
/// plain grpcio (a grpcio client calling the same plugin; the plugin calling a grpcio
/// PluginAPI server), so our layer's overhead is visible.
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
        let sdkPath = URL(fileURLWithPath: sdk).standardizedFileURL.path
        let pluginPath = URL(fileURLWithPath: plugin).standardizedFileURL.path
        let folder = NSTemporaryDirectory() + "plugin-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createSymbolicLink(atPath: folder + "/plugin", withDestinationPath: pluginPath)

        var configuration = SupervisorConfiguration()
        configuration.extraEnvironment["PYTHONPATH"] = sdkPath
        configuration.callTimeout = .seconds(120)
        let store = try SQLiteKVStore(path: ":memory:")
        let workspace = DemoWorkspace.seeded()
        let logger = Logger(label: "plugin-host.bench")
        let environment = try Environment(pluginsDirectory: folder, configuration: configuration, logger: logger) {
            manifest in DemoPluginAPI(pluginID: manifest.id, store: store, workspace: workspace, logger: logger)
        }
        guard let id = await environment.discover().first else { throw ValidationError("no plugin in \(plugin)") }

        var results: [(String, Latency)] = []
        var startTimes: [Duration] = []
        for _ in 0..<max(1, starts) {
            let begin = ContinuousClock.now
            try await environment.activate(id)
            startTimes.append(ContinuousClock.now - begin)
            await environment.deactivate(id)
        }
        results.append(("activate -> ready (Python start included)", Latency(startTimes)))

        try await environment.activate(id)
        guard let supervisor = await environment.supervisor(for: id), let hooks = await supervisor.hooksAddress else {
            throw ValidationError("plugin did not start")
        }
        var post = PluginPost()
        post.message = "hello"
        post.channelID = "channel-town-square"
        post.userID = "user-alice"
        for _ in 0..<50 { _ = await supervisor.messageWillBePosted(post) }
        var hookSamples: [Duration] = []
        for _ in 0..<count {
            let begin = ContinuousClock.now
            _ = await supervisor.messageWillBePosted(post)
            hookSamples.append(ContinuousClock.now - begin)
        }
        results.append(("hook MessageWillBePosted: Swift host -> Python plugin", Latency(hookSamples)))
        let baselineHook = try runPython(["-m", "bench.hook_client", hooks.target, "\(count)"], in: sdkPath)
        results.append(("hook MessageWillBePosted: grpcio client -> Python plugin", try Latency(json: baselineHook)))

        var args = PluginCommandArgs()
        args.command = "/bench-api \(count)"
        let ours = try await environment.executeCommand(pluginID: id, args).response.text
        results.append(("API KVGet: Python plugin -> Swift host (SQLite)", try Latency(json: ours)))

        let baselineServer = try BaselineAPIServer(sdkPath: sdkPath)
        args.command = "/bench-api \(count) 127.0.0.1:\(baselineServer.port)"
        let baselineAPI = try await environment.executeCommand(pluginID: id, args).response.text
        baselineServer.stop()
        results.append(("API KVGet: Python plugin -> grpcio server (dict)", try Latency(json: baselineAPI)))
        await environment.shutdown()

        func row(_ name: String, _ p50: String, _ p99: String) -> String {
            name.padding(toLength: 58, withPad: " ", startingAt: 0)
                + String(repeating: " ", count: max(0, 10 - p50.count)) + p50
                + String(repeating: " ", count: max(0, 10 - p99.count)) + p99
        }
        print(row("measurement", "p50", "p99"))
        for (name, latency) in results { print(row(name, latency.p50Text, latency.p99Text)) }
        if let json {
            let object = results.map { ["name": $0.0, "p50_us": $0.1.p50, "p99_us": $0.1.p99] as [String: Any] }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: json))
        }
    }

    private func runPython(_ arguments: [String], in directory: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("python3 \(arguments) failed") }
        return String(decoding: data, as: UTF8.self)
    }
}

/// p50/p99 of a set of samples, in microseconds.
struct Latency {
    var p50: Double
    var p99: Double

    init(_ samples: [Duration]) {
        let micros = samples.map { Double($0.components.seconds) * 1e6 + Double($0.components.attoseconds) / 1e12 }.sorted()
        p50 = micros.isEmpty ? 0 : micros[micros.count / 2]
        p99 = micros.isEmpty ? 0 : micros[min(micros.count - 1, micros.count * 99 / 100)]
    }

    init(json: String) throws {
        guard let data = json.split(separator: "\n").last.map({ Data($0.utf8) }),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let p50 = object["p50_us"] as? Double, let p99 = object["p99_us"] as? Double
        else { throw ValidationError("unexpected measurement output: \(json)") }
        self.p50 = p50
        self.p99 = p99
    }

    private static func text(_ micros: Double) -> String {
        micros >= 10_000 ? String(format: "%.1f ms", micros / 1000) : String(format: "%.0f µs", micros)
    }

    var p50Text: String { Self.text(p50) }
    var p99Text: String { Self.text(p99) }
}

/// The plain grpcio PluginAPI server used as the API baseline; stops when its stdin closes.
final class BaselineAPIServer {
    let port: Int
    private let process = Process()
    private let input = Pipe()

    init(sdkPath: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "bench.baseline_api_server"]
        process.currentDirectoryURL = URL(fileURLWithPath: sdkPath)
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
            if line.count > 16 { break }
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw ValidationError("the baseline API server did not report a port")
        }
        self.port = port
    }

    /// Closes its stdin and waits up to 5 s for it to exit, then terminates it.
    func stop() {
        try? input.fileHandleForWriting.close()
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while process.isRunning && ContinuousClock.now < deadline { usleep(10_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
