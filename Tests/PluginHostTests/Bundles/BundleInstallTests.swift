import Foundation
import Testing

@testable import PluginHost

#if canImport(Glibc)
import Glibc
#endif

/// `Environment.install(bundleAt:options:)` with bundles written by Python's tarfile and real
/// plugin processes: digests, signatures, hostile archives, venvs, and upgrades that roll back.
@Suite(.serialized)
struct BundleInstallTests {
    static let pluginID = "com.test.bundled"

    /// Plugins folder inside a scratch folder, so an escape would land in the scratch folder
    /// (where the test looks for it) and not somewhere unknown.
    struct Scratch {
        let host: TestHost
        let bundles: String

        static func make() async throws -> Scratch {
            let host = try await TestHost.make(plugins: [])
            let bundles = try makeTemporaryDirectory()
            return Scratch(host: host, bundles: bundles)
        }

        func bundle(_ name: String, _ entries: [BundleFactory.Entry]) throws -> BundleFactory.Made {
            try BundleFactory.make(entries, at: bundles + "/" + name + ".tar.gz")
        }

        func options(_ made: BundleFactory.Made) -> PluginBundleOptions {
            var options = PluginBundleOptions()
            options.expectedSHA256 = made.sha256
            return options
        }

        /// What the plugins folder holds, hidden entries included (a leftover staging folder would show).
        var pluginsFolderEntries: [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: host.folder)) ?? []).sorted()
        }

        func tearDown() async {
            await host.tearDown()
            try? FileManager.default.removeItem(atPath: bundles)
        }
    }

    @Test func installsAndActivatesACheckedBundle() async throws {
        let scratch = try await Scratch.make()
        let made = try scratch.bundle("v1", BundleFactory.plugin(id: Self.pluginID, version: "1", topFolder: "bundled"))
        let report = try await scratch.host.environment.install(bundleAt: made.path, options: scratch.options(made))
        #expect(report.pluginID == Self.pluginID)
        #expect(report.version == "1")
        #expect(report.previousVersion == nil)
        #expect(report.sha256 == made.sha256)
        #expect(report.activated)
        #expect(await scratch.host.environment.state(of: Self.pluginID) == .active)
        #expect(scratch.host.value(Self.pluginID, "version") == "1")
        #expect(scratch.pluginsFolderEntries == [Self.pluginID])
        await scratch.tearDown()
    }

    @Test func takesTheDigestFromASidecarFileAndRefusesAMismatch() async throws {
        let scratch = try await Scratch.make()
        let made = try scratch.bundle("v1", BundleFactory.plugin(id: Self.pluginID, version: "1"))
        var options = PluginBundleOptions()
        options.activate = false

        let missing = await installError(scratch, made.path, options)
        #expect(missing?.reason.bundleError == .missingDigest)

        let wrong = String(repeating: "ab", count: 32)
        try (wrong + "  v1.tar.gz\n").write(toFile: made.path + ".sha256", atomically: true, encoding: .utf8)
        let mismatch = await installError(scratch, made.path, options)
        #expect(mismatch?.reason.bundleError == .digestMismatch(expected: wrong, actual: made.sha256))
        #expect(scratch.pluginsFolderEntries.isEmpty)

        try (made.sha256 + "  v1.tar.gz\n").write(toFile: made.path + ".sha256", atomically: true, encoding: .utf8)
        let report = try await scratch.host.environment.install(bundleAt: made.path, options: options)
        #expect(!report.activated)
        #expect(await scratch.host.environment.state(of: Self.pluginID) == .inactive)
        #expect(scratch.pluginsFolderEntries == [Self.pluginID])
        await scratch.tearDown()
    }

    @Test(arguments: [
        ("dot-dot", [BundleFactory.Entry(name: "../escaped.txt", text: "x")], "unsafePath"),
        ("nested-dot-dot", [BundleFactory.Entry(name: "a/../../escaped.txt", text: "x")], "unsafePath"),
        ("absolute", [BundleFactory.Entry(name: "/tmp/escaped.txt", text: "x")], "unsafePath"),
        ("link-up", [BundleFactory.Entry(name: "out", type: "symlink", target: "../..")], "linkEscapes"),
        ("link-absolute", [BundleFactory.Entry(name: "out", type: "symlink", target: "/etc")], "linkEscapes"),
        // Each link alone stays inside when read as text; together, "a" is the parent of the root.
        ("link-chain", [
            BundleFactory.Entry(name: "x", type: "symlink", target: "."),
            BundleFactory.Entry(name: "a", type: "symlink", target: "x/.."),
        ], "linkEscapes"),
        ("hard-link", [BundleFactory.Entry(name: "h", type: "hardlink", target: "plugin.py")], "unsupportedEntry"),
        ("fifo", [BundleFactory.Entry(name: "f", type: "fifo")], "unsupportedEntry"),
        ("duplicate", [BundleFactory.Entry(name: "plugin.py", text: "print('second')")], "duplicateEntry"),
    ])
    func refusesHostileArchives(name: String, hostile: [BundleFactory.Entry], expected: String) async throws {
        let scratch = try await Scratch.make()
        let made = try scratch.bundle(name, BundleFactory.plugin(id: Self.pluginID, version: "1", extra: hostile))
        let error = await installError(scratch, made.path, scratch.options(made))
        let reason = try #require(error?.reason.bundleError)
        #expect(String(describing: reason).isEmpty == false)
        #expect("\(reason.caseName)" == expected, "got \(reason)")
        #expect(scratch.pluginsFolderEntries.isEmpty, "left behind: \(scratch.pluginsFolderEntries)")
        #expect(!FileManager.default.fileExists(atPath: (scratch.host.folder as NSString).deletingLastPathComponent + "/escaped.txt"))
        await scratch.tearDown()
    }

    @Test func stopsUnpackingAtTheSizeLimit() async throws {
        let scratch = try await Scratch.make()
        let made = try scratch.bundle("bomb", BundleFactory.plugin(
            id: Self.pluginID, version: "1", extra: [BundleFactory.Entry(name: "zeros.bin", zeros: 16 << 20)]))
        let compressedSize = try #require(FileManager.default.attributesOfItem(atPath: made.path)[.size] as? Int)
        #expect(compressedSize <= 64 << 10)
        var options = scratch.options(made)
        options.maximumUnpackedBytes = 1 << 20
        let error = await installError(scratch, made.path, options)
        #expect(error?.reason.bundleError == .unpackedTooLarge(limit: 1 << 20))
        #expect(scratch.pluginsFolderEntries.isEmpty)
        await scratch.tearDown()
    }

    @Test func verifiesEd25519SignaturesOfTheDigest() async throws {
        let scratch = try await Scratch.make()
        let made = try scratch.bundle("signed", BundleFactory.plugin(id: Self.pluginID, version: "1"))
        let keys = scratch.bundles
        for name in ["publisher", "stranger"] {
            try openssl(["genpkey", "-algorithm", "ed25519", "-out", "\(keys)/\(name).pem"])
            try openssl(["pkey", "-in", "\(keys)/\(name).pem", "-pubout", "-out", "\(keys)/\(name).pub"])
        }
        try openssl(["dgst", "-sha256", "-binary", "-out", "\(keys)/digest", made.path])
        try openssl(["pkeyutl", "-sign", "-rawin", "-inkey", "\(keys)/stranger.pem", "-in", "\(keys)/digest",
                     "-out", made.path + ".sig"])

        var options = scratch.options(made)
        options.activate = false
        options.trustedKeys = [try BundlePublicKey(contentsOf: Array(try Data(contentsOf: URL(fileURLWithPath: "\(keys)/publisher.pub"))))]
        #expect(await installError(scratch, made.path, options)?.reason.bundleError == .badSignature)

        try FileManager.default.removeItem(atPath: made.path + ".sig")
        #expect(await installError(scratch, made.path, options)?.reason.bundleError == .missingSignature)
        #expect(scratch.pluginsFolderEntries.isEmpty)

        try openssl(["pkeyutl", "-sign", "-rawin", "-inkey", "\(keys)/publisher.pem", "-in", "\(keys)/digest",
                     "-out", made.path + ".sig"])
        let report = try await scratch.host.environment.install(bundleAt: made.path, options: options)
        #expect(report.version == "1")
        await scratch.tearDown()
    }

    @Test func anUpgradeThatFailsToActivateRollsBackToTheRunningVersion() async throws {
        let scratch = try await Scratch.make()
        let environment = scratch.host.environment
        let v1 = try scratch.bundle("v1", BundleFactory.plugin(id: Self.pluginID, version: "1"))
        _ = try await environment.install(bundleAt: v1.path, options: scratch.options(v1))
        let firstPID = try #require(await environment.supervisor(for: Self.pluginID)?.pid)
        try scratch.host.store.delete(plugin: Self.pluginID, key: "version")

        let v2 = try scratch.bundle("v2", BundleFactory.plugin(id: Self.pluginID, version: "2", failActivation: true))
        let error = try #require(await installError(scratch, v2.path, scratch.options(v2)))
        guard case .activationFailed = error.reason else {
            Issue.record("expected an activation failure, got \(error)")
            return
        }
        #expect(error.rollback == .restored(version: "1", reactivated: true))
        #expect(await environment.state(of: Self.pluginID) == .active)
        let restoredPID = try #require(await environment.supervisor(for: Self.pluginID)?.pid)
        #expect(restoredPID != firstPID)
        // Version 1 ran its OnActivate again.
        #expect(scratch.host.value(Self.pluginID, "version") == "1")
        let onDisk = try PluginManifest.load(fromDirectory: scratch.host.folder + "/" + Self.pluginID)
        #expect(onDisk.version == "1")
        #expect(scratch.pluginsFolderEntries == [Self.pluginID])

        let v3 = try scratch.bundle("v3", BundleFactory.plugin(id: Self.pluginID, version: "3"))
        let report = try await environment.install(bundleAt: v3.path, options: scratch.options(v3))
        #expect(report.previousVersion == "1")
        #expect(scratch.host.value(Self.pluginID, "version") == "3")
        #expect(scratch.pluginsFolderEntries == [Self.pluginID])
        await scratch.tearDown()
    }

    @Test func buildsTheVenvFromRequirementsOffline() async throws {
        let scratch = try await Scratch.make()
        let made = try scratch.bundle("venv", BundleFactory.plugin(
            id: Self.pluginID, version: "1", importing: "tinypkg",
            extra: [
                BundleFactory.Entry(name: "wheels/tinypkg-1.0-py3-none-any.whl", type: "wheel", package: "tinypkg"),
                BundleFactory.Entry(name: "requirements.txt", text: "--no-index\n--find-links wheels\ntinypkg==1.0\n"),
            ]))
        var options = scratch.options(made)
        // grpcio comes from the interpreter's site-packages; tinypkg only from the bundle's wheel.
        options.venv.systemSitePackages = true
        let report = try await scratch.host.environment.install(bundleAt: made.path, options: options)
        #expect(report.builtVenv)
        let supervisor = try #require(await scratch.host.environment.supervisor(for: Self.pluginID))
        let interpreter = try #require(await supervisor.interpreter)
        #expect(interpreter.reason.contains("venv"))
        #expect(scratch.host.value(Self.pluginID, "version") == "1")
        await scratch.tearDown()
    }

    @Test func reportsAFailedRequirementsInstallWithPipsOutput() async throws {
        let scratch = try await Scratch.make()
        let made = try scratch.bundle("badreq", BundleFactory.plugin(
            id: Self.pluginID, version: "1",
            extra: [BundleFactory.Entry(name: "requirements.txt", text: "--no-index\nno-such-package-here==9.9\n")]))
        let error = await installError(scratch, made.path, scratch.options(made))
        guard case .environmentFailed(let step, let detail) = error?.reason.bundleError else {
            Issue.record("expected a venv failure, got \(String(describing: error))")
            return
        }
        #expect(step.contains("pip install"))
        #expect(detail.contains("no-such-package-here"))
        #expect(scratch.pluginsFolderEntries.isEmpty)
        await scratch.tearDown()
    }

    private func installError(_ scratch: Scratch, _ path: String, _ options: PluginBundleOptions) async
        -> PluginInstallError?
    {
        do {
            _ = try await scratch.host.environment.install(bundleAt: path, options: options)
            return nil
        } catch {
            return error
        }
    }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BundleFactory.FactoryError(message: "openssl \(arguments.joined(separator: " "))")
        }
    }
}

extension PluginInstallError.Reason {
    var bundleError: BundleError? {
        if case .bundle(let error) = self { return error }
        return nil
    }
}

extension BundleError {
    /// The case's name, for tests that care about the kind of refusal only.
    var caseName: String {
        String(String(describing: Mirror(reflecting: self).children.first?.label ?? "\(self)").prefix { $0 != "(" })
    }
}
