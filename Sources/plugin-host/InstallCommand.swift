import ArgumentParser
import Foundation
import Logging
import PluginHost
import PluginHostDemo

/// `plugin-host install BUNDLE.tar.gz --plugins DIR`: checks, unpacks and trial-activates a
/// plugin bundle; an upgrade that does not activate is rolled back to the installed version.
struct InstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install or upgrade a plugin from a .tar.gz bundle (checked, then trial-activated).")

    @Argument(help: "The bundle (.tar.gz). BUNDLE.sha256 and BUNDLE.sig beside it are read when present.")
    var bundle: String

    @Option(help: "Folder whose subfolders are plugins; the bundle is unpacked into it.")
    var plugins: String

    @Option(help: "Expected SHA-256 of the bundle (64 hex digits); default: the first word of BUNDLE.sha256.")
    var sha256: String?

    @Option(help: "A trusted Ed25519 public key (PEM, base64 or hex); repeatable. With one, a signature is required.")
    var publicKey: [String] = []

    @Option(help: "The bundle's signature file (default: BUNDLE.sig).")
    var signature: String?

    @Flag(help: "Let the plugin's venv see the interpreter's site-packages.")
    var systemSitePackages = false

    @Option(parsing: .unconditionalSingleValue, help: "An extra argument for pip install (e.g. --no-index); repeatable.")
    var pipArgument: [String] = []

    @Flag(help: "Unpack only: do not trial-activate the plugin.")
    var noActivate = false

    @Option(help: "Folder holding the mattermost_plugin Python SDK, for the trial activation.")
    var sdk: String?

    func run() async throws {
        LoggingSystem.bootstrap { _ in ConsoleLogHandler(minimumLevel: .info) }
        let logger = Logger(label: "plugin-host")
        var options = PluginBundleOptions()
        options.expectedSHA256 = sha256
        options.trustedKeys = try publicKey.map { path in try BundlePublicKey(contentsOf: try Self.read(path)) }
        options.signature = try signature.map(Self.read)
        options.venv.systemSitePackages = systemSitePackages
        options.venv.pipArguments = pipArgument
        options.activate = !noActivate

        var configuration = SupervisorConfiguration()
        if let sdk { configuration.extraEnvironment["PYTHONPATH"] = sdk }
        // The trial activation runs against a throwaway key-value store.
        let store = try SQLiteKVStore(path: ":memory:")
        let workspace = try DemoWorkspace.seeded()
        let environment = try Environment(pluginsDirectory: plugins, configuration: configuration, logger: logger) {
            manifest in DemoPluginAPI(pluginID: manifest.id, store: store, workspace: workspace, logger: logger)
        }
        await environment.discover()
        do {
            let report = try await environment.install(bundleAt: bundle, options: options)
            let previous = report.previousVersion.map { " (replacing \($0))" } ?? ""
            print("installed \(report.pluginID) \(report.version)\(previous), sha256 \(report.sha256)"
                + (report.builtVenv ? ", venv built" : "") + (report.activated ? ", activated and stopped again" : ""))
            await environment.shutdown()
        } catch {
            await environment.shutdown()
            print("error: \(error)")
            throw ExitCode(1)
        }
    }

    private static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        return Array(data)
    }
}
