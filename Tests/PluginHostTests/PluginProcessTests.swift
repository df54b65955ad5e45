import Foundation
import Logging
import Testing

@testable import PluginHost

#if canImport(Glibc)
import Glibc
#endif

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

    @Test func childGetsItsEnvironmentWorkingDirectoryAndProcessGroup() async throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(#"{"id":"env.probe","version":"1","server":{"executable":"probe.py","runtime":"python"}}"#,
                  to: root + "/plugin.json")
        try write("""
            import os, sys
            keys = ["MATTERMOST_PLUGIN_MAGIC_COOKIE", "MATTERMOST_PLUGIN_API_TARGET", "MATTERMOST_PLUGIN_ID",
                    "MATTERMOST_PLUGIN_API_SECRET", "PROBE_EXTRA"]
            for key in keys:
                sys.stderr.write("[INFO] %s=%s\\n" % (key, os.environ.get(key)))
            sys.stderr.write("[INFO] cwd=%s\\n" % os.getcwd())
            sys.stderr.write("[INFO] pgid-is-pid=%s\\n" % (os.getpgid(0) == os.getpid()))
            sys.stderr.write("[INFO] fds=%s\\n" % sorted(int(fd) for fd in os.listdir("/proc/self/fd")))
            sys.stdout.write("1|1|tcp|127.0.0.1:9|grpc\\n")
            sys.stdout.flush()
            sys.stdin.read()
            """, to: root + "/probe.py")
        // An inheritable descriptor of ours that must not reach the child.
        let leakCandidate = open("/dev/null", O_RDONLY)
        defer { close(leakCandidate) }

        let (logger, records) = makeRecordingLogger()
        var options = testLaunchOptions(apiTarget: "127.0.0.1:4242", secret: "s3cret")
        options.extraEnvironment["PROBE_EXTRA"] = "extra-value"
        let process = try await PluginProcess.launch(directory: root, options: options, logger: logger)
        defer { Task { _ = await process.stop() } }
        #expect(await eventually { !records.matching("fds=").isEmpty })
        let lines = Set(records.all.map(\.message))
        #expect(lines.contains("MATTERMOST_PLUGIN_MAGIC_COOKIE=\(PluginEnvironmentKeys.magicCookieValue)"))
        #expect(lines.contains("MATTERMOST_PLUGIN_API_TARGET=127.0.0.1:4242"))
        #expect(lines.contains("MATTERMOST_PLUGIN_ID=env.probe"))
        #expect(lines.contains("MATTERMOST_PLUGIN_API_SECRET=s3cret"))
        #expect(lines.contains("PROBE_EXTRA=extra-value"))
        #expect(lines.contains("cwd=\(realPath(root) ?? root)"))
        #expect(lines.contains("pgid-is-pid=True"))
        // Python's listdir itself opens one descriptor (3); nothing else is inherited.
        #expect(lines.contains("fds=[0, 1, 2, 3]"))
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
        #expect(elapsed < .seconds(12))
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
        #expect(report.contains(.killedLeftoverGroupMembers(reaped: 1)))
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
