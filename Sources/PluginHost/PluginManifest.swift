import Foundation

/// A plugin's `plugin.json`: who it is and how to run its server part.
public struct PluginManifest: Sendable, Equatable {
    public struct Server: Sendable, Equatable {
        /// Path of the entry script, relative to the plugin folder (e.g. `plugin.py`).
        public var executable: String
        /// Only `python` is supported.
        public var runtime: String
        /// Optional interpreter version wish, e.g. `3` or `3.11`; selects `python3.11` on PATH.
        public var pythonVersion: String?
    }

    public var id: String
    public var version: String
    public var name: String?
    public var server: Server
    /// The oldest server version the plugin runs on (`min_server_version`, e.g. "9.5.0");
    /// an older host refuses to start it.
    public var minServerVersion: String? = nil
    /// The plugin's typed settings (`settings_schema`).
    public var settingsSchema = PluginSettingsSchema()

    /// Longest accepted manifest file; a plugin.json is a few hundred bytes.
    static let maximumFileSize = 64 * 1024
    static let maximumIDLength = 190

    /// Reads and validates `plugin.json` in `directory`.
    public static func load(fromDirectory directory: String) throws(ManifestError) -> PluginManifest {
        let path = (directory as NSString).appendingPathComponent("plugin.json")
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadable(path: path) }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maximumFileSize + 1) ?? Data()
        } catch {
            throw .unreadable(path: path)
        }
        guard data.count <= maximumFileSize else { throw .tooLarge(path: path) }
        return try parse(data)
    }

    /// Decodes and validates manifest JSON.
    public static func parse(_ data: Data) throws(ManifestError) -> PluginManifest {
        let raw: RawManifest
        do {
            raw = try JSONDecoder().decode(RawManifest.self, from: data)
        } catch {
            throw .malformedJSON(String(describing: error))
        }
        guard let id = raw.id, !id.isEmpty else { throw .missingField("id") }
        guard isValidID(id) else { throw .invalidID(id) }
        guard let version = raw.version, !version.isEmpty else { throw .missingField("version") }
        guard let server = raw.server else { throw .missingField("server") }
        guard let executable = server.executable, !executable.isEmpty else {
            throw .missingField("server.executable")
        }
        guard let runtime = server.runtime, !runtime.isEmpty else { throw .missingField("server.runtime") }
        guard runtime == "python" else { throw .unsupportedRuntime(runtime) }
        if let wish = server.python_version {
            guard isValidPythonVersion(wish) else { throw .invalidPythonVersion(wish) }
        }
        if let minimum = raw.min_server_version {
            guard ServerVersion(minimum) != nil else { throw .invalidMinServerVersion(minimum) }
        }
        return PluginManifest(
            id: id, version: version, name: raw.name,
            server: Server(executable: executable, runtime: runtime, pythonVersion: server.python_version),
            minServerVersion: raw.min_server_version,
            settingsSchema: try raw.settings_schema?.validated() ?? PluginSettingsSchema()
        )
    }

    /// The entry script as an absolute path, refusing anything that leaves the plugin folder
    /// (absolute paths, `..`, or symlinks pointing outside).
    public func resolvedExecutable(inDirectory directory: String) throws(ManifestError) -> String {
        let executable = server.executable
        guard !executable.hasPrefix("/") else { throw .pathEscapesPluginFolder(executable) }
        guard let root = realPath(directory) else { throw .unreadable(path: directory) }
        let candidate = (root as NSString).appendingPathComponent(executable)
        guard let resolved = realPath(candidate) else { throw .executableMissing(executable) }
        guard isInside(resolved, root: root) else { throw .pathEscapesPluginFolder(executable) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue
        else { throw .executableMissing(executable) }
        return resolved
    }

    static func isValidID(_ id: String) -> Bool {
        guard id.count >= 3, id.count <= maximumIDLength else { return false }
        return id.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || scalar == "." || scalar == "-" || scalar == "_")
        }
    }

    static func isValidPythonVersion(_ wish: String) -> Bool {
        let parts = wish.split(separator: ".", omittingEmptySubsequences: false)
        return (1...3).contains(parts.count) && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber)
        }
    }
}

/// Why a plugin folder cannot be used.
public enum ManifestError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String)
    case tooLarge(path: String)
    case malformedJSON(String)
    case missingField(String)
    case invalidID(String)
    case unsupportedRuntime(String)
    case invalidPythonVersion(String)
    case pathEscapesPluginFolder(String)
    case executableMissing(String)
    case invalidMinServerVersion(String)
    case invalidSetting(key: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read \(path)"
        case .tooLarge(let path): "\(path) is larger than \(PluginManifest.maximumFileSize) bytes"
        case .malformedJSON(let detail): "plugin.json is not valid JSON: \(detail)"
        case .missingField(let field): "plugin.json lacks the required field \(field)"
        case .invalidID(let id): "plugin id \"\(id)\" must be 3-190 characters of a-z, A-Z, 0-9, '.', '-', '_'"
        case .unsupportedRuntime(let runtime): "server.runtime \"\(runtime)\" is not supported (only \"python\")"
        case .invalidPythonVersion(let wish): "server.python_version \"\(wish)\" is not like \"3\" or \"3.11\""
        case .pathEscapesPluginFolder(let path): "\(path) points outside the plugin folder"
        case .executableMissing(let path): "server.executable \(path) does not exist in the plugin folder"
        case .invalidMinServerVersion(let version): "min_server_version \"\(version)\" is not like \"9.5.0\""
        case .invalidSetting(let key, let reason): "settings_schema: setting \"\(key)\" \(reason)"
        }
    }
}

/// The JSON shape, all optional so missing fields give precise errors.
private struct RawManifest: Decodable {
    struct RawServer: Decodable {
        var executable: String?
        var runtime: String?
        var python_version: String?
    }

    var id: String?
    var version: String?
    var name: String?
    var server: RawServer?
    var min_server_version: String?
    var settings_schema: RawSettingsSchema?
}

/// The canonical absolute path with symlinks resolved, or nil when it does not exist.
func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}

func isInside(_ path: String, root: String) -> Bool {
    let prefix = root.hasSuffix("/") ? root : root + "/"
    return path.hasPrefix(prefix)
}
