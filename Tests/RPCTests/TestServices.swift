import RPC
import Synchronization

/// UTF-8 strings as messages, so tests read naturally.
struct StringSerializer: MessageSerializer {
    func serialize(_ message: String) throws -> [UInt8] { Array(message.utf8) }
}

struct StringDeserializer: MessageDeserializer {
    struct NotUTF8: Error {}
    func deserialize(_ bytes: [UInt8]) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw NotUTF8() }
        return text
    }
}

enum Echo {
    static let service = "test.Echo"
    static let get = MethodDescriptor(service: service, method: "Get")
    static let collect = MethodDescriptor(service: service, method: "Collect")
    static let expand = MethodDescriptor(service: service, method: "Expand")
    static let update = MethodDescriptor(service: service, method: "Update")
    static let sleep = MethodDescriptor(service: service, method: "Sleep")
    static let fail = MethodDescriptor(service: service, method: "Fail")
    static let metadata = MethodDescriptor(service: service, method: "Metadata")
    static let bytes = MethodDescriptor(service: service, method: "Bytes")
    static let flood = MethodDescriptor(service: service, method: "Flood")
}

/// Records what handlers observed, for assertions made from the test side.
final class Observations: Sendable {
    private let state = Mutex<[String]>([])
    func record(_ event: String) { state.withLock { $0.append(event) } }
    var events: [String] { state.withLock { $0 } }

    /// Waits (bounded) until `event` was recorded.
    func waitFor(_ event: String, timeout: Duration = .seconds(5)) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if events.contains(event) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return events.contains(event)
    }
}

/// The test service: one method per behaviour under test.
struct EchoService: RPCService {
    let observations: Observations

    var methods: [ServerMethod] {
        let observations = self.observations
        return [
            .unary(Echo.get, deserializer: StringDeserializer(), serializer: StringSerializer()) { request, _ in
                "echo: \(request)"
            },
            .clientStreaming(Echo.collect, deserializer: StringDeserializer(), serializer: StringSerializer()) { requests, _ in
                var parts: [String] = []
                for try await request in requests { parts.append(request) }
                return parts.joined(separator: " ")
            },
            .serverStreaming(Echo.expand, deserializer: StringDeserializer(), serializer: StringSerializer()) { request, writer, _ in
                for word in request.split(separator: " ") { try await writer.write(String(word)) }
            },
            .bidirectionalStreaming(Echo.update, deserializer: StringDeserializer(), serializer: StringSerializer()) { requests, writer, _ in
                for try await request in requests { try await writer.write("ack \(request)") }
            },
            .unary(Echo.sleep, deserializer: StringDeserializer(), serializer: StringSerializer()) { request, context in
                observations.record("sleep-started \(request)")
                do {
                    try await Task.sleep(for: .seconds(30))
                } catch {
                    observations.record("sleep-cancelled \(request)")
                    throw error
                }
                return "woke"
            },
            .unary(Echo.fail, deserializer: StringDeserializer(), serializer: StringSerializer()) { request, _ in
                throw RPCError(code: .failedPrecondition, message: "no: \(request) ✓ 100%", metadata: ["reason": "test"])
            },
            .unary(Echo.metadata, deserializer: StringDeserializer(), serializer: StringSerializer()) { request, context in
                context.responseHeaders = ["initial": context.requestMetadata.first("x-custom") ?? "none"]
                var trailers = Metadata()
                trailers.add("trailing-bin", binary: context.requestMetadata.firstBinary("x-data-bin") ?? [])
                context.responseTrailers = trailers
                return request
            },
            .unary(Echo.bytes, deserializer: RawBytesDeserializer(), serializer: RawBytesSerializer()) { request, _ in
                request
            },
            .serverStreaming(Echo.flood, deserializer: StringDeserializer(), serializer: RawBytesSerializer()) { request, writer, _ in
                // Writes until cancelled; backpressure must make this suspend, not buffer without bound.
                let count = Int(request) ?? 0
                let chunk = [UInt8](repeating: 7, count: 1024)
                for index in 0..<count {
                    try await writer.write(chunk)
                    if index % 1000 == 0 { observations.record("flood-progress") }
                }
                observations.record("flood-done")
            },
        ]
    }
}
