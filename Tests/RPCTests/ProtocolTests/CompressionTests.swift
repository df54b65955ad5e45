import Testing
@testable import RPC

@Suite struct CompressionTests {
    static let sample: [UInt8] = Array(String(repeating: "gRPC over HTTP/2 with zlib. ", count: 200).utf8)

    @Test(arguments: [CompressionAlgorithm.gzip, .deflate])
    func roundTrips(_ algorithm: CompressionAlgorithm) throws {
        let compressed = try MessageCompression.compress(Self.sample, using: algorithm)
        #expect(compressed.count < Self.sample.count / 10)
        #expect(try MessageCompression.decompress(compressed, using: algorithm, limit: Self.sample.count) == Self.sample)
    }

    @Test(arguments: [CompressionAlgorithm.gzip, .deflate])
    func emptyAndIncompressibleInputsRoundTrip(_ algorithm: CompressionAlgorithm) throws {
        #expect(try MessageCompression.decompress(MessageCompression.compress([], using: algorithm), using: algorithm, limit: 0) == [])
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let noise: [UInt8] = (0..<100_000).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        let compressed = try MessageCompression.compress(noise, using: algorithm)
        #expect(try MessageCompression.decompress(compressed, using: algorithm, limit: noise.count) == noise)
    }

    @Test func formatsAreTheStandardWrappers() throws {
        let gzip = try MessageCompression.compress(Self.sample, using: .gzip)
        #expect(gzip.prefix(2) == [0x1F, 0x8B])  // RFC 1952 magic
        let zlib = try MessageCompression.compress(Self.sample, using: .deflate)
        #expect(zlib[0] & 0x0F == 8)  // RFC 1950 CM = deflate
        #expect((UInt16(zlib[0]) << 8 | UInt16(zlib[1])) % 31 == 0)
        // Not interchangeable: a zlib stream is not gzip.
        #expect(throws: CompressionError.self) { try MessageCompression.decompress(zlib, using: .gzip, limit: 1 << 20) }
    }

    /// A 64 MiB run of zeros compresses to ~64 KiB; decompressing must stop at the limit.
    @Test(arguments: [CompressionAlgorithm.gzip, .deflate])
    func decompressionBombHitsTheLimit(_ algorithm: CompressionAlgorithm) throws {
        let bomb = try MessageCompression.compress([UInt8](repeating: 0, count: 64 << 20), using: algorithm)
        #expect(bomb.count < 1 << 17)
        #expect(throws: CompressionError.outputLimitExceeded(limit: 1 << 20)) {
            try MessageCompression.decompress(bomb, using: algorithm, limit: 1 << 20)
        }
    }

    @Test func outputExactlyAtTheLimitIsAccepted() throws {
        let compressed = try MessageCompression.compress(Self.sample, using: .gzip)
        #expect(try MessageCompression.decompress(compressed, using: .gzip, limit: Self.sample.count).count == Self.sample.count)
        #expect(throws: CompressionError.outputLimitExceeded(limit: Self.sample.count - 1)) {
            try MessageCompression.decompress(compressed, using: .gzip, limit: Self.sample.count - 1)
        }
    }

    @Test func truncatedCorruptAndTrailingInputsAreTypedErrors() throws {
        let compressed = try MessageCompression.compress(Self.sample, using: .gzip)
        #expect(throws: CompressionError.truncatedInput) {
            try MessageCompression.decompress(compressed.dropLast(10), using: .gzip, limit: 1 << 20)
        }
        #expect(throws: CompressionError.truncatedInput) {
            try MessageCompression.decompress([], using: .gzip, limit: 1 << 20)
        }
        #expect(throws: CompressionError.trailingData) {
            try MessageCompression.decompress(compressed + [1, 2, 3], using: .gzip, limit: 1 << 20)
        }
        var corrupt = compressed
        corrupt[0] = 0
        #expect {
            try MessageCompression.decompress(corrupt, using: .gzip, limit: 1 << 20)
        } throws: { error in
            if case .corruptInput = error as? CompressionError { return true }
            return false
        }
        #expect(throws: CompressionError.self) {
            try MessageCompression.decompress([UInt8](repeating: 0xFF, count: 64), using: .deflate, limit: 1 << 20)
        }
    }

    @Test func identityIsPassThroughWithLimit() throws {
        #expect(try MessageCompression.compress([1, 2, 3], using: .identity) == [1, 2, 3])
        #expect(try MessageCompression.decompress([1, 2, 3], using: .identity, limit: 3) == [1, 2, 3])
        #expect(throws: CompressionError.outputLimitExceeded(limit: 2)) {
            try MessageCompression.decompress([1, 2, 3], using: .identity, limit: 2)
        }
    }

    @Test func parsesHeaderNames() {
        #expect(CompressionAlgorithm(headerValue: "gzip") == .gzip)
        #expect(CompressionAlgorithm(headerValue: "GZIP") == .gzip)
        #expect(CompressionAlgorithm(headerValue: "deflate") == .deflate)
        #expect(CompressionAlgorithm(headerValue: "identity") == .identity)
        #expect(CompressionAlgorithm(headerValue: "snappy") == nil)
    }
}
