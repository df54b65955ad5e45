import CoreMetrics
import RPC

/// Records every call a channel makes through swift-metrics: started and handled (by status
/// code) counters, message counts and handling time, named as in `RPCMetricNames`.
///
///     let channel = try Channel(configuration: configuration,
///                               interceptors: [ClientTracingInterceptor(), ClientMetricsInterceptor()])
///
/// A streaming call is handled when the caller's response handling returns; one that returns
/// early (which cancels the call) counts as OK.
public struct ClientMetricsInterceptor: ClientInterceptor {
    private let factory: any MetricsFactory

    /// - Parameter factory: where the metrics go; by default the process's bootstrapped
    ///   `MetricsSystem.factory` (bootstrap it before making the interceptor).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    nonisolated(nonsending) public func intercept<Result: Sendable>(
        _ context: ClientRequestContext,
        next: (ClientRequestContext) async throws -> Result
    ) async throws -> Result {
        let labels = RPCMetricLabels(context.descriptor, context.kind)
        Counter(label: RPCMetricNames.clientStarted, dimensions: labels.dimensions, factory: factory).increment()
        let start = ContinuousClock.now
        do {
            let result = try await next(context)
            record(.ok, labels, context, since: start)
            return result
        } catch {
            record(CallOutcome(failure: error), labels, context, since: start)
            throw error
        }
    }

    private func record(_ outcome: CallOutcome, _ labels: RPCMetricLabels, _ context: ClientRequestContext,
                        since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        Counter(label: RPCMetricNames.clientHandled, dimensions: labels.with(outcome.code), factory: factory).increment()
        Counter(label: RPCMetricNames.clientMessagesSent, dimensions: labels.dimensions, factory: factory)
            .increment(by: context.sentMessageCount)
        Counter(label: RPCMetricNames.clientMessagesReceived, dimensions: labels.dimensions, factory: factory)
            .increment(by: context.receivedMessageCount)
        Timer(label: RPCMetricNames.clientHandlingTime, dimensions: labels.dimensions, preferredDisplayUnit: .seconds,
              factory: factory).recordNanoseconds(elapsed.nanoseconds)
    }
}
