import Foundation
import Logging

/// Writes log records of `minimumLevel` and above to stderr, one line each, with the
/// plugin id in front when there is one.
struct ConsoleLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level

    init(minimumLevel: Logger.Level) { self.logLevel = minimumLevel }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let plugin = merged.removeValue(forKey: "plugin").map { "[\($0)] " } ?? ""
        merged.removeValue(forKey: "pid")
        merged.removeValue(forKey: "source")
        let fields = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        FileHandle.standardError.write(Data("  log \(event.level) \(plugin)\(event.message)\(fields)\n".utf8))
    }
}
