#if canImport(Glibc)
import Glibc
#endif

/// One process as `/proc/PID/stat` shows it. The start time (in clock ticks since boot)
/// makes the identity exact: a pid the kernel reuses for another process never matches.
struct ProcessRecord: Hashable, Sendable {
    var pid: pid_t
    var startTime: UInt64
}

/// What the process tree looks like in `/proc`: parents, start times, and a process's
/// ancestry. Read-only and bounded; used to find a plugin's descendants (including those
/// in new sessions or process groups) and to check who is calling a plugin's API.
enum ProcessTree {
    struct Stat: Sendable {
        var parent: pid_t
        var startTime: UInt64
        var state: UInt8
    }

    /// How many ancestors `isDescendant` follows before giving up (Linux pid trees are
    /// shallow; a deeper chain is treated as "not a descendant").
    static let maximumAncestryDepth = 64
    /// How many processes one scan of /proc looks at.
    static let maximumScannedProcesses = 1 << 16

    /// Parses `/proc/PID/stat`; nil when the process does not exist (any more).
    static func stat(of pid: pid_t) -> Stat? {
        guard let text = readSmallFile("/proc/\(pid)/stat") else { return nil }
        return parseStat(text)
    }

    /// The fields after the command name, which is in parentheses and may itself contain
    /// spaces or parentheses: everything up to the last ')' is skipped.
    static func parseStat(_ bytes: [UInt8]) -> Stat? {
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)
        // fields[0] is field 3 (state), fields[1] field 4 (ppid), fields[19] field 22 (starttime).
        guard fields.count > 19, let state = fields[0].first,
              let parent = Int32(String(decoding: fields[1], as: UTF8.self)),
              let startTime = UInt64(String(decoding: fields[19], as: UTF8.self))
        else { return nil }
        return Stat(parent: parent, startTime: startTime, state: state)
    }

    static func record(of pid: pid_t) -> ProcessRecord? {
        stat(of: pid).map { ProcessRecord(pid: pid, startTime: $0.startTime) }
    }

    /// Whether `record` still names a living (or zombie) process.
    static func exists(_ record: ProcessRecord) -> Bool {
        stat(of: record.pid)?.startTime == record.startTime
    }

    /// Whether `pid` is `ancestor` itself or one of its descendants, following parent
    /// links up at most `maximumAncestryDepth` steps.
    static func isDescendant(_ pid: pid_t, of ancestor: pid_t) -> Bool {
        var current = pid
        for _ in 0..<maximumAncestryDepth {
            if current == ancestor { return true }
            guard current > 1, let parent = stat(of: current)?.parent, parent > 0 else { return false }
            current = parent
        }
        return false
    }

    /// Every living process whose parent chain leads to one of `roots` (roots excluded),
    /// from one scan of /proc.
    static func descendants(of roots: Set<pid_t>) -> [ProcessRecord] {
        guard !roots.isEmpty else { return [] }
        var children: [pid_t: [ProcessRecord]] = [:]
        for pid in allPIDs() {
            guard let stat = stat(of: pid) else { continue }
            children[stat.parent, default: []].append(ProcessRecord(pid: pid, startTime: stat.startTime))
        }
        var found: [ProcessRecord] = []
        var seen = roots
        var frontier = Array(roots)
        while let next = frontier.popLast(), found.count < maximumScannedProcesses {
            for child in children[next] ?? [] where seen.insert(child.pid).inserted {
                found.append(child)
                frontier.append(child.pid)
            }
        }
        return found
    }

    /// The numeric entries of /proc.
    static func allPIDs() -> [pid_t] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var pids: [pid_t] = []
        while pids.count < maximumScannedProcesses, let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let pid = pid_t(name), pid > 0 { pids.append(pid) }
        }
        return pids
    }

    /// Reads a file of at most 4 KiB (a /proc stat line is far shorter) in one go.
    private static func readSmallFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return Array(buffer[0..<count])
    }
}
