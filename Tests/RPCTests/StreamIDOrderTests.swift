import Testing
@testable import RPC

/// RFC 9113 §5.1.1: a client's new stream ids must increase; a lower id than one it already
/// opened is a connection error of type PROTOCOL_ERROR. nghttp2 1.52 does not enforce it (it
/// drops such HEADERS silently, see `ClientStreamIDs`); the server does.
@Suite struct StreamIDOrderTests {
    @Test func aLowerStreamIDThanOneAlreadyOpenedIsAConnectionProtocolError() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawFrameSocket(address: harness.address) }
        try await offPool { try raw.sendPrefaceAndSettings() }
        // Stream 5 opens a call that waits, then stream 3 arrives: below the highest id seen.
        try await offPool { try raw.send(RawFrameSocket.requestHeaders(streamID: 5, path: Echo.hold.path, endStream: false)) }
        try await offPool { try raw.send(RawFrameSocket.requestHeaders(streamID: 3, path: Echo.get.path, endStream: false)) }
        let goAway = try await offPool { raw.readFrame(timeout: .seconds(10)) { $0.type == 7 } }
        #expect(goAway?.goAwayErrorCode == 1, "expected GOAWAY PROTOCOL_ERROR, got \(String(describing: goAway))")
        #expect(try await offPool { raw.waitForClose(timeout: .seconds(10)) })
        // The server goes on serving everyone else.
        #expect(try await harness.get("after") == "echo: after")
    }

    @Test func skippedIDsAreNeverOpenedAndSeenOnesAreLeftToNGHTTP2() {
        var ids = ClientStreamIDs()
        #expect(ids.admit(1) == .new)
        #expect(ids.admit(3) == .new)
        #expect(ids.admit(9) == .new)  // skips 5 and 7
        #expect(ids.admit(3) == .seen)  // e.g. trailers of a stream we already reset
        #expect(ids.admit(5) == .neverOpened)
        #expect(ids.admit(7) == .neverOpened)
        #expect(ids.admit(11) == .new)
        var late = ClientStreamIDs()
        #expect(late.admit(7) == .new)  // 1, 3, 5 skipped
        #expect(late.admit(1) == .neverOpened)
    }

    @Test func trailersOnAStreamWeResetDoNotFailTheConnection() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawFrameSocket(address: harness.address) }
        try await offPool { try raw.sendPrefaceAndSettings() }
        // An unknown method gets Trailers-Only at once; the client has not ended its side, so
        // the server follows with RST_STREAM(NO_ERROR).
        try await offPool { try raw.send(RawFrameSocket.requestHeaders(streamID: 1, path: "/test.Nope/Nothing", endStream: false)) }
        let reset = try await offPool { raw.readFrame(timeout: .seconds(10)) { $0.type == 3 && $0.streamID == 1 } }
        #expect(reset != nil)
        // The client's trailers cross the reset (RFC 9113 §5.1: ignored), then a new call on 3.
        let trailers = RawFrameSocket.frame(type: 1, flags: 0x5, streamID: 1, payload: [0x00, 0x01, 0x78, 0x01, 0x79])
        try await offPool { try raw.send(trailers + RawFrameSocket.requestHeaders(streamID: 3, path: Echo.get.path, endStream: false)
                     + RawFrameSocket.data(streamID: 3, grpcFrame(Array("b".utf8)), endStream: true)) }
        let answer = try await offPool { raw.readFrame(timeout: .seconds(10)) { ($0.type == 1 && $0.flags & 1 != 0 && $0.streamID == 3) || $0.type == 7 } }
        #expect(answer?.type == 1, "got \(String(describing: answer))")
    }
}
