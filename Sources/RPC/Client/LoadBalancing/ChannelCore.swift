import Synchronization

/// The channel's connectivity state, written on the loop and readable from any thread.
final class PublishedConnectivity: Sendable {
    private let value = Mutex(ConnectivityState.idle)
    var current: ConnectivityState { value.withLock { $0 } }
    /// Stores `state`; true when it differs from before.
    func update(_ state: ConnectivityState) -> Bool {
        value.withLock { value in
            defer { value = state }
            return value != state
        }
    }
}

/// The loop-side heart of a `Channel`: resolves the target, runs the load balancer over the
/// resulting subchannels, holds calls that wait for a READY connection, and publishes the
/// channel's connectivity state. Loop-confined.
final class ChannelCore {
    /// A call waiting for a connection.
    private struct PendingCall {
        let stream: ClientStream
        let headers: HeaderBlock
        let deadline: MonotonicTime?
        let waitForReady: Bool
        let timer: TimerID?
    }

    private enum Lifecycle {
        /// Nothing resolved or connected yet; the first call starts both.
        case idle
        case active(NameResolver, LoadBalancer)
        case shutdown
    }

    private let loop: EventLoop
    private let target: ChannelTarget
    private let policy: LoadBalancingPolicy
    private let connector: SubchannelConnector
    private let resolution: NameResolution
    /// Held calls beyond this fail at once (`Channel.Configuration.maxWaitingCalls`).
    private let maxWaitingCalls: Int
    private var lifecycle = Lifecycle.idle
    private var pending: [UInt64: PendingCall] = [:]
    private var nextPendingID: UInt64 = 0
    /// Held calls cancelled meanwhile are swept out when the queue reaches this size, so
    /// it stays within twice the calls really waiting.
    private var sweepAt = 64
    /// A failed lookup while no address is known.
    private var resolutionError: RPCError?
    private var observers: [UInt64: AsyncStream<ConnectivityState>.Continuation] = [:]
    private var nextObserverID: UInt64 = 0
    /// The state, readable from any thread.
    let published: PublishedConnectivity

    init(loop: EventLoop, target: ChannelTarget, policy: LoadBalancingPolicy, resolution: NameResolution,
         maxWaitingCalls: Int, connector: SubchannelConnector, published: PublishedConnectivity) {
        self.loop = loop
        self.maxWaitingCalls = maxWaitingCalls
        self.target = target
        self.policy = policy
        self.resolution = resolution
        self.connector = connector
        self.published = published
    }

    var state: ConnectivityState {
        switch lifecycle {
        case .idle: .idle
        case .shutdown: .shutdown
        case .active(_, let balancer):
            resolutionError != nil && balancer.addresses.isEmpty ? .transientFailure : balancer.state
        }
    }

    // MARK: Calls

    /// Starts `stream` on a READY connection, or holds it until one is: a fail-fast call fails
    /// at once in TRANSIENT_FAILURE, a wait-for-ready call waits (both until their deadline).
    func startCall(_ stream: ClientStream, headers: HeaderBlock, timeout: Duration?, waitForReady: Bool,
                   onlyRequest: FramedPayload? = nil) {
        stream.dispatched(by: self, ClientStream.Dispatch(headers: headers, deadline: timeout.map { MonotonicTime.now().adding($0) },
                                                          waitForReady: waitForReady, onlyRequest: onlyRequest))
        dispatch(stream, headers: headers, timeout: timeout, waitForReady: waitForReady)
    }

    /// Takes back a call the server never saw (its connection drained or closed before sending
    /// it, or GOAWAY refused it unprocessed) and starts it again once the connection's own
    /// transition is done. False when the channel is closed.
    func resend(_ stream: ClientStream) -> Bool {
        guard case .active = lifecycle else { return false }
        loop.executeLater { [self] in
            guard let dispatch = stream.dispatch else { return }
            self.dispatch(stream, headers: dispatch.headers, timeout: dispatch.deadline.map { $0.remaining() },
                          waitForReady: dispatch.waitForReady)
        }
        return true
    }

    private func dispatch(_ stream: ClientStream, headers: HeaderBlock, timeout: Duration?, waitForReady: Bool) {
        guard !stream.finished else { return }
        let balancer: LoadBalancer
        switch lifecycle {
        case .shutdown:
            stream.connectionClosed(RPCError(code: .unavailable, message: "the channel is closed"))
            return
        case .idle:
            balancer = activate()
        case .active(_, let active):
            balancer = active
        }
        if let connection = balancer.pick() {
            connection.startCall(stream, headers: headers, timeout: timeout)
            return
        }
        if state == .transientFailure && !waitForReady {
            failFast(stream)
            return
        }
        balancer.exitIdle()
        hold(stream, headers: headers, deadline: timeout.map { MonotonicTime.now().adding($0) }, waitForReady: waitForReady)
    }

