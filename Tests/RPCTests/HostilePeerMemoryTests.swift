import Foundation
import Glibc
import Testing
@testable import RPC

/// Peers that try to make the server hold memory: each test shows the server's own count of
/// held bytes (`Server.heldMemoryBytes`, its memory budget) staying bounded while another
/// client is still served, and returning to zero once the attacker leaves.
@Suite struct HostilePeerMemoryTests {
    /// Asks for 1000 responses of 1 MiB on one connection and never reads a byte.
    @Test func aClientThatNeverReadsCannotMakeTheServerHoldItsResponses() async throws {
        let budget = 4 << 20
        let harness = try await Harness.start(configure: { $0.connectionMemoryBudget = budget })
        defer { Task { await harness.stop() } }
        let rssBefore = residentBytes()
        let attacker = try await offPool { try RawFrameSocket(address: harness.address) }
        var burst: [UInt8] = []
        for index in 0..<1000 {
            let id = UInt32(2 * index + 1)
            burst += RawFrameSocket.requestHeaders(streamID: id, path: Echo.sized.path, endStream: false)
            burst += RawFrameSocket.data(streamID: id, grpcFrame(Array("\(1 << 20)".utf8)), endStream: true)
        }
        try await offPool { try attacker.sendPrefaceAndSettings() }
        let bytes = burst
        try await offPool { try attacker.send(bytes) }
        // Handlers start in batches of `startsPerBatch` and stop starting once their queued
        // responses spent the budget.
        #expect(await harness.observations.waitForCount("sized-started", atLeast: 1))
        _ = await harness.observations.waitUntilStable("sized-started", quiet: .milliseconds(300))
        let started = harness.observations.count("sized-started")
        let held = try #require(harness.server.heldMemoryBytes)
        let batch = ServerConnection.startsPerBatch
        #expect(started <= 2 * batch, "\(started) of 1000 handlers started")
        #expect(held <= budget + 2 * batch * ((1 << 20) + 5), "held \(held) bytes")
        // RSS as well: unbounded, the responses alone would add 1 GiB. The bound leaves room for
        // suites that run alongside in this process (their allocations count too: 403 MiB was
        // seen in a full parallel run) and still fails when the responses are all held.
        let growth = residentBytes() - rssBefore
        #expect(growth < 800 << 20, "RSS grew by \(growth >> 20) MiB")
        // Everyone else is still served.
        #expect(try await harness.get("bystander") == "echo: bystander")
        // The attacker leaves: everything it made the server hold is released.
        attacker.closeNow()
        #expect(await waitUntil { harness.server.heldMemoryBytes == 0 }, "still held: \(harness.server.heldMemoryBytes ?? -1)")
    }

