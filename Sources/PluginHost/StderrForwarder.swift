import Logging
import Synchronization

/// Turns a plugin's stderr lines into log records and remembers the last few lines for
/// start errors and crash reports. The SDK writes `[LEVEL] message`; other lines
/// (tracebacks, prints) are logged as warnings because well-behaved output always carries
/// a level. A plugin cannot flood or forge the log: control characters are escaped, lines
/// are cut at `StderrLimits.maximumLineLength`, and a per-plugin token bucket drops lines
/// beyond its rate, with a record saying how many were dropped.
final class StderrForwarder: Sendable {
    private struct State {
        /// The last lines as raw bytes, a ring whose slots keep their capacity: a flood of
        /// dropped lines allocates nothing per line. Decoded and escaped only when read.
        var recent: [[UInt8]] = []
        var nextSlot = 0
        var bucket: TokenBucket
        var dropped = 0

        mutating func remember(_ line: ArraySlice<UInt8>, keeping count: Int) {
            if recent.count < count {
                recent.append(Array(line))
                return
            }
            recent[nextSlot].removeAll(keepingCapacity: true)
            recent[nextSlot].append(contentsOf: line)
            nextSlot = (nextSlot + 1) % count
        }

        var recentInOrder: ArraySlice<[UInt8]> { recent[nextSlot...] + recent[..<nextSlot] }
    }

    private let logger: Logger
    private let limits: StderrLimits
    private let state: Mutex<State>

    init(logger: Logger, limits: StderrLimits = .init()) {
        self.logger = logger
        self.limits = limits
        self.state = Mutex(State(bucket: TokenBucket(capacity: limits.burst, perSecond: limits.linesPerSecond)))
    }

    /// - Parameter source: the stream the line came from, in the record's metadata.
    func forward(_ line: ArraySlice<UInt8>, source: String = "stderr") {
        // Lines are decoded and escaped only when logged or read back: a flood costs little
        // per dropped line.
        let now = ContinuousClock.now
        let keep = max(1, limits.rememberedLines)
        let (admitted, droppedBefore) = state.withLock { state -> (Bool, Int) in
            state.remember(line, keeping: keep)
            guard state.bucket.take(at: now) else {
                state.dropped += 1
                return (false, 0)
            }
            defer { state.dropped = 0 }
            return (true, state.dropped)
        }
        if droppedBefore > 0 { logDropped(droppedBefore) }
        guard admitted else { return }
        let text = LogLineSanitizer.clean(String(decoding: line, as: UTF8.self), maximumLength: limits.maximumLineLength)
        let (level, message) = Self.parse(text)
        logger.log(level: level, "\(message)", metadata: ["source": .string(source)])
    }

    func forward(_ line: String, source: String = "stderr") { forward(Array(line.utf8)[...], source: source) }

    /// Reports lines dropped since the last record (called when the stream ends).
    func finish() {
        let dropped = state.withLock { state in
            defer { state.dropped = 0 }
            return state.dropped
        }
        if dropped > 0 { logDropped(dropped) }
    }

    /// The most recent line (escaped and cut like the log).
    var lastLine: String? {
        guard let bytes = state.withLock({ $0.recentInOrder.last }) else { return nil }
        return LogLineSanitizer.clean(String(decoding: bytes, as: UTF8.self), maximumLength: limits.maximumLineLength)
    }

    /// The most recent lines (escaped and cut like the log), oldest first.
    var lastLines: [String] {
        state.withLock { Array($0.recentInOrder) }.map {
            LogLineSanitizer.clean(String(decoding: $0, as: UTF8.self), maximumLength: limits.maximumLineLength)
        }
    }

    private func logDropped(_ count: Int) {
        logger.warning(
            "dropped \(count) stderr line(s): more than \(limits.linesPerSecond) lines/s",
            metadata: ["source": "stderr", "dropped_lines": "\(count)"])
    }

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

/// How much of a plugin's stderr reaches the log.
public struct StderrLimits: Sendable, Equatable {
    /// Lines per second a plugin may log on average.
    public var linesPerSecond = 200
    /// Lines it may log at once after a quiet period.
    public var burst = 400
    /// Longest line logged, in UTF-8 bytes after escaping; longer ones are cut, saying so.
    public var maximumLineLength = 2048
    /// How many last lines a start error or crash report carries.
    public var rememberedLines = 20

    public init() {}
}

/// A token bucket: `capacity` tokens, refilled at `perSecond`; each line takes one.
struct TokenBucket: Sendable {
    let capacity: Double
    let perSecond: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant?

    init(capacity: Int, perSecond: Int) {
        self.capacity = Double(max(1, capacity))
        self.perSecond = Double(max(1, perSecond))
        self.tokens = self.capacity
    }

    mutating func take(at now: ContinuousClock.Instant) -> Bool {
        if let last {
            let (seconds, attoseconds) = (now - last).components
            let elapsed = Double(seconds) + Double(attoseconds) / 1e18
            tokens = min(capacity, tokens + elapsed * perSecond)
        }
        last = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}

/// Makes a line from a plugin safe to put in a log: control characters (C0, DEL, C1,
/// which could forge line breaks or drive a terminal) become `\xNN` / `\u{NNNN}` escapes,
/// and the line is cut at a length bound.
enum LogLineSanitizer {
    static func clean(_ line: String, maximumLength: Int) -> String {
        var output = String.UnicodeScalarView()
        var length = 0
        var consumed = 0
        let total = line.utf8.count
        for scalar in line.unicodeScalars {
            let piece: String.UnicodeScalarView
            switch scalar.value {
            case 0x00..<0x20, 0x7f:
                let hex = String(scalar.value, radix: 16)
                piece = ("\\x" + (hex.count == 1 ? "0" : "") + hex).unicodeScalars
            case 0x80..<0xa0, 0x2028, 0x2029:
                piece = "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars
            default:
                piece = String.UnicodeScalarView([scalar])
            }
            let pieceLength = piece.reduce(0) { $0 + UTF8.width($1) }
            guard length + pieceLength <= maximumLength else {
                output.append(contentsOf: " [cut \(total - consumed) bytes]".unicodeScalars)
                return String(output)
            }
            output.append(contentsOf: piece)
            length += pieceLength
            consumed += UTF8.width(scalar)
        }
        return String(output)
    }
}
