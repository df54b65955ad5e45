import Testing
@testable import RPC

@Suite struct MessageFramerTests {
    @Test func writesFlagAndBigEndianLength() throws {
        let framed = try MessageFramer().frame([0xAA, 0xBB, 0xCC])
        #expect(framed == [0, 0, 0, 0, 3, 0xAA, 0xBB, 0xCC])
        #expect(try MessageFramer().frame([]) == [0, 0, 0, 0, 0])
        var buffer: [UInt8] = []
        MessageFramer.appendPrefix(compressed: true, length: 0x0102_0304, to: &buffer)
        #expect(buffer == [1, 1, 2, 3, 4])
    }

    @Test func compressesAndFlagsWhenConfigured() throws {
        let payload = [UInt8](repeating: 7, count: 10_000)
        let framed = try MessageFramer(compression: .gzip).frame(payload)
        #expect(framed[0] == 1)
        let length = Int(framed[1]) << 24 | Int(framed[2]) << 16 | Int(framed[3]) << 8 | Int(framed[4])
        #expect(length == framed.count - 5)
        #expect(try MessageCompression.decompress(framed.dropFirst(5), using: .gzip, limit: payload.count) == payload)
    }

    @Test func smallMessagesBelowThresholdStayUncompressed() throws {
        let framer = MessageFramer(compression: .gzip, compressionThreshold: 100)
        #expect(try framer.frame([1, 2, 3]) == [0, 0, 0, 0, 3, 1, 2, 3])
    }

    @Test func rejectsMessagesOverTheSendLimit() {
        #expect(throws: MessageFramingError.messageTooLarge(size: 11, limit: 10)) {
            try MessageFramer(maxMessageSize: 10).frame([UInt8](repeating: 0, count: 11))
        }
    }

    @Test func appendsSeveralMessagesToOneBuffer() throws {
        var buffer: [UInt8] = []
        let framer = MessageFramer()
        try framer.append([1], to: &buffer)
        try framer.append([2, 3], to: &buffer)
        #expect(buffer == [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 2, 2, 3])
    }
}

@Suite struct MessageDeframerTests {
    static func frames(_ messages: [[UInt8]], compression: CompressionAlgorithm = .identity) throws -> [UInt8] {
        var buffer: [UInt8] = []
        let framer = MessageFramer(compression: compression)
        for message in messages { try framer.append(message, to: &buffer) }
        return buffer
    }

