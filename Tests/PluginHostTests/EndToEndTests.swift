import Foundation
import PluginHostDemo
import RPC
import Synchronization
import Testing

@testable import PluginHost

#if canImport(Glibc)
import Glibc
#endif

/// The host against real Python plugins over real gRPC, both directions.
@Suite(.serialized) struct EndToEndTests {
    @Test func happyPathHooksAPICallsAndOrderedShutdown() async throws {
        let log = StopRaceTests.EventLog()
        try await withTestHost(plugins: ["testkit"], configure: { $0.onEvent = { log.add($0) } }) { host in
            let id = "test.testkit"
            try await host.environment.activate(id)
            #expect(await host.environment.state(of: id) == .active)
            // OnActivate ran and called back into the API (KVSet through the secret check).
            #expect(host.value(id, "activated") == "yes")

            let supervisor = try #require(await host.environment.supervisor(for: id))
            let pid = try #require(await supervisor.pid)
            guard case .unix(let apiPath) = try #require(await supervisor.apiAddress) else {
                Issue.record("the API is not on a Unix socket")
                return
            }
            #expect(isListening(unixPath: apiPath))
            #expect(await supervisor.implementedHooks.isSuperset(of: [.onActivate, .messageWillBePosted, .serveHTTP]))

            let modified = await host.environment.messageWillBePosted(makePost("modify me"))
            #expect(modified == .allowed(makePost("modify me [modified]")),
                    "\(host.records.all.filter { $0.level >= .warning }.map { "\($0.message) \($0.metadata)" })")
            let rejected = await host.environment.messageWillBePosted(makePost("reject me"))
            #expect(rejected == .rejected(reason: "rejected: reject me", by: id))
            let unchanged = await host.environment.messageWillBePosted(makePost("hello"))
            #expect(unchanged == .allowed(makePost("hello")))

            await host.environment.messageHasBeenPosted(makePost("stored", id: "post-42"))
            #expect(host.value(id, "seen:post-42") == "stored")

            let whoami = try await host.environment.executeCommand(pluginID: id, command("/whoami"))
            #expect(whoami.response.text == id)

