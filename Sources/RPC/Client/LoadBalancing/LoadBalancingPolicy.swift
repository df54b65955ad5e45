/// How a channel spreads calls over the addresses its target resolves to (gRPC `doc/load-balancing.md`).
public enum LoadBalancingPolicy: Sendable, Hashable {
    /// Connects to the addresses in order and sends every call to the first that connects;
    /// when that connection is lost, starts again from the first address.
    case pickFirst
    /// Connects to every address and sends each call to the next ready one in turn; a lost
    /// connection is re-established at once (then per the connection backoff).
    case roundRobin
}
