import Foundation
import Testing
@testable import Wire

/// Large encode outputs and `bytes` payloads ask the kernel for transparent huge pages (see
/// `LargeBuffers`). The kernel records the advice as the `hg` flag of the memory mapping,
/// which /proc/self/smaps shows, so these tests read the advice back from the kernel.
@Suite struct LargeBufferTests {
    /// The `VmFlags` of the mapping holding `address`, from /proc/self/smaps.
    static func mappingFlags(containing address: UInt) throws -> [Substring]? {
        let smaps = try readProcFile("/proc/self/smaps")
        var inMapping = false
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let range = fields.first, range.contains("-"), fields.count >= 5 {
                let bounds = range.split(separator: "-").compactMap { UInt($0, radix: 16) }
                inMapping = bounds.count == 2 && bounds[0] <= address && address < bounds[1]
            } else if inMapping, line.hasPrefix("VmFlags:") {
                return Array(fields.dropFirst())
            }
        }
        return nil
    }

    /// Reads a /proc file to its end (Foundation's readers stop at the first page of a file
    /// whose size stat reports as 0).
    static func readProcFile(_ path: String) throws -> String {
        let handle = try #require(FileHandle(forReadingAtPath: path))
        defer { try? handle.close() }
        var data = Data()
        // Bounded: smaps of a test process is well under 64 MiB.
        while data.count < 64 << 20, let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty {
            data.append(chunk)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// True when THP is switched off entirely (`[never]`), where the advice is refused.
    static var hugePagesDisabled: Bool {
        let mode = (try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)) ?? "[never]"
        return mode.contains("[never]")
    }

    /// The first 2 MiB boundary inside the array's storage: the advised range starts there.
    static func firstHugePageBoundary(of bytes: [UInt8]) -> UInt {
        bytes.withUnsafeBytes { raw in
            let base = UInt(bitPattern: raw.baseAddress)
            let hugePage: UInt = 2 << 20
            return (base + hugePage - 1) & ~(hugePage - 1)
        }
    }

    func bigNode(size: Int) -> Node {
        var node = Node()
        node.id = 1
        node.blobs = [(0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7) }]
        return node
    }

    @Test(.enabled(if: !hugePagesDisabled)) func largeEncodeOutputIsAdvisedForHugePages() throws {
        let bytes = try bigNode(size: 8 << 20).serializedBytes()
        let flags = try #require(try Self.mappingFlags(containing: Self.firstHugePageBoundary(of: bytes)))
        #expect(flags.contains("hg"), "VmFlags: \(flags)")
    }

    @Test(.enabled(if: !hugePagesDisabled)) func largeDecodedBytesFieldIsAdvisedForHugePages() throws {
        let node = bigNode(size: 8 << 20)
        let decoded = try Node(serializedBytes: try node.serializedBytes())
        #expect(decoded == node)
        let blob = try #require(decoded.blobs.first)
        let flags = try #require(try Self.mappingFlags(containing: Self.firstHugePageBoundary(of: blob)))
        #expect(flags.contains("hg"), "VmFlags: \(flags)")
    }

    /// Sizes around the threshold and around 2 MiB boundaries encode and decode intact.
    @Test(arguments: [LargeBuffers.hugePageAdviceThreshold - 1, LargeBuffers.hugePageAdviceThreshold,
                      LargeBuffers.hugePageAdviceThreshold + 1, (6 << 20) + 3])
    func sizesAroundTheThresholdRoundTrip(size: Int) throws {
        let node = bigNode(size: size)
        let bytes = try node.serializedBytes()
        #expect(bytes.count == node.serializedSize())
        #expect(try Node(serializedBytes: bytes) == node)
    }
}

/// `countLengthDelimitedRun` sizes reservations for runs of repeated length-delimited fields:
/// its count must match the run exactly for one- and two-byte tags, short and long lengths,
/// at the end of the input and with malformed bytes after the run.
@Suite struct LengthDelimitedRunTests {
    func count(_ bytes: [UInt8], tagLength: Int) -> Int {
        bytes.withUnsafeBytes { raw in
            var reader = Reader(raw)
            reader.tagStart = reader.position
            reader.position += tagLength
            return reader.countLengthDelimitedRun(limit: 1024)
        }
    }

    func field(_ tag: [UInt8], _ length: Int) -> [UInt8] {
        var bytes = tag
        var value = length
        while value >= 0x80 { bytes.append(UInt8(value & 0x7F) | 0x80); value >>= 7 }
        bytes.append(UInt8(value))
        return bytes + [UInt8](repeating: 0x61, count: length)
    }

    @Test func countsRunsExactly() {
        for tag in [[UInt8(26)], [UInt8(0xA2), 0x01]] {
            for lengths in [[0], [3], [0, 0, 0], [1, 200, 2], [20, 20, 20, 20], [300, 5]] {
                let run = lengths.flatMap { field(tag, $0) }
                #expect(count(run, tagLength: tag.count) == lengths.count, "\(tag) \(lengths)")
                // Another field after the run ends it; so does a cut-off last length.
                #expect(count(run + field([34], 12), tagLength: tag.count) == lengths.count)
                #expect(count(run + tag + [0xFF], tagLength: tag.count) == lengths.count)
                #expect(count(run + tag + [50, 0x61], tagLength: tag.count) == lengths.count)
            }
        }
    }
}
