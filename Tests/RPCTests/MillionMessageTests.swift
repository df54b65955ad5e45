import Synchronization
import Testing
@testable import RPC

/// Issue 3: "memory stays bounded for a stream of a million messages to a slow consumer".
@Suite struct MillionMessageTests {
    static let method = MethodDescriptor(service: "test.Million", method: "Stream")

    /// Streams `count` 8-byte messages (the index, little-endian) through the raw `ServerCall`,
    /// so the test can read the call's send-side buffer (its `OutboundFlow`) afterwards.
    struct MillionService: RPCService {
        let box: Box
        let count: Int

        var methods: [ServerMethod] {
            [ServerMethod(descriptor: MillionMessageTests.method, kind: .serverStreaming) { [self] call in
                _ = try await call.nextRequest()
                for index in 0..<count {
                    let value = UInt64(index).littleEndian
                    try await call.send(withUnsafeBytes(of: value) { Array($0) }, compress: false)
                    box.written.store(index + 1, ordering: .relaxed)
                }
                box.peakPending.store(call.flow.pendingBytes.peak, ordering: .relaxed)
            }]
        }
    }

    final class Box: Sendable {
        let written = Atomic<Int>(0)
        let peakPending = Atomic<Int>(0)
    }

    /// A million messages in a debug build take a few seconds (about 10 on this 2-core machine
    /// when idle); the time limit leaves room for a loaded CI machine.
    @Test(.timeLimit(.minutes(3)))
    func aMillionMessagesToASlowConsumerKeepTheServerBufferBounded() async throws {
        let count = 1_000_000
        let slowMessages = 300
        let box = Box()
        var configuration = Server.Configuration(address: .ipv4(host: "127.0.0.1", port: 0))
        configuration.loopCount = 1
        let service = MillionService(box: box, count: count)
        let server = Server(configuration: configuration, services: [service])
        let address = try await server.start()
        let channelConfiguration = Channel.Configuration(target: address)
        let channel = try Channel(configuration: channelConfiguration)

        let (received, gapWhenSlow) = try await channel.serverStreaming(
            Self.method, request: [], serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer()
        ) { responses -> (Int, Int) in
            var next = 0
            var gap = 0
            for try await message in responses {
                let value = message.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                guard message.count == 8, Int(UInt64(littleEndian: value)) == next else {
                    Issue.record("message \(next) arrived out of order or malformed: \(message)")
                    return (next, gap)
                }
                next += 1
                if next <= slowMessages {
                    // Slow at first: the server fills every buffer on the way and must stall.
                    try await Task.sleep(for: .milliseconds(2))
                    if next == slowMessages { gap = box.written.load(ordering: .relaxed) - next }
                }
            }
            return (next, gap)
        }
        await channel.close()
        await server.shutdown()

        #expect(received == count)
        // While the consumer was slow, the server was never more than the buffers' worth ahead:
        // its send queue, the stream's HTTP/2 window in flight, and the client's receive queue
        // (its window stays closed past the high water). That is ~2.25 MiB by default, about
        // 180,000 13-byte frames (about 140,000 measured); far from the million.
        let frame = 8 + 5
        let buffered = configuration.responseBufferHighWater + channelConfiguration.initialStreamWindowSize
            + channelConfiguration.responseBufferHighWater
        #expect(gapWhenSlow < buffered / frame + 1000, "the server ran \(gapWhenSlow) messages ahead of a slow consumer")
        // Its own send queue never held more than the high water plus one message.
        let highWater = configuration.responseBufferHighWater
        #expect(box.peakPending.load(ordering: .relaxed) <= highWater + frame)
        #expect(box.peakPending.load(ordering: .relaxed) > 0)
    }
}
