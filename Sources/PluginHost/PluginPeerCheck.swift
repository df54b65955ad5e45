import RPC
import Synchronization

/// Admits an API connection only from the plugin process of this launch or one of its
/// descendants, by the SO_PEERCRED pid of the connecting process and its /proc parent
/// chain. The server starts before the plugin exists, so the plugin's pid is filled in
/// after the spawn; until then (and once the plugin is gone) every connection is refused.
/// Checked once per connection, never per call.
final class PluginPeerCheck: Sendable {
    private let plugin = Mutex<ProcessRecord?>(nil)

    init() {}

    /// Binds the check to the plugin process (if it is already gone, nobody is admitted).
    func bind(to pid: Int32) {
        let record = ProcessTree.record(of: pid)
        plugin.withLock { $0 = record }
    }

    func admits(_ peer: PeerCredentials?) -> Bool {
        // TCP connections carry no credentials: only the secret protects that transport.
        guard let peer else { return false }
        guard let plugin = plugin.withLock({ $0 }) else { return false }
        // The plugin's pid must still be the plugin (not a reused pid).
        guard ProcessTree.exists(plugin) else { return false }
        return ProcessTree.isDescendant(peer.pid, of: plugin.pid)
    }
}
