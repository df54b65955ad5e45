import Foundation

/// One process's usage over a soak: before the load, every sample during it, 2 s after it,
/// and how fast its RSS and live heap still grew in the last third of the run.
public struct UsageHistory: Sendable, Encodable {
    public var before: ProcessUsage?
    public var samples: [ProcessUsage]
    public var after: ProcessUsage?
    /// RSS growth over the last third of the run, KiB per minute (nil: fewer than 3 samples there).
    public var rssSlopeKiBPerMinute: Double?
    /// Live heap (malloc's allocated, unfreed bytes) growth over the last third, KiB per minute
    /// (nil: the heap is not known, or fewer than 3 samples).
    public var liveHeapSlopeKiBPerMinute: Double?

    /// Growth over the last third of the run, extrapolated from its slope, at or below which a
    /// series counts as level. A threshold on the growth rather than on the slope, because
    /// what a run can resolve depends on its length: calls in flight move the live heap by
    /// about a MiB from sample to sample, so a 1-minute window cannot tell 0.5 MiB/min from
    /// noise, while a 10-minute run (a 200 s window) resolves 0.3 MiB/min.
    public static let levelGrowthKiB = 1024.0

    /// The length of the window the slopes are taken over, minutes.
    public var windowMinutes: Double

    enum CodingKeys: String, CodingKey {
        case before, samples, after
        case rssSlopeKiBPerMinute = "rss_slope_kib_per_min", liveHeapSlopeKiBPerMinute = "live_heap_slope_kib_per_min"
        case windowMinutes = "window_min"
    }

    public init(before: ProcessUsage?, samples: [ProcessUsage], after: ProcessUsage?, duration: Double) {
        self.before = before
        self.samples = samples
        self.after = after
        windowMinutes = duration / 3 / 60
        let lastThird = samples.filter { $0.atSeconds >= duration * 2 / 3 }
        rssSlopeKiBPerMinute = Self.slopePerMinute(lastThird.map { ($0.atSeconds, Double($0.rssKiB)) })
        let heap = lastThird.compactMap { sample in sample.heap.map { (sample.atSeconds, Double($0.liveKiB)) } }
        liveHeapSlopeKiBPerMinute = heap.count == lastThird.count ? Self.slopePerMinute(heap) : nil
    }

    /// The RSS grew by at most `levelGrowthKiB` over the last third, at its slope there.
    public var rssLevelledOff: Bool? { rssSlopeKiBPerMinute.map { $0 * windowMinutes <= Self.levelGrowthKiB } }
    /// The live heap grew by at most `levelGrowthKiB` over the last third, at its slope there.
    public var liveHeapLevelledOff: Bool? { liveHeapSlopeKiBPerMinute.map { $0 * windowMinutes <= Self.levelGrowthKiB } }

    /// Open descriptors 2 s after the load are back to (at most 2 above) those before it.
    public var descriptorsReturned: Bool? {
        guard let before, let after else { return nil }
        return after.openDescriptors <= before.openDescriptors + 2
    }

    /// Theil–Sen estimate of the slope, per minute: the median of the slopes between every pair
    /// of points, so a single spike (a burst of allocation between two samples) moves it little,
    /// unlike a least-squares fit. nil for fewer than 3 points.
    static func slopePerMinute(_ points: [(seconds: Double, value: Double)]) -> Double? {
        guard points.count >= 3 else { return nil }
        var slopes: [Double] = []
        slopes.reserveCapacity(points.count * (points.count - 1) / 2)
        for i in points.indices {
            for j in points.indices where j > i && points[j].seconds > points[i].seconds {
                slopes.append((points[j].value - points[i].value) / (points[j].seconds - points[i].seconds))
            }
        }
        guard !slopes.isEmpty else { return nil }
        slopes.sort()
        let middle = slopes.count / 2
        let median = slopes.count % 2 == 1 ? slopes[middle] : (slopes[middle - 1] + slopes[middle]) / 2
        return median * 60
    }

    /// The samples nearest the start (after 5 % of the run, once warm), middle and end, with the
    /// readings before and after the load.
    func milestones(duration: Double) -> [(label: String, usage: ProcessUsage)] {
        guard let last = samples.last else { return [] }
        func nearest(_ seconds: Double) -> ProcessUsage {
            samples.min { abs($0.atSeconds - seconds) < abs($1.atSeconds - seconds) }!
        }
        var rows: [(String, ProcessUsage)] = []
        if let before { rows.append(("before", before)) }
        rows += [("start", nearest(duration * 0.05)), ("middle", nearest(duration * 0.5)), ("end", last)]
        if let after { rows.append(("after", after)) }
        return rows
    }

    /// One line: the slopes and what they say.
    var verdict: String {
        guard let rss = rssSlopeKiBPerMinute else { return "too few samples in the last third of the run" }
        func growth(_ name: String, _ slope: Double) -> String {
            "\(name) " + String(format: "%+.0f KiB/min (%+.0f KiB)", slope, slope * windowMinutes)
        }
        var parts = [growth("RSS", rss)]
        if let heap = liveHeapSlopeKiBPerMinute { parts.append(growth("live heap", heap)) }
        let slopes = parts.joined(separator: ", ")
            + String(format: " over the last %.0f s (level: at most %.0f KiB)", windowMinutes * 60, Self.levelGrowthKiB)
        switch (rssLevelledOff == true, liveHeapLevelledOff) {
        case (true, _): return "levelled off (\(slopes))"
        case (false, .some(true)): return "RSS still growing while the live heap is level: malloc keeps freed memory (\(slopes))"
        case (false, .some(false)): return "still growing, live heap too: memory is held (\(slopes))"
        case (false, .none): return "RSS still growing (\(slopes))"
        }
    }
}