            let configurationError = try await host.environment.configurationChanged(pluginID: id, json: #"{"a": 1}"#)
            #expect(configurationError == nil)
            #expect(host.value(id, "configuration") == "[('a', 1)]")

            // Our ends of the child's stdio pipes and the API server's listening socket.
            let ours = descriptorTargets()
            let childPipes = descriptorTargets(of: "\(pid)").filter { $0.hasPrefix("pipe:") }
            let listener = try #require(listeningSocket(unixPath: apiPath))
            #expect(childPipes.count == 3 && childPipes.isSubset(of: ours))
            #expect(ours.contains(listener))

            let report = try #require(await host.environment.deactivate(id))
            #expect(report.exitStatus == .exited(code: 0))
            #expect(report.contains(.askedToExit))
            #expect(childPipes.isDisjoint(with: descriptorTargets()))
            // The order of a stop: OnDeactivate, ask to exit, reap, and only then the API server.
            let events = log.all
            func position(_ text: String) -> Int? { events.firstIndex { $0.hasPrefix(text) || $0.hasSuffix(text) } }
            let order = ["API server listening", "process ", "active", "OnDeactivate done", "asked to exit",
                         "API server stopped"].map(position)
            #expect(order.allSatisfy { $0 != nil }, "\(events)")
            #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted(), "\(events)")
            let reaped = try #require(events.firstIndex { $0.contains("reaped: exited with status 0") })
            #expect(reaped < (position("API server stopped") ?? -1))
            #expect(await eventually(timeout: .seconds(10)) { !descriptorTargets().contains(listener) })
            #expect(!report.contains(.sentSIGTERM))
            #expect(host.value(id, "deactivated") == "yes")
            #expect(!processExists(pid))
            // RPC.Server.shutdown() closes its listener on the loop asynchronously, so the
            // port may linger for a moment after it returns.
            #expect(await eventually(timeout: .seconds(10)) { !isListening(unixPath: apiPath) })
            #expect(await host.environment.state(of: id) == .inactive)
        }
    }

    @Test func serveHTTPWithAOneMebibyteBody() async throws {
        try await withTestHost(plugins: ["testkit"]) { host in
            try await host.environment.activate("test.testkit")
            var generator = SystemRandomNumberGenerator()
            let body = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let response = try await host.environment.serveHTTP(
                pluginID: "test.testkit",
                PluginHTTPRequest(method: "POST", url: "/echo", headers: [("Content-Type", "application/octet-stream")],
                                  body: body))
            #expect(response.statusCode == 200)
            #expect(response.body.count == body.count)
            #expect(response.body == body)
            #expect(response.header("x-body-sha256")?.count == 64)
        }
    }

    @Test func failingOrSlowWillBePostedHookLetsThePostThrough() async throws {
        try await withTestHost(plugins: ["testkit"], configure: { $0.messageHookTimeout = .seconds(1) }) { host in
            try await host.environment.activate("test.testkit")
            let supervisor = try #require(await host.environment.supervisor(for: "test.testkit"))

            let clock = ContinuousClock()
            let start = clock.now
            let slow = await supervisor.messageWillBePosted(makePost("slow post"))
            #expect(clock.now - start < .seconds(5))
            guard case .failed = slow else {
                Issue.record("expected a timeout, got \(slow)")
                return
            }
            #expect(await host.environment.messageWillBePosted(makePost("slow again")) == .allowed(makePost("slow again")))
            #expect(await host.environment.messageWillBePosted(makePost("boom")) == .allowed(makePost("boom")))
            // The plugin is still healthy and serving.
            #expect(await host.environment.messageWillBePosted(makePost("modify")) == .allowed(makePost("modify [modified]")))
        }
    }

    @Test func pluginCannotUseAnotherPluginsAPI() async throws {
        let other = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: other) }
        try write(#"{"id":"test.other","version":"1","server":{"executable":"plugin.py","runtime":"python"}}"#,
                  to: other + "/plugin.json")
        try String(contentsOfFile: Repository.testPlugin("testkit") + "/plugin.py", encoding: .utf8)
            .replacingOccurrences(of: "os.path.dirname(os.path.dirname(os.path.abspath(__file__)))",
                                  with: "\"\(Repository.root)/python/test_plugins\"")
            .write(toFile: other + "/plugin.py", atomically: true, encoding: .utf8)
        try await withTestHost(plugins: ["testkit"], extraFolders: [other]) { host in
            try await host.environment.activate("test.testkit")
            try await host.environment.activate("test.other")
            let victim = try #require(await host.environment.supervisor(for: "test.testkit"))
            let attacker = try #require(await host.environment.supervisor(for: "test.other"))
            let victimTarget = try #require(await victim.apiAddress).description
            let attackerTarget = try #require(await attacker.apiAddress).description
            let attackerSecret = try #require(await attacker.currentSecrets?.api)

            let own = try await host.environment.executeCommand(
                pluginID: "test.other", command("/api-call \(attackerTarget) \(attackerSecret)"))
            #expect(own.response.text == "ok")
            let foreign = try await host.environment.executeCommand(
                pluginID: "test.other", command("/api-call \(victimTarget) \(attackerSecret)"))
            #expect(foreign.response.text == "UNAUTHENTICATED")
            let noSecret = try await host.environment.executeCommand(
                pluginID: "test.other", command("/api-call \(victimTarget) nothing"))
            #expect(noSecret.response.text == "UNAUTHENTICATED")
        }
    }

    @Test func lastAPICallDuringSIGTERMSucceedsBecauseTheAPIServerStopsLast() async throws {
        try await withTestHost(plugins: ["last_words"], configure: { $0.exitGrace = .milliseconds(500) }) { host in
            try await host.environment.activate("test.last_words")
            let report = try #require(await host.environment.deactivate("test.last_words"))
            let steps = report.steps.map(\.step)
            #expect(steps.prefix(3) == [.askedToExit, .sentSIGTERM, .exited(.exited(code: 0))])
            #expect(host.value("test.last_words", "last-words") == "sigterm")
            #expect(host.value("test.last_words", "deactivated") == "yes")
        }
    }

    @Test func hungPluginIsKilledWithSIGKILL() async throws {
        try await withTestHost(plugins: ["hangs_on_exit"], configure: {
            $0.exitGrace = .milliseconds(300)
            $0.terminateGrace = .milliseconds(500)
        }) { host in
            try await host.environment.activate("test.hangs_on_exit")
            let supervisor = try #require(await host.environment.supervisor(for: "test.hangs_on_exit"))
            let pid = try #require(await supervisor.pid)
            let report = try #require(await host.environment.deactivate("test.hangs_on_exit"))
            let steps = report.steps.map(\.step)
            #expect(steps.prefix(4) == [.askedToExit, .sentSIGTERM, .sentSIGKILL, .exited(.signaled(signal: SIGKILL))])
            #expect(!processExists(pid))
        }
    }

    @Test func pluginsOwnChildIsGoneAfterShutdown() async throws {
        try await withTestHost(plugins: ["spawns_child"]) { host in
            try await host.environment.activate("test.spawns_child")
            #expect(await eventually { !host.records.matching("spawned grandchild pid=").isEmpty })
            let line = try #require(host.records.matching("spawned grandchild pid=").first?.message)
            let grandchild = try #require(Int32(line.split(separator: "=").last ?? ""))
            #expect(processExists(grandchild))
            await host.environment.shutdown()
            #expect(await eventually(timeout: .seconds(10)) { !processExists(grandchild) })
        }
    }

    @Test func crashedPluginIsRestartedWithBackoffThenDisabled() async throws {
        try await withTestHost(plugins: ["testkit"], configure: {
            $0.restartPolicy = RestartPolicy(
                initialBackoff: .milliseconds(200), maximumFailures: 2, failureWindow: .seconds(120))
        }) { host in
            let id = "test.testkit"
            try await host.environment.activate(id)
            let supervisor = try #require(await host.environment.supervisor(for: id))
            let firstPID = try #require(await supervisor.pid)

            _ = try? await host.environment.executeCommand(pluginID: id, command("/crash"))
            var firstReport: CrashReport?
            let restarted = await eventuallyAsync(timeout: .seconds(20)) {
                let state = await supervisor.state
                if state.isRestarting { firstReport = state.crashReport }
                guard state.isActive, let pid = await supervisor.pid else { return false }
                return pid != firstPID
            }
            #expect(restarted)
            // The crash report of the first failure: status, uptime, no restart yet, last words.
            let first = try #require(firstReport)
            #expect(first.cause == .exited(.exited(code: 3)))
            #expect(first.restartCount == 0 && first.recentFailures == 1)
            #expect((first.uptime ?? .zero) > .zero)
            #expect(first.lastStderrLines.contains { $0.contains("crashing on request") }, "\(first)")
            #expect(await supervisor.restartCount == 1)
            #expect(!processExists(firstPID))
            let secondPID = try #require(await supervisor.pid)

            _ = try? await host.environment.executeCommand(pluginID: id, command("/crash"))
            #expect(await eventuallyAsync(timeout: .seconds(20)) { await supervisor.state.isDisabled })
            let state = await supervisor.state
            #expect(state.description.contains("process exited with status 3"), "\(state)")
            let second = try #require(state.crashReport)
            #expect(second.cause == .exited(.exited(code: 3)))
            #expect(second.restartCount == 1 && second.recentFailures == 2)
            #expect(second.lastStderrLines.contains { $0.contains("crashing on request") })
            #expect(second.description.contains("last stderr lines:"))
            #expect(await supervisor.pid == nil)
            #expect(await eventually { !processExists(secondPID) })
        }
    }

    @Test func hungPluginFailsHealthChecksAndIsReplaced() async throws {
        try await withTestHost(plugins: ["testkit"], configure: {
            $0.healthCheckInterval = .milliseconds(200)
            $0.healthCheckTimeout = .milliseconds(300)
            $0.terminateGrace = .milliseconds(300)
            $0.restartPolicy = RestartPolicy(initialBackoff: .milliseconds(100), maximumFailures: 3)
        }) { host in
            let id = "test.testkit"
            try await host.environment.activate(id)
            let supervisor = try #require(await host.environment.supervisor(for: id))
            let frozenPID = try #require(await supervisor.pid)
            // A stopped process is the perfect hang: alive, holding its port, answering nothing.
            #expect(kill(frozenPID, SIGSTOP) == 0)
            var report: CrashReport?
            let replaced = await eventuallyAsync(timeout: .seconds(20)) {
                let state = await supervisor.state
                if let crash = state.crashReport { report = crash }
                guard state.isActive, let pid = await supervisor.pid else { return false }
                return pid != frozenPID
            }
            #expect(replaced)
            // Seen while it restarted (the teardown alone takes the 300 ms terminate grace).
            #expect(report?.cause == .unhealthy(failedChecks: 2), "\(String(describing: report))")
            #expect((report?.uptime ?? .zero) > .zero)
            #expect(await eventually { !processExists(frozenPID) })
            #expect(!host.records.matching("health checks failed in a row").isEmpty
                || host.records.all.contains { $0.message.contains("health checks failed") })
        }
    }

    @Test func startFailureIsReportedAndLeavesNothingRunning() async throws {
        try await withTestHost(plugins: ["early_exit", "bad_version"], configure: { $0.startTimeout = .seconds(10) }) { host in
            await #expect {
                try await host.environment.activate("test.early_exit")
            } throws: { error in
                guard let failure = error as? PluginStartError else { return false }
                return failure.reason == .exitedBeforeHandshake(.exited(code: 3))
                    && failure.description.contains("cannot load settings")
            }
            let state = await host.environment.state(of: "test.early_exit")
            #expect(state.description.hasPrefix("failed: plugin test.early_exit failed to start"))
            await #expect(throws: PluginStartError.self) { try await host.environment.activate("test.bad_version") }
        }
    }

    @Test func twentyPluginsStartAndStopInParallel() async throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var folders: [String] = []
        for index in 0..<20 {
            let folder = root + "/many-\(index)"
            try write(#"{"id":"test.many.\#(index)","version":"1","server":{"executable":"plugin.py","runtime":"python"}}"#,
                      to: folder + "/plugin.json")
            try write("""
                import sys
                sys.path.insert(0, "\(Repository.root)/python/test_plugins")
                from testkit import TestKitPlugin
                from mattermost_plugin import run
                run(TestKitPlugin())
                """, to: folder + "/plugin.py")
            folders.append(folder)
        }
        try await withTestHost(plugins: [], extraFolders: folders, configure: {
            $0.startTimeout = .seconds(60)
            $0.callTimeout = .seconds(30)
            $0.healthCheckInterval = .seconds(5)
            $0.healthCheckTimeout = .seconds(5)
        }) { host in
            let ids = await host.environment.pluginIDs
            #expect(ids.count == 20)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for id in ids { group.addTask { try await host.environment.activate(id) } }
                try await group.waitForAll()
            }
            var pids: [Int32] = []
            var paths: [String] = []
            for id in ids {
                #expect(await host.environment.state(of: id) == .active)
                #expect(host.value(id, "activated") == "yes")
                let supervisor = try #require(await host.environment.supervisor(for: id))
                pids.append(try #require(await supervisor.pid))
                if case .unix(let path) = try #require(await supervisor.apiAddress) { paths.append(path) }
            }
            #expect(Set(paths).count == 20)
            let clock = ContinuousClock()
            let start = clock.now
            let reports = await host.environment.shutdown()
            let elapsed = clock.now - start
            #expect(reports.count == 20)
            #expect(reports.values.allSatisfy { $0.exitStatus == .exited(code: 0) })
            #expect(elapsed < .seconds(20), "parallel shutdown took \(elapsed)")
            for pid in pids { #expect(!processExists(pid)) }
            // Server.shutdown() returns with its listener closed, so no port is left at all.
            for path in paths { #expect(!isListening(unixPath: path)) }
            for id in ids { #expect(host.value(id, "deactivated") == "yes") }
        }
    }
}

/// Like `eventually`, for conditions that need to await.
func eventuallyAsync(timeout: Duration = .seconds(10), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return await condition()
}

/// Every PluginAPI method, called from a real Python plugin through the SDK.
@Suite(.serialized) struct PluginAPITourTests {
    @Test func everyAPIMethodWorksFromPython() async throws {
        try await withTestHost(plugins: ["testkit"]) { host in
            try await host.environment.activate("test.testkit")
            let response = try await host.environment.executeCommand(pluginID: "test.testkit", command("/api-tour"))
            #expect(!response.hasError)
            let facts = Dictionary(
                response.response.text.split(separator: "\n").map { line -> (String, String) in
                    let parts = line.split(separator: "=", maxSplits: 1)
                    return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
                }, uniquingKeysWith: { first, _ in first })
            let expected: [String: String] = [
                "get-a": "1", "get-c": "00ff", "get-missing": "None", "page0": "a,b", "page1": "c,gone",
                "cas-wrong": "False", "cas-right": "True", "cas-absent": "True", "cas-absent-again": "False",
                "cad-wrong": "False", "cad-right": "True", "after-delete": "a,gone,new", "expired": "None",
                "bad-paging": "400", "after-delete-all": "", "user": "alice", "user-by-name": "user-bob",
                "user-missing": "app.user.missing/404", "channel": "random", "channel-by-name": "channel-town-square",
                "created": "True", "updated": "tour post, edited", "fetched": "tour post, edited", "deleted": "404",
                "config": "blue", "config-invalid": "400", "version": host.workspace.serverVersion,
            ]
            for (key, value) in expected.sorted(by: { $0.key < $1.key }) {
                #expect(facts[key] == value, "\(key)")
            }
            // The API's log calls reached the host's logger with the plugin id and level.
            let logged = host.records.all.first { $0.message == "tour warn" }
            #expect(logged?.level == .warning)
            #expect(logged?.metadata["plugin"] == .string("test.testkit"))
            #expect(logged?.metadata["step"] == .string("2"))
        }
    }
}

/// Each launch's private runtime folder: both sockets, 0700, gone after stop.
@Suite(.serialized) struct RuntimeFolderTests {
    @Test func apiAndHooksOverUnixSocketsInAPrivateFolderRemovedAfterStop() async throws {
        let parent = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        try await withTestHost(plugins: ["last_words"], configure: {
            $0.runtimeDirectory = parent
            $0.exitGrace = .milliseconds(300)
        }) { host in
            let id = "test.last_words"
            try await host.environment.activate(id)
            // OnActivate's KVSet went through the socket.
            #expect(host.value(id, "activated") == "yes")
            let supervisor = try #require(await host.environment.supervisor(for: id))
            let folder = try #require(await supervisor.runtimeFolder)
            #expect(folder.hasPrefix(parent + "/plugin-"))
            #expect(await supervisor.apiAddress == .unix(path: folder + "/api.sock"))
            #expect(await supervisor.hooksAddress == .unix(path: folder + "/hooks.sock"))
            let attributes = try FileManager.default.attributesOfItem(atPath: folder)
            #expect((attributes[.posixPermissions] as? Int) == 0o700)

            let report = try #require(await host.environment.deactivate(id))
            #expect(report.contains(.sentSIGTERM))
            // The SIGTERM-time call still reached the API: the socket outlived the process.
            #expect(host.value(id, "last-words") == "sigterm")
            #expect(!FileManager.default.fileExists(atPath: folder))
        }
    }
}

extension RuntimeFolderTests {
    @Test func aHandshakeNamingAnotherSocketThanTheAssignedOneIsAStartFailure() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write(#"{"id":"test.elsewhere","version":"1","server":{"executable":"plugin.py","runtime":"python"}}"#,
                  to: folder + "/plugin.json")
        // Serves (it claims) another plugin's hooks socket: the host must not send it hooks secrets.
        try write("""
            import sys
            sys.stdout.write("1|2|unix|/tmp/some-other-plugin/hooks.sock|grpc\\n")
            sys.stdout.flush()
            sys.stdin.read()
            """, to: folder + "/plugin.py")
        let log = StopRaceTests.EventLog()
        try await withTestHost(plugins: [], extraFolders: [folder], configure: { $0.onEvent = { log.add($0) } }) { host in
            let id = "test.elsewhere"
            let error = await #expect(throws: PluginStartError.self) { try await host.environment.activate(id) }
            guard case .badHandshake(.unexpectedSocket(let path, let expected)) = error?.reason else {
                Issue.record("unexpected: \(String(describing: error))")
                return
            }
            #expect(path == "unix:/tmp/some-other-plugin/hooks.sock")
            #expect(expected.hasSuffix("/hooks.sock"))
            #expect(await host.environment.state(of: id) == .failed(reason: error?.description ?? ""))
            // The launch was rolled back: its process reaped, its folder gone.
            for pid in log.pids { #expect(!processExists(pid)) }
            #expect(!FileManager.default.fileExists(atPath: (expected as NSString).deletingLastPathComponent))
        }
    }
}

/// Stopping while a plugin is starting or waiting to restart leaves nothing behind.
@Suite(.serialized) struct StopRaceTests {
    final class EventLog: Sendable {
        let events = Mutex<[String]>([])
        func add(_ event: PluginEvent) { events.withLock { $0.append(event.message) } }
        var all: [String] { events.withLock { $0 } }
        var pids: [Int32] {
            all.compactMap { message in
                guard message.hasPrefix("process "), message.contains("handshake") else { return nil }
                return Int32(message.split(separator: " ")[1])
            }
        }
    }

    @Test func shutdownWhileActivatingUndoesTheActivation() async throws {
        let log = EventLog()
        let signal = AsyncSignal<Void>()
        try await withTestHost(plugins: ["testkit"], configure: {
            $0.onEvent = { event in
                log.add(event)
                if event.message.hasPrefix("API server listening") { signal.fulfill(()) }
            }
        }) { host in
            let activation = Task { try await host.environment.activate("test.testkit") }
            #expect(await signal.wait(timeout: .seconds(20)) != nil)
            await host.environment.shutdown()
            let outcome = await activation.result
            if case .failure(let error) = outcome {
                #expect((error as? PluginStartError)?.reason == .cancelled, "\(error)")
            }
            for pid in log.pids { #expect(!processExists(pid)) }
            #expect(log.all.contains("API server stopped") || !log.all.contains("active"))
            // The stop cancels the launch: it may end before or after the spawn, never with two.
            #expect(log.pids.count <= 1, "\(log.all)")
        }
    }

    @Test func shutdownDuringRestartBackoffCancelsTheRestart() async throws {
        let log = EventLog()
        try await withTestHost(plugins: ["testkit"], configure: {
            $0.onEvent = { log.add($0) }
            $0.healthCheckInterval = .milliseconds(100)
            $0.restartPolicy = RestartPolicy(initialBackoff: .seconds(8), maximumFailures: 5)
        }) { host in
            let id = "test.testkit"
            try await host.environment.activate(id)
            let supervisor = try #require(await host.environment.supervisor(for: id))
            let clock = ContinuousClock()
            let crashed = clock.now
            _ = try? await host.environment.executeCommand(pluginID: id, command("/crash"))
            #expect(await eventuallyAsync(timeout: .seconds(10)) { await supervisor.state.isRestarting })
            let start = clock.now
            await host.environment.shutdown()
            // Well under the 8 s backoff (a shutdown waiting it out would take longer), with
            // room for a loaded machine.
            #expect(clock.now - start < .seconds(6))
            #expect(await supervisor.state == .inactive)
            // Past the backoff: no new launch happened.
            try await Task.sleep(until: crashed.advanced(by: .seconds(9)), clock: clock)
            #expect(log.pids.count == 1)
            for pid in log.pids { #expect(!processExists(pid)) }
        }
    }
}
