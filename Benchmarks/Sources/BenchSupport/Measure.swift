/// Throughput measurement: a workload is a function that performs an operation `n` times
/// and returns a checksum of the results, so the optimizer cannot drop the work. An operation
/// may handle several messages (one pass over a dataset).
public struct Rate: Sendable {
    /// Messages per second.
    public var operationsPerSecond: Double
    public var bytesPerSecond: Double
}

/// JSON form: messages per second and MB (10^6 bytes) per second.
extension Rate: Encodable {
    enum CodingKeys: String, CodingKey { case messagesPerSecond = "messages_per_second", megabytesPerSecond = "mb_per_second" }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(operationsPerSecond, forKey: .messagesPerSecond)
        try container.encode(bytesPerSecond / 1e6, forKey: .megabytesPerSecond)
    }
}

public struct MeasureSettings: Sendable {
    /// Time spent measuring each run (after calibration).
    public var seconds: Double
    /// Independent runs; their median is reported.
    public var runs: Int

    public init(seconds: Double, runs: Int) {
        self.seconds = seconds
        self.runs = runs
    }
}

public enum Measure {
    /// Measures several implementations of one operation. Runs are interleaved (run 1 of
    /// each, then run 2 of each, ...) so that a disturbance from another process on this
    /// shared machine hits all of them alike; the median run of each is reported.
    public static func compare(
        _ settings: MeasureSettings,
        bytesPerOperation: Int,
        messagesPerOperation: Int = 1,
        _ bodies: [(Int) throws -> Int]
    ) throws -> (rates: [Rate], checksum: Int) {
        var checksum = 0
        var batches: [Int] = []
        for body in bodies {
            let (batch, sum) = try calibrate(body)
            batches.append(batch)
            checksum &+= sum
        }
        var runs = Array(repeating: [Double](), count: bodies.count)
        for _ in 0..<max(1, settings.runs) {
            for (index, body) in bodies.enumerated() {
                let (rate, sum) = try run(body, batch: batches[index], seconds: settings.seconds)
                runs[index].append(rate)
                checksum &+= sum
            }
        }
        let rates = runs.map(median).map {
            Rate(operationsPerSecond: $0 * Double(messagesPerOperation), bytesPerSecond: $0 * Double(bytesPerOperation))
        }
        return (rates, checksum)
    }

    /// The middle value (the mean of the two middle values for an even count).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }

    /// Doubles the batch until one batch lasts 20 ms (bounded: 2^30 operations); this also warms up.
    static func calibrate(_ body: (Int) throws -> Int) throws -> (batch: Int, checksum: Int) {
        let clock = ContinuousClock()
        var checksum = 0
        var batch = 1
        while batch < 1 << 30 {
            let start = clock.now
            checksum &+= try body(batch)
            if (clock.now - start).seconds >= 0.02 { break }
            batch *= 2
        }
        return (batch, checksum)
    }

    /// Operations per second over whole batches lasting at least `seconds`.
    static func run(_ body: (Int) throws -> Int, batch: Int, seconds: Double) throws -> (rate: Double, checksum: Int) {
        let clock = ContinuousClock()
        var checksum = 0
        var operations = 0
        let start = clock.now
        var elapsed = 0.0
        repeat {
            checksum &+= try body(batch)
            operations += batch
            elapsed = (clock.now - start).seconds
        } while elapsed < seconds
        return (Double(operations) / elapsed, checksum)
    }
}

extension Duration {
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) * 1e-18
    }
}
