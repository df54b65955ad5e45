import Foundation
import Logging
import Testing

@testable import PluginHost

#if canImport(Glibc)
import Glibc
#endif

/// A hostile plugin next to a running one: nothing it can reach from /proc, the API server
/// or the hooks socket gets it anywhere. The spy (python/test_plugins/spy_neighbour) uses no
/// SDK, and gets the host's treatment of any plugin (capabilities dropped, allowlisted
/// environment, its own descriptor 3).
@Suite(.serialized) struct IsolationTests {
    /// The spy's "spy NAME=OUTCOME" lines as a dictionary.
    private func spyFindings(_ records: RecordingLogHandler.Storage) -> [String: String] {
        var findings: [String: String] = [:]
        for record in records.all where record.message.hasPrefix("spy ") {
            let body = record.message.dropFirst("spy ".count)
            guard let equals = body.firstIndex(of: "=") else { continue }
            findings[String(body[..<equals])] = String(body[body.index(after: equals)...])
        }
        return findings
    }

    @Test func aSpyPluginCannotReadOrUseANeighboursCredentials() async throws {
        ensureHostOnlySecretInEnvironment()
        try await withTestHost(plugins: ["testkit"]) { host in
            let id = "test.testkit"
            try await host.environment.activate(id)
            let victim = try #require(await host.environment.supervisor(for: id))
            let victimPID = try #require(await victim.pid)
            let secrets = try #require(await victim.currentSecrets)
            let apiTarget = try #require(await victim.apiAddress).description
            guard case .unix(let hooksSocket) = try #require(await victim.hooksAddress) else {
                Issue.record("the hooks are not on a Unix socket")
                return
            }

            // The host (root, or the same user) reads the victim's environment: no secret and
            // nothing of the host's own environment beyond the allowlist.
            let environ = try #require(FileManager.default.contents(atPath: "/proc/\(victimPID)/environ"))
            let environment = String(decoding: environ, as: UTF8.self)
            #expect(!environment.contains("AWS_SECRET_ACCESS_KEY"))
            #expect(!environment.contains(secrets.api) && !environment.contains(secrets.hooks))

            let spyFolder = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: spyFolder) }
            var options = testLaunchOptions(hooksSocketPath: spyFolder + "/hooks.sock")
            options.extraEnvironment.merge([
                "SPY_VICTIM_PID": "\(victimPID)", "SPY_VICTIM_API_TARGET": apiTarget,
                "SPY_VICTIM_HOOKS_SOCKET": hooksSocket, "SPY_STOLEN_API_SECRET": secrets.api,
            ]) { _, new in new }
            let (logger, records) = makeRecordingLogger()
            let spy = try await PluginProcess.launch(
                directory: Repository.testPlugin("spy_neighbour"), options: options, logger: logger)
            let finished = await eventually(timeout: .seconds(60)) { spyFindings(records)["done"] == "yes" }
            let findings = spyFindings(records)
            _ = await spy.stop(grace: .seconds(2))
            #expect(finished, "\(records.all.map(\.message))")

            // /proc: the victim made itself undumpable and the spy holds no capability.
            #expect(findings["environ"]?.hasPrefix("denied:") == true, "\(findings)")
            #expect(findings["fd3"]?.hasPrefix("denied:") == true, "\(findings)")
            #expect(findings["mem"]?.hasPrefix("denied:") == true, "\(findings)")
            #expect(findings["secrets-found"] == "none", "\(findings)")
            // The API refuses the spy even with the victim's real secret: it is not the victim's process.
            #expect(findings["api-stolen-secret"] == "UNAUTHENTICATED:the caller is not this plugin's process",
                    "\(findings)")
            #expect(findings["api-no-secret"]?.hasPrefix("UNAUTHENTICATED:") == true, "\(findings)")
            #expect(!findings.keys.contains { $0.hasPrefix("api-found-") }, "\(findings)")
            // The victim's hooks (Shutdown, health) refuse a caller without the hooks secret.
            #expect(findings["hooks-no-secret"]?.hasPrefix("UNAUTHENTICATED") == true, "\(findings)")
            #expect(findings["hooks-wrong-secret"]?.hasPrefix("UNAUTHENTICATED") == true, "\(findings)")
            #expect(findings["hooks-health-no-secret"]?.hasPrefix("UNAUTHENTICATED") == true, "\(findings)")
            // Nothing the spy did reached the victim: it still runs and serves the host.
            #expect(await victim.pid == victimPID)
            #expect(await host.environment.state(of: id) == .active)
            #expect(await host.environment.messageWillBePosted(makePost("modify")) == .allowed(makePost("modify [modified]")))
        }
    }

    @Test func aSetsidGrandchildIsKilledAndReapedAtStop() async throws {
        #expect(becomeChildSubreaper())
        let (logger, records) = makeRecordingLogger()
        let process = try await PluginProcess.launch(
            directory: Repository.testPlugin("spy_setsid_grandchild"), options: testLaunchOptions(), logger: logger)
        #expect(await eventually { !records.matching("grandchild pid=").isEmpty })
        let line = try #require(records.matching("grandchild pid=").first?.message)
        let fields = line.split(separator: " ")
        let grandchild = try #require(Int32(fields[1].dropFirst("pid=".count)))
        let session = try #require(Int32(fields[2].dropFirst("sid=".count)))
        // In a session (and so a process group) the middle process made, not the plugin's,
        // and re-parented to the plugin (a subreaper) when the middle process exited.
        #expect(session != getsid(process.pid) && session != getpgid(process.pid))
        #expect(ProcessTree.stat(of: grandchild)?.parent == process.pid)

        let report = await process.stop(grace: .seconds(3), terminateGrace: .seconds(2))
        #expect(report.exitStatus == .exited(code: 0))
        #expect(report.contains(.killedDescendants(1)), "\(report)")
        // Gone, not a zombie: /proc has no entry once it was reaped.
        #expect(!processExists(grandchild))
    }

    @Test func aDaemonOfACrashedPluginIsKilledAndReapedWhenItIsRestarted() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write(#"{"id":"test.daemon_then_crash","version":"1","server":{"executable":"plugin.py","runtime":"python"}}"#,
                  to: folder + "/plugin.json")
        // Double-forks a daemon in a new session, then runs the testkit (whose /crash exits hard).
        try write("""
            import os, sys, time
            sys.path.insert(0, "\(Repository.root)/python/test_plugins")
            middle = os.fork()
            if middle == 0:
                os.setsid()
                if os.fork() == 0:
                    sys.stderr.write("[INFO] daemon pid=%d\\n" % os.getpid())
                    sys.stderr.flush()
                    while True:
                        time.sleep(60)
                os._exit(0)
            os.waitpid(middle, 0)
            from testkit import TestKitPlugin
            from mattermost_plugin import run
            run(TestKitPlugin())
            """, to: folder + "/plugin.py")
        try await withTestHost(plugins: [], extraFolders: [folder], configure: {
            $0.healthCheckInterval = .milliseconds(100)
            $0.restartPolicy = RestartPolicy(initialBackoff: .seconds(30), maximumFailures: 5)
        }) { host in
            let id = "test.daemon_then_crash"
            try await host.environment.activate(id)
            #expect(await eventually { !host.records.matching("daemon pid=").isEmpty })
            let line = try #require(host.records.matching("daemon pid=").first?.message)
            let daemon = try #require(Int32(line.dropFirst("daemon pid=".count)))
            let supervisor = try #require(await host.environment.supervisor(for: id))
            let process = try #require(await supervisor.running?.process)
            // A health check has seen the daemon in the plugin's tree.
            #expect(await eventually { process.rememberedDescendantCount >= 1 })

            _ = try? await host.environment.executeCommand(pluginID: id, command("/crash"))
            #expect(await eventuallyAsync(timeout: .seconds(20)) { await supervisor.state.isRestarting })
            // The crashed plugin's orphan went to the host; the failure teardown killed and reaped it.
            #expect(await eventually(timeout: .seconds(10)) { !processExists(daemon) })
        }
    }

    @Test func aMillionStderrLinesAreRateLimitedEscapedAndCut() async throws {
        let (logger, records) = makeRecordingLogger()
        var options = testLaunchOptions()
        options.stderrLimits.linesPerSecond = 100
        options.stderrLimits.burst = 50
        let residentBefore = residentSetKiB()
        let clock = ContinuousClock()
        let start = clock.now
        let process = try await PluginProcess.launch(
            directory: Repository.testPlugin("spy_stderr_flood"), options: options, logger: logger)
        // The last lines are remembered whatever the rate limit logged.
        let done = await eventually(timeout: .seconds(120)) { process.lastStderrLine == "[INFO] flood done" }
        let elapsed = clock.now - start
        let residentAfter = residentSetKiB()
        _ = await process.stop(grace: .seconds(2))
        #expect(done)

        let stderrRecords = records.all.filter { $0.metadata["source"] == "stderr" }
        let dropped = stderrRecords.compactMap { record -> Int? in
            guard case .string(let count) = record.metadata["dropped_lines"] else { return nil }
            return Int(count)
        }
        let logged = stderrRecords.count - dropped.count
        // The bucket: its burst plus its rate over the run (plus one for the last refill).
        let seconds = Double(elapsed.components.seconds) + 1
        #expect(Double(logged) <= 50 + 100 * seconds + 1, "logged \(logged) lines in \(elapsed)")
        #expect(!dropped.isEmpty)
        // Every line is either logged or counted as dropped (the long line arrives in 16 KiB pieces).
        #expect(logged + dropped.reduce(0, +) == 1_000_000 + 7 + 1, "logged \(logged), dropped \(dropped.reduce(0, +))")
        #expect(stderrRecords.allSatisfy { !$0.message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f } })
        #expect(stderrRecords.contains { $0.message.contains("\\x1b[31mred\\x1b[0m\\x0d forged") })
        #expect(stderrRecords.allSatisfy { $0.message.utf8.count <= 2048 + 32 })
        #expect(process.lastStderrLines.contains { $0.hasSuffix("x [cut 14336 bytes]") }, "\(process.lastStderrLines)")
        // 45 MB went through the pipe; the host kept none of it.
        #expect(residentAfter - residentBefore < 64 * 1024, "RSS grew by \(residentAfter - residentBefore) KiB")
    }

    /// VmRSS of this process.
    private func residentSetKiB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }
}