    /// Fails a fail-fast call with the channel's failure. Not as an unprocessed call: a
    /// transparent retry would only meet the same state (and, when it runs late, name a later
    /// attempt's failure instead of the one the call saw).
    private func failFast(_ stream: ClientStream) {
        let error = failFastError
        stream.cancel(code: error.code, message: error.message)
    }

    private var failFastError: RPCError {
        var error = resolutionError ?? activeBalancer?.lastError
            ?? RPCError(code: .unavailable, message: "no connection to \(target) is ready")
        error.code = .unavailable
        return error
    }

    private var activeBalancer: LoadBalancer? {
        if case .active(_, let balancer) = lifecycle { return balancer }
        return nil
    }

    private func hold(_ stream: ClientStream, headers: HeaderBlock, deadline: MonotonicTime?, waitForReady: Bool) {
        if pending.count >= sweepAt || pending.count >= maxWaitingCalls {
            for (id, call) in pending where call.stream.finished { release(id) }
            sweepAt = max(64, pending.count * 2)
        }
        guard pending.count < maxWaitingCalls else {
            // Not as an unprocessed call: a transparent retry would only meet the same full queue.
            stream.cancel(code: .resourceExhausted,
                          message: "the channel already holds \(pending.count) calls waiting for a connection to \(target) "
                              + "(\(state); maxWaitingCalls)")
            return
        }
        let id = nextPendingID
        nextPendingID += 1
        let timer = deadline.map { deadline in
            loop.scheduleTimer(at: deadline) { [weak self] in
                guard let self, let call = self.pending.removeValue(forKey: id) else { return }
                call.stream.cancel(code: .deadlineExceeded,
                                   message: "the deadline was exceeded while waiting for a connection to \(self.target) (\(self.state))")
            }
        }
        pending[id] = PendingCall(stream: stream, headers: headers, deadline: deadline, waitForReady: waitForReady, timer: timer)
    }

    /// After any change: dispatch held calls to READY connections, fail fail-fast ones in
    /// TRANSIENT_FAILURE, drop ones cancelled meanwhile, and publish the state.
    private func stateMayHaveChanged() {
        let current = state
        if !pending.isEmpty, let balancer = activeBalancer {
            for id in pending.keys.sorted() {
                guard let call = pending[id] else { continue }
                if call.stream.finished {
                    release(id)
                } else if let connection = balancer.pick() {
                    release(id)
                    connection.startCall(call.stream, headers: call.headers, timeout: call.deadline.map { $0.remaining() })
                } else if current == .transientFailure && !call.waitForReady {
                    release(id)
                    failFast(call.stream)
                } else {
                    break  // nothing READY: the rest wait too
                }
            }
            if !pending.isEmpty && current == .idle { balancer.exitIdle() }
        }
        publish(current)
    }

    private func release(_ id: UInt64) {
        if let timer = pending.removeValue(forKey: id)?.timer { loop.cancelTimer(timer) }
    }

    private func activate() -> LoadBalancer {
        let resolver = NameResolver(target: target, loop: loop, settings: resolution, backoff: connector.backoff)
        let balancer = LoadBalancer(policy: policy, loop: loop, connector: connector)
        lifecycle = .active(resolver, balancer)
        balancer.onChange = { [weak self] in self?.stateMayHaveChanged() }
        balancer.onConnectionFailure = { [weak resolver] in resolver?.requestResolution() }
        resolver.onAddresses = { [weak self, weak balancer] addresses in
            self?.resolutionError = nil
            balancer?.update(addresses: addresses)
            self?.stateMayHaveChanged()
        }
        resolver.onFailure = { [weak self] error in
            self?.resolutionError = error
            self?.stateMayHaveChanged()
        }
        resolver.start()
        return balancer
    }

    // MARK: Shutdown and observation

    /// Closes every connection (calls on them end with CANCELLED) and fails held calls.
    func shutdown() {
        if case .active(let resolver, let balancer) = lifecycle {
            resolver.shutdown()
            balancer.shutdown()
        }
        lifecycle = .shutdown
        let held = pending
        pending = [:]
        for call in held.values {
            if let timer = call.timer { loop.cancelTimer(timer) }
            call.stream.cancel(code: .cancelled, message: "the channel was closed")
        }
        publish(.shutdown)
        for observer in observers.values { observer.finish() }
        observers = [:]
    }

    /// Yields the current state, then every change, until the channel shuts down.
    func observe(_ continuation: AsyncStream<ConnectivityState>.Continuation) {
        continuation.yield(state)
        guard case .shutdown = lifecycle else {
            let id = nextObserverID
            nextObserverID += 1
            observers[id] = continuation
            let core = LoopBound(self, loop: loop)
            continuation.onTermination = { _ in core.execute { $0.observers[id] = nil } }
            return
        }
        continuation.finish()
    }

    private func publish(_ state: ConnectivityState) {
        guard published.update(state) else { return }
        for observer in observers.values { observer.yield(state) }
    }
}
