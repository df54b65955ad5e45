import Glibc
import Testing
@testable import RPC

/// `OutputBuffer` over a real socket pair with a small send buffer, so that writes come back
/// short and the buffer must resume in the middle of staged frames and payloads.
@Suite struct OutputBufferTests {
    /// A connected, non-blocking Unix stream pair; the writer's send buffer is small.
    static func socketPair() throws -> (writer: Socket, reader: Socket) {
        var fds: [Int32] = [-1, -1]
        let result = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0, &fds)
        try #require(result == 0)
        var size: Int32 = 4096
        setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        return (Socket(fd: fds[0]), Socket(fd: fds[1]))
    }

    /// Reads whatever is available (non-blocking) into `received`.
    static func drain(_ socket: Socket, into received: inout [UInt8]) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
        defer { buffer.deallocate() }
        // Bounded: stops at the first read that would block.
        for _ in 0..<10_000 {
            guard case .bytes(let count) = try socket.read(into: buffer) else { return }
            received.append(contentsOf: buffer[..<count])
        }
    }

    /// Where two byte streams first differ (nil when equal): a readable failure for megabytes.
    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int? {
        if let index = a.indices.first(where: { $0 < b.count && a[$0] != b[$0] }) { return index }
        return a.count == b.count ? nil : min(a.count, b.count)
    }

    @Test func interleavedCopiesAndReferencesArriveInOrderAcrossShortWrites() throws {
        let (writer, reader) = try Self.socketPair()
        defer { writer.close(); reader.close() }
        var output = OutputBuffer()
        var expected: [UInt8] = []
        var received: [UInt8] = []
        var generator = SystemRandomNumberGenerator()
        // Several rounds, each queueing more than the socket takes at once, some of them while
        // earlier output is still pending (the staging array grows under pending ranges).
        for round in 0..<20 {
            let queuedBefore = expected.count
            for piece in 0..<30 {
                let size = Int.random(in: 1...3000, using: &generator)
                let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &+ piece &* 7 &+ round) }
                if piece % 3 == 0 {
                    output.appendReference(bytes[...].dropFirst(size / 4))
                    expected += bytes.dropFirst(size / 4)
                } else {
                    bytes.withUnsafeBytes { output.appendCopy($0) }
                    expected += bytes
                }
            }
            #expect(output.count == expected.count - queuedBefore)
            // Alternate writing and reading until this round is out (bounded).
            for _ in 0..<10_000 where !output.isEmpty {
                _ = try output.write(to: writer)
                try Self.drain(reader, into: &received)
            }
            #expect(output.isEmpty)
        }
        try Self.drain(reader, into: &received)
        #expect(received.count == expected.count)
        #expect(Self.firstDifference(received, expected) == nil)
    }

    @Test func countTracksWhatIsStillUnwritten() throws {
        let (writer, reader) = try Self.socketPair()
        defer { writer.close(); reader.close() }
        var output = OutputBuffer()
        let big = [UInt8](repeating: 0xAB, count: 1 << 20)
        output.appendReference(big[...])
        ([1, 2, 3] as [UInt8]).withUnsafeBytes { output.appendCopy($0) }
        #expect(output.count == (1 << 20) + 3)
        let done = try output.write(to: writer)
        #expect(!done, "a 1 MiB write cannot fit a 4 KiB send buffer")
        #expect(output.count > 0 && output.count < (1 << 20) + 3)
        var received: [UInt8] = []
        for _ in 0..<100_000 where !output.isEmpty {
            _ = try output.write(to: writer)
            try Self.drain(reader, into: &received)
        }
        try Self.drain(reader, into: &received)
        #expect(output.count == 0)
        #expect(Self.firstDifference(received, big + [1, 2, 3]) == nil)
    }

    @Test func smallPayloadsAreCopiedLargeOnesReferenced() throws {
        let (writer, reader) = try Self.socketPair()
        defer { writer.close(); reader.close() }
        var output = OutputBuffer()
        // A batch of 64 tiny unary responses (frame headers, then a 5-byte message each):
        // one vector, so one `sendmsg`.
        var expected: [UInt8] = []
        for call in 0..<64 {
            let frames = [UInt8](repeating: UInt8(call), count: 19)
            let message: [UInt8] = [0, 0, 0, 0, UInt8(call)]
            frames.withUnsafeBytes { output.appendCopy($0) }
            output.appendReference(message[...])
            expected += frames + message
        }
        #expect(output.pendingVectorCount == 1)
        // A payload above the limit keeps a vector of its own, between the staged ranges.
        let large = [UInt8](repeating: 0xCD, count: OutputBuffer.copiedPayloadLimit + 1)
        output.appendReference(large[...])
        ([9] as [UInt8]).withUnsafeBytes { output.appendCopy($0) }
        expected += large + [9]
        #expect(output.pendingVectorCount == 3)
        var received: [UInt8] = []
        for _ in 0..<10_000 where !output.isEmpty {
            _ = try output.write(to: writer)
            try Self.drain(reader, into: &received)
        }
        try Self.drain(reader, into: &received)
        #expect(Self.firstDifference(received, expected) == nil)
    }
}
