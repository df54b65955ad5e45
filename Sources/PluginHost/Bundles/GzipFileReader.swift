import CZlib

#if canImport(Glibc)
import Glibc
#endif

/// Reads the decompressed bytes of a gzip file in bounded steps.
///
/// Memory stays bounded whatever the compression ratio: the file is read 64 KiB at a time,
/// and each inflate step produces at most 64 KiB, so a small bomb never becomes a large
/// buffer; the total output is capped at `limit`. Concatenated gzip members are read as
/// one stream, as gunzip does.
final class GzipFileReader {
    static let stepSize = 64 * 1024

    private let fd: Int32
    private let path: String
    private let limit: Int
    /// zlib keeps a pointer back to its `z_stream`, so it lives at a fixed address.
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var phase = Phase.inMember
    private(set) var totalOutput = 0
    private var pending: [UInt8] = []
    private var pendingStart = 0

    private enum Phase {
        case inMember
        /// A member ended; more input means another member.
        case betweenMembers
        case finished
    }

    /// Takes ownership of `fd` (closed on deinit).
    init(fd: Int32, path: String, limit: Int) throws(BundleError) {
        self.fd = fd
        self.path = path
        self.limit = limit
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(byteCount: Self.stepSize, alignment: 1)
        let result = inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard result == Z_OK else {
            stream.deallocate()
            input.deallocate()
            close(fd)
            throw .corruptCompression("zlib could not start (\(result))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        input.deallocate()
        close(fd)
    }

    /// Exactly `count` bytes (small counts: tar headers and metadata records).
    func read(exactly count: Int) throws(BundleError) -> [UInt8] {
        try fill(atLeast: count)
        let bytes = Array(pending[pendingStart..<(pendingStart + count)])
        advance(count)
        return bytes
    }

    /// Passes the next `count` bytes to `body` in pieces of at most 64 KiB.
    func forEachPiece(of count: Int, _ body: (ArraySlice<UInt8>) throws(BundleError) -> Void) throws(BundleError) {
        var remaining = count
        while remaining > 0 {
            if pending.count == pendingStart { try fill(atLeast: 1) }
            let take = min(remaining, pending.count - pendingStart)
            try body(pending[pendingStart..<(pendingStart + take)])
            advance(take)
            remaining -= take
        }
    }

    /// Whether every byte of the file has been decompressed and consumed.
    func isAtEnd() throws(BundleError) -> Bool {
        if pending.count > pendingStart { return false }
        return try !produce()
    }

    private func advance(_ count: Int) {
        pendingStart += count
        if pendingStart == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
        } else if pendingStart >= Self.stepSize {
            pending.removeFirst(pendingStart)
            pendingStart = 0
        }
    }

    private func fill(atLeast count: Int) throws(BundleError) {
        while pending.count - pendingStart < count {
            guard try produce() else { throw .corruptArchive("the archive ends in the middle of an entry") }
        }
    }

    /// Inflates one step into `pending`. Returns false at the end of the file.
    private func produce() throws(BundleError) -> Bool {
        while true {
            if stream.pointee.avail_in == 0 {
                let count = try refill()
                if count == 0 {
                    switch phase {
                    case .inMember: throw .corruptCompression("the gzip stream is truncated")
                    case .betweenMembers, .finished:
                        phase = .finished
                        return false
                    }
                }
            }
            if phase == .betweenMembers {
                guard inflateReset(stream) == Z_OK else { throw .corruptCompression("zlib reset failed") }
                phase = .inMember
            }
            let produced = try inflateStep()
            if produced > 0 { return true }
        }
    }

    private func refill() throws(BundleError) -> Int {
        while true {
            let count = Glibc.read(fd, input.baseAddress, input.count)
            if count >= 0 {
                stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
                stream.pointee.avail_in = uInt(count)
                return count
            }
            if errno != EINTR { throw .io(path: path, operation: "read", errno: errno) }
        }
    }

    /// One call to inflate with at most `stepSize` bytes of room; returns the bytes produced.
    private func inflateStep() throws(BundleError) -> Int {
        let start = pending.count
        pending.append(contentsOf: repeatElement(0, count: Self.stepSize))
        let (result, room) = pending.withUnsafeMutableBufferPointer { buffer in
            let out = UnsafeMutableBufferPointer(rebasing: buffer[start...])
            stream.pointee.next_out = out.baseAddress
            stream.pointee.avail_out = uInt(out.count)
            return (inflate(stream, Z_NO_FLUSH), Int(stream.pointee.avail_out))
        }
        let produced = Self.stepSize - room
        pending.removeLast(room)
        switch result {
        case Z_OK, Z_BUF_ERROR: break
        case Z_STREAM_END: phase = .betweenMembers
        case Z_DATA_ERROR: throw .corruptCompression(stream.pointee.msg.map { String(cString: $0) } ?? "data error")
        default: throw .corruptCompression("zlib error \(result)")
        }
        totalOutput += produced
        guard totalOutput <= limit else { throw .unpackedTooLarge(limit: limit) }
        return produced
    }
}
