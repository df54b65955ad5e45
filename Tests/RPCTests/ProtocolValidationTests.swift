import CNGHTTP2
import Testing
@testable import RPC

/// Requests only a hand-driven HTTP/2 client can produce.
@Suite struct ProtocolValidationTests {
    @Test func nonGRPCContentTypeGets415() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { raw.close() }
        let stream = try raw.request(path: Echo.get.path, contentType: "application/json", body: Array("{}".utf8))
        let response = try await offPool { try raw.waitForEnd(stream: stream, timeout: .seconds(30)) }
        #expect(response.headers[":status"] == "415")
    }

    @Test func plusProtoContentTypeIsAccepted() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { raw.close() }
        let stream = try raw.request(path: Echo.get.path, contentType: "application/grpc+proto", body: grpcFrame(Array("p".utf8)))
        let response = try await offPool { try raw.waitForEnd(stream: stream, timeout: .seconds(30)) }
        #expect(response.grpcStatus == "0")
        #expect(response.data == grpcFrame(Array("echo: p".utf8)))
    }

    @Test func getIsRejectedWith405() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { raw.close() }
        let stream = try raw.request(path: Echo.get.path, method: "GET")
        let response = try await offPool { try raw.waitForEnd(stream: stream, timeout: .seconds(30)) }
        #expect(response.headers[":status"] == "405")
    }

    @Test func missingTEIsAnErrorStatusInTrailersOnly() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { raw.close() }
        let stream = try raw.request(path: Echo.get.path, te: nil, body: grpcFrame(Array("t".utf8)))
        let response = try await offPool { try raw.waitForEnd(stream: stream, timeout: .seconds(30)) }
        #expect(response.headers[":status"] == "200")
        #expect(response.headers["grpc-status"] == String(StatusCode.internalError.rawValue))
        #expect(response.trailers.isEmpty)  // Trailers-Only: one HEADERS frame
    }

    @Test func unknownMethodIsTrailersOnlyUnimplemented() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { raw.close() }
        let stream = try raw.request(path: "/test.Echo/Missing", body: grpcFrame([]))
        let response = try await offPool { try raw.waitForEnd(stream: stream, timeout: .seconds(30)) }
        #expect(response.headers["grpc-status"] == "12")
        #expect(response.headers["grpc-message"]?.contains("Missing") == true)
    }

    @Test func badBase64MetadataIsRejected() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { raw.close() }
        let stream = try raw.request(path: Echo.get.path, extraHeaders: [("x-bad-bin", "!!!not base64")], body: grpcFrame([]))
        let response = try await offPool { try raw.waitForEnd(stream: stream, timeout: .seconds(30)) }
        #expect(response.headers["grpc-status"] == "13")
        // Unpadded base64 is fine.
        let ok = try raw.request(path: Echo.metadata.path, extraHeaders: [("x-data-bin", "AQI")], body: grpcFrame(Array("u".utf8)))
        let okResponse = try await offPool { try raw.waitForEnd(stream: ok, timeout: .seconds(30)) }
        #expect(okResponse.grpcStatus == "0")
        #expect(okResponse.trailers["trailing-bin"] == "AQI=")
    }

    @Test func messageSplitAcrossManyFramesAndPackedIntoOne() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { raw.close() }
        // Three messages packed into one body for the client-streaming method.
        let body = grpcFrame(Array("one".utf8)) + grpcFrame(Array("two".utf8)) + grpcFrame(Array("three".utf8))
        let stream = try raw.request(path: Echo.collect.path, body: body)
        let response = try await offPool { try raw.waitForEnd(stream: stream, timeout: .seconds(30)) }
        #expect(response.grpcStatus == "0")
        #expect(response.data == grpcFrame(Array("one two three".utf8)))
        // A 200 KiB message must span many DATA frames (max frame 16 KiB by default).
        let big = [UInt8](repeating: 65, count: 200 << 10)
        let bigStream = try raw.request(path: Echo.bytes.path, body: grpcFrame(big))
        let bigResponse = try await offPool { try raw.waitForEnd(stream: bigStream, timeout: .seconds(30)) }
        #expect(bigResponse.grpcStatus == "0")
        #expect(bigResponse.data == grpcFrame(big))
    }

    @Test(arguments: [1, 3, 7])
    func messagesSplitIntoTinyDataFrames(chunk: Int) async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { raw.close() }
        raw.dataChunkSize = chunk
        let body = grpcFrame(Array("alpha".utf8)) + grpcFrame([]) + grpcFrame(Array("omega".utf8))
        let stream = try raw.request(path: Echo.collect.path, body: body)
        let response = try await offPool { try raw.waitForEnd(stream: stream, timeout: .seconds(30)) }
        #expect(response.grpcStatus == "0")
        #expect(response.data == grpcFrame(Array("alpha  omega".utf8)))
    }

    @Test func requestEndingInsideAMessageIsAnError() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { raw.close() }
        let truncated = Array(grpcFrame(Array("hello".utf8)).dropLast(2))
        let stream = try raw.request(path: Echo.collect.path, body: truncated)
        let response = try await offPool { try raw.waitForEnd(stream: stream, timeout: .seconds(30)) }
        #expect(response.grpcStatus == "13")
    }

    @Test func malformedFramesCloseOnlyThatConnection() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let bad = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { bad.close() }
        // A frame header claiming a 16 MiB DATA frame on stream 0: a connection error.
        try bad.sendRaw([0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00] + [UInt8](repeating: 0, count: 64))
        #expect(try await offPool { try bad.waitForConnectionClose(timeout: .seconds(30)) })
        #expect(bad.goAwayCode != nil)
        // Other connections (the channel's) are unaffected.
        #expect(try await harness.get("fine") == "echo: fine")
        let garbage = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { garbage.close() }
        try garbage.sendRaw(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(try await offPool { try garbage.waitForConnectionClose(timeout: .seconds(30)) })
        #expect(try await harness.get("still fine") == "echo: still fine")
    }

    @Test func rapidResetFloodClosesTheConnection() async throws {
        let harness = try await Harness.start(configure: { $0.maxEarlyResetsPerSecond = 50 })
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { raw.close() }
        // 200 streams opened and reset (before any response: the request never ends, so the
        // handler cannot answer) in one write: 4x the burst the guard allows, whatever the load.
        try await offPool { try raw.requestAndResetFlood(count: 200, path: Echo.hold.path) }
        #expect(try await offPool { try raw.waitForConnectionClose(timeout: .seconds(30)) })
        #expect(raw.goAwayCode == NGHTTP2_ENHANCE_YOUR_CALM.rawValue)
        #expect(try await harness.get("ok") == "echo: ok")
    }

    @Test func resetsAtASustainedModestRateAreTolerated() async throws {
        let harness = try await Harness.start(configure: { $0.maxEarlyResetsPerSecond = 50 })
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { raw.close() }
        // 40 resets at once stay within the burst of 50: a client cancelling calls is no abuser.
        try await offPool { try raw.requestAndResetFlood(count: 40, path: Echo.hold.path) }
        #expect(try await offPool { try raw.waitForConnectionClose(timeout: .milliseconds(500)) } == false)
        #expect(raw.goAwayCode == nil)
    }

    /// nghttp2 has a reset rate limit of its own (a burst of 1000, then 33 a second) that would
    /// close a busy but honest client's connection long before `maxEarlyResetsPerSecond` applies;
    /// the server sets it out of the way so that the configured limit is the one that counts.
    @Test func theConfiguredResetLimitIsTheOneThatApplies() async throws {
        let harness = try await Harness.start(configure: { $0.maxEarlyResetsPerSecond = 5000 })
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { raw.close() }
        // 1500 cancelled calls in 15 quick rounds of 100: within 5000 a second, beyond nghttp2's 1000.
        for _ in 0..<15 {
            try await offPool { try raw.requestAndResetFlood(count: 100, path: Echo.hold.path) }
        }
        #expect(try await offPool { try raw.waitForConnectionClose(timeout: .seconds(1)) } == false)
        #expect(raw.goAwayCode == nil)
    }

    @Test func pingFloodGetsTooManyPings() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { raw.close() }
        for _ in 0..<10 {
            guard !raw.connectionClosed else { break }
            try raw.ping()
        }
        #expect(try await offPool { try raw.waitForConnectionClose(timeout: .seconds(30)) })
        #expect(raw.goAwayCode == NGHTTP2_ENHANCE_YOUR_CALM.rawValue)
    }

    @Test func settingsFloodClosesTheConnection() async throws {
        let harness = try await Harness.start(configure: { $0.maxSettingsPerSecond = 20 })
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { raw.close() }
        for _ in 0..<100 {
            guard !raw.connectionClosed else { break }
            try raw.sendSettings()
        }
        #expect(try await offPool { try raw.waitForConnectionClose(timeout: .seconds(30)) })
        #expect(raw.goAwayCode == NGHTTP2_ENHANCE_YOUR_CALM.rawValue)
        #expect(try await harness.get("ok") == "echo: ok")
    }
}
