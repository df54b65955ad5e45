import Foundation
import Synchronization

/// Prints what happens during the demo as it happens, with the time since start, and keeps
/// the lines for the summary at the end.
final class Timeline: Sendable {
    private let start = ContinuousClock.now
    private let lines = Mutex<[String]>([])

    func note(_ source: String, _ text: String) {
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        let line = String(format: "%7lld ms  %-22@ %@", milliseconds, source as NSString, text as NSString)
        lines.withLock { $0.append(line) }
        // Unbuffered, so the timeline interleaves correctly with the plugins' log lines.
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    var all: [String] { lines.withLock { $0 } }
}
