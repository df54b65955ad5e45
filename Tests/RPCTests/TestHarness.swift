import Foundation
@testable import RPC

/// A server with the echo service on a loopback address, plus a channel to it.
struct Harness {
    let server: Server
    let channel: Channel
    let observations: Observations
    let address: SocketAddress

    static func start(
        _ family: Family = .ipv4,
        configure: (inout Server.Configuration) -> Void = { _ in },
        configureChannel: (inout Channel.Configuration) -> Void = { _ in },
        interceptors: [any ServerInterceptor] = []
    ) async throws -> Harness {
        let observations = Observations()
        var configuration = Server.Configuration(address: family.listenAddress)
        configuration.loopCount = 2
        configuration.shutdownGracePeriod = .seconds(2)
        configure(&configuration)
        let server = Server(configuration: configuration, services: [EchoService(observations: observations)], interceptors: interceptors)
        let address = try await server.start()
        var channelConfiguration = Channel.Configuration(target: address)
        configureChannel(&channelConfiguration)
        let channel = try Channel(configuration: channelConfiguration)
        return Harness(server: server, channel: channel, observations: observations, address: address)
    }

    func stop() async {
        await channel.close()
        await server.shutdown()
    }

    enum Family {
        case ipv4, ipv6, unix

        var listenAddress: SocketAddress {
            switch self {
            case .ipv4: .ipv4(host: "127.0.0.1", port: 0)
            case .ipv6: .ipv6(host: "::1", port: 0)
            case .unix: .unix(path: "/tmp/rpc-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock")
            }
        }
    }

    // Typed shorthands for the echo methods.
    func get(_ text: String, metadata: Metadata = [:], options: CallOptions = .init()) async throws -> String {
        try await channel.unary(Echo.get, request: text, metadata: metadata, options: options,
                                serializer: StringSerializer(), deserializer: StringDeserializer()).message
    }
}
