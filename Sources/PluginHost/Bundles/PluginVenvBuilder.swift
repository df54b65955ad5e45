import Foundation

/// How an installed plugin's virtual environment is made.
public struct PluginVenvOptions: Sendable {
    /// The interpreter that creates the venv (default: `python3`, or the manifest's
    /// `python_version`, found on PATH).
    public var python: String?
    /// Let the venv see the interpreter's site-packages (`--system-site-packages`).
    public var systemSitePackages = false
    /// Extra arguments for `pip install`, e.g. `--no-index --find-links /srv/wheels` for an
    /// offline host.
    public var pipArguments: [String] = []
    /// The longest venv creation plus pip install may take.
    public var timeout: Duration = .seconds(600)

    public init() {}
}

/// Builds `venv/` in a staged plugin folder from its `requirements.txt`, when it has one.
struct PluginVenvBuilder {
    var options: PluginVenvOptions

    /// Returns whether a venv was built.
    func build(pluginFolder: String, manifest: PluginManifest) async throws(BundleError) -> Bool {
        let requirements = pluginFolder + "/requirements.txt"
        guard FileManager.default.fileExists(atPath: requirements) else { return false }
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let python: String
        if let chosen = options.python {
            python = chosen
        } else {
            // Not PythonInterpreter.choose: a bundle's own venv must never pick the interpreter.
            var names = ["python3"]
            if let wish = manifest.server.pythonVersion, wish != "3" { names.insert("python\(wish)", at: 0) }
            guard let found = Self.find(names, in: searchPath) else {
                throw .environmentFailed(step: "finding python", detail: "none of \(names) on PATH")
            }
            python = found
        }
        let environment = ["PATH": searchPath, "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/tmp",
                           "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONDONTWRITEBYTECODE": "1"]
        let deadline = ContinuousClock.now + options.timeout

        var venvArguments = ["-m", "venv"]
        if options.systemSitePackages { venvArguments.append("--system-site-packages") }
        venvArguments.append(pluginFolder + "/venv")
        try await run(python, venvArguments, "creating the venv", environment, pluginFolder, deadline)

        let pipArguments = ["-m", "pip", "install", "--no-input", "-r", "requirements.txt"] + options.pipArguments
        try await run(pluginFolder + "/venv/bin/python3", pipArguments, "pip install -r requirements.txt",
                      environment, pluginFolder, deadline)
        return true
    }

    private func run(
        _ executable: String, _ arguments: [String], _ step: String, _ environment: [String: String],
        _ folder: String, _ deadline: ContinuousClock.Instant
    ) async throws(BundleError) {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { throw .environmentFailed(step: step, detail: "out of time") }
        let outcome = try await BoundedTool(
            executable: executable, arguments: arguments, environment: environment, workingDirectory: folder,
            timeout: remaining
        ).run()
        guard outcome.succeeded else {
            let how = outcome.status.map(\.description) ?? "timed out after \(options.timeout)"
            let lastLines = outcome.outputTail.split(separator: "\n").suffix(12).joined(separator: "\n")
            throw .environmentFailed(step: step, detail: "\(how)\n\(lastLines)")
        }
    }

    private static func find(_ names: [String], in searchPath: String) -> String? {
        for name in names {
            for folder in searchPath.split(separator: ":") where folder.hasPrefix("/") {
                let candidate = folder + "/" + name
                if PythonInterpreter.isExecutableFile(candidate) { return candidate }
            }
        }
        return nil
    }
}