    /// A budget smaller than what honest concurrent calls send together slows them down but
    /// never wedges them: handlers whose requests are already held still start while the
    /// budget is spent (taking them frees memory).
    @Test func callsWhoseRequestsTogetherExceedTheBudgetAllComplete() async throws {
        let harness = try await Harness.start(configure: { $0.connectionMemoryBudget = 2 << 20 })
        defer { Task { await harness.stop() } }
        // 200 x 16 KiB: 3.1 MiB of requests, each arriving whole in one DATA frame (messages
        // split over frames interleave across streams; partly received ones are what a
        // spent budget drops first, see `connectionMemoryBudget`).
        let payload = [UInt8](repeating: 3, count: 16 << 10)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    try await harness.channel.unary(Echo.bytes, request: payload, options: CallOptions(timeout: .seconds(60)),
                                                    serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer()).message.count
                }
            }
            var completed = 0
            for try await size in group {
                #expect(size == payload.count)
                completed += 1
            }
            #expect(completed == 200)
        }
        #expect(await waitUntil { harness.server.heldMemoryBytes == 0 })
    }

    /// Many streams each send one gzip message that inflates to 1 MiB, to handlers that have
    /// not read yet: the server holds them compressed (decompression happens when a handler
    /// takes its message), so they cost their wire size, not 1 MiB each.
    @Test func gzipMessagesAcrossManyStreamsAreHeldCompressed() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let streams = 100
        let message = [UInt8](repeating: 0, count: 1 << 20)
        let sent = Observations()
        let calls = (0..<streams).map { _ in
            Task {
                try await harness.channel.clientStreaming(
                    Echo.slowCollect, options: CallOptions(compression: .gzip), serializer: RawBytesSerializer(),
                    deserializer: StringDeserializer()
                ) { writer in
                    try await writer.write(message)
                    sent.increment("sent")
                }
            }
        }
        #expect(await sent.waitForCount("sent", atLeast: streams))
        #expect(await waitUntil { (harness.server.heldMemoryBytes ?? 0) >= streams * 1000 })
        let held = try #require(harness.server.heldMemoryBytes)
        // 100 x 1 MiB decompressed would be 100 MiB; compressed each is about 1 KiB.
        #expect(held < 2 << 20, "held \(held) bytes for \(streams) compressed messages")
        #expect(try await harness.get("bystander") == "echo: bystander")
        harness.observations.gate.open()
        for call in calls { #expect(try await call.value.message == "1") }
        #expect(await waitUntil { harness.server.heldMemoryBytes == 0 })
    }

    /// A gzip message whose decompressed size exceeds the receive limit fails the call with
    /// RESOURCE_EXHAUSTED naming the server's own limit; the bomb is never inflated past it.
    @Test func aGzipBombIsStoppedAtTheReceiveLimit() async throws {
        let harness = try await Harness.start(configure: { $0.maxReceiveMessageSize = 1 << 20 })
        defer { Task { await harness.stop() } }
        let bomb = [UInt8](repeating: 0, count: 16 << 20)
        do {
            _ = try await harness.channel.unary(Echo.bytes, request: bomb, options: CallOptions(compression: .gzip),
                                                serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer())
            Issue.record("the bomb was accepted")
        } catch let error as RPCError {
            #expect(error.code == .resourceExhausted)
            #expect(error.message.contains("server's own receive limit of 1048576"), "\(error.message)")
            #expect(error.message.contains("reported by the server"), "\(error.message)")
        }
    }

    /// Streams that send only a message prefix announcing a large message: nothing is
    /// reserved for the announced length; the prefix alone is held.
    @Test func streamsThatSendOnlyAPrefixHoldOnlyThePrefix() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let attacker = try await offPool { try RawFrameSocket(address: harness.address) }
        try await offPool { try attacker.sendPrefaceAndSettings() }
        var burst: [UInt8] = []
        let streams = 500
        for index in 0..<streams {
            let id = UInt32(2 * index + 1)
            burst += RawFrameSocket.requestHeaders(streamID: id, path: Echo.bytes.path, endStream: false)
            // A prefix announcing 4 MiB - 1 (within the limit), and no body.
            burst += RawFrameSocket.data(streamID: id, [0, 0x00, 0x3F, 0xFF, 0xFF])
        }
        let bytes = burst
        try await offPool { try attacker.send(bytes) }
        #expect(await waitUntil { (harness.server.heldMemoryBytes ?? 0) >= streams * 5 })
        let held = try #require(harness.server.heldMemoryBytes)
        #expect(held == streams * 5, "held \(held) bytes for \(streams) bare prefixes")
        #expect(try await harness.get("bystander") == "echo: bystander")
        attacker.closeNow()
        #expect(await waitUntil { harness.server.heldMemoryBytes == 0 })
    }

    /// Limits above what the 32-bit length prefix can say act as 4 GiB - 1: a server
    /// configured with `Int.max` serves normally, and a prefix announcing the largest length
    /// there is (0xFFFFFFFF) is a message still to come (its 5 bytes held), not an overflow.
    @Test func sizeLimitsAreClampedToTheLengthPrefix() async throws {
        let harness = try await Harness.start(configure: {
            $0.maxReceiveMessageSize = Int.max
            $0.maxSendMessageSize = Int.max
        }, configureChannel: {
            $0.maxReceiveMessageSize = Int.max
            $0.maxSendMessageSize = Int.max
        })
        defer { Task { await harness.stop() } }
        #expect(try await harness.get("clamped") == "echo: clamped")
        let attacker = try await offPool { try RawFrameSocket(address: harness.address) }
        try await offPool { try attacker.sendPrefaceAndSettings() }
        let bytes = RawFrameSocket.requestHeaders(streamID: 1, path: Echo.bytes.path, endStream: false)
            + RawFrameSocket.data(streamID: 1, [0, 0xFF, 0xFF, 0xFF, 0xFF])
        try await offPool { try attacker.send(bytes) }
        #expect(await waitUntil { harness.server.heldMemoryBytes == 5 })
        attacker.closeNow()
        #expect(await waitUntil { harness.server.heldMemoryBytes == 0 })
    }

    /// A prefix announcing more than the receive limit is refused as soon as it arrives,
    /// before any of the body: RESOURCE_EXHAUSTED, saying it is the server's own limit.
    @Test func anOversizedAnnouncementIsRefusedWhenThePrefixArrives() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { raw.close() }
        // 100 MiB announced, 5 bytes sent; the stream stays open on the client's side.
        let stream = try raw.request(path: Echo.bytes.path, body: [0, 0x06, 0x40, 0x00, 0x00])
        let response = try await offPool { try raw.waitForEnd(stream: stream, timeout: .seconds(10)) }
        #expect(response.grpcStatus == "8")
        let message = response.trailers["grpc-message"] ?? response.headers["grpc-message"] ?? ""
        #expect(message.contains("104857600"), "\(message)")
        #expect(message.contains("server"), "\(message)")
    }
}

/// This process's resident set size in bytes (/proc/self/statm).
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Waits (bounded) until `condition` holds.
func waitUntil(timeout: Duration = .seconds(20), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
