import CNGHTTP2
import Foundation
import Testing
@testable import RPC

/// Request headers held by open streams are bounded per connection and per server
/// (`connectionHeaderBytesLimit`, `serverHeaderBytesLimit`): a peer that opens many streams
/// with large metadata and never sends a message gets its extra streams refused with
/// RST_STREAM REFUSED_STREAM, the server holds no more than the limit, and other clients
/// are still served. Checked with the connections' own counters.
@Suite struct HeaderBytesLimitTests {
    /// Metadata per attacking stream: with the request's own fields, under the default
    /// `maxHeaderListSize` (16 KiB) and within one HEADERS frame (16 KiB before SETTINGS).
    static let metadataValueSize = 12 << 10

    /// `streams` requests, each with `metadataValueSize` bytes of metadata and no message.
    static func attack(streams: Int) -> [UInt8] {
        let value = String(repeating: "h", count: metadataValueSize)
        var burst: [UInt8] = []
        for index in 0..<streams {
            burst += requestHeaders(streamID: UInt32(2 * index + 1), path: Echo.get.path, metadata: [("x-pad", value)])
        }
        return burst
    }

    /// A HEADERS frame (END_HEADERS, no END_STREAM) of a gRPC request with custom metadata,
    /// HPACK-encoded with literals that never touch the dynamic table.
    static func requestHeaders(streamID: UInt32, path: String, metadata: [(String, String)]) -> [UInt8] {
        /// An HPACK integer with a `prefixBits`-bit prefix (RFC 7541 §5.1).
        func integer(_ value: Int, prefixBits: Int) -> [UInt8] {
            let most = (1 << prefixBits) - 1
            if value < most { return [UInt8(value)] }
            var bytes = [UInt8(most)]
            var rest = value - most
            while rest >= 128 {
                bytes.append(UInt8(rest & 0x7F) | 0x80)
                rest >>= 7
            }
            return bytes + [UInt8(rest)]
        }
        func literal(_ name: String, _ value: String) -> [UInt8] {
            // "Literal Header Field without Indexing — New Name", no Huffman coding.
            [0] + integer(name.utf8.count, prefixBits: 7) + Array(name.utf8) + integer(value.utf8.count, prefixBits: 7) + Array(value.utf8)
        }
        var block: [UInt8] = [0x83, 0x86]  // :method POST, :scheme http (static table)
        block += literal(":path", path) + literal(":authority", "localhost")
        block += literal("content-type", "application/grpc") + literal("te", "trailers")
        for (name, value) in metadata { block += literal(name, value) }
        return RawFrameSocket.frame(type: 1, flags: 0x4, streamID: streamID, payload: block)
    }

    /// Reads RST_STREAM frames until `count` of them carried REFUSED_STREAM (true), or the
    /// connection ends or `timeout` passes (false).
    static func awaitRefusals(_ socket: RawFrameSocket, count: Int, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var refused = 0
        while refused < count {
            let left = deadline - ContinuousClock.now
            guard left > .zero, let frame = socket.readFrame(timeout: left, where: { $0.type == 3 && $0.payload.count == 4 }) else { return false }
            let code = UInt32(frame.payload[0]) << 24 | UInt32(frame.payload[1]) << 16 | UInt32(frame.payload[2]) << 8 | UInt32(frame.payload[3])
            if code == NGHTTP2_REFUSED_STREAM.rawValue { refused += 1 }
        }
        return true
    }

