import Foundation
import Logging
import Synchronization
import Testing

@testable import PluginHost

/// Paths into the repository, found from this file's location.
enum Repository {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var pythonSDK: String { root + "/python" }
    static func testPlugin(_ name: String) -> String { root + "/python/test_plugins/" + name }
    static var examplePlugins: String { root + "/examples/plugins" }
}

/// Launch options for the test plugins: the SDK on PYTHONPATH, a short start timeout, fresh
/// secrets, and a hooks socket path nobody listens on (these tests make no gRPC calls).
func testLaunchOptions(
    apiTarget: String = "127.0.0.1:1", hooksSocketPath: String = "/tmp/plugin-host-tests-no-hooks.sock",
    apiSecret: String = LaunchSecrets.makeSecret(), hooksSecret: String = LaunchSecrets.makeSecret(),
    startTimeout: Duration = .seconds(15)
) -> PluginLaunchOptions {
    PluginLaunchOptions(
        apiTarget: apiTarget, hooksSocketPath: hooksSocketPath, apiSecret: apiSecret, hooksSecret: hooksSecret,
        startTimeout: startTimeout, extraEnvironment: ["PYTHONPATH": Repository.pythonSDK])
}

/// A log handler that keeps every record, so tests can assert on what was logged.
struct RecordingLogHandler: LogHandler, Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    final class Storage: Sendable {
        let records = Mutex<[Record]>([])

        var all: [Record] { records.withLock { $0 } }

        func matching(_ substring: String) -> [Record] { all.filter { $0.message.contains(substring) } }
    }

    let storage: Storage
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    init(storage: Storage) { self.storage = storage }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let record = Record(level: event.level, message: "\(event.message)", metadata: merged)
        storage.records.withLock { $0.append(record) }
    }
}

func makeRecordingLogger() -> (Logger, RecordingLogHandler.Storage) {
    let storage = RecordingLogHandler.Storage()
    let logger = Logger(label: "plugin-host-tests") { _ in RecordingLogHandler(storage: storage) }
    return (logger, storage)
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}

/// Whether a process with this pid exists at all (running or zombie).
func processExists(_ pid: Int32) -> Bool {
    FileManager.default.fileExists(atPath: "/proc/\(pid)")
}

/// What the descriptors of a process point at ("pipe:[123]", "socket:[456]", paths).
func descriptorTargets(of pid: String = "self") -> Set<String> {
    let folder = "/proc/\(pid)/fd"
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return Set(entries.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + $0) })
}

/// A fresh temporary folder, removed by the caller.
func makeTemporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "plugin-host-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func write(_ text: String, to path: String) throws {
    try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// Puts a secret into the host's own environment, which plugins must never see.
///
/// `scripts/test.sh` exports it before the tests start, so during the suite this only reads.
/// `setenv` while another test launches a process races with `Process.run` copying `environ`
/// (seen as a crash in its memcpy), so the variable is written only when it is missing, e.g.
/// when one test runs on its own.
func ensureHostOnlySecretInEnvironment() {
    let name = "AWS_SECRET_ACCESS_KEY", value = "host-only-aws-secret"
    if let current = getenv(name), String(cString: current) == value { return }
    setenv(name, value, 1)
}
