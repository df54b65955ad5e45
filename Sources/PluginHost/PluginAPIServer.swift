import Logging
import RPC

/// Creates and starts the API server of one plugin launch, in the order the design asks:
/// a fresh `RPC.Server` with the launch's caller check installed as a server interceptor
/// (so it guards whatever is registered; the metrics interceptor outside it counts refused
/// calls too), then the injected registrar, then `start()`.
enum PluginAPIServer {
    /// - Parameter peerCheck: on a Unix socket, which connecting processes are admitted.
    /// - Parameter outerInterceptors: the host's own (`SupervisorConfiguration.apiServerInterceptors`), outermost.
    static func start(
        on address: SocketAddress, secret: String, peerCheck: PluginPeerCheck, api: any PluginAPI,
        registrar: APIServerRegistrar, eventRoute: PluginEventRoute?, shutdownGrace: Duration, metrics: PluginMetrics,
        outerInterceptors: [any ServerInterceptor] = [], group: EventLoopGroup
    ) async throws -> (Server, SocketAddress) {
        var configuration = Server.Configuration(address: address)
        configuration.shutdownGracePeriod = shutdownGrace
        if case .unix = address {
            configuration.admitsPeer = { peer in peerCheck.admits(peer) }
        }
        // Metrics outermost, so refused calls are counted; then the secret check: nothing else
        // runs for a refused caller.
        var interceptors = outerInterceptors + [
            APIMetricsInterceptor(metrics: metrics), SecretCheckInterceptor(secret: secret),
        ]
        if let eventRoute { interceptors.append(PluginEventRouteInterceptor(route: eventRoute)) }
        let server = Server(
            configuration: configuration,
            interceptors: interceptors, group: group,
            logger: Logger(label: "plugin-host.api-server", factory: { _ in SwiftLogNoOpLogHandler() }))
        registrar(server, api)
        let bound = try await server.start()
        return (server, bound)
    }
}
