import Testing

@testable import RPCBenchSuite

@Suite struct LatencyHistogramTests {
    @Test func quantilesAreWithinTheBucketError() {
        var histogram = LatencyHistogram()
        // 1 µs ... 10 ms, uniformly: the q-quantile is ~q * 10 ms.
        for value in stride(from: UInt64(1_000), through: 10_000_000, by: 1_000) {
            histogram.record(nanoseconds: value)
        }
        #expect(histogram.count == 10_000)
        for q in [0.5, 0.9, 0.99, 0.999] {
            let exact = q * 10_000_000
            let measured = Double(histogram.quantile(q))
            #expect(abs(measured - exact) / exact < 0.02, "q=\(q): \(measured) vs \(exact)")
        }
    }

    @Test func smallValuesAreExactAndHugeOnesAreClamped() {
        var histogram = LatencyHistogram()
        histogram.record(nanoseconds: 7)
        #expect(histogram.quantile(0.5) == 7)
        var huge = LatencyHistogram()
        huge.record(nanoseconds: UInt64.max)
        #expect(huge.quantile(1) > 1 << 45)
    }

    @Test func mergingAddsCounts() {
        var a = LatencyHistogram()
        var b = LatencyHistogram()
        for _ in 0..<90 { a.record(nanoseconds: 100) }
        for _ in 0..<10 { b.record(nanoseconds: 1_000_000) }
        a.merge(b)
        #expect(a.count == 100)
        #expect(a.quantile(0.5) == 100)
        #expect(Double(a.quantile(0.95)) > 0.98e6 && Double(a.quantile(0.95)) < 1.02e6)
    }

    @Test func emptyHistogramReportsZero() {
        #expect(LatencyHistogram().quantile(0.99) == 0)
    }
}
