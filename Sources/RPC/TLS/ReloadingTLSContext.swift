import Glibc
import Logging
import Synchronization

/// The server's current TLS context, rebuilt when its certificate or key file changes on disk
/// (`ServerTLSConfiguration`). Shared by every loop of a server; the lock is held only to
/// read or swap the context, and for the reload itself (rare, milliseconds).
final class ServerTLSCredentials: Sendable {
    private struct State {
        var context: TLSContext
        var stamp: FileStamp
        var lastCheck: MonotonicTime
    }

    /// Modification times of the two files: a change to either triggers a reload.
    private struct FileStamp: Equatable {
        var chain: timespec
        var key: timespec

        static func == (lhs: FileStamp, rhs: FileStamp) -> Bool {
            lhs.chain.tv_sec == rhs.chain.tv_sec && lhs.chain.tv_nsec == rhs.chain.tv_nsec
                && lhs.key.tv_sec == rhs.key.tv_sec && lhs.key.tv_nsec == rhs.key.tv_nsec
        }

        static func read(_ configuration: ServerTLSConfiguration) -> FileStamp? {
            guard let chain = modificationTime(configuration.certificateChainFile),
                  let key = modificationTime(configuration.privateKeyFile) else { return nil }
            return FileStamp(chain: chain, key: key)
        }

        private static func modificationTime(_ path: String) -> timespec? {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            return info.st_mtim
        }
    }

    let configuration: ServerTLSConfiguration
    private let logger: Logger
    private let state: Mutex<State>

    /// Loads the files now: a server whose certificate does not load does not start.
    init(configuration: ServerTLSConfiguration, logger: Logger) throws(TLSError) {
        self.configuration = configuration
        self.logger = logger
        let stamp = FileStamp.read(configuration)
            ?? FileStamp(chain: timespec(), key: timespec())
        let context = try TLSContext.server(configuration)
        state = Mutex(State(context: context, stamp: stamp, lastCheck: .now()))
    }

    /// The context for a connection accepted now, reloaded first when the files changed.
    func currentContext(now: MonotonicTime = .now()) -> TLSContext {
        state.withLock { state in
            guard now.nanoseconds >= state.lastCheck.adding(configuration.reloadCheckInterval).nanoseconds else {
                return state.context
            }
            state.lastCheck = now
            guard let stamp = FileStamp.read(configuration), stamp != state.stamp else { return state.context }
            do {
                state.context = try TLSContext.server(configuration)
                state.stamp = stamp
                logger.info("reloaded the TLS certificate", metadata: ["file": "\(configuration.certificateChainFile)"])
            } catch {
                // Keeps the stamp old, so the next check tries again (the writer may not be done).
                logger.error("could not reload the TLS certificate; keeping the previous one", metadata: ["error": "\(error)"])
            }
            return state.context
        }
    }
}
