import Foundation

/// Resident memory, open descriptors and (when known) malloc's live and retained bytes of a
/// process, read from /proc (Linux) and from what the process publishes (`HeapUsage`).
public struct ProcessUsage: Sendable, Encodable {
    /// Seconds since the soak started.
    public var atSeconds: Double
    /// VmRSS, KiB.
    public var rssKiB: Int
    /// Entries of /proc/PID/fd.
    public var openDescriptors: Int
    /// malloc's statistics at about the same time; nil when the process does not publish them.
    public var heap: HeapUsage?

    enum CodingKeys: String, CodingKey {
        case atSeconds = "at_s", rssKiB = "rss_kib", openDescriptors = "open_fds", heap
    }

    public init(atSeconds: Double, rssKiB: Int, openDescriptors: Int, heap: HeapUsage? = nil) {
        self.atSeconds = atSeconds
        self.rssKiB = rssKiB
        self.openDescriptors = openDescriptors
        self.heap = heap
    }

    /// Reads `pid`'s usage now; nil when the process is gone or /proc is unreadable.
    /// - Parameter heap: how to learn its malloc statistics (nil: not known).
    public static func read(pid: Int32, atSeconds: Double, heap: (() -> HeapUsage?)? = nil) -> ProcessUsage? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? ""),
              let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")
        else { return nil }
        return ProcessUsage(atSeconds: atSeconds, rssKiB: kib, openDescriptors: descriptors.count, heap: heap?())
    }

    /// This process (the soak's client side), with its own malloc statistics.
    public static func readSelf(atSeconds: Double) -> ProcessUsage? {
        read(pid: getpid(), atSeconds: atSeconds, heap: { HeapUsage.current() })
    }
}
