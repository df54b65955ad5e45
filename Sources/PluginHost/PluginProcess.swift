import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Settings for starting one plugin process.
public struct PluginLaunchOptions: Sendable {
    /// Where the plugin's PluginAPI server listens (a gRPC target string).
    public var apiTarget: String
    /// The per-launch secret the plugin must present on every API call.
    public var apiSecret: String
    /// How long the plugin may take to print its handshake line.
    public var startTimeout: Duration
    /// Whether the child inherits the host's environment (minus the host's own plugin
    /// variables); otherwise it gets only PATH plus `extraEnvironment`.
    public var inheritEnvironment: Bool
    /// Added to (and overriding) the inherited environment, e.g. PYTHONPATH for the SDK.
    public var extraEnvironment: [String: String]

    public init(
        apiTarget: String, apiSecret: String, startTimeout: Duration = .seconds(10),
        inheritEnvironment: Bool = true, extraEnvironment: [String: String] = [:]
    ) {
        self.apiTarget = apiTarget
        self.apiSecret = apiSecret
        self.startTimeout = startTimeout
        self.inheritEnvironment = inheritEnvironment
        self.extraEnvironment = extraEnvironment
    }
}

/// One running plugin process: launched from its manifest, past its handshake, with its
/// stderr forwarded to the log. `stop` ends it in escalating steps and always reaps it.
public final class PluginProcess: Sendable {
    public let manifest: PluginManifest
    public let directory: String
    public let handshake: Handshake
    let child: ChildProcess
    private let stdoutReader: LineReader
    private let stderrReader: LineReader
    private let stderrForwarder: StderrForwarder
    private let logger: Logger

    /// How long stop waits for SIGKILL to take effect before giving up on the reap.
    static let killWait: Duration = .seconds(5)
    /// How long pipes may stay open after the process ended before the readers give up.
    static let drainWait: Duration = .seconds(1)

    private init(
        manifest: PluginManifest, directory: String, handshake: Handshake, child: ChildProcess,
        stdoutReader: LineReader, stderrReader: LineReader, stderrForwarder: StderrForwarder, logger: Logger
    ) {
        self.manifest = manifest
        self.directory = directory
        self.handshake = handshake
        self.child = child
        self.stdoutReader = stdoutReader
        self.stderrReader = stderrReader
        self.stderrForwarder = stderrForwarder
        self.logger = logger
    }

    public var pid: Int32 { child.pid }
    public var exitStatus: ExitStatus? { child.exitStatus }
    public var lastStderrLines: [String] { stderrForwarder.lastLines }

    /// Waits until the process has ended and been reaped (nil if the task is cancelled).
    public func waitForExit() async -> ExitStatus? { await child.waitForExit() }

    public func waitForExit(timeout: Duration) async -> ExitStatus? { await child.waitForExit(timeout: timeout) }

