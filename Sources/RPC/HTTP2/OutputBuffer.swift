import CRPCSystem
import Glibc

/// Bytes waiting to go out on one socket: small frames produced by nghttp2 are copied into a
/// staging array (coalesced), while message payloads are referenced without copying. Flushed with
/// `writev`, as few calls as possible, keeping whatever the kernel did not take.
struct OutputBuffer {
    private var segments: [ArraySlice<UInt8>] = []
    private var firstIndex = 0
    private var staging: [UInt8] = []
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// Copies bytes (frames serialized by nghttp2; the pointer is only valid until its next call).
    mutating func appendCopy(_ bytes: UnsafeRawBufferPointer) {
        staging.append(contentsOf: bytes)
        count += bytes.count
    }

    /// References a payload slice without copying it.
    mutating func appendReference(_ bytes: ArraySlice<UInt8>) {
        guard !bytes.isEmpty else { return }
        commitStaging()
        segments.append(bytes)
        count += bytes.count
    }

    private mutating func commitStaging() {
        guard !staging.isEmpty else { return }
        segments.append(staging[...])
        staging = []
        staging.reserveCapacity(4096)
    }

    /// Writes until the buffer is empty or the socket would block. Returns true when everything
    /// was written.
    mutating func write(to socket: Socket) throws(SocketError) -> Bool {
        commitStaging()
        // Bounded: each round either empties up to 64 segments or stops on a short write.
        while count > 0 {
            let batch = min(64, segments.count - firstIndex)
            let written = try Self.writev(socket, segments[firstIndex..<(firstIndex + batch)])
            if written == 0 { return false }
            let wasShort = dropFront(written)
            if wasShort { return false }
        }
        segments.removeAll(keepingCapacity: true)
        firstIndex = 0
        return true
    }

    /// Removes `written` bytes from the front; true when the write stopped inside the batch.
    private mutating func dropFront(_ written: Int) -> Bool {
        var remaining = written
        count -= written
        while remaining > 0 {
            let first = segments[firstIndex]
            if first.count <= remaining {
                remaining -= first.count
                segments[firstIndex] = []
                firstIndex += 1
            } else {
                segments[firstIndex] = first.dropFirst(remaining)
                return true
            }
        }
        if firstIndex > 256 {
            segments.removeFirst(firstIndex)
            firstIndex = 0
        }
        return false
    }

    /// Pins every slice's storage while one `writev` runs (nested scopes keep all pointers valid).
    private static func writev(_ socket: Socket, _ batch: ArraySlice<ArraySlice<UInt8>>) throws(SocketError) -> Int {
        var vectors: [iovec] = []
        vectors.reserveCapacity(batch.count)
        let result = pin(batch[...], &vectors, socket)
        return try result.get()
    }

    private static func pin(_ rest: ArraySlice<ArraySlice<UInt8>>, _ vectors: inout [iovec], _ socket: Socket) -> Result<Int, SocketError> {
        guard let first = rest.first else {
            return vectors.withUnsafeBufferPointer { pointer in Result { () throws(SocketError) in try socket.writev(pointer) } }
        }
        return first.withUnsafeBytes { raw in
            vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress), iov_len: raw.count))
            return pin(rest.dropFirst(), &vectors, socket)
        }
    }
}
