import RPC

/// What `bench load` (and each `bench rpc` workload) runs.
public struct LoadSettings: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        /// Unary calls, `concurrency` outstanding at all times.
        case unary
        /// Bidi ping-pong on `concurrency` streams: the next request goes out when the response arrives.
        case stream
    }

    /// Where the workers' tasks run.
    public enum Tasks: String, Sendable, CaseIterable {
        /// On Swift's global concurrent pool: every call crosses to the loop thread and back.
        case pool
        /// On their channel's event loop (`withTaskExecutorPreference(channel.eventLoop)`): no
        /// thread hop between a call and its connection (fewer instructions per call, but on
        /// a busy machine unary ×64 measured slower than `pool`; ping-pong streams faster).
        case loop
    }

    public var target: SocketAddress
    public var mode: Mode
    public var concurrency: Int
    public var connections: Int
    public var requestSize: Int
    public var responseSize: Int
    /// Seconds measured, after `warmup` seconds whose calls are not counted.
    public var duration: Double
    public var warmup: Double
    /// Client event loop threads shared by all connections.
    public var loops: Int
    /// Connect with TLS (nil: plaintext).
    public var tls: ClientTLSConfiguration?
    public var tasks: Tasks

    public init(target: SocketAddress, mode: Mode, concurrency: Int = 1, connections: Int = 1, requestSize: Int = 0,
                responseSize: Int = 0, duration: Double = 10, warmup: Double = 2, loops: Int = 1,
                tls: ClientTLSConfiguration? = nil, tasks: Tasks = .pool) {
        self.target = target
        self.mode = mode
        self.concurrency = concurrency
        self.connections = connections
        self.requestSize = requestSize
        self.responseSize = responseSize
        self.duration = duration
        self.warmup = warmup
        self.loops = loops
        self.tls = tls
        self.tasks = tasks
    }

    /// Rejects settings that would make the run meaningless or unbounded.
    public func validate() throws(LoadSettingsError) {
        guard (1...100_000).contains(concurrency) else { throw .invalid("--concurrency must be in 1...100000") }
        guard (1...1024).contains(connections) else { throw .invalid("--connections must be in 1...1024") }
        guard (0...(1 << 30)).contains(requestSize), (0...(1 << 30)).contains(responseSize) else {
            throw .invalid("--req-size and --resp-size must be in 0...1 GiB")
        }
        guard duration > 0, duration <= 3600, warmup >= 0, warmup <= 600 else {
            throw .invalid("--duration must be in (0, 3600] and --warmup in [0, 600]")
        }
        guard (1...64).contains(loops) else { throw .invalid("--loops must be in 1...64") }
    }
}

public enum LoadSettingsError: Error, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let message): message
        }
    }
}
