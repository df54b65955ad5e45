extension Channel {
    /// Everything tunable about a channel.
    public struct Configuration: Sendable {
        /// The server to connect to.
        public var target: SocketAddress
        /// The `:authority` sent with each call; defaults to the target's host:port.
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
        /// (queued and partly received messages, at their wire size). When it is spent the
        /// connection stops reading from its socket and withholds the server's window until
        /// calls take their messages, so a server cannot grow the client's memory without
        /// bound, whatever the calls do. Keep it above `connectionWindowSize` and
        /// `maxReceiveMessageSize`.
        public var connectionMemoryBudget = 64 << 20
        /// Unsent request bytes per call above which `RequestWriter.write` suspends.
        public var requestBufferHighWater = 256 << 10
        /// How long a connection attempt may take.
        public var connectTimeout: Duration = .seconds(20)
        /// Client keepalive pings (off by default, like gRPC).
        public var keepalive = Keepalive()
        /// `user-agent` header.
        public var userAgent = "swift-wire-rpc/0.1"
        /// Connect with TLS (ALPN h2, server verified); nil (the default) speaks plaintext HTTP/2.
        public var tls: ClientTLSConfiguration?

        public init(target: SocketAddress) {
            self.target = target
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
