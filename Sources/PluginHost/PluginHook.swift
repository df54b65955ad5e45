/// The hooks a plugin may implement, by the names `Implemented` reports
/// (docs/plugin-protocol.md). Names the host does not know are ignored.
public enum PluginHook: String, Sendable, CaseIterable, Comparable {
    case onActivate = "OnActivate"
    case onDeactivate = "OnDeactivate"
    case onConfigurationChange = "OnConfigurationChange"
    case messageWillBePosted = "MessageWillBePosted"
    case messageHasBeenPosted = "MessageHasBeenPosted"
    case executeCommand = "ExecuteCommand"
    case serveHTTP = "ServeHTTP"

    public static func < (lhs: PluginHook, rhs: PluginHook) -> Bool { lhs.rawValue < rhs.rawValue }
}
