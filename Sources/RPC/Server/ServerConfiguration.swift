extension Server {
    /// Everything tunable about a server. The defaults follow gRPC's.
    public struct Configuration: Sendable {
        /// Where to listen. Port 0 picks a free port (read it back from `Server.start()`).
        public var address: SocketAddress
        /// Event loop threads; nil means one per core.
        public var loopCount: Int?
        /// Largest request message accepted, after decompression (larger ones end the call with
        /// RESOURCE_EXHAUSTED; a prefix announcing more is refused as soon as it arrives).
        /// Values above 4 GiB - 1 (the most the 32-bit length prefix can say) act as that.
        public var maxReceiveMessageSize = 4 << 20
        /// Largest response message a handler may send (after compression); clamped like
        /// `maxReceiveMessageSize`.
        public var maxSendMessageSize = Int(Int32.max)
        /// Bytes one connection may hold for its peer: request bytes received and not yet
        /// taken by a handler (queued messages, at their wire size plus 64 bytes each for
        /// holding them, or partly received ones, with the storage reserved ahead for them)
        /// and response bytes waiting for the peer's flow-control window or for the socket.
        /// When it is spent, the connection stops reading from its socket and starts no new
        /// handler, and streaming writers suspend, until memory is freed; partly received
        /// messages are dropped first (their calls end with RESOURCE_EXHAUSTED), since they
        /// cannot complete while nothing is read. Keep it above `connectionWindowSize` and
        /// `maxReceiveMessageSize`: a budget of at least `maxReceiveMessageSize` always takes
        /// one message of that size whole (the limit applied is this plus the message's 5-byte
        /// prefix and 64 bytes of queue overhead and, with TLS, the connection's two 64 KiB
        /// ciphertext buffers, which are charged to it).
        public var connectionMemoryBudget = 64 << 20
        /// The same for all connections of the server together.
        public var serverMemoryBudget = 1 << 30
        /// What each connection may hold even while `serverMemoryBudget` is spent, so that
        /// connections holding partly received messages cannot stall one that holds nothing:
        /// it still reads and serves calls up to this much. The server holds at most
        /// `serverMemoryBudget` plus this much per open connection (capped at
        /// `connectionMemoryBudget`).
        public var connectionMemoryFloor = 256 << 10
        /// Connections open at once; nil (the default) allows 90% of the process's descriptor
        /// limit (RLIMIT_NOFILE), leaving the rest for everything else. A connection beyond
        /// it is accepted, told GOAWAY (REFUSED_STREAM, "too many connections") and closed,
        /// so its client sees UNAVAILABLE at once instead of a hang.
        public var maxConnections: Int?
        /// How long a new connection may take to send the HTTP/2 preface and its first
        /// SETTINGS before it is closed (a connection that sends nothing would otherwise hold
        /// a descriptor forever). gRPC core allows 120 s; 20 s is plenty on any real network.
        public var handshakeTimeout: Duration = .seconds(20)
        /// A connection without calls for this long is sent GOAWAY and closed (gRPC's
        /// `max_connection_idle`); nil (the default, as in gRPC) never closes idle ones.
        public var maxConnectionIdle: Duration?
        /// A connection older than this is sent GOAWAY (gRPC's `max_connection_age`): it takes
        /// no new calls and closes when its calls are done; nil (the default) never.
        public var maxConnectionAge: Duration?
        /// After `maxConnectionAge`, how long calls in flight may still run before they are
        /// cancelled and the connection closed (gRPC's `max_connection_age_grace`); nil waits
        /// for them however long they take.
        public var maxConnectionAgeGrace: Duration?
        /// SETTINGS_MAX_CONCURRENT_STREAMS advertised to clients.
        public var maxConcurrentStreams = 4096
        /// Per-stream receive window (SETTINGS_INITIAL_WINDOW_SIZE).
        public var initialStreamWindowSize = 1 << 20
        /// Connection receive window.
        public var connectionWindowSize = 16 << 20
        /// Unread request bytes per call above which the window stays closed (backpressure).
        public var requestBufferHighWater = 1 << 20
        /// Unsent response bytes per call above which `ResponseWriter.write` suspends.
        public var responseBufferHighWater = 256 << 10
        /// How long `shutdown` lets calls in flight finish before cancelling them.
        public var shutdownGracePeriod: Duration = .seconds(10)
        /// Keepalive policy enforced on clients' pings.
        public var keepalive = Keepalive()
        /// Rapid-reset guard: streams the client resets before a response, per second (after a
        /// burst of as many), before GOAWAY ENHANCE_YOUR_CALM.
        public var maxEarlyResetsPerSecond = 1000
        /// Streams the server refuses or resets because of the client, per second (after a
        /// burst of as many), before GOAWAY ENHANCE_YOUR_CALM: REFUSED_STREAM when a limit is
        /// reached (`connectionHeaderBytesLimit`, `serverHeaderBytesLimit`, concurrent streams
        /// over `maxConcurrentStreams` before the client acknowledged it), and streams reset
        /// for the client's errors (malformed request headers, headers over
        /// `maxHeaderListSize`, DATA beyond the request's content-length, a WINDOW_UPDATE
        /// past the largest window): every RST_STREAM the server sends with an error code.
        /// Each costs the server work and an RST_STREAM
        /// while the client loses nothing, so a client could otherwise make it do that
        /// forever (the pattern of "rapid reset" and "MadeYouReset"). A client that retries a
        /// few refused calls stays far below it.
        public var maxRefusedStreamsPerSecond = 1000
        /// Largest request header block (HPACK size: name + value + 32 per field); streams
        /// whose headers exceed it are reset. Advertised as SETTINGS_MAX_HEADER_LIST_SIZE.
        public var maxHeaderListSize = 16 << 10
        /// Request header bytes (counted as `maxHeaderListSize` counts them) that one
        /// connection's open streams may hold together: each stream keeps its headers (as
        /// `ServerContext` metadata) until it closes, and a peer could otherwise open
        /// `maxConcurrentStreams` streams of `maxHeaderListSize` each and never send a message.
        /// A new stream whose headers would go past it is refused at once with RST_STREAM
        /// REFUSED_STREAM (nothing of it was processed, so the client may retry it; its headers
        /// are dropped as they arrive). The bytes are given back when the stream closes. Not
        /// part of `connectionMemoryBudget`: a spent budget stops starting handlers, and only
        /// running them frees their headers. The default, 4 MiB, holds 256 header blocks of
        /// the largest size, or several times `maxConcurrentStreams` usual ones (a few hundred
        /// bytes each). Values below `maxHeaderListSize` act as that, so one stream of the
        /// largest size accepted is always served.
        public var connectionHeaderBytesLimit = 4 << 20
        /// The same for all connections of the server together. Each connection may still
        /// hold `maxHeaderListSize` of headers while it is reached, so connections that fill it
        /// cannot stop another from being served; the server holds at most this plus that much
        /// per open connection.
        public var serverHeaderBytesLimit = 64 << 20
        /// SETTINGS frames per second before GOAWAY.
        public var maxSettingsPerSecond = 100
        /// Where handler tasks run: on the connection's event loop thread (the default and the
        /// fastest: no thread hop per call, but a handler that blocks stalls its connection's
        /// loop) or on Swift's global concurrent executor (for handlers that block on I/O or
        /// compute for long).
        public var handlerExecutor: HandlerExecutor = .eventLoop
        /// Decides once per accepted connection, from its peer's credentials (nil unless the
        /// server listens on a Unix socket), whether its calls are admitted; the verdict is
        /// `ServerContext.peerAdmitted` of every call on that connection. Runs on the event
        /// loop at accept time, so it must be quick. nil admits everyone.
        public var admitsPeer: (@Sendable (PeerCredentials?) -> Bool)?
        /// Serve TLS (ALPN h2, optionally mutual) with this certificate; nil (the default)
        /// serves plaintext HTTP/2 and costs nothing. `handshakeTimeout` covers the TLS
        /// handshake too.
        public var tls: ServerTLSConfiguration?

        public init(address: SocketAddress) {
            self.address = address
        }
    }

    /// Where handler tasks run (see `Configuration.handlerExecutor`).
    public enum HandlerExecutor: Sendable, Hashable {
        case eventLoop
        case globalConcurrentExecutor
    }

    /// Server keepalive: what clients' PINGs must respect (gRPC `too_many_pings` policy), and
    /// the server's own pings to detect dead clients.
    public struct Keepalive: Sendable {
        /// Pings arriving closer together than this earn a strike (unless we sent data between).
        public var minPingInterval: Duration = .seconds(300)
        /// The interval without calls in flight (when `permitWithoutCalls` is false).
        public var minPingIntervalWithoutCalls: Duration = .seconds(7200)
        public var permitWithoutCalls = false
        /// Strikes tolerated before GOAWAY ENHANCE_YOUR_CALM "too_many_pings".
        public var maxPingStrikes = 2
        /// How often the server pings an idle connection (gRPC default: 2 hours).
        public var pingInterval: Duration = .seconds(7200)
        /// How long to wait for the ping's ACK before closing (gRPC default: 20 seconds).
        public var pingTimeout: Duration = .seconds(20)

        public init() {}
    }
}
