import InteropTesting
import RPC
import Synchronization

/// The calls the client harness makes, in this order, so they use streams 1, 3 and 5: a unary
/// call, a server-streaming call and a bidirectional call with one request. What the fuzzer
/// varies is what the server answers; the requests only change when seeds are recorded (to get
/// a real server to answer differently: errors, compression, several messages).
struct ClientCallSequence: Sendable {
    var unary = Grpc_Testing_SimpleRequest()
    var serverStreaming = Grpc_Testing_StreamingOutputCallRequest()
    var bidirectional = Grpc_Testing_StreamingOutputCallRequest()

    static let callCount = 3
    static let callTimeout: Duration = .seconds(5)

    /// What the harness asks while fuzzing: a small payload and two streamed responses.
    static var fuzzing: ClientCallSequence {
        var sequence = ClientCallSequence()
        sequence.unary.responseSize = 16
        sequence.serverStreaming.responseParameters = [.size(8), .size(8)]
        sequence.bidirectional.responseParameters = [.size(4)]
        return sequence
    }

    /// Makes call `index` (0 ..< callCount); its outcome, failure included, does not matter.
    func call(_ index: Int, on client: Grpc_Testing_TestService.Client) async {
        let options = CallOptions(timeout: Self.callTimeout)
        switch index {
        case 0:
            _ = try? await client.unaryCall(unary, metadata: ["x-grpc-test-echo-initial": "fuzz"], options: options)
        case 1:
            _ = try? await client.streamingOutputCall(serverStreaming, options: options) { responses in
                for try await _ in responses {}
            }
        default:
            let request = bidirectional
            _ = try? await client.fullDuplexCall(options: options) { writer in
                try await writer.write(request)
            } onResponse: { responses in
                for try await _ in responses {}
            }
        }
    }

    /// Makes every call, one after the other.
    func callAll(on client: Grpc_Testing_TestService.Client) async {
        for index in 0..<Self.callCount { await call(index, on: client) }
    }
}

extension Grpc_Testing_ResponseParameters {
    static func size(_ size: Int32, compressed: Bool = false) -> Grpc_Testing_ResponseParameters {
        var parameters = Grpc_Testing_ResponseParameters()
        parameters.size = size
        if compressed { parameters.compressed.value = true }
        return parameters
    }
}

/// Counts calls that have ended, across tasks.
final class FinishedCalls: Sendable {
    private let count = Atomic<Int>(0)
    func add() { count.add(1, ordering: .releasing) }
    var value: Int { count.load(ordering: .acquiring) }
}
