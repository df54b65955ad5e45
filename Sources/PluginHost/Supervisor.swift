import Logging
import RPC

/// Runs one plugin: each launch (a private runtime folder, an API server accepting only
/// this launch's secret from this plugin's processes, the process, its hooks connection),
/// a health monitor that restarts it with backoff when it crashes or hangs and disables it
/// after too many failures, and `stop()`, which undoes the launch in order.
public actor Supervisor {
    public nonisolated let pluginID: String
    public nonisolated let manifest: PluginManifest
    nonisolated let directory: String
    nonisolated let api: any PluginAPI
    nonisolated let registrar: APIServerRegistrar
    /// Where the plugin's PublishPluginEvent calls go (nil: they are answered UNIMPLEMENTED).
    nonisolated let eventBus: PluginEventBus?
    nonisolated let configuration: SupervisorConfiguration
    nonisolated let group: EventLoopGroup
    nonisolated let logger: Logger

    /// The lifecycle. Each case carries exactly what is valid in it; whoever moves the
    /// state away from a case owns what that case held (a stop that finds a launch in
    /// progress takes over its result, a failure handler its torn-down launch).
    private enum Lifecycle {
        case inactive
        case launching(id: Int, task: Task<Result<Running, PluginStartError>, Never>)
        case active(Running, id: Int, monitor: Task<Void, Never>)
        /// A failed launch is being torn down; `next` is what follows.
        case recovering(id: Int, report: CrashReport, next: RestartPolicy.Decision, teardown: Task<Void, Never>)
        case waitingToRestart(id: Int, report: CrashReport, timer: Task<Void, Never>)
        case stopping(Task<StopReport?, Never>)
        case failed(PluginStartError)
        case disabled(CrashReport)
    }

    private var lifecycle = Lifecycle.inactive {
        didSet { metrics.recordState(state) }
    }
    private var history = RestartPolicy.History()
    private var nextID = 0
    /// How many times the plugin was restarted after failures.
    public private(set) var restartCount = 0 {
        didSet { metrics.recordRestart() }
    }
    /// This plugin's API, hook, restart and state metrics (swift-metrics).
    public nonisolated let metrics: PluginMetrics
    public private(set) var lastStopReport: StopReport?

    init(
        directory: String, manifest: PluginManifest, api: any PluginAPI, registrar: @escaping APIServerRegistrar,
        eventBus: PluginEventBus? = nil, configuration: SupervisorConfiguration, group: EventLoopGroup, logger: Logger
    ) {
        self.eventBus = eventBus
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
        self.metrics = PluginMetrics(pluginID: manifest.id)
        metrics.recordState(.inactive)
    }

    public var state: PluginState {
        switch lifecycle {
        case .inactive: .inactive
        case .launching: .starting
        case .active: .active
        case .recovering(_, let report, .disable, _), .disabled(let report): .disabled(report)
        case .recovering(_, let report, .restart, _), .waitingToRestart(_, let report, _): .restarting(report)
        case .stopping: .stopping
        case .failed(let error): .failed(reason: error.description)
        }
    }

    var running: Running? {
        if case .active(let running, _, _) = lifecycle { return running }
        return nil
    }

    public var pid: Int32? { running?.process.pid }
    public var apiAddress: SocketAddress? { running?.apiAddress }
    /// The launch's private runtime folder (holding api.sock and hooks.sock).
    public var runtimeFolder: String? { running?.folder.path }
    public var hooksAddress: Handshake.Address? { running?.process.handshake.address }
    public var implementedHooks: Set<PluginHook> { running?.implemented ?? [] }
    /// The interpreter of the running launch and why it was chosen.
    public var interpreter: PythonInterpreter.Choice? { running?.process.interpreter }
    /// The secrets of the current launch (for tests that play a misbehaving plugin, and the
    /// benchmark's grpcio baseline client).
    package var currentSecrets: LaunchSecrets? { running?.secrets }

    nonisolated func event(_ message: String) {
        logger.debug("\(message)")
        configuration.onEvent?(PluginEvent(pluginID: pluginID, message: message, at: .now))
    }

    private func makeID() -> Int {
        nextID += 1
        return nextID
    }

    // MARK: - Start

    /// Starts the plugin and activates it. Throws (leaving nothing running) when it cannot.
    public func start() async throws(PluginStartError) {
        switch lifecycle {
        case .active, .launching, .stopping, .recovering: return
        case .waitingToRestart(_, _, let timer): timer.cancel()
        case .inactive, .failed, .disabled: break
        }
        history = RestartPolicy.History()
        do {
            try await launch()
        } catch {
            if error.reason != .cancelled, case .inactive = lifecycle { lifecycle = .failed(error) }
            throw error
        }
    }

    /// Runs a launch and, unless a stop took over meanwhile, makes it the active one.
    /// Leaves the lifecycle `.inactive` when the launch failed (callers decide what next).
    private func launch() async throws(PluginStartError) {
        let id = makeID()
        let task = Task { await self.performLaunch() }
        lifecycle = .launching(id: id, task: task)
        let result = await task.value
        guard case .launching(let current, _) = lifecycle, current == id else {
            // stop() took over the launch and its result.
            throw PluginStartError(pluginID: pluginID, reason: .cancelled)
        }
        switch result {
        case .failure(let error):
            lifecycle = .inactive
            throw error
        case .success(let running):
            let configuration = self.configuration
            // The task ends when the launch fails or stop() cancels it, releasing self.
            let monitor = Task {
                await HealthMonitor.watch(running, configuration: configuration) { cause in
                    await self.handleFailure(of: id, cause: cause)
                }
            }
            lifecycle = .active(running, id: id, monitor: monitor)
            event("active")
        }
    }

    // MARK: - Failures and restarts

    private func handleFailure(of launchID: Int, cause: CrashReport.Cause) async {
        guard case .active(let running, let id, _) = lifecycle, id == launchID else { return }
        let decision = history.recordFailure(at: .now, policy: configuration.restartPolicy)
        let report = CrashReport(
            cause: cause, uptime: .now - running.process.startedAt, restartCount: restartCount,
            recentFailures: history.recentFailureCount, lastStderrLines: running.process.lastStderrLines)
        // A crashed or hung plugin gets no polite requests: straight to the signals.
        let teardown = Task { _ = await running.rollback.run(.abrupt) }
        lifecycle = .recovering(id: id, report: report, next: decision, teardown: teardown)
        logger.warning("plugin failed: \(report)")
        event("failed: \(cause)")
        await teardown.value
        guard case .recovering(let current, _, _, _) = lifecycle, current == id else { return }  // stopped meanwhile
        follow(decision, report: report)
    }

    private func follow(_ decision: RestartPolicy.Decision, report: CrashReport) {
        switch decision {
        case .disable:
            lifecycle = .disabled(report)
            event("disabled: \(report.summary)")
        case .restart(let delay):
            let id = makeID()
            let timer = Task {
                try? await Task.sleep(for: delay)
                guard !Task.isCancelled else { return }
                await self.restartAfterBackoff(id)
            }
            lifecycle = .waitingToRestart(id: id, report: report, timer: timer)
            event("restart in \(delay.formattedMilliseconds)")
        }
    }

    private func restartAfterBackoff(_ timerID: Int) async {
        guard case .waitingToRestart(let id, let previous, _) = lifecycle, id == timerID else { return }
        do {
            try await launch()
            restartCount += 1
        } catch {
            guard error.reason != .cancelled, case .inactive = lifecycle else { return }
            let decision = history.recordFailure(at: .now, policy: configuration.restartPolicy)
            let report = CrashReport(
                cause: .restartFailed(error.reason), uptime: nil, restartCount: restartCount,
                recentFailures: history.recentFailureCount,
                lastStderrLines: error.lastStderrLines.isEmpty ? previous.lastStderrLines : error.lastStderrLines)
            event("restart failed: \(error.reason)")
            follow(decision, report: report)
        }
    }

    // MARK: - Stop

    /// Ordered shutdown: OnDeactivate (bounded), the Shutdown request and closed stdin,
    /// grace, SIGTERM to the process group, SIGKILL, every descendant killed and reaped;
    /// only then the API server stops (letting the plugin's last calls finish) and the
    /// runtime folder goes. A launch in progress is cancelled and undone; a pending restart
    /// is cancelled. Returns what the process stop took, or nil when nothing was running.
    @discardableResult
    public func stop() async -> StopReport? {
        let work: Task<StopReport?, Never>
        switch lifecycle {
        case .stopping(let inProgress):
            return await inProgress.value
        case .inactive, .failed:
            lifecycle = .inactive
            return nil
        case .disabled:
            return nil
        case .waitingToRestart(_, _, let timer):
            timer.cancel()
            lifecycle = .inactive
            return nil
        case .launching(_, let launch):
            launch.cancel()
            work = Task {
                guard case .success(let running) = await launch.value else { return nil }
                return await running.rollback.run(.ordered)
            }
        case .active(let running, _, let monitor):
            monitor.cancel()
            work = Task { await running.rollback.run(.ordered) }
        case .recovering(_, _, _, let teardown):
            // The failure handler is tearing the launch down; the stop waits for it and
            // takes over what comes next (nothing).
            work = Task {
                await teardown.value
                return nil
            }
        }
        lifecycle = .stopping(work)
        let report = await work.value
        if let report { lastStopReport = report }
        lifecycle = .inactive
        return report
    }
}
