import Foundation
import Glibc
import RPC
import Testing
@testable import RPCBenchSuite

/// `bench soak`'s verdict from usage samples, and its readings of /proc and malloc.
@Suite struct SoakReportTests {
    static let settings = SoakSettings(target: .ipv4(host: "127.0.0.1", port: 1), serverPID: 1, duration: 90, workers: 12,
                                       channels: 2, sampleInterval: 10, resetsPerSecond: 25)

    /// Samples every 10 s from 0 to 90 s; the last third is 60, 70, 80 and 90 s.
    static func history(rssKiB: [Int], liveKiB: [Int]? = nil, fdsAfter: Int = 10) -> UsageHistory {
        let samples = rssKiB.enumerated().map { index, rss in
            ProcessUsage(atSeconds: Double(index * 10), rssKiB: rss, openDescriptors: 20,
                         heap: liveKiB.map { HeapUsage(liveKiB: $0[index], systemKiB: rss, freeKiB: rss - $0[index]) })
        }
        return UsageHistory(before: ProcessUsage(atSeconds: 0, rssKiB: 20_000, openDescriptors: 10), samples: samples,
                            after: ProcessUsage(atSeconds: 92, rssKiB: rssKiB.last ?? 0, openDescriptors: fdsAfter), duration: 90)
    }

    static func report(server: UsageHistory) -> SoakReport {
        SoakReport(settings: settings, kinds: [], server: server, client: history(rssKiB: Array(repeating: 30_000, count: 10)))
    }

    @Test func flatRSSLevelsOffDespiteASpike() {
        // Early growth does not count, and neither does one spike (60 MiB at 80 s): the slope is
        // the median of the pairwise slopes in the last third, 350 KiB/min (175 KiB over its
        // 30 s), where a least-squares fit would say 10.8 MiB/min.
        let server = Self.history(rssKiB: [30_000, 40_000, 41_000, 42_000, 41_500, 42_500, 42_000, 42_100, 60_000, 42_050])
        #expect(server.rssSlopeKiBPerMinute.map { abs($0 - 350) < 1 } == true)
        #expect(server.rssLevelledOff == true)
        #expect(server.liveHeapSlopeKiBPerMinute == nil)
        #expect(server.descriptorsReturned == true)
        #expect(server.milestones(duration: 90).map(\.label) == ["before", "start", "middle", "end", "after"])
        let report = Self.report(server: server)
        #expect(report.passed)
        #expect(report.milestones.map(\.process) == Array(repeating: "server", count: 5) + Array(repeating: "client", count: 5))
    }

    @Test func steadyGrowthDoesNotLevelOff() {
        // 1 MiB per 10 s: 6 MiB a minute, 3 MiB over the last third's 30 s.
        let server = Self.history(rssKiB: (0..<10).map { 30_000 + $0 * 1024 }, liveKiB: (0..<10).map { 10_000 + $0 * 1024 }, fdsAfter: 30)
        #expect(server.rssSlopeKiBPerMinute.map { abs($0 - 6 * 1024) < 1 } == true)
        #expect(server.liveHeapSlopeKiBPerMinute.map { abs($0 - 6 * 1024) < 1 } == true)
        #expect(server.rssLevelledOff == false)
        #expect(server.descriptorsReturned == false)
        #expect(server.verdict.hasPrefix("still growing, live heap too"))
        #expect(!Self.report(server: server).passed)
    }

    @Test func rssGrowingOverALevelHeapIsNamedAsMalloc() {
        // 512 KiB per 10 s: 1.5 MiB over the last third, over the 1 MiB allowed.
        let server = Self.history(rssKiB: (0..<10).map { 30_000 + $0 * 512 }, liveKiB: Array(repeating: 12_000, count: 10))
        #expect(server.rssLevelledOff == false)
        #expect(server.liveHeapLevelledOff == true)
        #expect(server.verdict.hasPrefix("RSS still growing while the live heap is level"))
        #expect(!Self.report(server: server).passed)
    }

    @Test func readsThisProcessFromProcAndMalloc() throws {
        let usage = try #require(ProcessUsage.readSelf(atSeconds: 0))
        #expect(usage.rssKiB > 1024)
        #expect(usage.openDescriptors >= 3)
        #expect(ProcessUsage.read(pid: -1, atSeconds: 0) == nil)
        // 8 MiB allocated and touched shows in the live heap until it is freed (less a little
        // that reading /proc allocated before and has freed since).
        let before = try #require(usage.heap)
        let block = UnsafeMutableRawPointer.allocate(byteCount: 8 << 20, alignment: 16)
        block.initializeMemory(as: UInt8.self, repeating: 1, count: 8 << 20)
        let holding = HeapUsage.current()
        block.deallocate()
        #expect(holding.liveKiB - before.liveKiB >= 7 * 1024)
        #expect(holding.systemKiB >= holding.liveKiB)
    }

    @Test func publishedHeapUsageReadsBack() throws {
        let path = "/tmp/soak-report-tests-\(getpid())-heap"
        defer { unlink(path) }
        try HeapUsage.publish(to: path)
        let read = try #require(HeapUsage.read(publishedAt: path))
        #expect(read.liveKiB > 0 && read.systemKiB >= read.liveKiB)
        try "12 x 3\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(HeapUsage.read(publishedAt: path) == nil)
        #expect(HeapUsage.read(publishedAt: path + ".missing") == nil)
    }
}
