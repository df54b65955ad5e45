import Logging
import Synchronization

/// Turns a plugin's stderr lines into log records and remembers the last few lines for
/// error messages. The SDK writes `[LEVEL] message`; other lines (tracebacks, prints)
/// are logged as warnings because well-behaved output always carries a level.
final class StderrForwarder: Sendable {
    static let rememberedLines = 10

    private let logger: Logger
    private let recent = Mutex<[String]>([])

    init(logger: Logger) {
        self.logger = logger
    }

    func forward(_ line: String) {
        recent.withLock { lines in
            lines.append(line)
            if lines.count > Self.rememberedLines { lines.removeFirst(lines.count - Self.rememberedLines) }
        }
        let (level, message) = Self.parse(line)
        logger.log(level: level, "\(message)", metadata: ["source": "stderr"])
    }

    /// The most recent lines, oldest first.
    var lastLines: [String] { recent.withLock { $0 } }

    static func parse(_ line: String) -> (Logger.Level, String) {
        let prefixes: [(String, Logger.Level)] = [
            ("[TRACE] ", .trace), ("[DEBUG] ", .debug), ("[INFO] ", .info), ("[WARN] ", .warning),
            ("[WARNING] ", .warning), ("[ERROR] ", .error), ("[CRITICAL] ", .critical),
        ]
        for (prefix, level) in prefixes where line.hasPrefix(prefix) {
            return (level, String(line.dropFirst(prefix.count)))
        }
        return (.warning, line)
    }
}