    @Test func aConnectionCannotHoldHeadersBeyondItsLimit() async throws {
        let streams = 60
        let limit = 256 << 10
        let harness = try await Harness.start(configure: {
            $0.connectionHeaderBytesLimit = limit
            $0.loopCount = 1
        })
        defer { Task { await harness.stop() } }
        #expect(streams * Self.metadataValueSize > 2 * limit, "the attack must be able to exceed the limit unbounded")
        let attacker = try await offPool { try RawFrameSocket(address: harness.address) }
        try await offPool { try attacker.sendPrefaceAndSettings() }
        let bytes = Self.attack(streams: streams)
        // On a thread of its own: a blocking send of 700 KiB must not hold the test's task.
        Thread.detachNewThread { try? attacker.send(bytes) }
        // Every stream was either kept open (waiting for a message that never comes) or refused.
        let kept = try #require(await harness.server.settledMemoryReport(timeout: .seconds(60)) {
            $0.openStreams > 0 && $0.headerBytes > limit - (16 << 10)
        })
        #expect(kept.headerBytes <= kept.headerLimit, "headers held: \(kept.headerBytes) of \(kept.headerLimit)")
        #expect(kept.headerLimit == limit)
        #expect(kept.headerBytes == kept.streamHeaderBytes, "the counter must match what the streams hold")
        #expect(kept.openStreams < streams)
        let refused = streams - kept.openStreams
        let allRefused = try await offPool { Self.awaitRefusals(attacker, count: refused, timeout: .seconds(60)) }
        #expect(allRefused, "expected \(refused) streams refused with REFUSED_STREAM")
        // Another client is still served, with metadata of its own.
        #expect(try await harness.get("bystander", metadata: ["x-pad": String(repeating: "b", count: 4096)]) == "echo: bystander")
        attacker.closeNow()
        #expect(await waitUntil(timeout: .seconds(60)) { harness.server.heldHeaderBytes == 0 }, "still held: \(harness.server.heldHeaderBytes ?? -1)")
    }

    @Test func connectionsCannotHoldHeadersBeyondTheServerLimit() async throws {
        let streams = 40
        let serverLimit = 256 << 10
        let harness = try await Harness.start(configure: {
            $0.serverHeaderBytesLimit = serverLimit
            $0.loopCount = 1
        })
        defer { Task { await harness.stop() } }
        let attackers = try await offPool { try (0..<2).map { _ in try RawFrameSocket(address: harness.address) } }
        for attacker in attackers {
            try await offPool { try attacker.sendPrefaceAndSettings() }
            let bytes = Self.attack(streams: streams)
            Thread.detachNewThread { try? attacker.send(bytes) }
        }
        #expect(await waitUntil(timeout: .seconds(60)) { (harness.server.heldHeaderBytes ?? 0) > serverLimit - (16 << 10) },
                "held: \(harness.server.heldHeaderBytes ?? -1)")
        // Each connection may hold one header block of the largest size past the server's
        // limit (its floor), no more.
        let floor = 16 << 10
        // Both attackers get refusals once the server's limit is reached.
        for attacker in attackers {
            let refused = try await offPool { Self.awaitRefusals(attacker, count: 1, timeout: .seconds(60)) }
            #expect(refused, "an attacker's extra streams must be refused")
        }
        let held = try #require(harness.server.heldHeaderBytes)
        #expect(held <= serverLimit + 2 * floor, "the server holds \(held) bytes of headers")
        let reports = await harness.server.connectionMemoryReports()
        #expect(reports.allSatisfy { $0.headerBytes == $0.streamHeaderBytes })
        // Another connection is still served from its floor.
        #expect(try await harness.get("bystander", metadata: ["x-pad": String(repeating: "b", count: 4096)]) == "echo: bystander")
        for attacker in attackers { attacker.closeNow() }
        #expect(await waitUntil(timeout: .seconds(60)) { harness.server.heldHeaderBytes == 0 }, "still held: \(harness.server.heldHeaderBytes ?? -1)")
    }

    /// Calls whose metadata comes close to `maxHeaderListSize` are served, one after another on
    /// one connection, even with the connection's header limit set below one such block (it
    /// then acts as `maxHeaderListSize`), so each call gives its bytes back when it ends.
    @Test func callsWithMetadataUpToTheHeaderListSizeAreServed() async throws {
        let harness = try await Harness.start(configure: { $0.connectionHeaderBytesLimit = 1 })
        defer { Task { await harness.stop() } }
        let value = String(repeating: "m", count: 15_500)
        for round in 0..<3 {
            let response = try await harness.channel.unary(Echo.metadata, request: "r\(round)", metadata: ["x-custom": value],
                                                           serializer: StringSerializer(), deserializer: StringDeserializer())
            #expect(response.message == "r\(round)")
            #expect(response.headers.first("initial") == value, "the handler must see the whole value")
        }
        #expect(await waitUntil(timeout: .seconds(60)) { harness.server.heldHeaderBytes == 0 }, "still held: \(harness.server.heldHeaderBytes ?? -1)")
    }
}
