import Foundation
import Logging
import Testing

@testable import PluginHost

#if canImport(Glibc)
import Glibc
#endif

/// The interpreter binary behind `python3` on PATH (past wrappers such as pyenv shims).
/// The wait for it runs on a thread of its own, not the shared test pool's.
func realPythonExecutable() async throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import sys; print(sys.executable)"]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let reader = output.fileHandleForReading
    let text = await runOnDedicatedThread(name: "python-lookup") {
        let text = String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Launching and stopping real Python processes, without any gRPC traffic.
@Suite struct PluginProcessTests {
    private func startFailure(
        _ plugin: String, startTimeout: Duration = .seconds(15)
    ) async -> (PluginStartError?, RecordingLogHandler.Storage) {
        let (logger, records) = makeRecordingLogger()
        do {
            let process = try await PluginProcess.launch(
                directory: Repository.testPlugin(plugin), options: testLaunchOptions(startTimeout: startTimeout),
                logger: logger)
            _ = await process.stop(grace: .milliseconds(100), terminateGrace: .milliseconds(100))
            return (nil, records)
        } catch {
            return (error, records)
        }
    }

    @Test func handshakeAndStderrLevelsAndPoliteExit() async throws {
        let (logger, records) = makeRecordingLogger()
        let process = try await PluginProcess.launch(
            directory: Repository.testPlugin("exits_on_stdin_close"), options: testLaunchOptions(), logger: logger)
        #expect(process.handshake.address == .unix(path: "/tmp/not-a-real-socket"))
        #expect(process.manifest.id == "test.exits_on_stdin_close")

        #expect(await eventually { records.matching("raw line").count == 1 })
        let levels = ["debug line": Logger.Level.debug, "info line": .info, "warn line": .warning,
                      "error line": .error, "raw line": .warning]
        for (message, level) in levels {
            let record = try #require(records.all.first { $0.message == message })
            #expect(record.level == level)
            #expect(record.metadata["plugin"] == .string("test.exits_on_stdin_close"))
        }

        let pid = process.pid
        let report = await process.stop(grace: .seconds(5), terminateGrace: .seconds(1))
        #expect(report.exitStatus == .exited(code: 0))
        #expect(report.contains(.askedToExit))
        #expect(!report.contains(.sentSIGTERM))
        #expect(!report.contains(.sentSIGKILL))
        #expect(!processExists(pid))
        #expect(await eventually { !records.matching("stdin closed, bye").isEmpty })
    }

    @Test func childGetsAllowlistedEnvironmentCredentialsOnFD3AndNoCapabilities() async throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(#"{"id":"env.probe","version":"1","server":{"executable":"probe.py","runtime":"python"}}"#,
                  to: root + "/plugin.json")
        try write("""
            import os, stat, sys
            def say(text):
                sys.stderr.write("[INFO] %s\\n" % text)
            # Before anything opens a descriptor: what is open, and what fd 3 is.
            say("fds=%s" % sorted(int(fd) for fd in os.listdir("/proc/self/fd")))
            say("fd3-is-socket=%s" % stat.S_ISSOCK(os.fstat(3).st_mode))
            data = b""
            while True:
                chunk = os.read(3, 4096)
                if not chunk:
                    break
                data += chunk
            os.close(3)
            say("credentials=%s" % data.decode().replace("\\n", ";"))
            say("environment=%s" % ",".join(sorted(os.environ)))
            for key in ["MATTERMOST_PLUGIN_MAGIC_COOKIE", "MATTERMOST_PLUGIN_API_TARGET", "MATTERMOST_PLUGIN_ID",
                        "MATTERMOST_PLUGIN_HOOKS_SOCKET", "MATTERMOST_PLUGIN_CREDENTIALS_FD", "PROBE_EXTRA"]:
                say("%s=%s" % (key, os.environ.get(key)))
            say("cwd=%s" % os.getcwd())
            say("pgid-is-pid=%s" % (os.getpgid(0) == os.getpid()))
            for line in open("/proc/self/status"):
                if line.split(":")[0] in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs"):
                    say(line.strip().replace(":\\t", "=").replace("\\t", ""))
            sys.stdout.write("1|2|unix|%s|grpc\\n" % os.environ["MATTERMOST_PLUGIN_HOOKS_SOCKET"])
            sys.stdout.flush()
            sys.stdin.read()
            """, to: root + "/probe.py")
        // The real interpreter as the plugin's venv: a wrapper (a pyenv shim) would add variables of its own.
        try FileManager.default.createDirectory(atPath: root + "/venv/bin", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/venv/bin/python3", withDestinationPath: try await realPythonExecutable())
        // An inheritable descriptor of ours that must not reach the child, and a host secret
        // that must not reach it through the environment.
        let leakCandidate = open("/dev/null", O_RDONLY)
        defer { close(leakCandidate) }
        ensureHostOnlySecretInEnvironment()

        let (logger, records) = makeRecordingLogger()
        let apiSecret = LaunchSecrets.makeSecret()
        let hooksSecret = LaunchSecrets.makeSecret()
        var options = testLaunchOptions(
            apiTarget: "unix:/run/probe/api.sock", hooksSocketPath: root + "/hooks.sock", apiSecret: apiSecret,
            hooksSecret: hooksSecret)
        options.extraEnvironment["PROBE_EXTRA"] = "extra-value"
        options.extraEnvironment["MATTERMOST_PLUGIN_ID"] = "an-extra-may-not-override-this"
        let process = try await PluginProcess.launch(directory: root, options: options, logger: logger)
        #expect(await eventually { !records.matching("NoNewPrivs=").isEmpty })
        let lines = Set(records.all.map(\.message))
        // Only 0, 1, 2 and the credentials socket; nothing else of the host leaks in.
        #expect(lines.contains("fds=[0, 1, 2, 3, 4]") || lines.contains("fds=[0, 1, 2, 3]"), "\(lines)")
        #expect(lines.contains("fd3-is-socket=True"))
        #expect(lines.contains("credentials=api_secret=\(apiSecret);hooks_secret=\(hooksSecret);"))
        let environment = try #require(records.all.first { $0.message.hasPrefix("environment=") }?.message)
        let names = Set(environment.dropFirst("environment=".count).split(separator: ",").map(String.init))
        let allowed: Set<String> = ["PATH", "LANG", "HOME", "TMPDIR", "PYTHONPATH", "PROBE_EXTRA",
                                    "MATTERMOST_PLUGIN_MAGIC_COOKIE", "MATTERMOST_PLUGIN_API_TARGET",
                                    "MATTERMOST_PLUGIN_ID", "MATTERMOST_PLUGIN_HOOKS_SOCKET",
                                    "MATTERMOST_PLUGIN_CREDENTIALS_FD"]
        #expect(names.allSatisfy { allowed.contains($0) || $0.hasPrefix("LC_") }, "\(names)")
        #expect(!names.contains("AWS_SECRET_ACCESS_KEY"))
        #expect(!environment.contains(apiSecret) && !environment.contains(hooksSecret))
        #expect(lines.contains("MATTERMOST_PLUGIN_MAGIC_COOKIE=\(PluginEnvironmentKeys.magicCookieValue)"))
        #expect(lines.contains("MATTERMOST_PLUGIN_API_TARGET=unix:/run/probe/api.sock"))
        #expect(lines.contains("MATTERMOST_PLUGIN_ID=env.probe"))
        #expect(lines.contains("MATTERMOST_PLUGIN_HOOKS_SOCKET=\(root)/hooks.sock"))
        #expect(lines.contains("MATTERMOST_PLUGIN_CREDENTIALS_FD=3"))
        #expect(lines.contains("PROBE_EXTRA=extra-value"))
        #expect(lines.contains("cwd=\(realPath(root) ?? root)"))
        #expect(lines.contains("pgid-is-pid=True"))
        if geteuid() == 0 {
            // A root host's plugin holds no capability and cannot gain one.
            for set in ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"] {
                #expect(lines.contains("\(set)=0000000000000000"), "\(set)")
            }
            #expect(lines.contains("NoNewPrivs=1"))
        }
        let report = await process.stop(grace: .seconds(5))
        #expect(report.exitStatus == .exited(code: 0))
    }

    @Test func wrongCoreVersionIsAClearStartError() async throws {
        let (error, _) = await startFailure("bad_version")
        let failure = try #require(error)
        #expect(failure.pluginID == "test.bad_version")
        #expect(failure.reason == .badHandshake(.unsupportedCoreVersion(2)))
        #expect(failure.lastStderrLines.contains("[INFO] about to print a handshake with core version 2"))
        #expect(failure.description.contains("plugin test.bad_version failed to start"))
        #expect(failure.description.contains("about to print a handshake"))
    }

    @Test func wrongProtocolIsAStartError() async throws {
        let (error, _) = await startFailure("bad_protocol")
        #expect(error?.reason == .badHandshake(.unsupportedProtocol("netrpc")))
    }

    @Test func junkBeforeTheHandshakeIsAStartError() async throws {
        let (error, _) = await startFailure("junk_before_handshake")
        #expect(error?.reason == .badHandshake(.notAHandshake(line: "hello from a chatty plugin")))
    }

    @Test func earlyExitReportsStatusAndLastStderrLines() async throws {
        let (error, _) = await startFailure("early_exit")
        let failure = try #require(error)
        #expect(failure.reason == .exitedBeforeHandshake(.exited(code: 3)))
        #expect(failure.lastStderrLines == ["[ERROR] cannot load settings: file missing", "giving up"])
        #expect(failure.description.contains("cannot load settings"))
    }

    @Test func handshakeTimeoutKillsAndReapsThePlugin() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let (error, records) = await startFailure("never_handshakes", startTimeout: .seconds(4))
        let elapsed = clock.now - start
        let failure = try #require(error)
        #expect(failure.reason == .handshakeTimeout(.seconds(4)))
        #expect(failure.lastStderrLines.contains("[INFO] thinking very hard before the handshake"))
        // The reason above shows the 4 s start timeout fired; this only shows the start did not hang
        // (generous: timers run late on a loaded 2-core machine running the suite in parallel).
        #expect(elapsed < .seconds(120))
        let pid = try #require(records.all.compactMap { record -> Int32? in
            if case .stringConvertible(let value) = record.metadata["pid"] { return Int32("\(value)") }
            return nil
        }.first)
        #expect(!processExists(pid))
    }

    @Test func pluginRunByHandRefusesToStart() async throws {
        let python = try PythonInterpreter.locate(
            pluginDirectory: "/nonexistent", pythonVersion: nil,
            searchPath: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Repository.testPlugin("testkit") + "/plugin.py"]
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = Repository.pythonSDK
        environment.removeValue(forKey: PluginEnvironmentKeys.magicCookieKey)
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(output.contains("started by the plugin host"))
    }

    @Test func crashAfterHandshakeIsObservedWithItsStatus() async throws {
        let (logger, records) = makeRecordingLogger()
        let process = try await PluginProcess.launch(
            directory: Repository.testPlugin("crashes_after_handshake"), options: testLaunchOptions(), logger: logger)
        let status = await process.waitForExit(timeout: .seconds(10))
        #expect(status == .exited(code: 7))
        #expect(await eventually { records.all.contains { $0.message == "segfault imminent" && $0.level == .error } })
        let report = await process.stop()
        #expect(!report.contains(.askedToExit))
        #expect(report.exitStatus == .exited(code: 7))
    }

    @Test func pluginIgnoringSIGTERMIsKilled() async throws {
        let (logger, records) = makeRecordingLogger()
        let process = try await PluginProcess.launch(
            directory: Repository.testPlugin("ignores_sigterm"), options: testLaunchOptions(), logger: logger)
        #expect(await eventually { !records.matching("cannot stop me").isEmpty })
        let pid = process.pid
        let report = await process.stop(grace: .milliseconds(300), terminateGrace: .milliseconds(300))
        let order = report.steps.map(\.step)
        #expect(order.prefix(4) == [.askedToExit, .sentSIGTERM, .sentSIGKILL, .exited(.signaled(signal: SIGKILL))])
        #expect(report.exitStatus == .signaled(signal: SIGKILL))
        #expect(!processExists(pid))
    }

    @Test func pluginsOwnChildIsNotOrphaned() async throws {
        #expect(becomeChildSubreaper())
        let (logger, records) = makeRecordingLogger()
        let process = try await PluginProcess.launch(
            directory: Repository.testPlugin("spawns_child"), options: testLaunchOptions(), logger: logger)
        #expect(await eventually { !records.matching("spawned grandchild pid=").isEmpty })
        let line = try #require(records.matching("spawned grandchild pid=").first?.message)
        let grandchild = try #require(Int32(line.split(separator: "=").last ?? ""))
        #expect(processExists(grandchild))

        let report = await process.stop(grace: .seconds(5), terminateGrace: .seconds(2))
        // The plugin exits politely, leaving its child behind: the host kills and reaps it.
        #expect(report.exitStatus == .exited(code: 0))
        #expect(report.contains(.killedDescendants(1)))
        #expect(await eventually(timeout: .seconds(10)) { !processExists(grandchild) })
    }

    @Test func noPipeOfAStoppedPluginStaysOpen() async throws {
        let (logger, _) = makeRecordingLogger()
        var pipes: Set<String> = []
        for _ in 0..<3 {
            let process = try await PluginProcess.launch(
                directory: Repository.testPlugin("exits_on_stdin_close"), options: testLaunchOptions(), logger: logger)
            // The child's stdin/stdout/stderr are the other ends of our three pipes.
            let childPipes = descriptorTargets(of: "\(process.pid)").filter { $0.hasPrefix("pipe:") }
            #expect(childPipes.count == 3)
            #expect(childPipes.isSubset(of: descriptorTargets()))
            pipes.formUnion(childPipes)
            _ = await process.stop()
        }
        #expect(pipes.count == 9)
        #expect(pipes.isDisjoint(with: descriptorTargets()), "pipes left open: \(pipes.intersection(descriptorTargets()))")
    }
}
