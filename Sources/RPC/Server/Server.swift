// A gRPC server over HTTP/2 (nghttp2) on our own epoll event loops.
//
// Minimal usage with Wire messages (generated `.rpc.swift` code builds the same method table
// from a service protocol you implement):
//
//     import RPC
//     import Wire
//
//     struct Greeter: RPCService {
//         static let sayHello = MethodDescriptor(service: "demo.Greeter", method: "SayHello")
//
//         var methods: [ServerMethod] {
//             [
//                 .unary(Self.sayHello) { (request: Demo_HelloRequest, context: ServerContext) in
//                     var reply = Demo_HelloReply()
//                     reply.message = "Hello \(request.name)"
//                     return reply
//                 },
//             ]
//         }
//     }
//
//     let server = Server(configuration: .init(address: .ipv4(host: "127.0.0.1", port: 50051)),
//                         services: [Greeter()])
//     // or: services registered one by one before start (e.g. by code that only sees the server):
//     //     server.register(Greeter())
//     let address = try await server.start()     // the bound address (port 0 picks a free one)
//     // ... later:
//     await server.shutdown()                    // GOAWAY, let calls finish (grace period), stop
//
// Or run it in a swift-service-lifecycle `ServiceGroup` (it is a `Service`): `run()` starts it
// and returns after a graceful shutdown triggered by the group (e.g. on SIGTERM).
//
// Handler shapes (`ServerMethod` factories; the same exist with explicit serializer/deserializer
// for non-Wire messages):
//   unary                  (Request, ServerContext) async throws -> Response
//   clientStreaming        (RequestStream<Request>, ServerContext) async throws -> Response
//   serverStreaming        (Request, ResponseWriter<Response>, ServerContext) async throws -> Void
//   bidirectionalStreaming (RequestStream<Request>, ResponseWriter<Response>, ServerContext) async throws -> Void
// Throw `RPCError(code:message:metadata:)` to end a call with a status; deadlines and client
// cancellation cancel the handler's task.
//
// By default handlers run on their connection's event loop thread (no thread hop per call).
// Handlers that block (synchronous I/O, long computations) should run elsewhere: set
// `configuration.handlerExecutor = .globalConcurrentExecutor`.

import Glibc
import Logging
import ServiceLifecycle
import Synchronization

/// A gRPC server: listens on one address, routes calls by `:path` to registered methods.
public final class Server: Service, Sendable {
    public let configuration: Configuration
    private let interceptors: [any ServerInterceptor]
    /// Methods registered so far; frozen (copied into the `ServerRuntime`) by `start()`.
    private let registration = Mutex<Registration>(Registration())
    private let liveStreams = LiveCounter()
    private let providedGroup: EventLoopGroup?
    private let registry = ConnectionRegistry()
    private let logger: Logger
    private let state = Mutex<LifecycleState>(.idle)

    private enum LifecycleState {
        case idle
        case starting
        case running(Running)
        case stopping
        case stopped
    }

    private struct Registration {
        var methods: [String: ServerMethod] = [:]
        /// Set when a start claims the table; cleared again if that start fails.
        var frozen = false
    }

    private struct Running: @unchecked Sendable {
        // Listener is loop-confined; only touched through `listenerLoop.execute`.
        let listener: LoopBound<Listener>
        let group: EventLoopGroup
        let ownsGroup: Bool
        let address: SocketAddress
        let runtime: ServerRuntime
    }

    private let stopWaiters = Mutex<[CheckedContinuation<Void, Never>]>([])

    /// Creates a server hosting `services` (more can be added with `register(_:)` before
    /// `start()`). Nothing is bound until `start()` or `run()`.
    /// - Parameters:
    ///   - group: loops to run connections on; by default the server starts its own
    ///     (`configuration.loopCount` threads, one per core) and stops them on shutdown.
    ///   - interceptors: run around every call, first one outermost.
    public init(configuration: Configuration, services: [any RPCService] = [], interceptors: [any ServerInterceptor] = [],
                group: EventLoopGroup? = nil, logger: Logger = Logger(label: "rpc.server")) {
        self.configuration = configuration
        self.interceptors = interceptors
        self.providedGroup = group
        self.logger = logger
        register(contentsOf: services)
    }

