import Foundation

/// Makes `.tar.gz` bundles with Python's `tarfile` (an independent tar writer), including
/// hostile ones our own code would never write: `..` names, absolute names, escaping links,
/// hard links, FIFOs.
enum BundleFactory {
    struct Entry: Encodable {
        var name: String
        var type = "file"
        var text: String?
        var zeros: Int?
        var target: String?
        var mode = 0o644
        /// For type "wheel": the distribution name (the wheel holds `NAME/__init__.py`).
        var package: String?
    }

    struct Made {
        var path: String
        var sha256: String
    }

    /// Writes the bundle to `path` and returns its SHA-256.
    static func make(_ entries: [Entry], at path: String) throws -> Made {
        struct Spec: Encodable {
            var out: String
            var entries: [Entry]
        }
        let spec = String(decoding: try JSONEncoder().encode(Spec(out: path, entries: entries)), as: UTF8.self)
        let output = try runPython(script, arguments: [spec])
        return Made(path: path, sha256: output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A working plugin bundle: `plugin.json` and a `plugin.py` that stores its version in the
    /// key-value store when activated, or refuses to activate when `failActivation`.
    static func plugin(
        id: String, version: String, failActivation: Bool = false, topFolder: String? = nil,
        importing module: String? = nil, extra: [Entry] = []
    ) -> [Entry] {
        let prefix = topFolder.map { $0 + "/" } ?? ""
        let activation = failActivation
            ? "raise AppError('version \(version) refuses to activate')"
            : "self.api.kv_set('version', '\(version)')"
        let plugin = """
            from mattermost_plugin import AppError, Plugin, hook, run
            \(module.map { "import \($0)" } ?? "")

            class Bundled(Plugin):
                @hook
                def on_activate(self):
                    \(activation)

            run(Bundled())
            """
        return [
            Entry(name: prefix + "plugin.json", text: """
                {"id": "\(id)", "version": "\(version)", "server": {"executable": "plugin.py", "runtime": "python"}}
                """),
            Entry(name: prefix + "plugin.py", text: plugin, mode: 0o755),
        ] + extra.map { entry in
            var entry = entry
            entry.name = prefix + entry.name
            return entry
        }
    }

    static func runPython(_ code: String, arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", code] + arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FactoryError(message: String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: output, as: UTF8.self)
    }

    struct FactoryError: Error, CustomStringConvertible {
        var message: String
        var description: String { "bundle factory failed: \(message)" }
    }

    private static let script = """
        import hashlib, io, json, sys, tarfile, zipfile
        spec = json.loads(sys.argv[1])

        def wheel(package):
            data = io.BytesIO()
            with zipfile.ZipFile(data, "w") as z:
                z.writestr(package + "/__init__.py", "MARK = 'installed from a wheel'\\n")
                info = package + "-1.0.dist-info/"
                z.writestr(info + "METADATA", "Metadata-Version: 2.1\\nName: %s\\nVersion: 1.0\\n" % package)
                z.writestr(info + "WHEEL", "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
                z.writestr(info + "RECORD", "")
            return data.getvalue()

        with tarfile.open(spec["out"], "w:gz", format=tarfile.PAX_FORMAT) as tar:
            for entry in spec["entries"]:
                info = tarfile.TarInfo(entry["name"])
                info.mode = entry.get("mode", 0o644)
                kind = entry.get("type", "file")
                payload = None
                if kind == "file":
                    if entry.get("zeros") is not None:
                        payload = bytes(entry["zeros"])
                    else:
                        payload = (entry.get("text") or "").encode()
                elif kind == "wheel":
                    payload = wheel(entry["package"])
                elif kind == "dir":
                    info.type = tarfile.DIRTYPE
                elif kind == "symlink":
                    info.type = tarfile.SYMTYPE
                    info.linkname = entry["target"]
                elif kind == "hardlink":
                    info.type = tarfile.LNKTYPE
                    info.linkname = entry["target"]
                elif kind == "fifo":
                    info.type = tarfile.FIFOTYPE
                if payload is not None:
                    info.size = len(payload)
                    tar.addfile(info, io.BytesIO(payload))
                else:
                    tar.addfile(info)
        print(hashlib.sha256(open(spec["out"], "rb").read()).hexdigest())
        """
}
