extension Channel {
    /// Everything tunable about a channel.
    public struct Configuration: Sendable {
        /// What to connect to: fixed addresses or a DNS name (see `ChannelTarget`).
        public var channelTarget: ChannelTarget
        /// The target as one address: the first fixed address, or for a DNS target its name
        /// and port as given (unresolved). Setting it makes the channel use that one address.
        public var target: SocketAddress {
            get {
                switch channelTarget.kind {
                case .addresses(let addresses): addresses[0]
                case .dns(let host, let port): host.contains(":") ? .ipv6(host: host, port: port) : .ipv4(host: host, port: port)
                }
            }
            set { channelTarget = .address(newValue) }
        }
        /// How calls are spread over the target's addresses.
        public var loadBalancingPolicy = LoadBalancingPolicy.pickFirst
        /// Waits between connection attempts after failures (gRPC's connection backoff).
        public var connectionBackoff = ConnectionBackoff()
        /// When a DNS target is resolved again.
        public var nameResolution = NameResolution()
        /// Retry policies by method (`MethodSelector`); calls of other methods are not retried
        /// (apart from gRPC's transparent retry of a call the server never saw).
        public var retryPolicies: [MethodSelector: RetryPolicy] = [:]
        /// Stops retries while too many calls fail (gRPC's retry throttling); nil: no throttle.
        public var retryThrottle: RetryThrottle.Configuration?
        /// Request bytes a retryable call keeps for replaying on a new attempt; a call that
        /// sends more is committed to its current attempt (no more retries).
        public var retryBufferSize = 256 << 10
        /// The `:authority` sent with each call; defaults to `tls.serverNameOverride` when set,
        /// else the target's host:port.
        public var authority: String?
        /// Largest response message accepted (default 4 MiB, like gRPC).
        public var maxReceiveMessageSize = 4 << 20
        /// Largest request message sent.
        public var maxSendMessageSize = Int(Int32.max)
        /// Per-stream receive window we advertise.
        public var initialStreamWindowSize = 1 << 20
        /// Connection receive window.
        public var connectionWindowSize = 16 << 20
        /// Unread response bytes per call above which the window stays closed.
        public var responseBufferHighWater = 1 << 20
        /// Response bytes the connection may hold for calls that have not taken them
        /// (queued messages at their wire size plus 64 bytes each for holding them, partly
        /// received ones with the storage reserved ahead for them), and frames waiting for the
        /// socket. When it is spent the connection stops reading from its socket and withholds
        /// the server's window until calls take their messages, so a server cannot grow the
        /// client's memory without bound, whatever the calls do. Keep it above
        /// `connectionWindowSize` and `maxReceiveMessageSize`: a budget of at least
        /// `maxReceiveMessageSize` always takes one message of that size whole (the limit
        /// applied is this plus the message's 5-byte prefix and 64 bytes of queue overhead
        /// and, with TLS, the connection's two 64 KiB ciphertext buffers, which are charged
        /// to it).
        public var connectionMemoryBudget = 64 << 20
        /// Unsent request bytes per call above which `RequestWriter.write` suspends.
        public var requestBufferHighWater = 256 << 10
        /// How long a connection attempt may take at least (gRPC's MIN_CONNECT_TIMEOUT; attempts
        /// after failures also get at least the backoff that preceded them).
        public var connectTimeout: Duration = .seconds(20)
        /// Client keepalive pings (off by default, like gRPC).
        public var keepalive = Keepalive()
        /// `user-agent` header.
        public var userAgent = "swift-wire-rpc/0.1"
        /// Connect with TLS (ALPN h2, server verified); nil (the default) speaks plaintext HTTP/2.
        public var tls: ClientTLSConfiguration?
        /// Calls the channel holds while no connection is READY (wait-for-ready calls, and
        /// fail-fast ones before the first attempt fails). A call beyond it fails at once with
        /// RESOURCE_EXHAUSTED instead of waiting, so a channel whose servers are down cannot
        /// gather calls (and their request bytes) without bound.
        public var maxWaitingCalls = 10_000

        public init(target: SocketAddress) {
            self.channelTarget = .address(target)
        }

        public init(target: ChannelTarget) {
            self.channelTarget = target
        }

        /// Parses a gRPC target string (`dns:///host:port`, `ipv4:…`, `ipv6:…`, `unix:…`, `host:port`).
        public init(target: String) throws(ChannelTargetError) {
            self.channelTarget = try ChannelTarget(parsing: target)
        }
    }

    /// Client keepalive: ping every `interval` and drop the connection when an ACK takes
    /// longer than `timeout`. Servers limit how often they accept pings (see `Server.Keepalive`).
    public struct Keepalive: Sendable {
        /// nil disables keepalive pings (the gRPC default for clients).
        public var interval: Duration?
        public var timeout: Duration = .seconds(20)
        /// Ping even when no call is in flight.
        public var permitWithoutCalls = false

        public init(interval: Duration? = nil, timeout: Duration = .seconds(20), permitWithoutCalls: Bool = false) {
            self.interval = interval
            self.timeout = timeout
            self.permitWithoutCalls = permitWithoutCalls
        }
    }
}
