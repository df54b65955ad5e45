import CZlib

/// Message encodings of `grpc-encoding` / `grpc-accept-encoding` that this library implements.
public enum CompressionAlgorithm: String, Sendable, Hashable, CaseIterable {
    case identity
    case gzip
    /// The zlib format (RFC 1950), which is what HTTP and gRPC mean by "deflate".
    case deflate

    /// Parses a `grpc-encoding` value; unknown names give nil so the caller can answer UNIMPLEMENTED.
    package init?(headerValue: String) {
        self.init(rawValue: headerValue.lowercased())
    }

    /// zlib's `windowBits`: 15 selects the zlib wrapper, +16 the gzip wrapper.
    var windowBits: Int32 {
        switch self {
        case .identity, .deflate: 15
        case .gzip: 15 + 16
        }
    }
}

/// Why compressing or decompressing a message failed.
package enum CompressionError: Error, Sendable, Hashable {
    /// The decompressed size would exceed the caller's limit (a "decompression bomb" or an
    /// oversized message); decompression stops at the limit instead of allocating further.
    case outputLimitExceeded(limit: Int)
    /// The compressed bytes are not a valid stream of the named format.
    case corruptInput(String)
    /// The stream ended before the format's end marker.
    case truncatedInput
    /// Bytes follow the end of the compressed stream.
    case trailingData
    /// zlib itself failed (out of memory, version mismatch).
    case zlibFailure(code: Int32)
}

/// gzip and deflate through the system zlib. `identity` passes bytes through.
package enum MessageCompression {
    /// Compresses `input` with `algorithm`.
    package static func compress(_ input: some Collection<UInt8>, using algorithm: CompressionAlgorithm) throws(CompressionError) -> [UInt8] {
        let bytes = Array(input)
        if algorithm == .identity { return bytes }
        var stream = z_stream()
        let initResult = deflateInit2_(
            &stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, algorithm.windowBits, 8, Z_DEFAULT_STRATEGY,
            zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard initResult == Z_OK else { throw .zlibFailure(code: initResult) }
        defer { deflateEnd(&stream) }

        // deflateBound gives a size the whole output is guaranteed to fit in, so one call suffices.
        let capacity = Int(deflateBound(&stream, uLong(bytes.count)))
        var output = [UInt8](repeating: 0, count: capacity)
        var mutableInput = bytes
        let result: Int32 = mutableInput.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else { throw .zlibFailure(code: result) }
        output.removeLast(Int(stream.avail_out))
        return output
    }

    /// Decompresses `input`, failing once the output would grow beyond `limit` bytes.
    package static func decompress(_ input: some Collection<UInt8>, using algorithm: CompressionAlgorithm, limit: Int) throws(CompressionError) -> [UInt8] {
        var bytes = Array(input)
        if algorithm == .identity {
            guard bytes.count <= limit else { throw .outputLimitExceeded(limit: limit) }
            return bytes
        }
        var stream = z_stream()
        let initResult = inflateInit2_(&stream, algorithm.windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard initResult == Z_OK else { throw .zlibFailure(code: initResult) }
        defer { inflateEnd(&stream) }

        // Grow the output geometrically, never past limit + 1 (one spare byte tells "exactly at
        // the limit" apart from "over it"), so a bomb costs at most `limit` bytes of memory.
        let hardCap = limit == Int.max ? limit : limit + 1
        var output: [UInt8] = []
        var produced = 0
        var chunkSize = min(max(bytes.count * 4, 256), hardCap)
        var finished = false
        try bytes.withUnsafeMutableBufferPointer { (inBuffer) throws(CompressionError) in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            // Each round either finishes, fails, or fills the whole chunk; the total is capped at
            // hardCap, so the loop runs a bounded number of times.
            while !finished {
                if produced >= hardCap { throw .outputLimitExceeded(limit: limit) }
                let room = min(chunkSize, hardCap - produced)
                output.append(contentsOf: [UInt8](repeating: 0, count: room))
                let result: Int32 = output.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress! + produced
                    stream.avail_out = uInt(room)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                produced += room - Int(stream.avail_out)
                switch result {
                case Z_STREAM_END:
                    finished = true
                case Z_OK:
                    break
                case Z_BUF_ERROR:
                    // No progress possible: with output room left that means the input ran out.
                    if stream.avail_out > 0 { throw .truncatedInput }
                case Z_DATA_ERROR, Z_NEED_DICT:
                    let message = stream.msg.map { String(cString: $0) } ?? "invalid data"
                    throw .corruptInput(message)
                default:
                    throw .zlibFailure(code: result)
                }
                if !finished, stream.avail_out > 0, stream.avail_in == 0 { throw .truncatedInput }
                chunkSize = min(chunkSize * 2, 1 << 24)
            }
            if stream.avail_in != 0 { throw .trailingData }
        }
        if produced > limit { throw .outputLimitExceeded(limit: limit) }
        output.removeLast(output.count - produced)
        return output
    }
}
