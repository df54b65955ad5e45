import Glibc
import Logging
import Synchronization

/// A TLS context built from files (certificate chain, key, trust roots) and rebuilt when one
/// of them changes on disk: a server's certificate (`ServerTLSConfiguration`), a client's
/// trust roots and certificate (`ClientTLSConfiguration`). Checked when a connection is
/// made, at most once per `checkInterval`; new connections get the new context, established
/// ones keep theirs. A replacement that does not load (a half-written file, a key that does
/// not match) is logged and the previous context stays in use. Shared by every loop of a
/// server or channel; the lock is held only to read or swap the context, and for the reload
/// itself (rare, milliseconds).
final class ReloadingTLSContext: Sendable {
    private struct State {
        var context: TLSContext
        var stamp: FileStamp
        var lastCheck: MonotonicTime
    }

    /// Modification times of the files, in order (nil: the file could not be read); a change
    /// to any triggers a reload.
    private struct FileStamp: Equatable {
        var times: [timespec?]

        static func == (lhs: FileStamp, rhs: FileStamp) -> Bool {
            lhs.times.count == rhs.times.count && zip(lhs.times, rhs.times).allSatisfy { left, right in
                left?.tv_sec == right?.tv_sec && left?.tv_nsec == right?.tv_nsec
            }
        }

        static func read(_ paths: [String]) -> FileStamp {
            FileStamp(times: paths.map { path in
                var info = stat()
                return stat(path, &info) == 0 ? info.st_mtim : nil
            })
        }

        var allReadable: Bool { times.allSatisfy { $0 != nil } }
    }

    private let files: [String]
    private let checkInterval: Duration
    private let build: @Sendable () throws(TLSError) -> TLSContext
    private let logger: Logger
    private let state: Mutex<State>

    /// Builds the context now: a server whose certificate does not load does not start, a
    /// channel whose trust roots do not load is not made.
    private init(files: [String], checkInterval: Duration, logger: Logger,
                 build: @escaping @Sendable () throws(TLSError) -> TLSContext) throws(TLSError) {
        self.files = files
        self.checkInterval = checkInterval
        self.build = build
        self.logger = logger
        let stamp = FileStamp.read(files)
        state = Mutex(State(context: try build(), stamp: stamp, lastCheck: .now()))
    }

    static func server(_ configuration: ServerTLSConfiguration, logger: Logger) throws(TLSError) -> ReloadingTLSContext {
        try ReloadingTLSContext(files: [configuration.certificateChainFile, configuration.privateKeyFile]
                                    + configuration.clientCertificateTrustRoots.files,
                                checkInterval: configuration.reloadCheckInterval, logger: logger) { () throws(TLSError) in
            try TLSContext.server(configuration)
        }
    }

    static func client(_ configuration: ClientTLSConfiguration, logger: Logger) throws(TLSError) -> ReloadingTLSContext {
        try ReloadingTLSContext(files: configuration.trustRoots.files + [configuration.certificateChainFile, configuration.privateKeyFile].compactMap { $0 },
                                checkInterval: configuration.reloadCheckInterval, logger: logger) { () throws(TLSError) in
            try TLSContext.client(configuration)
        }
    }

    /// The context for a connection made now, rebuilt first when the files changed.
    func currentContext(now: MonotonicTime = .now()) -> TLSContext {
        state.withLock { state in
            guard now.nanoseconds >= state.lastCheck.adding(checkInterval).nanoseconds else {
                return state.context
            }
            state.lastCheck = now
            let stamp = FileStamp.read(files)
            guard stamp.allReadable, stamp != state.stamp else { return state.context }
            do {
                state.context = try build()
                state.stamp = stamp
                logger.info("reloaded TLS files", metadata: ["files": "\(files.joined(separator: ", "))"])
            } catch {
                // Keeps the stamp old, so the next check tries again (the writer may not be done).
                logger.error("could not reload TLS files; keeping the previous ones", metadata: ["error": "\(error)"])
            }
            return state.context
        }
    }
}

extension Optional where Wrapped == TLSTrustRoots {
    /// The file the roots come from, if any (the system store is not watched).
    fileprivate var files: [String] { self?.files ?? [] }
}

extension TLSTrustRoots {
    fileprivate var files: [String] {
        switch self {
        case .systemDefault: []
        case .file(let path): [path]
        }
    }
}
