import Foundation
import Testing

@testable import PluginHost

/// The `plugin-host` executable itself, run as a user would.
@Suite struct PluginHostCommandTests {
    /// The plugin-host binary next to this test bundle (swift build --build-tests builds it).
    private var binary: String {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("plugin-host").path
        if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
        return Repository.root + "/.build/debug/plugin-host"
    }

    @Test func exitsNonZeroAndSaysWhyWhenEveryPluginFailsToStart() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: binary), "build plugin-host first: \(binary)")
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["early_exit", "bad_version"] {
            try FileManager.default.createSymbolicLink(
                atPath: folder + "/" + name, withDestinationPath: Repository.testPlugin(name))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--plugins", folder, "--store", folder + "/kv.sqlite", "--sdk", Repository.pythonSDK]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Reading until the host exits blocks: on a thread of its own, not the test pool's.
        let reader = output.fileHandleForReading
        let text = await runOnDedicatedThread(name: "plugin-host-output") {
            let text = String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return text
        }
        #expect(process.terminationStatus == 1, "\(text)")
        #expect(text.contains("no plugin started"), "\(text)")
        // Each failure with its reason and the plugin's last stderr lines.
        #expect(text.contains("plugin test.early_exit failed to start"), "\(text)")
        #expect(text.contains("cannot load settings: file missing"), "\(text)")
        #expect(text.contains("plugin test.bad_version failed to start"), "\(text)")
        #expect(text.contains("interpreter: "), "\(text)")
    }

    @Test func installsABundleWithItsSidecarDigestAndRefusesATamperedOne() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let plugins = folder + "/plugins"
        try FileManager.default.createDirectory(atPath: plugins, withIntermediateDirectories: true)
        let made = try BundleFactory.make(
            BundleFactory.plugin(id: "com.test.cli", version: "2.0.1", topFolder: "cli"), at: folder + "/cli.tar.gz")
        try (made.sha256 + "  cli.tar.gz\n").write(toFile: made.path + ".sha256", atomically: true, encoding: .utf8)

        let installed = try await run(["install", made.path, "--plugins", plugins, "--sdk", Repository.pythonSDK])
        #expect(installed.status == 0, "\(installed.text)")
        #expect(installed.text.contains("installed com.test.cli 2.0.1"), "\(installed.text)")
        #expect(installed.text.contains("activated and stopped again"), "\(installed.text)")
        #expect(FileManager.default.fileExists(atPath: plugins + "/com.test.cli/plugin.py"))

        // One byte changed after the digest was taken.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: made.path))
        bytes[bytes.count - 1] ^= 0xff
        try bytes.write(to: URL(fileURLWithPath: made.path))
        let refused = try await run(["install", made.path, "--plugins", plugins, "--sdk", Repository.pythonSDK])
        #expect(refused.status == 1, "\(refused.text)")
        #expect(refused.text.contains("SHA-256 mismatch"), "\(refused.text)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: plugins) == ["com.test.cli"])
    }

    private func run(_ arguments: [String]) async throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let reader = output.fileHandleForReading
        let text = await runOnDedicatedThread(name: "plugin-host-output") {
            let text = String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return text
        }
        return (process.terminationStatus, text)
    }
}