    /// Starts the plugin in `directory` and waits for its handshake.
    public static func launch(
        directory: String, manifest knownManifest: PluginManifest? = nil, options: PluginLaunchOptions,
        logger baseLogger: Logger
    ) async throws(PluginStartError) -> PluginProcess {
        let manifest: PluginManifest
        let script: String
        do {
            if let knownManifest {
                manifest = knownManifest
            } else {
                manifest = try PluginManifest.load(fromDirectory: directory)
            }
        } catch {
            throw PluginStartError(pluginID: (directory as NSString).lastPathComponent, reason: .invalidManifest(error))
        }
        do {
            script = try manifest.resolvedExecutable(inDirectory: directory)
        } catch {
            throw PluginStartError(pluginID: manifest.id, reason: .invalidManifest(error))
        }
        let environment = childEnvironment(manifest: manifest, options: options)
        let interpreter: String
        do {
            interpreter = try PythonInterpreter.locate(
                pluginDirectory: directory, pythonVersion: manifest.server.pythonVersion,
                searchPath: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        } catch {
            throw PluginStartError(pluginID: manifest.id, reason: .noInterpreter(error))
        }

        let child: ChildProcess
        do {
            // -u: unbuffered, so stray prints and tracebacks reach the log line by line.
            child = try ChildProcess.spawn(
                executable: interpreter, arguments: [interpreter, "-u", script],
                environment: environment, workingDirectory: realPath(directory) ?? directory)
        } catch {
            throw PluginStartError(pluginID: manifest.id, reason: .spawnFailed(error.description))
        }
        var logger = baseLogger
        logger[metadataKey: "plugin"] = .string(manifest.id)
        logger[metadataKey: "pid"] = .stringConvertible(child.pid)

        let forwarder = StderrForwarder(logger: logger)
        let stderrReader = LineReader(fd: child.stderrFD, name: "plugin-stderr-\(child.pid)") { line in
            forwarder.forward(line)
        }
        let firstLine = AsyncSignal<StdoutEvent>()
        let stdoutLogger = logger
        let stdoutReader = LineReader(
            fd: child.stdoutFD, name: "plugin-stdout-\(child.pid)",
            onLine: { line in
                // Only the first line is protocol; later output is just logged.
                if !firstLine.fulfill(.line(line)) {
                    stdoutLogger.info("\(line)", metadata: ["source": "stdout"])
                }
            },
            onEnd: { firstLine.fulfill(.endOfFile) })

        func fail(_ reason: PluginStartError.Reason) async -> PluginStartError {
            child.signalGroup(SIGKILL)
            _ = await child.waitForExit(timeout: killWait)
            child.reapGroupMembers(timeout: .milliseconds(500))
            await stdoutReader.finish(within: .milliseconds(500))
            await stderrReader.finish(within: .milliseconds(500))
            let error = PluginStartError(
                pluginID: manifest.id, reason: reason, lastStderrLines: forwarder.lastLines)
            logger.error("\(error.description)")
            return error
        }

        switch await firstLine.wait(timeout: options.startTimeout) {
        case nil:
            throw await fail(Task.isCancelled ? .cancelled : .handshakeTimeout(options.startTimeout))
        case .endOfFile:
            // Give the exit status and the final stderr lines a moment to arrive.
            let status = await child.waitForExit(timeout: .seconds(2))
            await stderrReader.finish(within: .milliseconds(500))
            throw await fail(.exitedBeforeHandshake(status))
        case .line(let line):
            do {
                let handshake = try Handshake.parse(line)
                logger.debug("plugin handshake", metadata: ["address": .string(handshake.address.target)])
                return PluginProcess(
                    manifest: manifest, directory: directory, handshake: handshake, child: child,
                    stdoutReader: stdoutReader, stderrReader: stderrReader, stderrForwarder: forwarder,
                    logger: logger)
            } catch {
                throw await fail(.badHandshake(error))
            }
        }
    }

    /// Ends the process in order: `askToExit` (e.g. a Shutdown RPC) and closing its stdin,
    /// then up to `grace` for it to exit, then SIGTERM to its process group and up to
    /// `terminateGrace`, then SIGKILL. Always reaps it, kills whatever else is left in its
    /// group, and closes its pipes before returning.
    public func stop(
        askToExit: @escaping @Sendable () async -> Void = {},
        grace: Duration = .seconds(2), terminateGrace: Duration = .seconds(2)
    ) async -> StopReport {
        let clock = ContinuousClock()
        let start = clock.now
        var report = StopReport()
        func record(_ step: StopReport.Step) {
            report.steps.append(.init(step: step, at: clock.now - start))
        }

        var status = child.exitStatus
        if status == nil {
            record(.askedToExit)
            let deadline = start.advanced(by: grace)
            await runBounded(askToExit, until: deadline)
            child.closeStdin()
            status = await child.waitForExit(timeout: max(deadline - clock.now, .zero))
        }
        if status == nil {
            record(.sentSIGTERM)
            child.signalGroup(SIGTERM)
            status = await child.waitForExit(timeout: terminateGrace)
        }
        if status == nil {
            record(.sentSIGKILL)
            child.signalGroup(SIGKILL)
            status = await child.waitForExit(timeout: Self.killWait)
        }
        child.closeStdin()
        if let status {
            record(.exited(status))
            // The leader is gone; anything still in its group (a plugin's own children) goes too.
            if child.signalGroup(SIGKILL) {
                record(.killedLeftoverGroupMembers(reaped: child.reapGroupMembers(timeout: .seconds(1))))
            }
        } else {
            logger.critical("plugin process survived SIGKILL; giving up waiting for it")
        }
        await stdoutReader.finish(within: Self.drainWait)
        await stderrReader.finish(within: Self.drainWait)
        record(.readersClosed)
        report.exitStatus = status
        logger.debug("plugin process stopped", metadata: ["steps": .string(report.description)])
        return report
    }

    static func childEnvironment(manifest: PluginManifest, options: PluginLaunchOptions) -> [String: String] {
        var environment: [String: String] = [:]
        if options.inheritEnvironment {
            environment = ProcessInfo.processInfo.environment.filter { !PluginEnvironmentKeys.reserved.contains($0.key) }
        } else if let path = ProcessInfo.processInfo.environment["PATH"] {
            environment["PATH"] = path
        }
        environment.merge(options.extraEnvironment) { _, new in new }
        environment[PluginEnvironmentKeys.magicCookieKey] = PluginEnvironmentKeys.magicCookieValue
        environment[PluginEnvironmentKeys.apiTarget] = options.apiTarget
        environment[PluginEnvironmentKeys.apiSecret] = options.apiSecret
        environment[PluginEnvironmentKeys.pluginID] = manifest.id
        return environment
    }
}

private enum StdoutEvent: Sendable {
    case line(String)
    case endOfFile
}

/// Runs `operation` but stops waiting for it at `deadline` (the operation is cancelled).
func runBounded(_ operation: @escaping @Sendable () async -> Void, until deadline: ContinuousClock.Instant) async {
    await withTaskGroup(of: Void.self) { group in
        group.addTask { await operation() }
        group.addTask { try? await Task.sleep(until: deadline, clock: .continuous) }
        _ = await group.next()
        group.cancelAll()
    }
}
