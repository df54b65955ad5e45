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
