import Foundation
import Testing
@testable import RPC

/// Frames nghttp2 queues in answer to a client (here RST_STREAM REFUSED_STREAM for each stream
/// over the concurrency limit) are charged to no memory budget and nghttp2 does not cap
/// RST_STREAM: a client that stops reading and keeps opening refused streams (slower than
/// `maxRefusedStreamsPerSecond` would notice) must still not pile them up without end. The
/// server ends such a connection once far more frames wait for it than its open streams
/// explain, and still serves others.
@Suite struct OutboundQueueFloodTests {
    @Test func aClientThatDoesNotReadCannotPileUpRefusals() async throws {
        let harness = try await Harness.start(configure: {
            $0.maxConcurrentStreams = 2
            // The rate guard would end this flood first; here the queue bound must.
            $0.maxRefusedStreamsPerSecond = 10_000_000
            $0.loopCount = 1
        })
        defer { Task { await harness.stop() } }
        let attacker = try await offPool { try RawFrameSocket(address: harness.address) }
        defer { attacker.closeNow() }
        // Windows opened wide (stream: SETTINGS_INITIAL_WINDOW_SIZE; connection: WINDOW_UPDATE),
        // then a call whose 32 MiB response fills the socket and the server's output, unread.
        // The server's SETTINGS are never acknowledged: streams over the limit are refused.
        let settings = RawFrameSocket.frame(type: 4, flags: 0, streamID: 0, payload: [0, 4, 0x7F, 0xFF, 0xFF, 0xFF])
        let windowUpdate = RawFrameSocket.frame(type: 8, flags: 0, streamID: 0, payload: [0x7F, 0xFF, 0x00, 0x00])
        let call = RawFrameSocket.requestHeaders(streamID: 1, path: Echo.sized.path, endStream: false)
            + RawFrameSocket.data(streamID: 1, grpcFrame(Array(String(32 << 20).utf8)), endStream: true)
        try await offPool { try attacker.send(RawFrameSocket.preface + settings + windowUpdate + call) }
        let stuck = await harness.server.settledMemoryReport(timeout: .seconds(60)) { $0.outputBytes > 0 && $0.queuedResponseBytes > 0 }
        #expect(stuck != nil, "the response must be stuck behind the unread socket")
        // 5000 refused streams: 13 bytes of RST_STREAM each that cannot leave.
        let flood = (1...5000).flatMap { RawFrameSocket.requestHeaders(streamID: 1 + UInt32(2 * $0), path: Echo.get.path, endStream: true) }
        // The server may close the connection before all of it is sent.
        _ = try? await offPool { try attacker.send(flood) }
        #expect(await waitUntil(timeout: .seconds(60)) { harness.server.openConnectionCount == 0 }, "the flooding connection must be closed")
        #expect(try await harness.get("bystander") == "echo: bystander")
    }
}
