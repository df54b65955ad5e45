import Logging
import RPC

/// One plugin launch as a list of steps, each pushing its undo onto the launch's rollback
/// list: the runtime folder, the API server, the hooks channel, the process, Implemented,
/// OnActivate. A step that fails runs the rollback at once; a launch that succeeds hands its
/// rollback to `Running`, and stopping the plugin runs it.
extension Supervisor {
    struct Running: Sendable {
        let process: PluginProcess
        let apiAddress: SocketAddress
        let secrets: LaunchSecrets
        let hooks: HooksClient
        let implemented: Set<PluginHook>
        let folder: RuntimeFolder
        let rollback: Rollback
    }

    /// Runs the launch steps. Nonisolated: it touches no supervisor state, so a stop can
    /// cancel it while it waits.
    nonisolated func performLaunch() async -> Result<Running, PluginStartError> {
        var rollback = Rollback()
        do throws(PluginStartError) {
            let running = try await launchSteps(&rollback)
            return .success(running)
        } catch {
            event("start failed: \(error.reason)")
            _ = await rollback.run(.abrupt)
            return .failure(error)
        }
    }

    private nonisolated func launchSteps(_ rollback: inout Rollback) async throws(PluginStartError) -> Running {
        let configuration = self.configuration
        func failure(_ detail: String, _ process: PluginProcess? = nil) -> PluginStartError {
            PluginStartError(
                pluginID: pluginID, reason: .activationFailed(detail), lastStderrLines: process?.lastStderrLines ?? [])
        }
        func checkNotCancelled() throws(PluginStartError) {
            if Task.isCancelled { throw PluginStartError(pluginID: pluginID, reason: .cancelled) }
        }

        // 0. What the manifest asks of this host, and the configuration the plugin starts with.
        try await checkServerVersion()
        let startConfiguration = try await startConfiguration()

        // 1. The private runtime folder for both sockets.
        let folder: RuntimeFolder
        do {
            folder = try RuntimeFolder(under: configuration.runtimeDirectory)
        } catch {
            throw failure(error.description)
        }
        rollback.push("remove runtime folder") { _ in
            folder.remove()
            self.event("removed runtime folder \(folder.path)")
            return nil
        }

        // 2. The API server, guarded by this launch's secret and (on a Unix socket) by who connects.
        let secrets = LaunchSecrets.make()
        let peerCheck = PluginPeerCheck()
        let listenAddress: SocketAddress = switch configuration.apiTransport {
        case .unixSocket: .unix(path: folder.apiSocketPath)
        case .loopbackTCP: .ipv4(host: "127.0.0.1", port: 0)
        }
        let server: Server
        let apiAddress: SocketAddress
        do {
            (server, apiAddress) = try await PluginAPIServer.start(
                on: listenAddress, secret: secrets.api, peerCheck: peerCheck, api: api, registrar: registrar,
                eventRoute: eventBus.map { PluginEventRoute(publisherID: pluginID, bus: $0) },
                shutdownGrace: configuration.apiServerShutdownGrace, metrics: metrics,
                outerInterceptors: configuration.apiServerInterceptors, group: group)
        } catch {
            throw failure("API server did not start: \(error)")
        }
        rollback.push("stop API server") { _ in
            await server.shutdown()
            self.event("API server stopped")
            return nil
        }
        event("API server listening on \(apiAddress)")

        // 3. The hooks channel (it connects at the first call, once the plugin listens).
        let channel: Channel
        do {
            var channelConfiguration = Channel.Configuration(target: .unix(path: folder.hooksSocketPath))
            // Bounds every message a plugin answers a hook with.
            channelConfiguration.maxReceiveMessageSize = configuration.maximumHookMessageSize
            channel = try Channel(
                configuration: channelConfiguration, group: group,
                interceptors: configuration.hookInterceptors + [HookMetricsInterceptor(metrics: metrics)])
        } catch {
            throw failure("hooks channel: \(error)")
        }
        let hooks = HooksClient(channel: channel, hooksSecret: secrets.hooks)
        rollback.push("close hooks channel") { _ in
            await channel.close()
            return nil
        }
        try checkNotCancelled()

        // 4. The process, up to its handshake on the assigned hooks socket.
        var extraEnvironment = configuration.extraEnvironment
        extraEnvironment.merge(configuration.pluginEnvironment[pluginID] ?? [:]) { _, perPlugin in perPlugin }
        let options = PluginLaunchOptions(
            apiTarget: apiAddress.description, hooksSocketPath: folder.hooksSocketPath, apiSecret: secrets.api,
            hooksSecret: secrets.hooks, startTimeout: configuration.startTimeout,
            inheritEnvironment: configuration.inheritEnvironment, extraEnvironment: extraEnvironment,
            stderrLimits: configuration.stderrLimits)
        let process = try await PluginProcess.launch(
            directory: directory, manifest: manifest, options: options, logger: logger)
        peerCheck.bind(to: process.pid)
        rollback.push("stop process") { mode in
            let report: StopReport
            switch mode {
            case .ordered:
                report = await process.stop(
                    askToExit: {
                        try? await hooks.shutdown(grace: configuration.exitGrace, timeout: configuration.exitGrace)
                    },
                    grace: configuration.exitGrace, terminateGrace: configuration.terminateGrace)
            case .abrupt:
                report = await process.stop(grace: .zero, terminateGrace: configuration.terminateGrace)
            }
            for step in report.steps { self.event("+\(step.at.formattedMilliseconds) \(step.step)") }
            return report
        }
        event("process \(process.pid) runs \(process.interpreter)")
        event("process \(process.pid) handshake: hooks at \(process.handshake.address)")
        guard process.handshake.address == .unix(path: folder.hooksSocketPath) else {
            throw PluginStartError(
                pluginID: pluginID,
                reason: .badHandshake(.unexpectedSocket(process.handshake.address.target, expected: folder.hooksSocketPath)),
                lastStderrLines: process.lastStderrLines)
        }
        try checkNotCancelled()

        // 5. Which hooks it implements.
        let implemented: Set<PluginHook>
        do {
            let answer = try await hooks.implemented(timeout: configuration.callTimeout)
            implemented = answer.hooks
            if !answer.unknown.isEmpty {
                logger.warning("plugin reports hooks this host does not know: \(answer.unknown.joined(separator: ", "))")
            }
        } catch {
            throw failure("Implemented failed: \(error)", process)
        }
        event("implements \(implemented.sorted().map(\.rawValue).joined(separator: ", "))")
        try checkNotCancelled()

        // 6. The configuration (also in OnActivate's request), then activation; from here on
        //    a stop deactivates it first.
        var problem: String?
        if implemented.contains(.onConfigurationChange) {
            do {
                problem = try await hooks.onConfigurationChange(
                    json: startConfiguration, timeout: configuration.timeout(for: .onConfigurationChange)
                ).map { "OnConfigurationChange: \($0)" }
            } catch {
                problem = "OnConfigurationChange failed: \(error)"
            }
        }
        if problem == nil, implemented.contains(.onActivate) {
            do {
                problem = try await hooks.onActivate(
                    configurationJSON: startConfiguration, timeout: configuration.timeout(for: .onActivate)
                ).map { "OnActivate: \($0)" }
            } catch {
                problem = "OnActivate failed: \(error)"
            }
        }
        if let problem {
            // Rolled back politely (Shutdown request, grace) but without OnDeactivate.
            _ = await rollback.run(.ordered)
            rollback = Rollback()
            throw failure(problem, process)
        }
        if implemented.contains(.onDeactivate) {
            rollback.push("OnDeactivate") { mode in
                guard mode == .ordered else { return nil }
                do {
                    if let error = try await hooks.onDeactivate(timeout: configuration.timeout(for: .onDeactivate)) {
                        self.logger.warning("OnDeactivate reported \(error)")
                    }
                    self.event("OnDeactivate done")
                } catch {
                    self.event("OnDeactivate failed: \(error)")
                }
                return nil
            }
        }
        return Running(
            process: process, apiAddress: apiAddress, secrets: secrets, hooks: hooks, implemented: implemented,
            folder: folder, rollback: rollback)
    }
}
