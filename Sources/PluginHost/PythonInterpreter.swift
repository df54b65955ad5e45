import Foundation

/// Finds the Python interpreter for a plugin: its own virtual environment first
/// (`venv/bin/python3`, then `.venv/bin/python3`), then `python3` on PATH.
public enum PythonInterpreter {
    public enum LookupError: Error, Equatable, CustomStringConvertible {
        case notFound(searched: [String])

        public var description: String {
            switch self {
            case .notFound(let searched): "no Python interpreter found (looked for \(searched.joined(separator: ", ")))"
            }
        }
    }

    /// - Parameters:
    ///   - pluginDirectory: the plugin folder.
    ///   - pythonVersion: optional wish from the manifest (`3.11` prefers `python3.11` on PATH).
    ///   - searchPath: the PATH to search, `:`-separated.
    public static func locate(
        pluginDirectory: String, pythonVersion: String?, searchPath: String
    ) throws(LookupError) -> String {
        var searched: [String] = []
        for relative in ["venv/bin/python3", ".venv/bin/python3"] {
            let candidate = (pluginDirectory as NSString).appendingPathComponent(relative)
            searched.append(candidate)
            // The venv folder must be the plugin's own; its python3 may link to a system binary.
            guard let venvBin = realPath((candidate as NSString).deletingLastPathComponent),
                  let root = realPath(pluginDirectory), isInside(venvBin, root: root)
            else { continue }
            if isExecutableFile(candidate) { return candidate }
        }
        var names = ["python3"]
        if let wish = pythonVersion, wish != "3" { names.insert("python\(wish)", at: 0) }
        for name in names {
            for folder in searchPath.split(separator: ":") where folder.hasPrefix("/") {
                let candidate = (String(folder) as NSString).appendingPathComponent(name)
                if isExecutableFile(candidate) { return candidate }
            }
            searched.append("\(name) on PATH")
        }
        throw .notFound(searched: searched)
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            && !isDirectory.boolValue && access(path, X_OK) == 0
    }
}
