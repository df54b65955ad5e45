import Foundation
import Testing

@testable import PluginHost

@Suite struct ManifestTests {
    private func parse(_ json: String) throws(ManifestError) -> PluginManifest {
        try PluginManifest.parse(Data(json.utf8))
    }

    @Test func parsesAFullManifest() throws {
        let manifest = try parse(
            #"{"id":"com.example.demo","version":"1.2.3","server":{"executable":"plugin.py","runtime":"python","python_version":"3.11"}}"#)
        #expect(manifest.id == "com.example.demo")
        #expect(manifest.version == "1.2.3")
        #expect(manifest.server.executable == "plugin.py")
        #expect(manifest.server.pythonVersion == "3.11")
    }

    @Test func reportsEachMissingField() {
        #expect(throws: ManifestError.missingField("id")) { try parse(#"{"version":"1"}"#) }
        #expect(throws: ManifestError.missingField("version")) { try parse(#"{"id":"abc"}"#) }
        #expect(throws: ManifestError.missingField("server")) { try parse(#"{"id":"abc","version":"1"}"#) }
        #expect(throws: ManifestError.missingField("server.executable")) {
            try parse(#"{"id":"abc","version":"1","server":{"runtime":"python"}}"#)
        }
        #expect(throws: ManifestError.missingField("server.runtime")) {
            try parse(#"{"id":"abc","version":"1","server":{"executable":"p.py"}}"#)
        }
    }

    @Test func refusesOtherRuntimesBadIDsAndVersions() {
        #expect(throws: ManifestError.unsupportedRuntime("go")) {
            try parse(#"{"id":"abc","version":"1","server":{"executable":"p","runtime":"go"}}"#)
        }
        #expect(throws: ManifestError.invalidID("a/b")) {
            try parse(#"{"id":"a/b","version":"1","server":{"executable":"p","runtime":"python"}}"#)
        }
        #expect(throws: ManifestError.invalidPythonVersion("3.x")) {
            try parse(#"{"id":"abc","version":"1","server":{"executable":"p","runtime":"python","python_version":"3.x"}}"#)
        }
    }

    @Test func malformedJSONIsATypedError() {
        #expect {
            try parse("{not json")
        } throws: { error in
            if case .malformedJSON = error as? ManifestError { return true }
            return false
        }
    }

    @Test func executableMayNotEscapeThePluginFolder() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let plugin = root + "/plugin"
        try write("print('inside')", to: plugin + "/inside.py")
        try write("print('outside')", to: root + "/outside.py")
        try FileManager.default.createSymbolicLink(atPath: plugin + "/link.py", withDestinationPath: root + "/outside.py")

        func manifest(_ executable: String) -> PluginManifest {
            PluginManifest(
                id: "abc", version: "1", name: nil,
                server: .init(executable: executable, runtime: "python", pythonVersion: nil))
        }
        let resolved = try manifest("inside.py").resolvedExecutable(inDirectory: plugin)
        #expect(resolved.hasSuffix("/plugin/inside.py"))
        #expect(throws: ManifestError.pathEscapesPluginFolder("../outside.py")) {
            try manifest("../outside.py").resolvedExecutable(inDirectory: plugin)
        }
        #expect(throws: ManifestError.pathEscapesPluginFolder(root + "/outside.py")) {
            try manifest(root + "/outside.py").resolvedExecutable(inDirectory: plugin)
        }
        #expect(throws: ManifestError.pathEscapesPluginFolder("link.py")) {
            try manifest("link.py").resolvedExecutable(inDirectory: plugin)
        }
        #expect(throws: ManifestError.executableMissing("missing.py")) {
            try manifest("missing.py").resolvedExecutable(inDirectory: plugin)
        }
    }

    @Test func loadsTheExamplePluginManifest() throws {
        let manifest = try PluginManifest.load(fromDirectory: Repository.examplePlugins + "/demo")
        #expect(manifest.id == "com.example.demo")
        #expect(manifest.server.runtime == "python")
    }

    @Test func oversizedManifestIsRefused() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(String(repeating: " ", count: 70_000) + "{}", to: root + "/plugin.json")
        #expect(throws: ManifestError.tooLarge(path: root + "/plugin.json")) {
            try PluginManifest.load(fromDirectory: root)
        }
    }
}

