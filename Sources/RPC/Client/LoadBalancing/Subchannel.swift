import Logging

/// One address a channel may send calls to, with at most one connection at a time, and the
/// state machine gRPC gives it: IDLE → CONNECTING → READY; a failed attempt goes to
/// TRANSIENT_FAILURE and tries again after the connection backoff; a lost or draining READY
/// connection goes back to IDLE. Loop-confined.
final class Subchannel {
    /// Each case carries exactly what is valid in it.
    private enum State {
        case idle
        case connecting(ClientConnection)
        case ready(ClientConnection)
        /// Waiting out the backoff before the next attempt.
        case transientFailure(retry: TimerID)
        case shutdown
    }

    let address: SocketAddress
    private let loop: EventLoop
    private let connector: SubchannelConnector
    private var state = State.idle
    private var backoff: BackoffSequence
    /// Connections that got GOAWAY and finish their calls; shut down with the subchannel.
    private var draining: [ObjectIdentifier: ClientConnection] = [:]
    /// Why the last attempt failed or the last connection ended (named in fail-fast errors).
    private(set) var lastError: RPCError?
    /// Called on the loop after every state change.
    var onStateChange: ((Subchannel) -> Void)?

    init(address: SocketAddress, loop: EventLoop, connector: SubchannelConnector) {
        self.address = address
        self.loop = loop
        self.connector = connector
        self.backoff = BackoffSequence(connector.backoff, minConnectTimeout: connector.minConnectTimeout)
    }

    var connectivity: ConnectivityState {
        switch state {
        case .idle: .idle
        case .connecting: .connecting
        case .ready: .ready
        case .transientFailure: .transientFailure
        case .shutdown: .shutdown
        }
    }

    /// The connection to start calls on, when READY.
    var readyConnection: ClientConnection? {
        if case .ready(let connection) = state, connection.availability.isUsable { return connection }
        return nil
    }

    /// True when no connection it let go of is still finishing calls.
    var isDrained: Bool { draining.isEmpty }

    /// Starts connecting when IDLE; does nothing in any other state.
    func connect() {
        guard case .idle = state else { return }
        attempt()
    }

    /// Closes the connection (calls on it end with CANCELLED) and stops for good.
    func shutdown() {
        let finishing = draining.values
        draining = [:]
        for connection in finishing {
            connection.onEvent = nil
            connection.shutdown()
        }
        stop { connection in
            connection.onEvent = nil
            connection.shutdown()
        }
    }

    /// Leaves the connection to finish the calls it carries, and stops (an address the
    /// resolver no longer returns).
    func drain() {
        stop { connection in
            draining[ObjectIdentifier(connection)] = connection
            connection.drainAndClose()
        }
    }

    /// Goes to SHUTDOWN (once): the current connection, if any, is handed to `letGo` after
    /// the state changed, a pending retry is cancelled, then the owner hears of it.
    private func stop(letting letGo: (ClientConnection) -> Void) {
        switch state {
        case .connecting(let connection), .ready(let connection):
            state = .shutdown
            letGo(connection)
        case .transientFailure(let retry):
            loop.cancelTimer(retry)
            state = .shutdown
        case .idle:
            state = .shutdown
        case .shutdown:
            return
        }
        onStateChange?(self)
    }

    // MARK: Connection attempts

    private func attempt() {
        let timeout = backoff.attemptTimeout
        let connection: ClientConnection
        do {
            connection = try connector.makeConnection(address)
        } catch {
            failed(error)
            return
        }
        connection.onEvent = { [weak self, unowned connection] event in
            self?.handle(event, from: connection)
        }
        state = .connecting(connection)
        onStateChange?(self)
        connection.begin(connectTimeout: timeout)
    }

    private func handle(_ event: ClientConnectionEvent, from connection: ClientConnection) {
        switch (state, event) {
        case (.connecting(let current), .ready) where current === connection:
            backoff.reset()
            lastError = nil
            state = .ready(connection)
            onStateChange?(self)
        case (.connecting(let current), .closed(let error)) where current === connection:
            failed(error)
        case (.connecting(let current), .draining) where current === connection,
             (.ready(let current), .draining) where current === connection:
            // The connection finishes what it carries on its own; new calls need a new one.
            draining[ObjectIdentifier(connection)] = connection
            state = .idle
            onStateChange?(self)
        case (_, .closed) where draining[ObjectIdentifier(connection)] != nil:
            draining[ObjectIdentifier(connection)] = nil
        case (.ready(let current), .closed(let error)) where current === connection:
            lastError = error
            state = .idle
            onStateChange?(self)
        default:
            break  // an event of a connection this subchannel has let go of
        }
    }

    private func failed(_ error: RPCError) {
        lastError = error
        let wait = backoff.next()
        state = .transientFailure(retry: loop.scheduleTimer(after: wait) { [weak self] in
            guard let self, case .transientFailure = self.state else { return }
            self.attempt()
        })
        onStateChange?(self)
    }
}

/// How subchannels make connections: the channel's transport settings and backoff.
struct SubchannelConnector {
    let backoff: ConnectionBackoff
    let minConnectTimeout: Duration
    let makeConnection: (SocketAddress) throws(RPCError) -> ClientConnection
}
