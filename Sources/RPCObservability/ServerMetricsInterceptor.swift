import CoreMetrics
import RPC

/// Records every call a server runs through swift-metrics: started and handled (by status
/// code) counters, message counts and handling time, named as in `RPCMetricNames`.
///
///     let server = Server(configuration: configuration, services: [service],
///                         interceptors: [ServerTracingInterceptor(), ServerMetricsInterceptor()])
///
/// Put it first (outermost) to count calls that inner interceptors refuse.
public struct ServerMetricsInterceptor: ServerInterceptor {
    private let factory: any MetricsFactory

    /// - Parameter factory: where the metrics go; by default the process's bootstrapped
    ///   `MetricsSystem.factory` (bootstrap it before making the interceptor).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    public func intercept(_ call: ServerCall, next: @Sendable (ServerCall) async throws -> Void) async throws {
        let context = call.context
        let labels = RPCMetricLabels(context.descriptor, context.kind)
        Counter(label: RPCMetricNames.serverStarted, dimensions: labels.dimensions, factory: factory).increment()
        let start = ContinuousClock.now
        do {
            try await next(call)
            record(.server(context, failure: nil), labels, context, since: start)
        } catch {
            record(.server(context, failure: error), labels, context, since: start)
            throw error
        }
    }

    private func record(_ outcome: CallOutcome, _ labels: RPCMetricLabels, _ context: ServerContext,
                        since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        Counter(label: RPCMetricNames.serverHandled, dimensions: labels.with(outcome.code), factory: factory).increment()
        Counter(label: RPCMetricNames.serverMessagesReceived, dimensions: labels.dimensions, factory: factory)
            .increment(by: context.requestMessageCount)
        Counter(label: RPCMetricNames.serverMessagesSent, dimensions: labels.dimensions, factory: factory)
            .increment(by: context.responseMessageCount)
        Timer(label: RPCMetricNames.serverHandlingTime, dimensions: labels.dimensions, preferredDisplayUnit: .seconds,
              factory: factory).recordNanoseconds(elapsed.nanoseconds)
    }
}
