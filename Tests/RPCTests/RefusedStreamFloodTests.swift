import CNGHTTP2
import Foundation
import Testing
@testable import RPC

/// Streams the server refuses or resets because of the client count against
/// `maxRefusedStreamsPerSecond`: a client that keeps opening streams that are refused (at the
/// header limit, or over the concurrent streams not yet acknowledged) or that it makes the
/// server reset (a stream error, "MadeYouReset") loses its connection with GOAWAY
/// ENHANCE_YOUR_CALM, while another client is still served; a client that gets a few
/// refusals and retries them keeps its connection. Over real sockets, frame by frame.
@Suite struct RefusedStreamFloodTests {
    /// The limit the floods run into: low, so that even a server slowed down by a loaded
    /// machine sees a flood come faster than its bucket refills.
    static let floodLimit = 20
    /// Streams in a flood, sent in one write: 50x the burst the guard allows (beyond the
    /// burst, the server must take 49 s to handle them for the flood to pass unnoticed).
    static let floodSize = 1000
    /// The limit a client that retries a few refused calls stays under.
    static let limit = 50

    /// A request (never ended) whose headers take all of `maxHeaderListSize` (16 KiB, what
    /// the connection's header room is when its limit is set below it) but `spare` bytes, by
    /// HPACK's count (name + value + 32 per field, as the server counts them).
    static func roomFillingRequest(streamID: UInt32, spare: Int) -> [UInt8] {
        let path = Echo.get.path
        let fields = [(":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "localhost"),
                      ("content-type", "application/grpc"), ("te", "trailers")]
        let fixed = fields.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 32 }
        let value = (16 << 10) - spare - fixed - ("x-pad".utf8.count + 32)
        return HeaderBytesLimitTests.requestHeaders(streamID: streamID, path: path,
                                                    metadata: [("x-pad", String(repeating: "p", count: value))])
    }

    /// `count` small requests (ended) on the stream ids after `after`.
    static func smallRequests(count: Int, after: UInt32) -> [UInt8] {
        (1...count).flatMap { RawFrameSocket.requestHeaders(streamID: after + UInt32(2 * $0), path: Echo.get.path, endStream: true) }
    }

    /// Waits for the server's GOAWAY and the end of the connection; returns the GOAWAY's code.
    static func awaitGoAwayAndClose(_ socket: RawFrameSocket) -> UInt32? {
        let goAway = socket.readFrame(timeout: .seconds(30)) { $0.type == 7 }
        _ = socket.waitForClose(timeout: .seconds(30))
        return goAway?.goAwayErrorCode
    }

    @Test func streamsRefusedAtTheHeaderLimitEndTheConnection() async throws {
        let harness = try await Harness.start(configure: {
            // Acts as `maxHeaderListSize`: one large header block fills the connection's room.
            $0.connectionHeaderBytesLimit = 1
            $0.maxRefusedStreamsPerSecond = Self.floodLimit
            $0.loopCount = 1
        })
        defer { Task { await harness.stop() } }
        let attacker = try await offPool { try RawFrameSocket(address: harness.address) }
        try await offPool { try attacker.sendPrefaceAndSettings() }
        // 40 bytes of room stay: less than any field of a request, so each new stream is refused.
        let bytes = Self.roomFillingRequest(streamID: 1, spare: 40) + Self.smallRequests(count: Self.floodSize, after: 1)
        // The server may close the connection before all of it is sent.
        _ = try? await offPool { try attacker.send(bytes) }
        let refused = try await offPool { HeaderBytesLimitTests.awaitRefusals(attacker, count: 1, timeout: .seconds(30)) }
        #expect(refused, "the flood's streams are refused with REFUSED_STREAM first")
        let code = try await offPool { Self.awaitGoAwayAndClose(attacker) }
        #expect(code == NGHTTP2_ENHANCE_YOUR_CALM.rawValue)
        #expect(attacker.sawEndOfFile, "the server closes the connection")
        #expect(try await harness.get("bystander") == "echo: bystander")
        #expect(await waitUntil(timeout: .seconds(60)) { harness.server.heldHeaderBytes == 0 }, "still held: \(harness.server.heldHeaderBytes ?? -1)")
    }

    /// nghttp2 refuses streams over our SETTINGS_MAX_CONCURRENT_STREAMS itself while the client
    /// has not acknowledged it (after that, more is a connection error): those count too.
    @Test func streamsNGHTTP2RefusesOverTheConcurrencyLimitEndTheConnection() async throws {
        let harness = try await Harness.start(configure: {
            $0.maxConcurrentStreams = 1
            $0.maxRefusedStreamsPerSecond = Self.floodLimit
            $0.loopCount = 1
        })
        defer { Task { await harness.stop() } }
        let attacker = try await offPool { try RawFrameSocket(address: harness.address) }
        // Never acknowledges the server's SETTINGS.
        try await offPool { try attacker.sendPrefaceAndSettings() }
        let bytes = RawFrameSocket.requestHeaders(streamID: 1, path: Echo.hold.path, endStream: false)
            + Self.smallRequests(count: Self.floodSize, after: 1)
        // The server may close the connection before all of it is sent.
        _ = try? await offPool { try attacker.send(bytes) }
        let refused = try await offPool { HeaderBytesLimitTests.awaitRefusals(attacker, count: 1, timeout: .seconds(30)) }
        #expect(refused, "the flood's streams are refused with REFUSED_STREAM first")
        let code = try await offPool { Self.awaitGoAwayAndClose(attacker) }
        #expect(code == NGHTTP2_ENHANCE_YOUR_CALM.rawValue)
        #expect(try await harness.get("bystander") == "echo: bystander")
    }

