import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Settings for starting one plugin process.
public struct PluginLaunchOptions: Sendable {
    /// Where the plugin's PluginAPI server listens (a gRPC target string).
    public var apiTarget: String
    /// The Unix socket path the plugin must serve its hooks on (in the launch's runtime folder).
    public var hooksSocketPath: String
    /// The secrets the plugin reads from descriptor 3.
    var secrets: LaunchSecrets
    /// How long the plugin may take to print its handshake line.
    public var startTimeout: Duration
    /// Whether the child gets the host's whole environment instead of the allowlist
    /// (PATH, LANG, LC_*, HOME, TMPDIR). Only for hosts that keep no secret in theirs.
    public var inheritEnvironment: Bool
    /// Added to the environment (over inherited values, under the host's own plugin
    /// variables), e.g. PYTHONPATH for the SDK.
    public var extraEnvironment: [String: String]
    public var stderrLimits: StderrLimits

    public init(
        apiTarget: String, hooksSocketPath: String, apiSecret: String, hooksSecret: String,
        startTimeout: Duration = .seconds(10), inheritEnvironment: Bool = false,
        extraEnvironment: [String: String] = [:], stderrLimits: StderrLimits = .init()
    ) {
        self.apiTarget = apiTarget
        self.hooksSocketPath = hooksSocketPath
        self.secrets = LaunchSecrets(api: apiSecret, hooks: hooksSecret)
        self.startTimeout = startTimeout
        self.inheritEnvironment = inheritEnvironment
        self.extraEnvironment = extraEnvironment
        self.stderrLimits = stderrLimits
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
    private let descendants: PluginDescendants
    private let logger: Logger
    /// When the process was started, for uptimes in crash reports.
    public let startedAt: ContinuousClock.Instant
    /// The interpreter it runs under, and why that one.
    public let interpreter: PythonInterpreter.Choice

    /// How long stop waits for SIGKILL to take effect before giving up on the reap.
    static let killWait: Duration = .seconds(5)
    /// How long pipes may stay open after the process ended before the readers give up.
    static let drainWait: Duration = .seconds(1)

    private init(
        manifest: PluginManifest, directory: String, handshake: Handshake, child: ChildProcess,
        stdoutReader: LineReader, stderrReader: LineReader, stderrForwarder: StderrForwarder,
        descendants: PluginDescendants, startedAt: ContinuousClock.Instant, interpreter: PythonInterpreter.Choice,
        logger: Logger
    ) {
        self.manifest = manifest
        self.directory = directory
        self.handshake = handshake
        self.child = child
        self.stdoutReader = stdoutReader
        self.stderrReader = stderrReader
        self.stderrForwarder = stderrForwarder
        self.descendants = descendants
        self.startedAt = startedAt
        self.interpreter = interpreter
        self.logger = logger
    }

    public var pid: Int32 { child.pid }
    public var exitStatus: ExitStatus? { child.exitStatus }
    public var lastStderrLines: [String] { stderrForwarder.lastLines }
    /// The most recent line of output (cheaper than `lastStderrLines` when only it matters).
    public var lastStderrLine: String? { stderrForwarder.lastLine }

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
        let environment = ChildEnvironment.make(
            pluginID: manifest.id, apiTarget: options.apiTarget, hooksSocket: options.hooksSocketPath,
            extras: [options.extraEnvironment], inheritAll: options.inheritEnvironment)
        let interpreter: PythonInterpreter.Choice
        do {
            interpreter = try PythonInterpreter.choose(
                pluginDirectory: directory, pythonVersion: manifest.server.pythonVersion,
                searchPath: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        } catch {
            throw PluginStartError(pluginID: manifest.id, reason: .noInterpreter(error))
        }
        baseLogger.info(
            "interpreter: \(interpreter)", metadata: ["plugin": .string(manifest.id)])

        let credentials: CredentialsChannel
        do {
            credentials = try CredentialsChannel(delivering: options.secrets)
        } catch {
            throw PluginStartError(pluginID: manifest.id, reason: .spawnFailed(error.description))
        }
        let child: ChildProcess
        let startedAt = ContinuousClock.now
        let credentialsFD = credentials.childEnd
        let workingDirectory = realPath(directory) ?? directory
        do {
            // The spawn returns once the exec happened (or failed), within milliseconds.
            // -u: unbuffered, so stray prints and tracebacks reach the log line by line.
            child = try ChildProcess.spawn(
                executable: interpreter.path, arguments: [interpreter.path, "-u", script],
                environment: environment, workingDirectory: workingDirectory, credentials: credentialsFD)
        } catch {
            credentials.closeChildEnd()
            throw PluginStartError(pluginID: manifest.id, reason: .spawnFailed(error.description))
        }
        credentials.closeChildEnd()
        let descendants = PluginDescendants(leader: child.pid)
        var logger = baseLogger
        logger[metadataKey: "plugin"] = .string(manifest.id)
        logger[metadataKey: "pid"] = .stringConvertible(child.pid)

        let forwarder = StderrForwarder(logger: logger, limits: options.stderrLimits)
        let stderrReader = LineReader(
            fd: child.stderrFD, name: "plugin-stderr-\(child.pid)",
            onLine: { line in forwarder.forward(line) }, onEnd: { forwarder.finish() })
        let firstLine = AsyncSignal<StdoutEvent>()
        let stdoutReader = LineReader(
            fd: child.stdoutFD, name: "plugin-stdout-\(child.pid)",
            onLine: { line in
                // Only the first line is protocol; later output is logged like stderr (same
                // bucket, escaping and cut), so stdout is no way around the limits.
                if firstLine.value != nil {
                    forwarder.forward(line, source: "stdout")
                } else {
                    firstLine.fulfill(.line(String(decoding: line, as: UTF8.self)))
                }
            },
            onEnd: { firstLine.fulfill(.endOfFile) })

        func fail(_ reason: PluginStartError.Reason) async -> PluginStartError {
            child.closeStdin()
            descendants.snapshot()
            child.signalGroup(SIGKILL)
            _ = await child.waitForExit(timeout: killWait)
            _ = await killAndReapDescendants(descendants, pid: child.pid, timeout: .milliseconds(500))
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
                    descendants: descendants, startedAt: startedAt, interpreter: interpreter, logger: logger)
            } catch {
                throw await fail(.badHandshake(error))
            }
        }
    }

    /// How many descendants the host remembers for this process (living or not).
    var rememberedDescendantCount: Int { descendants.trackedCount }

    /// Remembers the plugin's current descendants, so they are killed at stop even if the
    /// plugin itself dies first (its orphans then belong to the host, out of its tree).
    /// Reads /proc; waits for nothing.
    func rememberDescendants() { descendants.snapshot() }

    /// Ends the process in order: `askToExit` (e.g. a Shutdown RPC) and closing its stdin,
    /// then up to `grace` for it to exit, then SIGTERM to its process group and up to
    /// `terminateGrace`, then SIGKILL. Always reaps it, freezes, kills and reaps every
    /// descendant it left (also those in other sessions), and closes its pipes before
    /// returning.
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
        let child = self.child
        let descendants = self.descendants
        /// Remembers the descendants (while the plugin still links them), then signals.
        func signalTree(_ signal: Int32) {
            descendants.snapshot()
            child.signalGroup(signal)
        }

        var status = child.exitStatus
        if status == nil {
            descendants.snapshot()
            record(.askedToExit)
            let deadline = start.advanced(by: grace)
            await runBounded(askToExit, until: deadline)
            child.closeStdin()
            status = await child.waitForExit(timeout: max(deadline - clock.now, .zero))
        }
        if status == nil {
            record(.sentSIGTERM)
            signalTree(SIGTERM)
            status = await child.waitForExit(timeout: terminateGrace)
        }
        if status == nil {
            record(.sentSIGKILL)
            signalTree(SIGKILL)
            status = await child.waitForExit(timeout: Self.killWait)
        }
        child.closeStdin()
        if let status {
            record(.exited(status))
        } else {
            logger.critical("plugin process survived SIGKILL; giving up waiting for it")
        }
        // Whatever the plugin started and left behind goes too.
        let killed = await killAndReapDescendants(descendants, pid: child.pid, timeout: .seconds(2))
        if killed > 0 { record(.killedDescendants(killed)) }
        await stdoutReader.finish(within: Self.drainWait)
        await stderrReader.finish(within: Self.drainWait)
        record(.readersClosed)
        report.exitStatus = status
        logger.debug("plugin process stopped", metadata: ["steps": .string(report.description)])
        return report
    }
}

/// Freezes, kills and reaps what is left of a plugin's tree. The reaping waits, so it runs
/// on a thread of its own, and only when something is left.
private func killAndReapDescendants(_ descendants: PluginDescendants, pid: pid_t, timeout: Duration) async -> Int {
    guard descendants.anyLeft() else { return 0 }
    return await runOnDedicatedThread(name: "plugin-reap-\(pid)") { descendants.killAll(timeout: timeout) }
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
