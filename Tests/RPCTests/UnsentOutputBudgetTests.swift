import Foundation
import Testing
@testable import RPC

/// Response bytes nghttp2 took from a stream's queue sit in the connection's output buffer
/// until the socket takes them. A client that opens its flow-control windows and announces
/// 16 MiB frames, then never reads, keeps them there: they stay charged to the memory
/// budget, and one DATA frame adds at most `NGHTTP2Bridge.maxDataFrameLength` to them.
@Suite struct UnsentOutputBudgetTests {
    @Test func responsesWaitingForTheSocketStayChargedAndFramesStayBounded() async throws {
        let harness = try await Harness.start(configure: { $0.loopCount = 1 })
        defer { Task { await harness.stop() } }
        let attacker = try await offPool { try RawFrameSocket(address: harness.address) }
        // INITIAL_WINDOW_SIZE 2^31 - 1 and MAX_FRAME_SIZE 2^24 - 1, the connection window
        // opened to 2^31 - 1 too.
        let settings: [UInt8] = [0, 4, 0x7F, 0xFF, 0xFF, 0xFF, 0, 5, 0x00, 0xFF, 0xFF, 0xFF]
        let increment = UInt32(Int32.max) - 65535
        var burst = RawFrameSocket.preface + RawFrameSocket.frame(type: 4, flags: 0, streamID: 0, payload: settings)
            + RawFrameSocket.frame(type: 8, flags: 0, streamID: 0, payload: [UInt8(increment >> 24), UInt8(increment >> 16 & 0xFF),
                                                                              UInt8(increment >> 8 & 0xFF), UInt8(increment & 0xFF)])
        // 24 MiB of responses: more than loopback's socket buffers take.
        let calls = 6
        for index in 0..<calls {
            let id = UInt32(2 * index + 1)
            burst += RawFrameSocket.requestHeaders(streamID: id, path: Echo.sized.path, endStream: false)
            burst += RawFrameSocket.data(streamID: id, grpcFrame(Array("\(4 << 20)".utf8)), endStream: true)
        }
        let bytes = burst
        try await offPool { try attacker.send(bytes) }
        // The server writes until the socket is full, then holds the rest (any report will
        // do: its counters are read together on the connection's loop).
        let report = try #require(await harness.server.settledMemoryReport(stable: false, timeout: .seconds(60)) { $0.outputBytes > 0 })
        // The high-water mark, one DATA frame, and frame headers and control frames.
        #expect(report.outputBytes <= HTTP2Session<ServerConnection>.outputHighWater + NGHTTP2Bridge.maxDataFrameLength + (64 << 10),
                "\(report.outputBytes) bytes wait in the output buffer")
        #expect(report.budgetUsedBytes >= report.queuedResponseBytes + report.outputBytes,
                "charged \(report.budgetUsedBytes), queued \(report.queuedResponseBytes), in the output buffer \(report.outputBytes)")
        #expect(try await harness.get("bystander") == "echo: bystander")
        attacker.closeNow()
        #expect(await waitUntil { harness.server.heldMemoryBytes == 0 }, "still held: \(harness.server.heldMemoryBytes ?? -1)")
    }
}