    /// "MadeYouReset": streams the client makes the server reset after their handlers started
    /// (here DATA beyond the content-length each announced: RST_STREAM PROTOCOL_ERROR).
    @Test func streamsResetForTheClientsErrorsEndTheConnection() async throws {
        let harness = try await Harness.start(configure: {
            $0.maxRefusedStreamsPerSecond = Self.floodLimit
            $0.loopCount = 1
        })
        defer { Task { await harness.stop() } }
        let attacker = try await offPool { try RawFrameSocket(address: harness.address) }
        try await offPool { try attacker.sendPrefaceAndSettings() }
        var bytes: [UInt8] = []
        for index in 0..<Self.floodSize {
            let id = UInt32(2 * index + 1)
            bytes += HeaderBytesLimitTests.requestHeaders(streamID: id, path: Echo.hold.path, metadata: [("content-length", "0")])
            bytes += RawFrameSocket.data(streamID: id, grpcFrame(Array("x".utf8)), endStream: true)
        }
        let flood = bytes
        _ = try? await offPool { try attacker.send(flood) }
        let code = try await offPool { Self.awaitGoAwayAndClose(attacker) }
        #expect(code == NGHTTP2_ENHANCE_YOUR_CALM.rawValue)
        #expect(try await harness.get("bystander") == "echo: bystander")
    }

    /// A few refusals, then the calls again once there is room: served, connection kept.
    @Test func aClientThatRetriesAFewRefusedStreamsKeepsItsConnection() async throws {
        let harness = try await Harness.start(configure: {
            $0.connectionHeaderBytesLimit = 1
            $0.maxRefusedStreamsPerSecond = Self.limit
            $0.loopCount = 1
        })
        defer { Task { await harness.stop() } }
        let client = try await offPool { try RawFrameSocket(address: harness.address) }
        try await offPool { try client.sendPrefaceAndSettings() }
        let refusals = 20
        try await offPool { try client.send(Self.roomFillingRequest(streamID: 1, spare: 40) + Self.smallRequests(count: refusals, after: 1)) }
        let refused = try await offPool { HeaderBytesLimitTests.awaitRefusals(client, count: refusals, timeout: .seconds(30)) }
        #expect(refused, "expected \(refusals) streams refused")
        // The large call ends (cancelled), which frees the room; the refused calls go again.
        let cancel = RawFrameSocket.frame(type: 3, flags: 0, streamID: 1, payload: [0, 0, 0, UInt8(NGHTTP2_CANCEL.rawValue)])
        let firstRetry = UInt32(2 * refusals + 3)
        var retries: [UInt8] = []
        for index in 0..<refusals {
            let id = firstRetry + UInt32(2 * index)
            retries += RawFrameSocket.requestHeaders(streamID: id, path: Echo.get.path, endStream: false)
            retries += RawFrameSocket.data(streamID: id, grpcFrame(Array("r".utf8)), endStream: true)
        }
        let again = cancel + retries
        try await offPool { try client.send(again) }
        let expected = Set((0..<refusals).map { firstRetry + UInt32(2 * $0) })
        let outcome = try await offPool { () -> (answered: Set<UInt32>, ended: Set<UInt32>, trouble: RawFrameSocket.Frame?) in
            var answered: Set<UInt32> = []
            var ended: Set<UInt32> = []
            var trouble: RawFrameSocket.Frame?
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            while ended != expected, trouble == nil, ContinuousClock.now < deadline {
                guard let frame = client.readFrame(timeout: deadline - ContinuousClock.now, where: { frame in
                    frame.type == 7 || (expected.contains(frame.streamID) && [0, 1, 3].contains(frame.type))
                }) else { break }
                switch frame.type {
                case 0 where !frame.payload.isEmpty: answered.insert(frame.streamID)
                case 0: break
                case 1: if frame.flags & 0x1 != 0 { ended.insert(frame.streamID) }
                default: trouble = frame
                }
            }
            return (answered, ended, trouble)
        }
        #expect(outcome.trouble == nil, "no reset of a retried call and no GOAWAY: \(String(describing: outcome.trouble))")
        #expect(outcome.answered == expected, "every retried call gets its response message")
        #expect(outcome.ended == expected, "every retried call ends with its status")
        #expect(!client.sawEndOfFile)
    }
}
