import Foundation

/// Finds the Python interpreter for a plugin: its own virtual environment first
/// (`venv/bin/python3`, then `.venv/bin/python3`, also when `venv` is a symlink to a venv
/// elsewhere), then `python3` on PATH. The choice says why it was made, for the log.
public enum PythonInterpreter {
    public enum LookupError: Error, Equatable, CustomStringConvertible {
        case notFound(searched: [String])

        public var description: String {
            switch self {
            case .notFound(let searched): "no Python interpreter found (looked for \(searched.joined(separator: ", ")))"
            }
        }
    }

    /// The interpreter chosen for a plugin and why.
    public struct Choice: Sendable, Equatable, CustomStringConvertible {
        public var path: String
        /// e.g. "the plugin's venv" or "python3 on PATH".
        public var reason: String
        /// Where a symlinked venv really lives, when it does not live in the plugin folder.
        public var linkedVenv: String?

        public var description: String {
            var text = "\(path) (\(reason)"
            if let linkedVenv { text += ", linked to \(linkedVenv)" }
            return text + ")"
        }
    }

    /// - Parameters:
    ///   - pluginDirectory: the plugin folder.
    ///   - pythonVersion: optional wish from the manifest (`3.11` prefers `python3.11` on PATH).
    ///   - searchPath: the PATH to search, `:`-separated.
    public static func choose(
        pluginDirectory: String, pythonVersion: String?, searchPath: String
    ) throws(LookupError) -> Choice {
        var searched: [String] = []
        for venv in ["venv", ".venv"] {
            let folder = (pluginDirectory as NSString).appendingPathComponent(venv)
            let candidate = folder + "/bin/python3"
            searched.append(candidate)
            guard isExecutableFile(candidate) else { continue }
            var linked: String?
            if let real = realPath(folder), let root = realPath(pluginDirectory), !isInside(real, root: root) {
                linked = real
            }
            return Choice(path: candidate, reason: "the plugin's \(venv)", linkedVenv: linked)
        }
        var names = ["python3"]
        if let wish = pythonVersion, wish != "3" { names.insert("python\(wish)", at: 0) }
        for name in names {
            for folder in searchPath.split(separator: ":") where folder.hasPrefix("/") {
                let candidate = (String(folder) as NSString).appendingPathComponent(name)
                if isExecutableFile(candidate) { return Choice(path: candidate, reason: "\(name) on PATH") }
            }
            searched.append("\(name) on PATH")
        }
        throw .notFound(searched: searched)
    }

    /// The path of `choose`'s choice.
    public static func locate(
        pluginDirectory: String, pythonVersion: String?, searchPath: String
    ) throws(LookupError) -> String {
        try choose(pluginDirectory: pluginDirectory, pythonVersion: pythonVersion, searchPath: searchPath).path
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            && !isDirectory.boolValue && access(path, X_OK) == 0
    }
}
