import Foundation

/// Resident memory and open descriptors of a process, read from /proc (Linux).
public struct ProcessUsage: Sendable, Encodable {
    /// Seconds since the soak started.
    public var atSeconds: Double
    /// VmRSS, KiB.
    public var rssKiB: Int
    /// Entries of /proc/PID/fd.
    public var openDescriptors: Int

    enum CodingKeys: String, CodingKey {
        case atSeconds = "at_s", rssKiB = "rss_kib", openDescriptors = "open_fds"
    }

    /// Reads `pid`'s usage now; nil when the process is gone or /proc is unreadable.
    public static func read(pid: Int32, atSeconds: Double) -> ProcessUsage? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? ""),
              let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")
        else { return nil }
        return ProcessUsage(atSeconds: atSeconds, rssKiB: kib, openDescriptors: descriptors.count)
    }
}
