import CBenchHeap
import Foundation

/// What glibc malloc holds in this process (mallinfo2, over all arenas): the bytes the program
/// has allocated and not freed, next to what malloc took from the system for them. RSS alone
/// cannot tell a leak (live bytes grow) from an allocator that keeps freed memory (live bytes
/// flat, the rest grows).
public struct HeapUsage: Sendable, Equatable, Encodable {
    /// Allocated and not yet freed, KiB (mmapped chunks included).
    public var liveKiB: Int
    /// Taken from the system by malloc (arenas and mmapped chunks), KiB.
    public var systemKiB: Int
    /// Free inside the arenas, KiB (held by malloc for reuse).
    public var freeKiB: Int

    enum CodingKeys: String, CodingKey {
        case liveKiB = "live_kib", systemKiB = "system_kib", freeKiB = "free_kib"
    }

    public init(liveKiB: Int, systemKiB: Int, freeKiB: Int) {
        self.liveKiB = liveKiB
        self.systemKiB = systemKiB
        self.freeKiB = freeKiB
    }

    /// This process's malloc statistics now. mallinfo2 walks every arena under its lock: a few
    /// microseconds, fine once a second.
    public static func current() -> HeapUsage {
        let usage = bench_heap_usage()
        return HeapUsage(liveKiB: usage.live_bytes / 1024, systemKiB: usage.system_bytes / 1024, freeKiB: usage.free_bytes / 1024)
    }

    /// Gives free memory in every arena back to the system (malloc_trim(0)); true when any was.
    @discardableResult
    public static func trim() -> Bool { bench_heap_trim() == 1 }

    /// One line, as `bench serve --heap-file` writes it: `live system free` in KiB.
    var line: String { "\(liveKiB) \(systemKiB) \(freeKiB)\n" }

    init?(line: Substring) {
        let fields = line.split(separator: " ").compactMap { Int($0) }
        guard fields.count == 3, fields.allSatisfy({ $0 >= 0 }) else { return nil }
        self.init(liveKiB: fields[0], systemKiB: fields[1], freeKiB: fields[2])
    }

    /// Reads what a server published with `publish(to:)`; nil when the file is missing or malformed.
    public static func read(publishedAt path: String) -> HeapUsage? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let line = text.split(separator: "\n").first else { return nil }
        return HeapUsage(line: line)
    }

    /// Writes this process's usage to `path` (through a rename, so a reader never sees half a line).
    public static func publish(to path: String) throws {
        try current().line.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
