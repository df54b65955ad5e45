import Logging

/// What every connection of a server shares: the routing table, interceptors, limits, logger.
final class ServerRuntime: Sendable {
    let configuration: Server.Configuration
    /// What every call reads of `configuration`, copied out once: reading a field through
    /// `configuration` copied the whole struct (retaining each of its references) several
    /// times per call.
    let callLimits: CallLimits
    let methods: [String: ServerMethod]
    let interceptors: [any ServerInterceptor]
    let logger: Logger
    /// Server streams alive now (they must all go away after their calls: leak checks).
    let liveStreams: LiveCounter
    /// Handler tasks running now (shutdown waits for them before stopping the loops).
    let handlerTasks = HandlerTasks()
    /// Everything the server's connections hold for their peers (`Configuration.serverMemoryBudget`).
    let memoryBudget: MemoryBudget
    /// Request header bytes the server's open streams hold (`Configuration.serverHeaderBytesLimit`);
    /// each connection's header budget is part of it.
    let headerBudget: MemoryBudget
    /// The TLS certificate in use (`Configuration.tls`); nil serves plaintext.
    let tls: ReloadingTLSContext?

    /// Made by `Server.start()` with the method table frozen at that moment, so routing a call
    /// reads an immutable dictionary (no lock on the hot path).
    init(configuration: Server.Configuration, methods: [String: ServerMethod], interceptors: [any ServerInterceptor],
         logger: Logger, liveStreams: LiveCounter, tls: ReloadingTLSContext? = nil) {
        self.configuration = configuration
        self.callLimits = CallLimits(configuration)
        self.methods = methods
        self.interceptors = interceptors
        self.logger = logger
        self.liveStreams = liveStreams
        self.memoryBudget = MemoryBudget(limit: configuration.serverMemoryBudget)
        self.headerBudget = MemoryBudget(limit: configuration.serverHeaderBytesLimit)
        self.tls = tls
    }

    /// The per-call settings of a `Server.Configuration`.
    struct CallLimits: Sendable {
        let maxReceiveMessageSize: Int
        let maxSendMessageSize: Int
        let requestBufferHighWater: Int
        let responseBufferHighWater: Int
        /// `handlerExecutor == .eventLoop`: handlers run on their connection's loop.
        let handlersOnLoop: Bool

        init(_ configuration: Server.Configuration) {
            maxReceiveMessageSize = configuration.maxReceiveMessageSize
            maxSendMessageSize = configuration.maxSendMessageSize
            requestBufferHighWater = configuration.requestBufferHighWater
            responseBufferHighWater = configuration.responseBufferHighWater
            handlersOnLoop = configuration.handlerExecutor == .eventLoop
        }
    }

    /// The method's handler wrapped by the interceptors, first interceptor outermost.
    func chain(for method: ServerMethod) -> @Sendable (ServerCall) async throws -> Void {
        var next = method.handler
        for interceptor in interceptors.reversed() {
            let inner = next
            next = { call in try await interceptor.intercept(call, next: inner) }
        }
        return next
    }
}
