/// When name resolution runs again: DNS names are resolved again after connection failures
/// (no sooner than `minimumInterval` after the previous resolution) and every `refreshInterval`.
public struct NameResolution: Sendable, Hashable {
    /// Resolve again this long after each resolution, even when nothing failed.
    public var refreshInterval: Duration
    /// The least time between two resolutions (failures ask for one; they are spaced out).
    public var minimumInterval: Duration

    public init(refreshInterval: Duration = .seconds(300), minimumInterval: Duration = .seconds(30)) {
        self.refreshInterval = refreshInterval
        self.minimumInterval = minimumInterval
    }
}

/// Turns a `ChannelTarget` into addresses for the load balancer: fixed addresses at once,
/// DNS names on a helper thread, again on request (rate-limited), periodically, and after a
/// failed lookup per the connection backoff. Loop-confined.
final class NameResolver {
    private enum State {
        /// Not started yet.
        case idle
        /// A lookup runs on a helper thread; `again` when another was asked for meanwhile.
        case resolving(again: Bool)
        /// Waiting for the next resolution (periodic refresh, rate limit or backoff).
        case waiting(TimerID, at: MonotonicTime)
        case shutdown
    }

    private let target: ChannelTarget
    private let loop: EventLoop
    private let settings: NameResolution
    private var state = State.idle
    private var lastStart: MonotonicTime?
    private var failureBackoff: BackoffSequence
    /// New addresses, on the loop.
    var onAddresses: (([SocketAddress]) -> Void)?
    /// A failed lookup, on the loop.
    var onFailure: ((RPCError) -> Void)?

    init(target: ChannelTarget, loop: EventLoop, settings: NameResolution, backoff: ConnectionBackoff) {
        self.target = target
        self.loop = loop
        self.settings = settings
        self.failureBackoff = BackoffSequence(backoff, minConnectTimeout: .zero)
    }

    func start() {
        guard case .idle = state else { return }
        switch target.kind {
        case .addresses(let addresses):
            state = .shutdown  // fixed addresses never change
            onAddresses?(addresses)
        case .dns:
            resolveNow()
        }
    }

    /// Something failed: resolve again, but not sooner than `minimumInterval` after the last start.
    func requestResolution() {
        guard case .dns = target.kind, let lastStart else { return }
        let earliest = lastStart.adding(settings.minimumInterval)
        switch state {
        case .idle, .shutdown:
            return
        case .resolving:
            state = .resolving(again: true)
        case .waiting(let timer, let at):
            guard earliest < at else { return }
            loop.cancelTimer(timer)
            schedule(at: earliest)
        }
    }

    func shutdown() {
        if case .waiting(let timer, _) = state { loop.cancelTimer(timer) }
        state = .shutdown
    }

    private func resolveNow() {
        guard case .dns(let host, let port) = target.kind else { return }
        state = .resolving(again: false)
        lastStart = .now()
        let loop = self.loop
        let resolver = LoopBound(self, loop: loop)
        DNSLookup.resolve(host: host, port: port) { result in
            resolver.execute { $0.finished(result) }
        }
    }

    private func finished(_ result: Result<[SocketAddress], RPCError>) {
        guard case .resolving(let again) = state, let lastStart else { return }
        switch result {
        case .success(let addresses):
            failureBackoff.reset()
            schedule(at: again ? lastStart.adding(settings.minimumInterval) : lastStart.adding(settings.refreshInterval))
            onAddresses?(addresses)
        case .failure(let error):
            schedule(at: max(MonotonicTime.now().adding(failureBackoff.next()), lastStart.adding(settings.minimumInterval)))
            onFailure?(error)
        }
    }

    private func schedule(at deadline: MonotonicTime) {
        let timer = loop.scheduleTimer(at: deadline) { [weak self] in
            guard let self, case .waiting = self.state else { return }
            self.resolveNow()
        }
        state = .waiting(timer, at: deadline)
    }
}
