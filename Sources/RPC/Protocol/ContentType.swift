/// The gRPC `content-type` header: `application/grpc`, optionally followed by `+format`
/// (e.g. `+proto`) or by `;` parameters. Anything else is not a gRPC request and a server
/// answers HTTP 415 (gRPC PROTOCOL-HTTP2 "Content-Type").
package enum GRPCContentType {
    /// What we send.
    package static let proto = "application/grpc+proto"

    /// True when `value` names gRPC, in any of its allowed spellings (case-insensitive type).
    package static func isGRPC(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { isGRPC(UnsafeRawBufferPointer($0)) }
    }

    /// The same for a value's bytes as received (this runs for every request: no string, no
    /// arrays, no iterator).
    static func isGRPC(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let prefix: StaticString = "application/grpc"
        let count = prefix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        let expected = UnsafeRawBufferPointer(start: prefix.utf8Start, count: count)
        for index in 0..<count where asciiLowercased(bytes[index]) != expected[index] { return false }
        guard bytes.count > count else { return true }
        let next = bytes[count]
        return next == UInt8(ascii: "+") || next == UInt8(ascii: ";")
    }

    @inline(__always)
    static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}

/// `grpc-accept-encoding`: the message encodings a peer can decompress, comma-separated.
package enum AcceptEncoding {
    /// Our header value for the algorithms we accept, e.g. `identity,gzip,deflate`.
    package static func format(_ algorithms: [CompressionAlgorithm]) -> String {
        algorithms.map(\.rawValue).joined(separator: ",")
    }

    /// The algorithms named in a received header (unknown names are skipped: a peer may
    /// support encodings we do not). `identity` is always implied, so it is always included.
    /// What a peer that sent no `grpc-accept-encoding` accepts (one shared set, not a new
    /// one per call).
    package static let identityOnly: Set<CompressionAlgorithm> = [.identity]

    package static func parse(_ value: String) -> Set<CompressionAlgorithm> {
        var result: Set<CompressionAlgorithm> = [.identity]
        for name in value.split(separator: ",") {
            let trimmed = name.trimmingASCIIWhitespace()
            if let algorithm = CompressionAlgorithm(headerValue: trimmed) { result.insert(algorithm) }
        }
        return result
    }
}

extension Substring {
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }
}
