/// The outcome of `bench soak`: what ran, the server's usage over time, and whether its RSS
/// levelled off.
public struct SoakReport: Sendable, Encodable {
    public var durationSeconds: Double
    public var workers: Int
    public var channels: Int
    public var kinds: [KindStats]
    /// Server usage before the load started, every sample during it, and 2 s after it stopped.
    public var before: ProcessUsage?
    public var samples: [ProcessUsage]
    public var after: ProcessUsage?
    /// Median RSS of the samples in the second quarter of the run and in the last quarter, KiB
    /// (medians, so a short burst of allocation does not decide the verdict).
    public var secondQuarterMedianKiB: Int?
    public var lastQuarterMedianKiB: Int?
    /// The RSS grew by at most 5 % (or 4 MiB) from the second quarter's median to the last quarter's.
    public var rssLevelledOff: Bool?
    /// Open descriptors after the load are back to (at most 2 above) those before it.
    public var descriptorsReturned: Bool?

    enum CodingKeys: String, CodingKey {
        case workers, channels, kinds, before, samples, after
        case durationSeconds = "duration_s", secondQuarterMedianKiB = "second_quarter_median_rss_kib"
        case lastQuarterMedianKiB = "last_quarter_median_rss_kib", rssLevelledOff = "rss_levelled_off"
        case descriptorsReturned = "descriptors_returned"
    }

    init(settings: SoakSettings, kinds: [KindStats], samples: [ProcessUsage], before: ProcessUsage?, after: ProcessUsage?) {
        durationSeconds = settings.duration
        workers = settings.workers
        channels = settings.channels
        self.kinds = kinds
        self.samples = samples
        self.before = before
        self.after = after
        let duration = settings.duration
        let second = Self.median(samples.filter { $0.atSeconds >= duration * 0.25 && $0.atSeconds <= duration * 0.5 })
        let last = Self.median(samples.filter { $0.atSeconds >= duration * 0.75 })
        secondQuarterMedianKiB = second
        lastQuarterMedianKiB = last
        if let second, let last {
            rssLevelledOff = last - second <= max(4096, second / 20)
        }
        if let before, let after {
            descriptorsReturned = after.openDescriptors <= before.openDescriptors + 2
        }
    }

    static func median(_ samples: [ProcessUsage]) -> Int? {
        let sorted = samples.map(\.rssKiB).sorted()
        return sorted.isEmpty ? nil : sorted[sorted.count / 2]
    }

    /// The samples nearest the start (after 5 % of the run, once warm), middle and end.
    public var milestones: [(label: String, usage: ProcessUsage)] {
        guard !samples.isEmpty else { return [] }
        func nearest(_ seconds: Double) -> ProcessUsage {
            samples.min { abs($0.atSeconds - seconds) < abs($1.atSeconds - seconds) }!
        }
        var rows: [(String, ProcessUsage)] = []
        if let before { rows.append(("before", before)) }
        rows += [("start", nearest(durationSeconds * 0.05)), ("middle", nearest(durationSeconds * 0.5)),
                 ("end", samples.last!)]
        if let after { rows.append(("after", after)) }
        return rows
    }

    public var unexpectedFailures: Int { kinds.reduce(0) { $0 + $1.unexpectedFailures } }

    public var verdict: String {
        guard let rssLevelledOff, let second = secondQuarterMedianKiB, let last = lastQuarterMedianKiB else {
            return "no server usage measured (give --server-pid with --target)"
        }
        let growth = "median RSS \(second / 1024) MiB in the second quarter, \(last / 1024) MiB in the last"
        return rssLevelledOff ? "RSS levelled off (\(growth))" : "RSS still growing (\(growth))"
    }
}
