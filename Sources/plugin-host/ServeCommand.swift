import ArgumentParser
import Foundation
import Logging
import PluginHost
import PluginHostDemo

/// `plugin-host serve`: activates the plugins in a folder and serves their HTTP routes,
/// `/plugins/{id}/...`, on a loopback port until standard input closes (or SIGTERM/SIGINT
/// reach the process group), then stops everything in order. For trying a plugin's HTTP
/// routes with curl or a browser, and for the HTTP streaming check.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the plugins' HTTP routes on a loopback port until stdin closes.")

    @Option(help: "Folder whose subfolders are plugins (each with a plugin.json).")
    var plugins: String

    @Option(help: "SQLite file for the plugins' key-value store (created if missing).")
    var store: String = "plugin-host-kv.sqlite"

    @Option(help: "Folder holding the mattermost_plugin Python SDK (added to the plugins' PYTHONPATH).")
    var sdk: String?

    @Option(help: "Port on 127.0.0.1 (0: an ephemeral port; the bound one is printed).")
    var httpPort: Int = 0

    func run() async throws {
        LoggingSystem.bootstrap { _ in ConsoleLogHandler(minimumLevel: .info) }
        let logger = Logger(label: "plugin-host")
        let kvStore = try SQLiteKVStore(path: store)
        let workspace = try DemoWorkspace.seeded()
        var configuration = SupervisorConfiguration()
        if let sdk {
            let existing = ProcessInfo.processInfo.environment["PYTHONPATH"].map { ":" + $0 } ?? ""
            configuration.extraEnvironment["PYTHONPATH"] = sdk + existing
        }
        let environment = try Environment(pluginsDirectory: plugins, configuration: configuration, logger: logger) {
            manifest in DemoPluginAPI(pluginID: manifest.id, store: kvStore, workspace: workspace, logger: logger)
        }
        let ids = await environment.discover()
        for id in ids {
            do {
                try await environment.activate(id)
            } catch {
                logger.error("\(id) did not start: \(error)")
            }
        }
        let (port, server) = try await PluginHTTPServer.start(port: httpPort, environment: environment, logger: logger)
        print("plugin-host: serving http://127.0.0.1:\(port)/plugins/{id}/ for \(ids.joined(separator: ", ")); pid \(getpid())")
        fflush(nil)  // all output streams: the check waits for this line

        await Self.waitForEndOfStandardInput()
        server.cancel()
        _ = try? await server.value
        await environment.shutdown()
        print("plugin-host: stopped")
    }

    /// Returns when standard input reaches end of file (read on a thread of its own).
    static func waitForEndOfStandardInput() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                var buffer = [UInt8](repeating: 0, count: 4096)
                while read(STDIN_FILENO, &buffer, buffer.count) > 0 {}
                continuation.resume()
            }
        }
    }
}
