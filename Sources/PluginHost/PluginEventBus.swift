import RPC
import Synchronization

/// Carries events one plugin publishes (`PluginAPI.PublishPluginEvent`) to the other active
/// plugins that implement `OnPluginEvent`. The environment owns it and sets where events
/// go; each launch's API server knows it through a `PluginEventRoute`.
final class PluginEventBus: Sendable {
    typealias Deliver = @Sendable (_ source: String, _ topic: String, _ payload: [UInt8]) async -> Int

    static let maximumTopicBytes = 256
    static let maximumPayloadBytes = 1024 * 1024
    /// Publications of one plugin being delivered at once; more are refused, so a plugin
    /// that floods (or two plugins that answer each other's events with events) cannot pile
    /// up deliveries without bound.
    static let maximumInFlightPerPublisher = 16

    private let deliver = Mutex<Deliver?>(nil)
    private let inFlight = Mutex<[String: Int]>([:])

    func connect(_ deliver: @escaping Deliver) {
        self.deliver.withLock { $0 = deliver }
    }

    /// Delivers the event and returns how many plugins handled it, or nil when `source`
    /// already has `maximumInFlightPerPublisher` publications in flight.
    func publish(from source: String, topic: String, payload: [UInt8]) async -> Int? {
        let admitted = inFlight.withLock { counts in
            guard counts[source, default: 0] < Self.maximumInFlightPerPublisher else { return false }
            counts[source, default: 0] += 1
            return true
        }
        guard admitted else { return nil }
        defer {
            inFlight.withLock { counts in
                counts[source, default: 1] -= 1
                if counts[source] == 0 { counts[source] = nil }
            }
        }
        guard let deliver = deliver.withLock({ $0 }) else { return 0 }
        return await deliver(source, topic, payload)
    }
}

/// Who publishes through a launch's API server, and where to: set for each API call by
/// `PluginEventRouteInterceptor`, read by `PluginAPIService.publishPluginEvent`.
struct PluginEventRoute: Sendable {
    let publisherID: String
    let bus: PluginEventBus

    @TaskLocal static var current: PluginEventRoute?
}

/// Makes the launch's `PluginEventRoute` visible to the call it wraps.
struct PluginEventRouteInterceptor: ServerInterceptor {
    let route: PluginEventRoute

    func intercept(_ call: ServerCall, next: @Sendable (ServerCall) async throws -> Void) async throws {
        try await PluginEventRoute.$current.withValue(route) { try await next(call) }
    }
}
