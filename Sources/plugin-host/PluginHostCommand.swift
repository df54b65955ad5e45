import ArgumentParser
import Foundation
import Logging
import Metrics
import PluginHost
import Prometheus
import RPCObservability
import PluginHostDemo

/// The demo host: loads the plugins in a folder, serves them the PluginAPI backed by a
/// SQLite key-value store, posts and edits a few messages, logs users in and uploads files
/// through their hooks, runs a command and an HTTP request, and shuts everything down in
/// order, printing a timeline.
@main
struct PluginHostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin-host",
        abstract: "The demo plugin host for Python plugins.",
        subcommands: [DemoCommand.self, ServeCommand.self, InstallCommand.self, BenchCommand.self],
        defaultSubcommand: DemoCommand.self)
}

/// `plugin-host --plugins DIR` (the default subcommand).
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo plugin host against a folder of Python plugins.")

    @Option(help: "Folder whose subfolders are plugins (each with a plugin.json).")
    var plugins: String

    @Option(help: "SQLite file for the plugins' key-value store (created if missing).")
    var store: String = "plugin-host-kv.sqlite"

    @Option(help: "Folder holding the mattermost_plugin Python SDK (default: ../../python from --plugins, if present).")
    var sdk: String?

    @Flag(help: "Also show the plugins' debug logs.")
    var verbose = false

    @Option(help: "Write every plugin's metrics to this file, in Prometheus text format, at the end.")
    var metricsFile: String?

    @Flag(help: "Also record gRPC metrics of the hook calls and PluginAPI calls (grpc_client_*, grpc_server_*).")
    var rpcMetrics = false

    @Option(help: "Port on 127.0.0.1 for the plugins' HTTP routes, /plugins/{id}/... (0: an ephemeral port).")
    var httpPort: Int = 0

    func run() async throws {
        let timeline = Timeline()
        let minimumLevel: Logger.Level = verbose ? .debug : .info
        LoggingSystem.bootstrap { _ in ConsoleLogHandler(minimumLevel: minimumLevel) }
        let logger = Logger(label: "plugin-host")
        let metrics = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics))

        let kvStore = try SQLiteKVStore(path: store)
        let workspace = try DemoWorkspace.seeded()
        var configuration = SupervisorConfiguration()
        if let sdkPath = sdk ?? defaultSDKPath() {
            let existing = ProcessInfo.processInfo.environment["PYTHONPATH"].map { ":" + $0 } ?? ""
            configuration.extraEnvironment["PYTHONPATH"] = sdkPath + existing
        }
        configuration.onEvent = { event in timeline.note(event.pluginID, event.message) }
        if rpcMetrics {
            // RPCObservability's interceptors, recording into the Prometheus registry above.
            configuration.hookInterceptors = [ClientMetricsInterceptor()]
            configuration.apiServerInterceptors = [ServerMetricsInterceptor()]
        }
        let environment = try Environment(pluginsDirectory: plugins, configuration: configuration, logger: logger) {
            manifest in
            DemoPluginAPI(pluginID: manifest.id, store: kvStore, workspace: workspace, logger: logger) { plugin, call in
                timeline.note(plugin, "API \(call)")
            }
        }

        // What each plugin's API server hosts. This is the default (PluginAPIService), spelled out
        // because a host application would add its own services here; the supervisor has already
        // installed the plugin's secret check, so they are guarded too.
        await environment.setAPIServerRegistrar { server, api in
            server.register(PluginAPIService(api: api))
        }

        // Plugin-to-plugin HTTP and slash commands reach plugins through the environment.
        workspace.attach(environment)

        let ids = await environment.discover()
        timeline.note("host", "found plugins: \(ids.isEmpty ? "none" : ids.joined(separator: ", "))")
        for (folder, error) in await environment.invalidPlugins.sorted(by: { $0.key < $1.key }) {
            timeline.note("host", "skipped \(folder): \(error)")
        }
        guard !ids.isEmpty else { throw ExitCode(2) }

        var failures = 0
        await withTaskGroup(of: String?.self) { group in
            for id in ids {
                group.addTask {
                    do {
                        try await environment.activate(id)
                        return nil
                    } catch {
                        return "\(error)"
                    }
                }
            }
            for await failure in group {
                if let failure {
                    failures += 1
                    timeline.note("host", failure)
                }
            }
        }
        for id in ids { timeline.note("host", "\(id): \(await environment.state(of: id))") }
        if failures == ids.count {
            timeline.note("host", "no plugin started; shutting down")
            await environment.shutdown()
            throw ExitCode(1)
        }

        for id in ids where await environment.state(of: id) == .active {
            let json = #"{"banned_words": ["forbidden", "spam"]}"#
            timeline.note("host", "configuration for \(id): \(json)")
            if let error = try? await environment.configurationChanged(pluginID: id, json: json) {
                timeline.note("host", "\(id) refused its configuration: \(error)")
            }
        }

        let messages = [
            ("user-alice", "channel-town-square", "Hello from the Swift plugin host"),
            ("user-bob", "channel-town-square", "buy cheap spam now"),
            ("user-alice", "channel-random", "ping"),
        ]
        for (user, channel, text) in messages {
            var post = PluginPost()
            post.userID = user
            post.channelID = channel
            post.message = text
            timeline.note("host", "posting \"\(text)\"")
            switch await environment.messageWillBePosted(post) {
            case .rejected(let reason, let plugin):
                timeline.note("host", "rejected by \(plugin): \(reason)")
            case .allowed(let final):
                let stored = try workspace.insert(final)
                timeline.note("host", "stored \(stored.id): \"\(stored.message)\"")
                await environment.messageHasBeenPosted(stored)
            }
        }

        await HookTour.run(environment, workspace: workspace, timeline: timeline)

        let (port, httpServer) = try await PluginHTTPServer.start(port: httpPort, environment: environment, logger: logger)
        timeline.note("host", "HTTP: serving http://127.0.0.1:\(port)/plugins/{id}/")

        for id in ids where await environment.state(of: id) == .active {
            var args = PluginCommandArgs()
            args.command = "/stats"
            args.userID = "user-alice"
            args.channelID = "channel-town-square"
            if let response = try? await environment.executeCommand(pluginID: id, args) {
                let text = response.hasError ? "error \(PluginAppError(response.error))" : response.response.text
                timeline.note("host", "/stats -> \(text)")
            }
            if let page = try? await environment.serveHTTP(pluginID: id, PluginHTTPRequest(method: "GET", url: "/stats")) {
                timeline.note("host", "GET /stats -> \(page.statusCode) \(String(decoding: page.body, as: UTF8.self))")
            }
            let url = "http://127.0.0.1:\(port)/plugins/\(id)/stats"
            timeline.note("host", "HTTP GET \(url) -> \(await DemoHTTPClient.get(url))")
            let keys = (try? kvStore.list(plugin: id, page: 0, perPage: 100)) ?? []
            timeline.note("host", "\(id) key-value store: \(keys.joined(separator: ", "))")
        }

        // Plugins that crashed or hung meanwhile: what happened to them.
        for id in ids {
            if let report = await environment.state(of: id).crashReport {
                timeline.note("host", "crash report for \(id): \(report)")
            }
        }

        httpServer.cancel()
        _ = try? await httpServer.value
        timeline.note("host", "shutting down")
        let reports = await environment.shutdown()
        for (id, report) in reports.sorted(by: { $0.key < $1.key }) {
            timeline.note("host", "\(id) stopped: \(report.exitStatus.map(\.description) ?? "not reaped")")
        }

        print("\nPosts in the workspace:")
        for post in workspace.allPosts {
            let author = workspace.user(id: post.userID)?.username ?? (post.userID.isEmpty ? "plugin" : post.userID)
            print("  \(post.id) #\(workspace.channel(id: post.channelID)?.name ?? post.channelID) @\(author): \(post.message)")
        }
        print("\nKey-value store: \(store)")
        var exposition: [UInt8] = []
        metrics.emit(into: &exposition)
        let text = String(decoding: exposition, as: UTF8.self)
        print("\nMetrics (Prometheus text; calls per plugin):")
        for line in text.split(separator: "\n").sorted()
        where line.hasPrefix("plugin_hook_calls_total{") || line.hasPrefix("plugin_api_requests_total{") {
            print("  \(line)")
        }
        if let metricsFile {
            try text.write(toFile: metricsFile, atomically: true, encoding: .utf8)
            print("  (all of them in \(metricsFile))")
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// The repository's python/ folder when --plugins points into examples/plugins.
    private func defaultSDKPath() -> String? {
        let candidate = URL(fileURLWithPath: plugins).appendingPathComponent("../../python").standardizedFileURL.path
        return FileManager.default.fileExists(atPath: candidate + "/mattermost_plugin") ? candidate : nil
    }
}
