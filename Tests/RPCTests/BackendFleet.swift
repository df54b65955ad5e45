import Synchronization
@testable import RPC

/// Named servers on loopback for load-balancing and retry tests: each answers `Backend.name`
/// with its own name, and `Backend.flaky` per a shared script of failures.
final class BackendServer: Sendable {
    static let service = "test.Backend"
    static let name = MethodDescriptor(service: service, method: "Name")
    static let flaky = MethodDescriptor(service: service, method: "Flaky")
    static let flakyStream = MethodDescriptor(service: service, method: "FlakyStream")
    static let flakyCollect = MethodDescriptor(service: service, method: "FlakyCollect")
    static let flakyChat = MethodDescriptor(service: service, method: "FlakyChat")

    let label: String
    let address: SocketAddress
    private let server: Server
    /// Calls each method took, by method name.
    let script: FailureScript

    private init(label: String, address: SocketAddress, server: Server, script: FailureScript) {
        self.label = label
        self.address = address
        self.server = server
        self.script = script
    }

    /// Starts a server named `label` on `address` (port 0: a free one), with `tls` if given.
    static func start(_ label: String, on address: SocketAddress = .ipv4(host: "127.0.0.1", port: 0),
                      script: FailureScript = FailureScript(), tls: ServerTLSConfiguration? = nil) async throws -> BackendServer {
        var configuration = Server.Configuration(address: address)
        configuration.tls = tls
        configuration.loopCount = 1
        configuration.shutdownGracePeriod = .milliseconds(200)
        let server = Server(configuration: configuration, services: [BackendService(label: label, script: script)])
        let bound = try await server.start()
        return BackendServer(label: label, address: bound, server: server, script: script)
    }

    func stop() async { await server.shutdown() }
}

/// What `Backend.flaky` does: fail the first `failures` calls with `code` (and `trailers`),
/// then succeed; records the `grpc-previous-rpc-attempts` each call carried.
final class FailureScript: Sendable {
    private struct State {
        var failures = 0
        var code = StatusCode.unavailable
        var trailers: Metadata = [:]
        var calls = 0
        var previousAttempts: [String?] = []
        var received: [[String]] = []
    }

    private let state = Mutex(State())

    init(failures: Int = 0, code: StatusCode = .unavailable, trailers: Metadata = [:]) {
        state.withLock {
            $0.failures = failures
            $0.code = code
            $0.trailers = trailers
        }
    }

    var calls: Int { state.withLock { $0.calls } }
    var previousAttempts: [String?] { state.withLock { $0.previousAttempts } }
    /// The request messages each streaming attempt received.
    var received: [[String]] { state.withLock { $0.received } }

    func record(received messages: [String]) {
        state.withLock { $0.received.append(messages) }
    }

    func next(previousAttempts: String?) -> RPCError? {
        state.withLock { state in
            state.calls += 1
            state.previousAttempts.append(previousAttempts)
            guard state.failures > 0 else { return nil }
            state.failures -= 1
            return RPCError(code: state.code, message: "scripted failure", metadata: state.trailers)
        }
    }
}

private struct BackendService: RPCService {
    let label: String
    let script: FailureScript

    var methods: [ServerMethod] {
        let label = self.label
        let script = self.script
        return [
            .unary(BackendServer.name, deserializer: StringDeserializer(), serializer: StringSerializer()) { _, _ in label },
            .unary(BackendServer.flaky, deserializer: StringDeserializer(), serializer: StringSerializer()) { request, context in
                if let error = script.next(previousAttempts: context.requestMetadata.first("grpc-previous-rpc-attempts")) { throw error }
                return "\(label): \(request)"
            },
            .serverStreaming(BackendServer.flakyStream, deserializer: StringDeserializer(), serializer: StringSerializer()) { request, writer, context in
                if let error = script.next(previousAttempts: context.requestMetadata.first("grpc-previous-rpc-attempts")) { throw error }
                for word in request.split(separator: " ") { try await writer.write(String(word)) }
            },
            .clientStreaming(BackendServer.flakyCollect, deserializer: StringDeserializer(), serializer: StringSerializer()) { requests, context in
                var messages: [String] = []
                for try await request in requests { messages.append(request) }
                script.record(received: messages)
                if let error = script.next(previousAttempts: context.requestMetadata.first("grpc-previous-rpc-attempts")) { throw error }
                return messages.joined(separator: " ")
            },
            .bidirectionalStreaming(BackendServer.flakyChat, deserializer: StringDeserializer(), serializer: StringSerializer()) { requests, writer, context in
                var messages: [String] = []
                var iterator = requests.makeAsyncIterator()
                // Fails (without response headers) once it has the first two messages, when scripted.
                while messages.count < 2, let request = try await iterator.next() { messages.append(request) }
                if let error = script.next(previousAttempts: context.requestMetadata.first("grpc-previous-rpc-attempts")) {
                    script.record(received: messages)
                    throw error
                }
                for message in messages { try await writer.write("ack \(message)") }
                while let request = try await iterator.next() {
                    messages.append(request)
                    try await writer.write("ack \(request)")
                }
                script.record(received: messages)
            },
        ]
    }
}

extension Channel {
    /// `Backend.name` on this channel.
    func backendName(options: CallOptions = CallOptions()) async throws -> String {
        try await unary(BackendServer.name, request: "", options: options,
                        serializer: StringSerializer(), deserializer: StringDeserializer()).message
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes; true when it held.
func eventually(within timeout: Duration = .seconds(20), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}
