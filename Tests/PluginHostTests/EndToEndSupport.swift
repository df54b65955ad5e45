import Foundation
import Logging
import PluginHostDemo
import RPC
import Testing

@testable import PluginHost

#if canImport(Glibc)
import Glibc
#endif

/// A real host for end-to-end tests: an Environment over a temporary plugins folder that
/// links the chosen test plugins, with the demo's SQLite-backed PluginAPI.
struct TestHost {
    let environment: Environment
    let store: SQLiteKVStore
    let workspace: DemoWorkspace
    let records: RecordingLogHandler.Storage
    let folder: String

    /// - Parameters:
    ///   - maximumFileSize: the demo workspace's upload limit.
    ///   - api: the host's PluginAPI for a plugin, instead of the demo's.
    static func make(
        plugins: [String], extraFolders: [String] = [], maximumFileSize: Int64 = 64 << 20,
        api: (@Sendable (PluginManifest) -> any PluginAPI)? = nil,
        configure: (inout SupervisorConfiguration) -> Void = { _ in }
    ) async throws -> TestHost {
        let folder = try makeTemporaryDirectory()
        for name in plugins {
            try FileManager.default.createSymbolicLink(
                atPath: folder + "/" + name, withDestinationPath: Repository.testPlugin(name))
        }
        for extra in extraFolders {
            try FileManager.default.createSymbolicLink(
                atPath: folder + "/" + (extra as NSString).lastPathComponent, withDestinationPath: extra)
        }
        var configuration = SupervisorConfiguration()
        configuration.extraEnvironment = ["PYTHONPATH": Repository.pythonSDK]
        configuration.startTimeout = .seconds(20)
        configuration.callTimeout = .seconds(10)
        configuration.exitGrace = .seconds(3)
        configuration.terminateGrace = .seconds(2)
        configuration.healthCheckInterval = .milliseconds(300)
        // Generous: a loaded 2-core machine must not fail a healthy plugin's checks (the hung-plugin
        // test sets its own short timeouts).
        configuration.healthCheckTimeout = .seconds(3)
        configure(&configuration)
        let store = try SQLiteKVStore(path: ":memory:")
        let workspace = try DemoWorkspace.seeded(maximumFileSize: maximumFileSize)
        let (logger, records) = makeRecordingLogger()
        let environment = try Environment(
            pluginsDirectory: folder, configuration: configuration, logger: logger
        ) { manifest in
            api?(manifest) ?? DemoPluginAPI(pluginID: manifest.id, store: store, workspace: workspace, logger: logger)
        }
        workspace.attach(environment)
        await environment.discover()
        return TestHost(environment: environment, store: store, workspace: workspace, records: records, folder: folder)
    }

    func value(_ plugin: String, _ key: String) -> String? {
        (try? store.get(plugin: plugin, key: key)).flatMap { $0 }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Shuts everything down and removes the temporary folder.
    func tearDown() async {
        await environment.shutdown()
        try? FileManager.default.removeItem(atPath: folder)
    }
}

func makePost(_ message: String, id: String = "", channel: String = "channel-town-square") -> PluginPost {
    var post = PluginPost()
    post.id = id
    post.message = message
    post.channelID = channel
    post.userID = "user-alice"
    return post
}

func command(_ line: String) -> PluginCommandArgs {
    var args = PluginCommandArgs()
    args.command = line
    args.userID = "user-alice"
    args.channelID = "channel-town-square"
    return args
}

extension PluginState {
    var isActive: Bool { self == .active }
    var isDisabled: Bool {
        if case .disabled = self { return true }
        return false
    }
    var isRestarting: Bool {
        if case .restarting = self { return true }
        return false
    }
}

/// Runs `body` against a fresh TestHost and always shuts it down afterwards (even when
/// `body` throws), so no test leaves processes or servers running into the next one.
func withTestHost(
    plugins: [String], extraFolders: [String] = [], maximumFileSize: Int64 = 64 << 20,
    api: (@Sendable (PluginManifest) -> any PluginAPI)? = nil,
    configure: (inout SupervisorConfiguration) -> Void = { _ in },
    _ body: (TestHost) async throws -> Void
) async throws {
    let host = try await TestHost.make(
        plugins: plugins, extraFolders: extraFolders, maximumFileSize: maximumFileSize, api: api, configure: configure)
    do {
        try await body(host)
    } catch {
        await host.tearDown()
        throw error
    }
    await host.tearDown()
}

/// The inode of the socket listening on `port` ("socket:[N]" in /proc/PID/fd), if any.
func listeningSocket(port: Int) -> String? {
    let hexPort = String(format: ":%04X", port)
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count > 9, fields[1].hasSuffix(hexPort), fields[3] == "0A" { return "socket:[\(fields[9])]" }
        }
    }
    return nil
}

/// Whether a TCP socket of this machine is listening on `port` (read from /proc, so the
/// check itself opens no connection).
func isListening(port: Int) -> Bool {
    let hexPort = String(format: ":%04X", port)
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // fields[1] is local "ADDR:PORT", fields[3] the state; 0A is LISTEN.
            if fields.count > 3, fields[1].hasSuffix(hexPort), fields[3] == "0A" { return true }
        }
    }
    return false
}

/// The inode of the Unix socket listening at `path` ("socket:[N]" in /proc/PID/fd), if any,
/// from /proc/net/unix (Num RefCount Protocol Flags Type St Inode Path; flag 0x10000 is listening).
func listeningSocket(unixPath path: String) -> String? {
    // Read to end of file: /proc files report size 0, and this one grows with every socket.
    guard let data = FileHandle(forReadingAtPath: "/proc/net/unix")?.readDataToEndOfFile() else { return nil }
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst() {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 8, fields[7] == path, let flags = Int(fields[3], radix: 16), flags & 0x10000 != 0
        else { continue }
        return "socket:[\(fields[6])]"
    }
    return nil
}

func isListening(unixPath path: String) -> Bool { listeningSocket(unixPath: path) != nil }
