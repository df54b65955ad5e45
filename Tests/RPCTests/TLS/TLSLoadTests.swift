import Foundation
import Testing
@testable import RPC

/// Load over TLS as `bench rpc --tls` makes it: many calls at once over one connection, each
/// side on a single event loop (every call must complete: none may wait forever for bytes
/// that TLS already took from the socket or has not yet written to it), and messages of the
/// largest size allowed.
@Suite struct TLSLoadTests {
    @Test func sixtyFourConcurrentUnaryCallsAllCompleteOverOneTLSConnection() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let harness = try await Harness.start(configure: {
            $0.tls = certificates.server()
            $0.loopCount = 1
        }, configureChannel: { $0.tls = certificates.client() })
        let options = CallOptions(timeout: .seconds(20))
        let completed = try await withThrowingTaskGroup(of: Int.self) { workers in
            for _ in 0..<64 {
                workers.addTask {
                    var sizes = 0
                    for _ in 0..<40 {
                        let response = try await harness.channel.unary(
                            Echo.sized, request: "1024", options: options,
                            serializer: StringSerializer(), deserializer: RawBytesDeserializer())
                        sizes += response.message.count == 1024 ? 1 : 0
                    }
                    return sizes
                }
            }
            return try await workers.reduce(0, +)
        }
        #expect(completed == 64 * 40)
        await harness.stop()
    }

    /// A budget of exactly the largest message size takes a message of that size whole, in
    /// both directions, over plaintext and over TLS (whose buffers are charged to the same
    /// budget): neither the server drops it nor the client stalls on it.
    @Test(arguments: [false, true])
    func aMessageOfTheLargestSizeGoesThroughABudgetOfThatSize(overTLS: Bool) async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let size = 8 << 20
        let harness = try await Harness.start(configure: {
            if overTLS { $0.tls = certificates.server() }
            $0.maxReceiveMessageSize = size
            $0.connectionMemoryBudget = size
        }, configureChannel: {
            if overTLS { $0.tls = certificates.client() }
            $0.maxReceiveMessageSize = size
            $0.connectionMemoryBudget = size
        })
        let message = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        for _ in 0..<3 {
            let echoed = try await harness.channel.unary(Echo.bytes, request: message, options: CallOptions(timeout: .seconds(30)),
                                                         serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer()).message
            #expect(echoed == message)
        }
        await harness.stop()
    }
}
