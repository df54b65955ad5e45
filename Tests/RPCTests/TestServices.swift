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
    static let compressed = MethodDescriptor(service: service, method: "Compressed")
    static let slowCollect = MethodDescriptor(service: service, method: "SlowCollect")
    static let hold = MethodDescriptor(service: service, method: "Hold")
    /// Waits at the gate; once cancelled, finishes cleanup work that takes a while (off the
    /// cancelled task) and records "linger-ended".
    static let lingering = MethodDescriptor(service: service, method: "Lingering")
    /// Answers with as many bytes as the request's decimal number says.
    static let sized = MethodDescriptor(service: service, method: "Sized")
    /// Streams the request's words, gzip-compressing every other one (first compressed).
    static let alternatingCompression = MethodDescriptor(service: service, method: "AlternatingCompression")
}

/// Records what handlers observed, for assertions made from the test side.
final class Observations: Sendable {
    private let state = Mutex<[String]>([])
    private let counters = Mutex<[String: Int]>([:])
    /// Opened by tests to let waiting handlers continue.
    let gate = Gate()

    func record(_ event: String) { state.withLock { $0.append(event) } }
    var events: [String] { state.withLock { $0 } }

    @discardableResult
    func increment(_ counter: String, by amount: Int = 1) -> Int {
        counters.withLock { $0[counter, default: 0] += amount; return $0[counter]! }
    }
    func count(_ counter: String) -> Int { counters.withLock { $0[counter, default: 0] } }

    /// Waits (bounded) until `counter` stops changing for `quiet`, returning its value.
    func waitUntilStable(_ counter: String, quiet: Duration = .milliseconds(150), timeout: Duration = .seconds(30)) async -> Int {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var last = count(counter)
        var stableSince = ContinuousClock.now
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
            let now = count(counter)
            if now != last {
                last = now
                stableSince = ContinuousClock.now
            } else if ContinuousClock.now - stableSince >= quiet {
                return now
            }
        }
        return last
    }

    /// Waits (bounded) until `counter` reaches `value`.
    func waitForCount(_ counter: String, atLeast value: Int, timeout: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if count(counter) >= value { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return count(counter) >= value
    }

    /// Waits (bounded) until `event` was recorded.
    func waitFor(_ event: String, timeout: Duration = .seconds(30)) async -> Bool {
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
            .serverStreaming(Echo.alternatingCompression, deserializer: StringDeserializer(), serializer: StringSerializer()) { request, writer, context in
                context.responseCompression = .gzip
                for (index, word) in request.split(separator: " ").enumerated() {
                    try await writer.write(String(word), compress: index % 2 == 0)
                }
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
            .unary(Echo.compressed, deserializer: RawBytesDeserializer(), serializer: RawBytesSerializer()) { request, context in
                context.responseHeaders = ["request-compressed": "\(context.requestMessageWasCompressed)"]
                context.responseCompression = .gzip
                return request
            },
            .clientStreaming(Echo.slowCollect, deserializer: RawBytesDeserializer(), serializer: StringSerializer()) { requests, _ in
                try await observations.gate.wait()
                var count = 0
                for try await _ in requests { count += 1 }
                return "\(count)"
            },
            .unary(Echo.hold, deserializer: StringDeserializer(), serializer: StringSerializer()) { request, _ in
                observations.increment("holding")
                do {
                    try await observations.gate.wait()
                } catch {
                    observations.record("hold-cancelled")
                    throw error
                }
                return "released \(request)"
            },
            .unary(Echo.lingering, deserializer: StringDeserializer(), serializer: StringSerializer()) { _, _ in
                observations.increment("lingering")
                do {
                    try await observations.gate.wait()
                } catch {
                    // Cleanup that is not cancelled with the call, then back on this task.
                    await Task.detached { try? await Task.sleep(for: .milliseconds(300)) }.value
                    observations.record("linger-ended")
                    throw error
                }
                return "released"
            },
            .unary(Echo.sized, deserializer: StringDeserializer(), serializer: RawBytesSerializer()) { request, _ in
                observations.increment("sized-started")
                return [UInt8](repeating: 0x5A, count: Int(request) ?? 0)
            },
            .serverStreaming(Echo.flood, deserializer: StringDeserializer(), serializer: RawBytesSerializer()) { request, writer, _ in
                // Writes until cancelled; backpressure must make this suspend, not buffer without bound.
                let count = Int(request) ?? 0
                let chunk = [UInt8](repeating: 7, count: 1024)
                do {
                    for index in 0..<count {
                        try await writer.write(chunk)
                        observations.increment("flood-written")
                        if index % 1000 == 0 { observations.record("flood-progress") }
                    }
                } catch {
                    observations.record("flood-cancelled")
                    throw error
                }
                observations.record("flood-done")
            },
        ]
    }
}

/// A one-way latch handlers wait on until the test opens it (cancellable waits).
final class Gate: Sendable {
    private struct State {
        var open = false
        var waiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
        var nextID: UInt64 = 0
        var cancelled: Set<UInt64> = []
    }
    private let state = Mutex(State())

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.open = true
            let waiters = Array(state.waiters.values)
            state.waiters = [:]
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Bool? in
                    if state.open { return true }
                    if state.cancelled.contains(id) { return false }
                    state.waiters[id] = continuation
                    return nil
                }
                switch outcome {
                case true?: continuation.resume()
                case false?: continuation.resume(throwing: CancellationError())
                case nil: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.cancelled.insert(id)
                return state.waiters.removeValue(forKey: id)
            }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
