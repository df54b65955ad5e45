/// Which methods a `RetryPolicy` applies to: one method, every method of a service, or every
/// method of the channel (gRPC service config's method `name` entries). The most specific wins.
public struct MethodSelector: Sendable, Hashable {
    /// nil: every service.
    public var service: String?
    /// nil: every method of `service`.
    public var method: String?

    public init(service: String?, method: String? = nil) {
        precondition(service != nil || method == nil, "a method selector naming a method needs its service")
        self.service = service
        self.method = method
    }

    public static func method(_ descriptor: MethodDescriptor) -> MethodSelector {
        MethodSelector(service: descriptor.service, method: descriptor.method)
    }

    public static func service(_ name: String) -> MethodSelector { MethodSelector(service: name) }

    /// Every method of the channel.
    public static let all = MethodSelector(service: nil)
}

/// How a failed call is tried again (gRPC retry design, proposal A6): up to `maxAttempts`
/// attempts in all, the n-th retry after a random wait in 0...min(initialBackoff ×
/// backoffMultiplier^(n-1), maxBackoff), only for `retryableStatusCodes`, and only while the
/// call is not committed (no response headers yet; for calls that stream requests, no more
/// than `Channel.Configuration.retryBufferSize` bytes sent). A server's
/// `grpc-retry-pushback-ms` trailer replaces the wait (or, when not a valid number, stops retrying).
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first one included: 2...5 (gRPC caps larger values at 5).
    public var maxAttempts: Int
    /// The upper bound of the random wait before the first retry.
    public var initialBackoff: Duration
    /// The largest upper bound of a wait.
    public var maxBackoff: Duration
    /// How much the upper bound grows per retry.
    public var backoffMultiplier: Double
    /// The status codes that are retried (any other ends the call).
    public var retryableStatusCodes: Set<StatusCode>

    public init(maxAttempts: Int, initialBackoff: Duration, maxBackoff: Duration, backoffMultiplier: Double,
                retryableStatusCodes: Set<StatusCode>) {
        precondition(maxAttempts >= 2, "a retry policy needs maxAttempts >= 2")
        precondition(initialBackoff > .zero && maxBackoff > .zero && backoffMultiplier > 0,
                     "a retry policy needs initialBackoff, maxBackoff and backoffMultiplier above zero")
        precondition(!retryableStatusCodes.isEmpty && !retryableStatusCodes.contains(.ok),
                     "a retry policy needs retryable status codes (OK is not one)")
        self.maxAttempts = min(maxAttempts, 5)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.backoffMultiplier = backoffMultiplier
        self.retryableStatusCodes = retryableStatusCodes
    }
}

extension Channel.Configuration {
    /// The retry policy for `descriptor`: its method's, else its service's, else the channel-wide one.
    func retryPolicy(for descriptor: MethodDescriptor) -> RetryPolicy? {
        guard !retryPolicies.isEmpty else { return nil }
        return retryPolicies[.method(descriptor)] ?? retryPolicies[.service(descriptor.service)] ?? retryPolicies[.all]
    }
}
