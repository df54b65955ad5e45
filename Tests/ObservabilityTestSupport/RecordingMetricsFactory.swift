import CoreMetrics
import Synchronization

/// A swift-metrics backend that keeps every value in memory, keyed by label and dimensions
/// (in any order), so tests read back what real interceptors recorded.
public final class RecordingMetricsFactory: MetricsFactory, Sendable {
    /// One metric's identity: its label and its dimensions, sorted by name.
    public struct Key: Hashable, Sendable, CustomStringConvertible {
        public let label: String
        public let dimensions: [String]

        public init(_ label: String, _ dimensions: [(String, String)]) {
            self.label = label
            self.dimensions = dimensions.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }
        }

        public var description: String { "\(label){\(dimensions.joined(separator: ","))}" }
    }

    private struct Handlers {
        var counters: [Key: RecordingCounter] = [:]
        var recorders: [Key: RecordingRecorder] = [:]
        var timers: [Key: RecordingTimer] = [:]
    }

    private let handlers = Mutex(Handlers())

    public init() {}

    /// The sum a counter was incremented by, or nil when no such counter was ever made.
    public func counter(_ label: String, _ dimensions: [(String, String)]) -> Int64? {
        handlers.withLock { $0.counters[Key(label, dimensions)] }?.total
    }

    /// Every value a timer recorded, in nanoseconds (empty when it never recorded).
    public func timer(_ label: String, _ dimensions: [(String, String)]) -> [Int64] {
        handlers.withLock { $0.timers[Key(label, dimensions)] }?.values ?? []
    }

    /// The keys of every counter made so far (for failure messages).
    public var counterKeys: [Key] { handlers.withLock { Array($0.counters.keys) } }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        let key = Key(label, dimensions)
        return handlers.withLock { state in
            if let existing = state.counters[key] { return existing }
            let made = RecordingCounter()
            state.counters[key] = made
            return made
        }
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        let key = Key(label, dimensions)
        return handlers.withLock { state in
            if let existing = state.recorders[key] { return existing }
            let made = RecordingRecorder()
            state.recorders[key] = made
            return made
        }
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let key = Key(label, dimensions)
        return handlers.withLock { state in
            if let existing = state.timers[key] { return existing }
            let made = RecordingTimer()
            state.timers[key] = made
            return made
        }
    }

    // The recorded values stay readable after a metric is destroyed.
    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}
}

final class RecordingCounter: CounterHandler, Sendable {
    private let sum = Mutex<Int64>(0)
    var total: Int64 { sum.withLock { $0 } }
    func increment(by amount: Int64) { sum.withLock { $0 += amount } }
    func reset() { sum.withLock { $0 = 0 } }
}

final class RecordingRecorder: RecorderHandler, Sendable {
    private let recorded = Mutex<[Double]>([])
    var values: [Double] { recorded.withLock { $0 } }
    func record(_ value: Int64) { recorded.withLock { $0.append(Double(value)) } }
    func record(_ value: Double) { recorded.withLock { $0.append(value) } }
}

final class RecordingTimer: TimerHandler, Sendable {
    private let recorded = Mutex<[Int64]>([])
    var values: [Int64] { recorded.withLock { $0 } }
    func recordNanoseconds(_ duration: Int64) { recorded.withLock { $0.append(duration) } }
}
