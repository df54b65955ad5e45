import CRPCSystem
import Glibc

/// Bytes waiting to go out on one socket: small frames produced by nghttp2 are copied into one
/// staging array (coalesced), while message payloads are referenced without copying. Flushed with
/// `writev`, as few calls as possible, keeping whatever the kernel did not take.
///
/// The staging array lives as long as the connection and is emptied, not freed, once everything
/// is written. (A fresh staging array per payload was a 4 KiB allocation per message: a request
/// of that size makes glibc consolidate its fast bins, which cost a tenth of a unary server's CPU.)
struct OutputBuffer {
    /// One piece of output, in order.
    private enum Segment {
        /// Bytes of `staging`.
        case staged(Range<Int>)
        /// A message payload, referenced.
        case payload(ArraySlice<UInt8>)
    }

    private var segments: [Segment] = []
    private var firstIndex = 0
    private var staging: [UInt8] = []
    /// Staged bytes before this index already belong to a segment.
    private var stagedEnd = 0
    private(set) var count = 0

    /// Most vectors handed to one `writev` (well under IOV_MAX).
    private static let maxVectors = 64
    /// Payloads up to this size are copied into the staging array rather than referenced.
    static let copiedPayloadLimit = 512
    /// Staging capacity kept after a flush; a burst that grew it further gives the memory back.
    private static let keptStagingCapacity = 256 << 10

    var isEmpty: Bool { count == 0 }

    /// Vectors the pending bytes occupy (what the next `writev`s must hand the kernel).
    var pendingVectorCount: Int { segments.count - firstIndex + (stagedEnd < staging.count ? 1 : 0) }

    /// Copies bytes (frames serialized by nghttp2; the pointer is only valid until its next call).
    mutating func appendCopy(_ bytes: UnsafeRawBufferPointer) {
        staging.append(contentsOf: bytes)
        count += bytes.count
    }

    /// References a payload slice without copying it; a small one is copied instead, which
    /// is cheaper than a vector of its own (a unary response of a few bytes would otherwise
    /// cost two vectors per call, and a batch of 64 calls three `sendmsg`s instead of one).
    mutating func appendReference(_ bytes: ArraySlice<UInt8>) {
        guard !bytes.isEmpty else { return }
        if bytes.count <= Self.copiedPayloadLimit {
            bytes.withUnsafeBytes { appendCopy($0) }
            return
        }
        commitStaging()
        segments.append(.payload(bytes))
        count += bytes.count
    }

    /// Turns the staged bytes not yet in a segment into one.
    private mutating func commitStaging() {
        guard stagedEnd < staging.count else { return }
        segments.append(.staged(stagedEnd..<staging.count))
        stagedEnd = staging.count
    }

    /// Writes until the buffer is empty or the socket would block. Returns true when everything
    /// was written.
    mutating func write(to socket: Socket) throws(SocketError) -> Bool {
        try write { (vectors) throws(SocketError) -> Int in try socket.writev(vectors) }
    }

    /// Hands the pending bytes to `sink` as vectors, in order, until the buffer is empty or
    /// `sink` takes less than it was given (it returns the byte count it took). Returns true
    /// when everything was taken. `write(to:)` passes them to the socket; TLS encrypts them.
    mutating func write<E: Error>(using sink: (UnsafeBufferPointer<iovec>) throws(E) -> Int) throws(E) -> Bool {
        commitStaging()
        // Bounded: each round either writes up to `maxVectors` whole segments or stops on a
        // short write.
        while count > 0 {
            let batch = firstIndex..<min(firstIndex + Self.maxVectors, segments.count)
            let written = try writev(batch, sink)
            if written == 0 { return false }
            let wasShort = dropFront(written)
            if wasShort { return false }
        }
        segments.removeAll(keepingCapacity: true)
        firstIndex = 0
        staging.removeAll(keepingCapacity: staging.capacity <= Self.keptStagingCapacity)
        stagedEnd = 0
        return true
    }

    /// Removes `written` bytes from the front; true when the write stopped inside the batch.
    private mutating func dropFront(_ written: Int) -> Bool {
        var remaining = written
        count -= written
        while remaining > 0 {
            switch segments[firstIndex] {
            case .staged(let range) where range.count > remaining:
                segments[firstIndex] = .staged((range.lowerBound + remaining)..<range.upperBound)
                return true
            case .payload(let slice) where slice.count > remaining:
                segments[firstIndex] = .payload(slice.dropFirst(remaining))
                return true
            case .staged(let range):
                remaining -= range.count
            case .payload(let slice):
                remaining -= slice.count
            }
            // Drop the reference now: a written payload's storage can be freed before the rest.
            segments[firstIndex] = .staged(0..<0)
            firstIndex += 1
        }
        if firstIndex > 256 {
            segments.removeFirst(firstIndex)
            firstIndex = 0
        }
        return false
    }

    /// One `sink` call (a `sendmsg`) with the segments in `batch`, with the vectors on the stack
    /// and every payload's storage pinned while it runs.
    private func writev<E: Error>(_ batch: Range<Int>, _ sink: (UnsafeBufferPointer<iovec>) throws(E) -> Int) throws(E) -> Int {
        let result = staging.withUnsafeBytes { stagingBytes in
            withUnsafeTemporaryAllocation(of: iovec.self, capacity: batch.count) { vectors in
                Self.pin(segments[batch], into: vectors, filled: 0, staging: stagingBytes, sink)
            }
        }
        return try result.get()
    }

    /// Fills `vectors` from `rest`, pinning each payload with nested `withUnsafeBytes` scopes so
    /// that every pointer stays valid until the `sink` call at the innermost level returns.
    private static func pin<E: Error>(_ rest: ArraySlice<Segment>, into vectors: UnsafeMutableBufferPointer<iovec>, filled: Int,
                                      staging: UnsafeRawBufferPointer,
                                      _ sink: (UnsafeBufferPointer<iovec>) throws(E) -> Int) -> Result<Int, E> {
        guard let first = rest.first else {
            let ready = UnsafeBufferPointer(rebasing: vectors[..<filled])
            return Result { () throws(E) in try sink(ready) }
        }
        switch first {
        case .staged(let range):
            let start = UnsafeMutableRawPointer(mutating: staging.baseAddress! + range.lowerBound)
            vectors[filled] = iovec(iov_base: start, iov_len: range.count)
            return pin(rest.dropFirst(), into: vectors, filled: filled + 1, staging: staging, sink)
        case .payload(let slice):
            return slice.withUnsafeBytes { raw in
                vectors[filled] = iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress), iov_len: raw.count)
                return pin(rest.dropFirst(), into: vectors, filled: filled + 1, staging: staging, sink)
            }
        }
    }
}
