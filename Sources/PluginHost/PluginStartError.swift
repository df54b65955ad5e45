/// A plugin that could not be started, with the plugin's id and its last stderr lines so
/// the reason is visible without digging through logs.
public struct PluginStartError: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        case invalidManifest(ManifestError)
        case noInterpreter(PythonInterpreter.LookupError)
        case spawnFailed(String)
        case badHandshake(HandshakeError)
        case exitedBeforeHandshake(ExitStatus?)
        case handshakeTimeout(Duration)
        case cancelled
        /// A failure after the process started (e.g. the hooks connection or OnActivate).
        case activationFailed(String)
        /// The manifest's `min_server_version` is newer than this host's server version.
        case serverVersionTooOld(required: String, actual: String)
        /// The saved configuration does not fit the manifest's settings schema.
        case invalidConfiguration(String)

        public var description: String {
            switch self {
            case .invalidManifest(let error): "invalid manifest: \(error)"
            case .noInterpreter(let error): "\(error)"
            case .spawnFailed(let detail): "could not start the process: \(detail)"
            case .badHandshake(let error): "bad handshake: \(error)"
            case .exitedBeforeHandshake(let status):
                "the process exited before the handshake (\(status.map(\.description) ?? "status unknown"))"
            case .handshakeTimeout(let timeout): "no handshake within \(timeout)"
            case .cancelled: "start was cancelled"
            case .activationFailed(let detail): "activation failed: \(detail)"
            case .serverVersionTooOld(let required, let actual):
                "the plugin needs server version \(required) or later (min_server_version); this server is \(actual)"
            case .invalidConfiguration(let detail): "invalid configuration: \(detail)"
            }
        }
    }

    public var pluginID: String
    public var reason: Reason
    public var lastStderrLines: [String]

    public init(pluginID: String, reason: Reason, lastStderrLines: [String] = []) {
        self.pluginID = pluginID
        self.reason = reason
        self.lastStderrLines = lastStderrLines
    }

    public var description: String {
        var text = "plugin \(pluginID) failed to start: \(reason)"
        if lastStderrLines.isEmpty {
            text += " (no stderr output)"
        } else {
            text += "; last stderr lines:"
            for line in lastStderrLines { text += "\n  | \(line)" }
        }
        return text
    }
}