    /// Adds `service`'s methods to the routing table (a method path registered twice: the
    /// later registration wins).
    ///
    /// Only before `start()`/`run()`: the table is frozen when the server starts so that routing
    /// a call needs no lock. Registering on a started (or stopped) server is a programming error
    /// and stops the process with a precondition failure naming the service's methods, rather
    /// than silently serving a table that lacks them.
    public func register(_ service: any RPCService) {
        let methods = service.methods
        registration.withLock { registration in
            precondition(
                !registration.frozen,
                "RPC.Server.register called after start(): \(methods.map(\.descriptor.path)) would never be served")
            for method in methods { registration.methods[method.descriptor.path] = method }
        }
    }

    /// Registers each of `services` in order (see `register(_:)`).
    public func register(contentsOf services: [any RPCService]) {
        for service in services { register(service) }
    }

    /// Paths of the registered methods (sorted), e.g. `/demo.Greeter/SayHello`.
    public var registeredMethodPaths: [String] {
        registration.withLock { $0.methods.keys.sorted() }
    }

    /// Connections open now / accepted since start (for tests and diagnostics).
    var openConnectionCount: Int { registry.count }
    var acceptedConnectionCount: Int { registry.acceptedTotal }
    var liveStreamCount: Int { liveStreams.value }
    /// The open connections (each only to be touched on its loop).
    var connections: [LoopBound<ServerConnection>] { registry.all }

    /// Bytes the server holds for its peers now (its memory budget's use), nil when not running.
    package var heldMemoryBytes: Int? {
        state.withLock { state in
            if case .running(let running) = state { return running.runtime.memoryBudget.usedBytes }
            return nil
        }
    }

    /// Request header bytes the server's open streams hold now, nil when not running.
    package var heldHeaderBytes: Int? {
        state.withLock { state in
            if case .running(let running) = state { return running.runtime.headerBudget.usedBytes }
            return nil
        }
    }

    /// The bound address while running.
    public var address: SocketAddress? {
        state.withLock { state in
            if case .running(let running) = state { return running.address }
            return nil
        }
    }

    /// Binds, starts accepting, and returns the bound address (with the real port when 0 was asked).
    @discardableResult
    public func start() async throws -> SocketAddress {
        // Loaded first: a certificate that does not load leaves the server as it was.
        let tls = try configuration.tls.map { try ReloadingTLSContext.server($0, logger: logger) }
        let claimed = state.withLock { state -> Bool in
            guard case .idle = state else { return false }
            state = .starting
            return true
        }
        guard claimed else { throw RPCError(code: .failedPrecondition, message: "the server was already started") }
        let methods = registration.withLock { registration in
            registration.frozen = true
            return registration.methods
        }
        let runtime = ServerRuntime(
            configuration: configuration, methods: methods, interceptors: interceptors, logger: logger, liveStreams: liveStreams,
            tls: tls)
        let ownsGroup = providedGroup == nil
        var createdGroup: EventLoopGroup?
        do {
            let group = try providedGroup ?? EventLoopGroup(loopCount: configuration.loopCount ?? EventLoopGroup.coreCount, name: "rpc-server")
            if ownsGroup { createdGroup = group }
            let (socket, bound) = try Socket.listen(on: configuration.address)
            let listenLoop = group.loops[0]
            let registry = self.registry
            let logger = self.logger
            let maxConnections = Self.effectiveMaxConnections(configuration.maxConnections)
            let listener = try await listenLoop.submit { () throws -> LoopBound<Listener> in
                let listener = Listener(socket: socket, address: bound, loop: listenLoop, group: group, logger: logger) { accepted, loop in
                    if registry.count >= maxConnections {
                        logger.warning("refusing a connection: too many connections", metadata: ["limit": "\(maxConnections)"])
                        ConnectionRefusal.refuse(accepted, reason: "too many connections")
                        return
                    }
                    let queued = loop.execute {
                        Server.adopt(accepted, loop: loop, runtime: runtime, registry: registry, logger: logger)
                    }
                    // The loop stopped (the server is shutting down): nobody will own it.
                    if !queued { accepted.close() }
                }
                do {
                    try listener.start()
                } catch {
                    listener.close()
                    throw error
                }
                return LoopBound(listener, loop: listenLoop)
            }
            state.withLock { $0 = .running(Running(listener: listener, group: group, ownsGroup: ownsGroup, address: bound, runtime: runtime)) }
            logger.info("server listening", metadata: ["address": "\(bound)"])
            return bound
        } catch {
            createdGroup?.shutdown()
            // A failed start leaves the server idle, so registering stays allowed.
            registration.withLock { $0.frozen = false }
            state.withLock { $0 = .idle }
            throw error
        }
    }

