import Logging
import RPC

#if canImport(Glibc)
import Glibc
#endif

/// Runs one plugin: its API server (started before the plugin, on a fresh loopback port,
/// accepting only this launch's secret), its process, its hooks connection and a health
/// monitor that restarts it with backoff when it crashes or hangs, and disables it after
/// too many failures. `stop()` shuts everything down in order.
public actor Supervisor {
    public nonisolated let pluginID: String
    public nonisolated let manifest: PluginManifest
    nonisolated let directory: String
    private let api: any PluginAPI
    private let registrar: APIServerRegistrar
    let configuration: SupervisorConfiguration
    private let group: EventLoopGroup
    let logger: Logger

    public private(set) var state: PluginState = .inactive
    private(set) var running: Running?
    private var history = RestartPolicy.History()
    private var generation = 0
    private var monitorTask: Task<Void, Never>?
    private var restartTask: Task<Void, Never>?
    /// Bumped by every stop(): a launch or failure handling that began before a stop sees
    /// the change, undoes what it started, and schedules nothing more.
    private var stopEpoch = 0
    /// Lifecycle work in progress (launches, teardowns) that stop() waits for, so nothing
    /// of this plugin outlives a stop. Each piece is itself bounded by the timeouts.
    private var pendingWork: [Int: Task<Void, Never>] = [:]
    private var nextWorkID = 0
    /// How many times the plugin was restarted after failures.
    public private(set) var restartCount = 0
    public private(set) var lastStopReport: StopReport?

    struct Running: Sendable {
        let process: PluginProcess
        let server: Server
        let apiAddress: SocketAddress
        let secret: String
        let channel: Channel
        let hooks: HooksClient
        let implemented: Set<String>
        /// The private folder of the API socket, when the transport is a Unix socket.
        let socketFolder: PrivateSocketFolder?
    }

    init(
        directory: String, manifest: PluginManifest, api: any PluginAPI, registrar: @escaping APIServerRegistrar,
        configuration: SupervisorConfiguration, group: EventLoopGroup, logger: Logger
    ) {
        self.pluginID = manifest.id
        self.manifest = manifest
        self.directory = directory
        self.api = api
        self.registrar = registrar
        self.configuration = configuration
        self.group = group
        var logger = logger
        logger[metadataKey: "plugin"] = .string(manifest.id)
        self.logger = logger
    }

    public var pid: Int32? { running?.process.pid }
    public var apiAddress: SocketAddress? { running?.apiAddress }
    /// The private folder holding the API socket (Unix socket transport only).
    public var apiSocketFolder: String? { running?.socketFolder?.path }
    public var hooksAddress: Handshake.Address? { running?.process.handshake.address }
    public var implementedHooks: Set<String> { running?.implemented ?? [] }
    /// The secret of the current launch (for tests that play a misbehaving plugin).
    var currentSecret: String? { running?.secret }

    private func event(_ message: String) {
        logger.debug("\(message)")
        configuration.onEvent?(PluginEvent(pluginID: pluginID, message: message, at: .now))
    }

    // MARK: - Start

    /// Starts the plugin and activates it. Throws (leaving nothing running) when it cannot.
    public func start() async throws(PluginStartError) {
        switch state {
        case .active, .starting, .stopping: return
        default: break
        }
        restartTask?.cancel()
        restartTask = nil
        state = .starting
        do {
            try await trackedLaunch()
        } catch {
            state = error.reason == .cancelled ? .inactive : .failed(reason: error.description)
            throw error
        }
    }

    /// Runs `body` as tracked lifecycle work and waits for its result.
    @discardableResult
    private func tracked<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
        let id = nextWorkID
        nextWorkID += 1
        let task = Task { await body() }
        pendingWork[id] = Task { _ = await task.value }
        let value = await task.value
        pendingWork[id] = nil
        return value
    }

    private func trackedLaunch() async throws(PluginStartError) {
        let id = nextWorkID
        nextWorkID += 1
        let launch = Task { () async -> Result<Void, PluginStartError> in
            do throws(PluginStartError) {
                try await self.launch()
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        pendingWork[id] = Task { _ = await launch.value }
        let result = await launch.value
        pendingWork[id] = nil
        try result.get()
    }

    private func launch() async throws(PluginStartError) {
        let epoch = stopEpoch
        let secret = makeLaunchSecret()
        var socketFolder: PrivateSocketFolder?
        var listenAddress = SocketAddress.ipv4(host: "127.0.0.1", port: 0)
        if case .unixSocket(let parent) = configuration.apiTransport {
            do {
                let folder = try PrivateSocketFolder(under: parent)
                socketFolder = folder
                listenAddress = .unix(path: folder.socketPath)
            } catch {
                throw PluginStartError(pluginID: pluginID, reason: .activationFailed(error.description))
            }
        }
        let server: Server
        let apiAddress: SocketAddress
        do {
            (server, apiAddress) = try await PluginAPIServer.start(
                on: listenAddress, secret: secret, api: api, registrar: registrar,
                shutdownGrace: configuration.apiServerShutdownGrace, group: group)
        } catch {
            socketFolder?.remove()
            throw PluginStartError(pluginID: pluginID, reason: .activationFailed("API server did not start: \(error)"))
        }
        event("API server listening on \(apiAddress)")

        let options = PluginLaunchOptions(
            apiTarget: apiAddress.description, apiSecret: secret, startTimeout: configuration.startTimeout,
            inheritEnvironment: configuration.inheritEnvironment, extraEnvironment: configuration.extraEnvironment)
        let process: PluginProcess
        do {
            process = try await PluginProcess.launch(
                directory: directory, manifest: manifest, options: options, logger: logger)
        } catch {
            await server.shutdown()
            socketFolder?.remove()
            event("start failed: \(error.reason)")
            throw error
        }
        event("process \(process.pid) handshake: hooks at \(process.handshake.address)")
        guard epoch == stopEpoch else {
            await abandon(process: process, server: server, channel: nil, socketFolder: socketFolder)
            throw PluginStartError(pluginID: pluginID, reason: .cancelled)
        }

        let channel: Channel
        do {
            channel = try Channel(configuration: .init(target: socketAddress(process.handshake.address)), group: group)
        } catch {
            await abandon(process: process, server: server, channel: nil, socketFolder: socketFolder)
            throw PluginStartError(pluginID: pluginID, reason: .activationFailed("hooks channel: \(error)"))
        }
        let hooks = HooksClient(channel: channel)
        let implemented: Set<String>
        do {
            implemented = try await hooks.implemented(timeout: configuration.callTimeout)
        } catch {
            await abandon(process: process, server: server, channel: channel, socketFolder: socketFolder)
            throw PluginStartError(
                pluginID: pluginID, reason: .activationFailed("Implemented failed: \(error)"),
                lastStderrLines: process.lastStderrLines)
        }
        event("implements \(implemented.sorted().joined(separator: ", "))")
        let running = Running(
            process: process, server: server, apiAddress: apiAddress, secret: secret, channel: channel, hooks: hooks,
            implemented: implemented, socketFolder: socketFolder)

        if implemented.contains("OnActivate") {
            let failure: String?
            do {
                failure = try await hooks.onActivate(timeout: configuration.callTimeout).map { "OnActivate: \($0)" }
            } catch {
                failure = "OnActivate failed: \(error)"
            }
            if let failure {
                _ = await orderedStop(running, deactivate: false)
                throw PluginStartError(
                    pluginID: pluginID, reason: .activationFailed(failure), lastStderrLines: process.lastStderrLines)
            }
        }
        guard epoch == stopEpoch else {
            // Stopped while activating: undo the activation in order.
            _ = await orderedStop(running, deactivate: implemented.contains("OnActivate"))
            throw PluginStartError(pluginID: pluginID, reason: .cancelled)
        }
        self.running = running
        state = .active
        generation += 1
        let generation = self.generation
        let configuration = self.configuration
        // The task ends when the launch fails or stop() cancels it, releasing self.
        monitorTask = Task {
            await HealthMonitor.watch(running, configuration: configuration) { reason in
                await self.handleFailure(generation: generation, reason: reason)
            }
        }
        event("active")
    }

    /// Tears down a half-started plugin quickly (it never became active).
    private func abandon(
        process: PluginProcess, server: Server, channel: Channel?, socketFolder: PrivateSocketFolder?
    ) async {
        _ = await process.stop(grace: .zero, terminateGrace: configuration.terminateGrace)
        await channel?.close()
        await server.shutdown()
        socketFolder?.remove()
    }

    // MARK: - Health

    private func handleFailure(generation failedGeneration: Int, reason: String) async {
        guard failedGeneration == generation, state == .active, let running else { return }
        self.running = nil
        generation += 1
        monitorTask = nil
        let decision = history.recordFailure(at: .now, policy: configuration.restartPolicy)
        logger.warning("plugin failed: \(reason)")
        event("failed: \(reason)")
        switch decision {
        case .disable:
            state = .disabled(reason: "\(history.recentFailureCount) failures within the window; last: \(reason)")
        case .restart:
            state = .restarting(afterFailures: history.recentFailureCount, reason: reason)
        }
        let epoch = stopEpoch
        await tracked { await self.tearDownFailed(running) }
        // A stop() meanwhile owns what happens next.
        guard epoch == stopEpoch else { return }
        if case .restart(let delay) = decision {
            event("restart in \(delay.formattedMilliseconds)")
            scheduleRestart(after: delay)
        } else {
            event("\(state)")
        }
    }

    /// A crashed or hung plugin gets no polite requests: straight to the signals.
    private func tearDownFailed(_ running: Running) async {
        let report = await running.process.stop(grace: .zero, terminateGrace: configuration.terminateGrace)
        event("process stopped: \(report)")
        await running.channel.close()
        await running.server.shutdown()
        running.socketFolder?.remove()
    }

    private func scheduleRestart(after delay: Duration) {
        restartTask = Task {
            try? await Task.sleep(for: delay)
            guard !Task.isCancelled else { return }
            await self.restartAfterBackoff()
        }
    }

    private func restartAfterBackoff() async {
        guard case .restarting = state else { return }
        restartTask = nil
        state = .starting
        let epoch = stopEpoch
        do {
            try await trackedLaunch()
            restartCount += 1
        } catch {
            guard epoch == stopEpoch, error.reason != .cancelled else { return }
            let decision = history.recordFailure(at: .now, policy: configuration.restartPolicy)
            event("restart failed: \(error.reason)")
            switch decision {
            case .disable:
                state = .disabled(reason: "\(history.recentFailureCount) failures within the window; last: \(error.reason)")
                event("\(state)")
            case .restart(let delay):
                state = .restarting(afterFailures: history.recentFailureCount, reason: "\(error.reason)")
                scheduleRestart(after: delay)
            }
        }
    }

    // MARK: - Stop

    /// Ordered shutdown: OnDeactivate (bounded), the Shutdown request and closed stdin,
    /// grace, SIGTERM to the process group, SIGKILL, reap; only then the API server stops
    /// (letting the plugin's last calls finish). Returns what the process stop took, or nil
    /// when nothing was running.
    @discardableResult
    public func stop() async -> StopReport? {
        stopEpoch += 1
        restartTask?.cancel()
        restartTask = nil
        // Launches and teardowns in flight finish first (a launch sees the new epoch and
        // undoes itself), so nothing started before this call survives it.
        for work in Array(pendingWork.values) { await work.value }
        guard let running else {
            if case .disabled = state { return nil }
            state = .inactive
            return nil
        }
        self.running = nil
        generation += 1
        monitorTask?.cancel()
        monitorTask = nil
        state = .stopping
        let report = await tracked { await self.orderedStop(running, deactivate: true) }
        lastStopReport = report
        state = .inactive
        return report
    }

    private func orderedStop(_ running: Running, deactivate: Bool) async -> StopReport {
        let configuration = self.configuration
        if deactivate, running.implemented.contains("OnDeactivate") {
            do {
                if let error = try await running.hooks.onDeactivate(timeout: configuration.deactivateTimeout) {
                    logger.warning("OnDeactivate reported \(error)")
                }
                event("OnDeactivate done")
            } catch {
                event("OnDeactivate failed: \(error)")
            }
        }
        let hooks = running.hooks
        let report = await running.process.stop(
            askToExit: { try? await hooks.shutdown(grace: configuration.exitGrace, timeout: configuration.exitGrace) },
            grace: configuration.exitGrace, terminateGrace: configuration.terminateGrace)
        for step in report.steps { event("+\(step.at.formattedMilliseconds) \(step.step)") }
        await running.channel.close()
        await running.server.shutdown()
        event("API server stopped")
        if let folder = running.socketFolder {
            folder.remove()
            event("removed socket folder \(folder.path)")
        }
        return report
    }
}
