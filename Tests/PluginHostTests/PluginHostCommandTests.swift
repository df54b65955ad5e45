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
}