@Suite struct InterpreterLookupTests {
    @Test func prefersVenvThenDotVenvThenPath() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let pathDir = root + "/bin"
        try write("#!/bin/sh\n", to: pathDir + "/python3")
        chmod(pathDir + "/python3", 0o755)
        let plugin = root + "/plugin"
        try FileManager.default.createDirectory(atPath: plugin, withIntermediateDirectories: true)

        #expect(try PythonInterpreter.locate(pluginDirectory: plugin, pythonVersion: nil, searchPath: pathDir)
            == pathDir + "/python3")

        try write("#!/bin/sh\n", to: plugin + "/.venv/bin/python3")
        chmod(plugin + "/.venv/bin/python3", 0o755)
        #expect(try PythonInterpreter.locate(pluginDirectory: plugin, pythonVersion: nil, searchPath: pathDir)
            == plugin + "/.venv/bin/python3")

        // venv's python3 is usually a symlink to a system interpreter: allowed.
        try FileManager.default.createDirectory(atPath: plugin + "/venv/bin", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: plugin + "/venv/bin/python3", withDestinationPath: pathDir + "/python3")
        #expect(try PythonInterpreter.locate(pluginDirectory: plugin, pythonVersion: nil, searchPath: pathDir)
            == plugin + "/venv/bin/python3")
    }

    @Test func venvSymlinkedIntoThePluginFolderIsUsedAndSaysWhereItLives() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("#!/bin/sh\n", to: root + "/shared-venv/bin/python3")
        chmod(root + "/shared-venv/bin/python3", 0o755)
        try write("#!/bin/sh\n", to: root + "/bin/python3")
        chmod(root + "/bin/python3", 0o755)
        let plugin = root + "/plugin"
        try FileManager.default.createDirectory(atPath: plugin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: plugin + "/venv", withDestinationPath: root + "/shared-venv")

        let choice = try PythonInterpreter.choose(pluginDirectory: plugin, pythonVersion: nil, searchPath: root + "/bin")
        #expect(choice.path == plugin + "/venv/bin/python3")
        #expect(choice.reason == "the plugin's venv")
        #expect(choice.linkedVenv == realPath(root + "/shared-venv"))
        #expect(choice.description.contains("linked to \(realPath(root + "/shared-venv") ?? "")"))
        // Without the venv: python3 on PATH, and the choice says so.
        try FileManager.default.removeItem(atPath: plugin + "/venv")
        let fallback = try PythonInterpreter.choose(pluginDirectory: plugin, pythonVersion: nil, searchPath: root + "/bin")
        #expect(fallback == PythonInterpreter.Choice(path: root + "/bin/python3", reason: "python3 on PATH"))
    }

    @Test func versionWishPrefersVersionedBinaryOnPath() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for name in ["python3", "python3.99"] {
            try write("#!/bin/sh\n", to: root + "/bin/" + name)
            chmod(root + "/bin/" + name, 0o755)
        }
        #expect(try PythonInterpreter.locate(pluginDirectory: root, pythonVersion: "3.99", searchPath: root + "/bin")
            == root + "/bin/python3.99")
        #expect(try PythonInterpreter.locate(pluginDirectory: root, pythonVersion: "3.98", searchPath: root + "/bin")
            == root + "/bin/python3")
    }

    @Test func reportsWhatItSearched() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect {
            try PythonInterpreter.locate(pluginDirectory: root, pythonVersion: nil, searchPath: root)
        } throws: { error in
            guard case .notFound(let searched) = error as? PythonInterpreter.LookupError else { return false }
            return searched.contains(root + "/venv/bin/python3") && searched.contains("python3 on PATH")
        }
    }
}
