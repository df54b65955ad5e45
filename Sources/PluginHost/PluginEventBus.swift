import RPC
import Synchronization

/// Carries events one plugin publishes (`PluginAPI.PublishPluginEvent`) to the other active
/// plugins that implement `OnPluginEvent`. The environment owns it and sets where events
/// go; each launch's API server knows it through a `PluginEventRoute`.
final class PluginEventBus: Sendable {
    typealias Deliver = @Sendable (_ source: String, _ topic: String, _ payload: [UInt8]) async -> Int

    static let maximumTopicBytes = 256
    static let maximumPayloadBytes = 1024 * 1024

    private let deliver = Mutex<Deliver?>(nil)

    func connect(_ deliver: @escaping Deliver) {
        self.deliver.withLock { $0 = deliver }
    }

    /// Delivers the event and returns how many plugins handled it.
    func publish(from source: String, topic: String, payload: [UInt8]) async -> Int {
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
