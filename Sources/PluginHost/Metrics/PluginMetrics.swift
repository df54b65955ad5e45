import CoreMetrics
import RPC
import Synchronization

/// One plugin's metrics, recorded through swift-metrics (so they go wherever the host
/// application bootstrapped `MetricsSystem`: Prometheus, StatsD, OpenTelemetry; nowhere when
/// it bootstrapped nothing). Every metric has the dimension `plugin`.
///
/// - `plugin_api_requests_total{method, code}` and `plugin_api_request_duration_seconds{method}`:
///   calls the plugin made to its API server, including refused ones (`code="UNAUTHENTICATED"`).
/// - `plugin_hook_calls_total{hook, code}` and `plugin_hook_call_duration_seconds{hook}`: calls
///   the host made to the plugin's hooks.
/// - `plugin_restarts_total`: restarts after crashes or failed health checks.
/// - `plugin_state{state}`: 1 for the plugin's current state, 0 for the others.
///
/// Method and hook labels only ever name registered methods (unknown methods are refused
/// before any interceptor runs), so a plugin cannot grow the label set.
public final class PluginMetrics: Sendable {
    public static let apiRequests = "plugin_api_requests_total"
    public static let apiDuration = "plugin_api_request_duration_seconds"
    public static let hookCalls = "plugin_hook_calls_total"
    public static let hookDuration = "plugin_hook_call_duration_seconds"
    public static let restarts = "plugin_restarts_total"
    public static let state = "plugin_state"
    /// Every `PluginState` name, the values of `plugin_state`'s `state` dimension.
    static let stateNames = ["inactive", "starting", "active", "stopping", "restarting", "failed", "disabled"]

    public let pluginID: String
    private let counters = Mutex<[String: Counter]>([:])
    private let timers = Mutex<[String: Timer]>([:])
    private let restartCounter: Counter
    private let stateGauges: [String: Gauge]

    public init(pluginID: String) {
        self.pluginID = pluginID
        restartCounter = Counter(label: Self.restarts, dimensions: [("plugin", pluginID)])
        var gauges: [String: Gauge] = [:]
        for name in Self.stateNames {
            gauges[name] = Gauge(label: Self.state, dimensions: [("plugin", pluginID), ("state", name)])
        }
        stateGauges = gauges
    }

    func recordAPICall(method: String, code: StatusCode, duration: Duration) {
        counter(Self.apiRequests, "method", method, code).increment()
        timer(Self.apiDuration, "method", method).recordNanoseconds(duration.nanoseconds)
    }

    func recordHookCall(hook: String, code: StatusCode, duration: Duration) {
        counter(Self.hookCalls, "hook", hook, code).increment()
        timer(Self.hookDuration, "hook", hook).recordNanoseconds(duration.nanoseconds)
    }

    func recordRestart() { restartCounter.increment() }

    func recordState(_ state: PluginState) {
        let current = state.metricName
        for (name, gauge) in stateGauges { gauge.record(name == current ? 1 : 0) }
    }

    private func counter(_ label: String, _ kind: String, _ name: String, _ code: StatusCode) -> Counter {
        let key = label + "/" + name + "/" + code.description
        return counters.withLock { counters in
            if let existing = counters[key] { return existing }
            let made = Counter(
                label: label, dimensions: [("plugin", pluginID), (kind, name), ("code", code.description)])
            counters[key] = made
            return made
        }
    }

    private func timer(_ label: String, _ kind: String, _ name: String) -> Timer {
        let key = label + "/" + name
        return timers.withLock { timers in
            if let existing = timers[key] { return existing }
            let made = Timer(label: label, dimensions: [("plugin", pluginID), (kind, name)])
            timers[key] = made
            return made
        }
    }
}

extension Duration {
    /// Whole nanoseconds, saturating (a metric never needs more than 292 years).
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled &+ attoseconds / 1_000_000_000
    }
}

extension PluginState {
    /// The state's name in `plugin_state`.
    var metricName: String {
        switch self {
        case .inactive: "inactive"
        case .starting: "starting"
        case .active: "active"
        case .stopping: "stopping"
        case .restarting: "restarting"
        case .failed: "failed"
        case .disabled: "disabled"
        }
    }
}

/// Records each call to a plugin's API server (outermost, so refused calls count too).
struct APIMetricsInterceptor: ServerInterceptor {
    let metrics: PluginMetrics

    func intercept(_ call: ServerCall, next: @Sendable (ServerCall) async throws -> Void) async throws {
        let start = ContinuousClock.now
        do {
            try await next(call)
            metrics.recordAPICall(method: call.context.descriptor.method, code: .ok, duration: .now - start)
        } catch {
            let code = (error as? RPCError)?.code ?? .unknown
            metrics.recordAPICall(method: call.context.descriptor.method, code: code, duration: .now - start)
            throw error
        }
    }
}

/// Records each hook call the host makes to a plugin.
struct HookMetricsInterceptor: ClientInterceptor {
    let metrics: PluginMetrics

    nonisolated(nonsending) func intercept<Result: Sendable>(
        _ context: ClientRequestContext, next: (ClientRequestContext) async throws -> Result
    ) async throws -> Result {
        let start = ContinuousClock.now
        do {
            let result = try await next(context)
            metrics.recordHookCall(hook: context.descriptor.method, code: .ok, duration: .now - start)
            return result
        } catch {
            let code = (error as? RPCError)?.code ?? .unknown
            metrics.recordHookCall(hook: context.descriptor.method, code: code, duration: .now - start)
            throw error
        }
    }
}
