/// Throughput measurement: a workload is a function that performs an operation `n` times
/// and returns a checksum of the results, so the optimizer cannot drop the work.
struct Rate: Sendable {
    var operationsPerSecond: Double
    var bytesPerSecond: Double
}

struct MeasureSettings: Sendable {
    /// Time spent measuring each run (after calibration).
    var seconds: Double
    /// Independent runs; the fastest one is reported (the least disturbed by other processes).
    var runs: Int
}

enum Measure {
    /// Calibrates a batch size that takes at least ~20 ms, then times batches for
    /// `settings.seconds` per run and reports the best run. `bytesPerOperation` turns
    /// operations per second into bytes per second.
    static func rate(
        _ settings: MeasureSettings,
        bytesPerOperation: Int,
        _ body: (Int) throws -> Int
    ) throws -> (rate: Rate, checksum: Int) {
        let clock = ContinuousClock()
        var checksum = 0
        var batch = 1
        // Calibration: double the batch until one batch lasts 20 ms (bounded: 2^30 operations).
        while batch < 1 << 30 {
            let start = clock.now
            checksum &+= try body(batch)
            if (clock.now - start).seconds >= 0.02 { break }
            batch *= 2
        }
        var best = 0.0
        for _ in 0..<max(1, settings.runs) {
            var operations = 0
            let start = clock.now
            var elapsed = 0.0
            repeat {
                checksum &+= try body(batch)
                operations += batch
                elapsed = (clock.now - start).seconds
            } while elapsed < settings.seconds
            best = max(best, Double(operations) / elapsed)
        }
        return (Rate(operationsPerSecond: best, bytesPerSecond: best * Double(bytesPerOperation)), checksum)
    }
}

extension Duration {
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) * 1e-18
    }
}
