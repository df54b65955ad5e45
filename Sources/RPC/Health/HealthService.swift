import Synchronization

/// The standard `grpc.health.v1.Health` service, ready to host: the application reports each
/// service's status with `setStatus(service:status:)`; clients ask with `Check` or follow
/// changes with `Watch`.
///
///     let health = HealthService()                       // "" (the whole server) is SERVING
///     let server = Server(configuration: config, services: [health, MyService()])
///     health.setStatus(service: "my.pkg.MyService", status: .serving)
///     ...
///     health.enterShutdown()                             // everything NOT_SERVING, then stop
///
/// Semantics (from the protocol's definition): `Check` of a service never reported fails with
/// NOT_FOUND; `Watch` answers at once with the current status (SERVICE_UNKNOWN for a service
/// never reported) and then with every change, until the client cancels or its deadline passes.
/// A watcher that falls behind gets the latest status, not every intermediate one.
/// `enterShutdown()` before `Server.shutdown()` ends the watches, so they do not hold it up.
public final class HealthService: Grpc_Health_V1_Health.ServiceProtocol {
    public typealias ServingStatus = Grpc_Health_V1_HealthCheckResponse.ServingStatus

    private struct State {
        var statuses: [String: ServingStatus]
        var watchers: [String: [Int: AsyncStream<ServingStatus>.Continuation]] = [:]
        var nextWatcherID = 0
        /// After `enterShutdown()` statuses stay NOT_SERVING.
        var shuttingDown = false
    }

    private let state: Mutex<State>

    /// - Parameter statuses: initial statuses; by default the server as a whole (the empty
    ///   service name, which health-checking clients ask about) is SERVING.
    public init(statuses: [String: ServingStatus] = ["": .serving]) {
        state = Mutex(State(statuses: statuses))
    }

    /// Sets `service`'s status (the empty name stands for the whole server) and tells every
    /// watcher of it. Ignored after `enterShutdown()`.
    public func setStatus(service: String, status: ServingStatus) {
        state.withLock { state in
            guard !state.shuttingDown else { return }
            Self.update(&state, service: service, to: status)
        }
    }

    /// Forgets `service`: `Check` answers NOT_FOUND again, watchers see SERVICE_UNKNOWN.
    public func clearStatus(service: String) {
        state.withLock { state in
            guard !state.shuttingDown, state.statuses.removeValue(forKey: service) != nil else { return }
            for watcher in state.watchers[service, default: [:]].values { watcher.yield(.serviceUnknown) }
        }
    }

    /// The status last set for `service`, nil if none.
    public func status(service: String) -> ServingStatus? {
        state.withLock { $0.statuses[service] }
    }

    /// Marks every known service NOT_SERVING and ignores later updates, so load balancers and
    /// probes move away before the server stops. Watch calls get NOT_SERVING and then end (OK),
    /// so they do not hold a graceful server shutdown for its whole grace period; Watch calls
    /// made later get the current status and end at once.
    public func enterShutdown() {
        state.withLock { state in
            for service in Array(state.statuses.keys) { Self.update(&state, service: service, to: .notServing) }
            state.shuttingDown = true
            for watchers in state.watchers.values {
                for watcher in watchers.values { watcher.finish() }
            }
        }
    }

    /// Watch calls in progress (for tests and diagnostics).
    public var watcherCount: Int {
        state.withLock { $0.watchers.values.reduce(0) { $0 + $1.count } }
    }

    private static func update(_ state: inout State, service: String, to status: ServingStatus) {
        let previous = state.statuses.updateValue(status, forKey: service)
        guard previous != status else { return }
        for watcher in state.watchers[service, default: [:]].values { watcher.yield(status) }
    }

    // MARK: grpc.health.v1.Health

    public func check(_ request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext) async throws -> Grpc_Health_V1_HealthCheckResponse {
        guard let status = status(service: request.service) else {
            throw RPCError(code: .notFound, message: "unknown service '\(request.service)'")
        }
        var response = Grpc_Health_V1_HealthCheckResponse()
        response.status = status
        return response
    }

    public func watch(_ request: Grpc_Health_V1_HealthCheckRequest, responses: ResponseWriter<Grpc_Health_V1_HealthCheckResponse>,
                      context: ServerContext) async throws {
        // Keep only the newest status: a slow watcher must not make updates pile up.
        let (updates, continuation) = AsyncStream.makeStream(of: ServingStatus.self, bufferingPolicy: .bufferingNewest(1))
        let service = request.service
        let id = state.withLock { state in
            let id = state.nextWatcherID
            state.nextWatcherID += 1
            state.watchers[service, default: [:]][id] = continuation
            continuation.yield(state.statuses[service] ?? .serviceUnknown)
            if state.shuttingDown { continuation.finish() }
            return id
        }
        defer {
            state.withLock { state in
                state.watchers[service]?[id] = nil
                if state.watchers[service]?.isEmpty == true { state.watchers[service] = nil }
            }
            continuation.finish()
        }
        // Ends when the call's task is cancelled (client cancel, deadline, server shutdown) or
        // after `enterShutdown()`.
        for await status in updates {
            var response = Grpc_Health_V1_HealthCheckResponse()
            response.status = status
            try await responses.write(response)
        }
        try Task.checkCancellation()
    }
}