    /// `Configuration.maxConnections`, or 90% of the descriptor limit when it is nil.
    static func effectiveMaxConnections(_ configured: Int?) -> Int {
        if let configured { return max(0, configured) }
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return Int.max }
        return max(1, Int(clamping: limit.rlim_cur) / 10 * 9)
    }

    /// Creates the connection for an accepted socket on its loop. The socket has exactly one
    /// owner at any time: this function until the connection exists, then the connection,
    /// whose `close` (also on a failed start) closes it and leaves the registry.
    static func adopt(_ socket: Socket, loop: EventLoop, runtime: ServerRuntime, registry: ConnectionRegistry, logger: Logger) {
        let idBox = IDBox()
        let connection: ServerConnection
        do {
            connection = try ServerConnection(loop: loop, socket: socket, runtime: runtime) {
                registry.remove(idBox.id)
            }
        } catch {
            logger.error("could not set up an accepted connection", metadata: ["error": "\(error)"])
            socket.close()
            return
        }
        idBox.id = registry.add(LoopBound(connection, loop: loop))
        do {
            try connection.start()
        } catch {
            logger.error("could not start an accepted connection", metadata: ["error": "\(error)"])
            connection.close(error: RPCError(code: .unavailable, message: "could not start the connection: \(error)"))
        }
    }

    /// Graceful shutdown: stop accepting, two-step GOAWAY on every connection, let calls in
    /// flight finish for up to `configuration.shutdownGracePeriod`, then cancel what is left and
    /// stop the loops the server owns. Safe to call more than once.
    public func shutdown() async {
        // A start in progress finishes first (bounded: binding takes milliseconds).
        for _ in 0..<500 {
            let starting = state.withLock { state -> Bool in
                if case .starting = state { return true }
                return false
            }
            if !starting { break }
            try? await Task.sleep(for: .milliseconds(10))
        }
        let running = state.withLock { state -> Running? in
            guard case .running(let running) = state else { return nil }
            state = .stopping
            return running
        }
        guard let running else {
            // Not running (or already stopping): wait for a stop in progress, if any.
            let stopping = state.withLock { state -> Bool in
                if case .stopping = state { return true }
                return false
            }
            if stopping { await waitUntilStopped() }
            return
        }
        let grace = configuration.shutdownGracePeriod
        // Waits for the close on the listener's loop, so that when shutdown() returns the port
        // (or socket path) is free again and no new connection can arrive (callers such as the
        // plugin host check for leaked ports right after).
        let listener = running.listener
        _ = try? await listener.loop.submit { listener.valueOnLoop.close() }
        // A connection accepted just before the close may still be on its way to its loop
        // (adoption is queued there). One no-op round trip per loop (FIFO) lets every queued
        // adoption register first, so the snapshot below misses none and shutdown returns only
        // once every connection is gone.
        for loop in running.group.loops {
            _ = try? await loop.submit {}
        }
        for connection in registry.all {
            connection.execute { $0.beginGracefulShutdown(gracePeriod: grace) }
        }
        await registry.waitUntilEmpty()
        // Every connection is closed, so every handler was cancelled; the loops stop only
        // after the last one returned (its jobs may still need its loop).
        await running.runtime.handlerTasks.waitUntilNoneRunning()
        if running.ownsGroup {
            // Joining a loop thread from itself would deadlock (a handler running on the loop
            // may call shutdown()), so then the join happens off the loop.
            if running.group.loops.contains(where: { $0.inEventLoop }) {
                let group = running.group
                Task.detached { group.shutdown() }
            } else {
                running.group.shutdown()
            }
        }
        logger.info("server stopped", metadata: ["address": "\(running.address)"])
        state.withLock { $0 = .stopped }
        let waiters = stopWaiters.withLock { waiters in
            let taken = waiters
            waiters = []
            return taken
        }
        for waiter in waiters { waiter.resume() }
    }

    private func waitUntilStopped() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if case .stopped = state { return true }
                stopWaiters.withLock { $0.append(continuation) }
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// `Service` conformance: starts the server (if not started) and runs until a graceful
    /// shutdown is requested (by the `ServiceGroup`) or the task is cancelled.
    public func run() async throws {
        let isIdle = state.withLock { state -> Bool in
            if case .idle = state { return true }
            return false
        }
        if isIdle { try await start() }
        await withTaskCancellationOrGracefulShutdownHandler {
            await self.waitUntilStopped()
        } onCancelOrGracefulShutdown: {
            Task { await self.shutdown() }
        }
    }
}

/// Lets the close callback learn the registry id assigned after the connection exists.
private final class IDBox: @unchecked Sendable {
    // Written once on the loop before any close can happen; read on the same loop.
    var id: UInt64 = 0
}
