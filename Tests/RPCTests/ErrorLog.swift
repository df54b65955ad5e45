import Logging
import Synchronization

/// A log handler that collects what is logged at error level or above (message and metadata),
/// so a test can assert on it. Copies share what they collected (a logger copies its handler,
/// and each connection sets metadata on its own copy).
struct ErrorLog: LogHandler {
    private final class Collected: Sendable {
        let lines = Mutex<[String]>([])
    }

    private let collected = Collected()
    var logLevel: Logger.Level = .error
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Everything collected so far, oldest first.
    var messages: [String] { collected.lines.withLock { $0 } }

    func log(event: LogEvent) {
        guard event.level >= .error else { return }
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        collected.lines.withLock { $0.append("\(event.message) \(all)") }
    }
}