    static func drain(_ deframer: inout MessageDeframer) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        while let message = try deframer.next() { out.append(message) }
        return out
    }

    @Test func yieldsMessagesPackedIntoOneChunk() throws {
        var deframer = MessageDeframer()
        deframer.append(try Self.frames([[1], [], [2, 3], [4, 5, 6]]))
        #expect(try Self.drain(&deframer) == [[1], [], [2, 3], [4, 5, 6]])
        try deframer.finish()
    }

    @Test func reassemblesMessagesSplitAcrossChunksOfEverySize() throws {
        let messages: [[UInt8]] = [Array(0..<200), [], [9], Array(repeating: 0x5A, count: 1000)]
        let stream = try Self.frames(messages)
        for chunkSize in [1, 2, 3, 4, 5, 6, 7, 64, 205, 1000, stream.count] {
            var deframer = MessageDeframer()
            var out: [[UInt8]] = []
            var offset = 0
            while offset < stream.count {
                let end = min(offset + chunkSize, stream.count)
                deframer.append(stream[offset..<end])
                out += try Self.drain(&deframer)
                offset = end
            }
            #expect(out == messages, "chunk size \(chunkSize)")
            try deframer.finish()
            #expect(deframer.bufferedByteCount == 0)
        }
    }

    @Test func waitsForAPartialPrefix() throws {
        var deframer = MessageDeframer()
        deframer.append([0, 0, 0])
        #expect(try deframer.next() == nil)
        #expect(throws: MessageDeframingError.truncatedMessage(bufferedBytes: 3)) { try deframer.finish() }
        deframer.append([0, 1, 42])
        #expect(try deframer.next() == [42])
        try deframer.finish()
    }

    @Test func streamEndingMidPayloadIsTruncated() throws {
        var deframer = MessageDeframer()
        deframer.append([0, 0, 0, 0, 4, 1, 2])
        #expect(try deframer.next() == nil)
        #expect(throws: MessageDeframingError.truncatedMessage(bufferedBytes: 7)) { try deframer.finish() }
    }

    /// A prefix announcing 4 GiB fails at once, before any payload is buffered.
    @Test func oversizedLengthFailsBeforeThePayloadArrives() {
        var deframer = MessageDeframer(maxMessageSize: 1024)
        deframer.append([0, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: MessageDeframingError.messageTooLarge(size: 0xFFFF_FFFF, limit: 1024)) { try deframer.next() }
        var exact = MessageDeframer(maxMessageSize: 3)
        exact.append([0, 0, 0, 0, 3, 1, 2, 3])
        #expect(throws: Never.self) { try exact.next() }
    }

    @Test func compressedFlagWithoutEncodingIsAnError() {
        var deframer = MessageDeframer()
        deframer.append([1, 0, 0, 0, 0])
        #expect(throws: MessageDeframingError.compressedWithoutEncoding) { try deframer.next() }
    }

    @Test func reservedFlagBitsAreAnError() {
        var deframer = MessageDeframer(compression: .gzip)
        deframer.append([2, 0, 0, 0, 0])
        #expect(throws: MessageDeframingError.invalidFlag(2)) { try deframer.next() }
    }

    @Test(arguments: [CompressionAlgorithm.gzip, .deflate])
    func decompressesFlaggedMessagesAndPassesPlainOnes(_ algorithm: CompressionAlgorithm) throws {
        let big = [UInt8](repeating: 3, count: 5000)
        var stream = try Self.frames([big], compression: algorithm)
        stream += try Self.frames([[1, 2]])  // uncompressed message on a compressed call
        var deframer = MessageDeframer(compression: algorithm)
        deframer.append(stream)
        #expect(try Self.drain(&deframer) == [big, [1, 2]])
    }

    @Test func reportsEachMessagesCompressedFlag() throws {
        var stream = try Self.frames([[UInt8](repeating: 1, count: 300)], compression: .gzip)
        stream += try Self.frames([[2]])
        var deframer = MessageDeframer(compression: .gzip)
        deframer.append(stream)
        #expect(try deframer.nextMessage() == DeframedMessage(bytes: [UInt8](repeating: 1, count: 300), compressed: true))
        #expect(try deframer.nextMessage() == DeframedMessage(bytes: [2], compressed: false))
        #expect(try deframer.nextMessage() == nil)
    }

    @Test func decompressedSizeIsLimitedToo() throws {
        let stream = try Self.frames([[UInt8](repeating: 0, count: 1 << 20)], compression: .gzip)
        #expect(stream.count < 1 << 16)
        var deframer = MessageDeframer(maxMessageSize: 1 << 16, compression: .gzip)
        deframer.append(stream)
        #expect(throws: MessageDeframingError.messageTooLarge(size: (1 << 16) + 1, limit: 1 << 16)) { try deframer.next() }
    }

    @Test func corruptCompressedPayloadIsATypedError() {
        var deframer = MessageDeframer(compression: .gzip)
        deframer.append([1, 0, 0, 0, 3, 9, 9, 9])
        #expect(throws: MessageDeframingError.self) { try deframer.next() }
    }

    /// Many small messages through one deframer: the internal buffer must not grow with the
    /// total stream length.
    @Test func longStreamKeepsBufferBounded() throws {
        var deframer = MessageDeframer()
        let chunk = try Self.frames(Array(repeating: [1, 2, 3, 4, 5, 6, 7], count: 10))
        var count = 0
        for index in 0..<10_000 {
            // Split unevenly so a partial message is usually left behind.
            let cut = index % chunk.count
            deframer.append(chunk[..<cut])
            count += try Self.drain(&deframer).count
            deframer.append(chunk[cut...])
            count += try Self.drain(&deframer).count
            #expect(deframer.bufferedByteCount < chunk.count)
        }
        #expect(count == 100_000)
    }
}
