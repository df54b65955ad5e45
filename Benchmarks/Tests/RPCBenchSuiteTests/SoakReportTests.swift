import Glibc
import RPC
import Testing
@testable import RPCBenchSuite

/// `bench soak`'s verdict from the server's RSS samples, and its reading of /proc.
@Suite struct SoakReportTests {
    static let settings = SoakSettings(target: .ipv4(host: "127.0.0.1", port: 1), serverPID: 1, duration: 100, workers: 12,
                                       channels: 2, sampleInterval: 10, resetsPerSecond: 25)

    static func report(rssKiB: [Int], fdsBefore: Int = 10, fdsAfter: Int = 10) -> SoakReport {
        let samples = rssKiB.enumerated().map { ProcessUsage(atSeconds: Double($0.offset * 10), rssKiB: $0.element, openDescriptors: 20) }
        return SoakReport(settings: settings, kinds: [], samples: samples,
                          before: ProcessUsage(atSeconds: 0, rssKiB: 20_000, openDescriptors: fdsBefore),
                          after: ProcessUsage(atSeconds: 102, rssKiB: rssKiB.last ?? 0, openDescriptors: fdsAfter))
    }

    @Test func flatRSSLevelsOff() {
        // A short burst (the 60 MiB sample) does not count: the verdict compares medians.
        let report = Self.report(rssKiB: [30_000, 40_000, 41_000, 42_000, 41_500, 42_500, 42_000, 42_800, 60_000, 42_900, 43_100])
        #expect(report.rssLevelledOff == true)
        #expect(report.secondQuarterMedianKiB == 42_000)  // samples at 30, 40 and 50 s
        #expect(report.lastQuarterMedianKiB == 43_100)  // samples at 80, 90 and 100 s
        #expect(report.descriptorsReturned == true)
        #expect(report.milestones.map(\.label) == ["before", "start", "middle", "end", "after"])
    }

    @Test func steadyGrowthDoesNotLevelOff() {
        let report = Self.report(rssKiB: (0...10).map { 30_000 + $0 * 5_000 }, fdsAfter: 30)
        #expect(report.rssLevelledOff == false)
        #expect(report.descriptorsReturned == false)
        #expect(report.verdict.hasPrefix("RSS still growing"))
    }

    @Test func readsThisProcessFromProc() throws {
        let usage = try #require(ProcessUsage.read(pid: getpid(), atSeconds: 0))
        #expect(usage.rssKiB > 1024)
        #expect(usage.openDescriptors >= 3)
        #expect(ProcessUsage.read(pid: -1, atSeconds: 0) == nil)
    }
}
