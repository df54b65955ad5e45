import RPC
import Synchronization

/// The service the observability tests call over real sockets: one method of each kind, each
/// able to fail on request, plus `Relay`, whose handler calls `Get` through a traced channel.
struct ObservedService: RPCService {
    static let get = MethodDescriptor(service: "obs.Test", method: "Get")
    static let expand = MethodDescriptor(service: "obs.Test", method: "Expand")
    static let collect = MethodDescriptor(service: "obs.Test", method: "Collect")
    static let chat = MethodDescriptor(service: "obs.Test", method: "Chat")
    static let relay = MethodDescriptor(service: "obs.Test", method: "Relay")
    static let stubborn = MethodDescriptor(service: "obs.Test", method: "Stubborn")

    /// The channel `Relay` calls through (set once the server's address is known).
    let relayChannel: RelayChannel

    var methods: [ServerMethod] {
        [
            .unary(Self.get, deserializer: RawBytesDeserializer(), serializer: RawBytesSerializer()) { request, _ in
                if request == Array("fail".utf8) { throw RPCError(code: .notFound, message: "asked to fail") }
                return Array("echo: ".utf8) + request
            },
            // Sends as many responses as the request's first byte says, then fails when a second byte is 1.
            .serverStreaming(Self.expand, deserializer: RawBytesDeserializer(), serializer: RawBytesSerializer()) { request, writer, _ in
                for index in 0..<Int(request.first ?? 0) { try await writer.write([UInt8(index)]) }
                if request.count > 1, request[1] == 1 { throw RPCError(code: .failedPrecondition, message: "asked to fail") }
            },
            // Answers with the number of requests; fails at a request that is "fail".
            .clientStreaming(Self.collect, deserializer: RawBytesDeserializer(), serializer: RawBytesSerializer()) { requests, _ in
                var count: UInt8 = 0
                for try await request in requests {
                    if request == Array("fail".utf8) { throw RPCError(code: .invalidArgument, message: "asked to fail") }
                    count += 1
                }
                return [count]
            },
            .bidirectionalStreaming(Self.chat, deserializer: RawBytesDeserializer(), serializer: RawBytesSerializer()) { requests, writer, _ in
                for try await request in requests { try await writer.write(request) }
            },
            // Ignores its task's cancellation: waits the request's first byte × 10 ms, then returns
            // without a response (so nothing it does afterwards fails).
            .serverStreaming(Self.stubborn, deserializer: RawBytesDeserializer(), serializer: RawBytesSerializer()) { request, _, _ in
                let wait = Duration.milliseconds(Int(request.first ?? 0) * 10)
                await Task { try? await Task.sleep(for: wait) }.value  // an unstructured task is not cancelled with the handler
            },
            .unary(Self.relay, deserializer: RawBytesDeserializer(), serializer: RawBytesSerializer()) { request, _ in
                guard let channel = relayChannel.channel else { throw RPCError(code: .unavailable, message: "no relay channel") }
                return try await channel.unary(Self.get, request: request, serializer: RawBytesSerializer(),
                                               deserializer: RawBytesDeserializer()).message
            },
        ]
    }
}

/// Holds the channel `Relay` uses, made after the server bound its port.
final class RelayChannel: Sendable {
    private let stored = Mutex<Channel?>(nil)
    var channel: Channel? { stored.withLock { $0 } }
    func set(_ channel: Channel) { stored.withLock { $0 = channel } }
}

/// A server with `ObservedService` and the given interceptors on 127.0.0.1, and a channel to it.
struct ObservedHarness {
    let server: Server
    let channel: Channel
    let address: SocketAddress
    let relay: RelayChannel

    static func start(server serverInterceptors: [any ServerInterceptor], client clientInterceptors: [any ClientInterceptor],
                      relay relayInterceptors: [any ClientInterceptor] = []) async throws -> ObservedHarness {
        let relay = RelayChannel()
        var configuration = Server.Configuration(address: .ipv4(host: "127.0.0.1", port: 0))
        configuration.shutdownGracePeriod = .seconds(2)
        let server = Server(configuration: configuration, services: [ObservedService(relayChannel: relay)],
                            interceptors: serverInterceptors)
        let address = try await server.start()
        let channel = try Channel(configuration: .init(target: address), interceptors: clientInterceptors)
        relay.set(try Channel(configuration: .init(target: address), interceptors: relayInterceptors))
        return ObservedHarness(server: server, channel: channel, address: address, relay: relay)
    }

    var port: Int {
        if case .ipv4(_, let port) = address { return port }
        return 0
    }

    func stop() async {
        await channel.close()
        await relay.channel?.close()
        await server.shutdown()
    }

    func get(_ text: String, metadata: Metadata = [:]) async throws -> String {
        let reply = try await channel.unary(ObservedService.get, request: Array(text.utf8), metadata: metadata,
                                            serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer())
        return String(decoding: reply.message, as: UTF8.self)
    }
}
