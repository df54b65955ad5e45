/// Runs a `LoadBalancingPolicy` over the subchannels of the resolved addresses: which
/// subchannels connect, which one a call goes to, and the channel's aggregated connectivity
/// state. Loop-confined.
final class LoadBalancer {
    private let policy: LoadBalancingPolicy
    private let loop: EventLoop
    private let connector: SubchannelConnector
    private var subchannels: [Subchannel] = []
    /// Subchannels of addresses the resolver dropped, while their connections finish calls
    /// (closed with the channel).
    private var retired: [Subchannel] = []
    /// pick_first: the subchannel calls go to, once one is READY.
    private var selected: Subchannel?
    /// pick_first: the subchannel of the current pass over the addresses.
    private var attemptIndex = 0
    /// round_robin: where the next pick starts.
    private var cursor = 0
    private var isShutdown = false
    private(set) var state = ConnectivityState.idle
    /// Called on the loop whenever a subchannel changed (the state may be the same).
    var onChange: (() -> Void)?
    /// Called when a connection attempt failed or a connection was lost: a hint to resolve again.
    var onConnectionFailure: (() -> Void)?

    init(policy: LoadBalancingPolicy, loop: EventLoop, connector: SubchannelConnector) {
        self.policy = policy
        self.loop = loop
        self.connector = connector
    }

    /// The error to fail fail-fast calls with in TRANSIENT_FAILURE.
    var lastError: RPCError? {
        subchannels.lazy.compactMap(\.lastError).first
    }

    /// The addresses subchannels exist for (tests, logs).
    var addresses: [SocketAddress] { subchannels.map(\.address) }

    /// New resolver results: keeps the subchannels of addresses still present (and their
    /// connections), drains the others, and starts connecting per the policy.
    func update(addresses: [SocketAddress]) {
        guard !isShutdown else { return }
        var existing = Dictionary(subchannels.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        var updated: [Subchannel] = []
        for address in addresses where !updated.contains(where: { $0.address == address }) {
            updated.append(existing.removeValue(forKey: address) ?? makeSubchannel(address))
        }
        subchannels = updated
        retired.removeAll { $0.isDrained }
        for removed in existing.values {
            if removed === selected { selected = nil }
            removed.drain()
            if !removed.isDrained { retired.append(removed) }
        }
        cursor = 0
        switch policy {
        case .roundRobin:
            for subchannel in subchannels { subchannel.connect() }
        case .pickFirst:
            if selected == nil {
                attemptIndex = 0
                subchannels.first?.connect()
            }
        }
        recomputeState()
    }

    /// The connection for the next call, or nil when none is READY.
    func pick() -> ClientConnection? {
        switch policy {
        case .pickFirst:
            return selected?.readyConnection
        case .roundRobin:
            guard !subchannels.isEmpty else { return nil }
            for offset in 0..<subchannels.count {
                let index = (cursor + offset) % subchannels.count
                if let connection = subchannels[index].readyConnection {
                    cursor = (index + 1) % subchannels.count
                    return connection
                }
            }
            return nil
        }
    }

    /// Starts connecting when nothing is (a call arrived while IDLE).
    func exitIdle() {
        guard !isShutdown else { return }
        switch policy {
        case .roundRobin:
            for subchannel in subchannels { subchannel.connect() }
        case .pickFirst:
            guard selected == nil, subchannels.allSatisfy({ $0.connectivity == .idle }) else { return }
            attemptIndex = 0
            subchannels.first?.connect()
        }
    }

    func shutdown() {
        isShutdown = true
        let all = subchannels + retired
        subchannels = []
        retired = []
        selected = nil
        for subchannel in all { subchannel.shutdown() }
        state = .shutdown
    }

    // MARK: Subchannel events

    private func makeSubchannel(_ address: SocketAddress) -> Subchannel {
        let subchannel = Subchannel(address: address, loop: loop, connector: connector)
        subchannel.onStateChange = { [weak self] subchannel in self?.subchannelChanged(subchannel) }
        return subchannel
    }

    private func subchannelChanged(_ subchannel: Subchannel) {
        guard !isShutdown, subchannels.contains(where: { $0 === subchannel }) else { return }
        switch subchannel.connectivity {
        case .transientFailure:
            onConnectionFailure?()
            if policy == .pickFirst && selected == nil { advancePass(after: subchannel) }
        case .idle:
            // A READY connection went away (lost, or GOAWAY).
            onConnectionFailure?()
            switch policy {
            case .roundRobin:
                // Reconnect at once, outside this callback (the subchannel is mid-transition).
                loop.executeLater { [weak self, weak subchannel] in
                    guard let self, !self.isShutdown, let subchannel else { return }
                    subchannel.connect()
                }
            case .pickFirst:
                if subchannel === selected {
                    // Start over from the first address when the next call comes (gRPC goes IDLE).
                    selected = nil
                }
            }
        case .ready:
            if policy == .pickFirst && selected == nil { select(subchannel) }
        case .connecting, .shutdown:
            break
        }
        recomputeState()
        onChange?()
    }

    /// pick_first: the first READY subchannel takes every call; the others stop, and are
    /// replaced by fresh IDLE ones for the next pass.
    private func select(_ chosen: Subchannel) {
        selected = chosen
        let others = subchannels.filter { $0 !== chosen }
        subchannels = subchannels.map { $0 === chosen ? $0 : makeSubchannel($0.address) }
        for other in others { other.shutdown() }
    }

    /// pick_first: the attempt at one address failed; try the next, once per pass (the failed
    /// ones keep retrying on their backoff, and whichever connects first is selected).
    private func advancePass(after failed: Subchannel) {
        guard attemptIndex < subchannels.count, subchannels[attemptIndex] === failed else { return }
        attemptIndex += 1
        if attemptIndex < subchannels.count {
            let next = subchannels[attemptIndex]
            loop.executeLater { [weak self, weak next] in
                guard let self, !self.isShutdown, let next else { return }
                next.connect()
            }
        }
    }

    /// READY if any subchannel is; otherwise TRANSIENT_FAILURE sticks until something is READY
    /// or everything is IDLE (gRPC's rule, so a retrying subchannel does not flap the state);
    /// otherwise CONNECTING while an attempt runs.
    private func recomputeState() {
        guard !isShutdown else { return }
        let states = subchannels.map(\.connectivity)
        let inPass = policy == .pickFirst && attemptIndex < subchannels.count
        if policy == .pickFirst ? selected?.connectivity == .ready : states.contains(.ready) {
            state = .ready
        } else if states.isEmpty || states.allSatisfy({ $0 == .idle }) {
            state = .idle
        } else if state == .transientFailure {
            return
        } else if states.contains(.connecting) || inPass && states.contains(.idle) {
            state = .connecting
        } else {
            state = .transientFailure
        }
    }
}
