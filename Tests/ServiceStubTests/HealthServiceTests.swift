import Foundation
import RPC
import Testing

/// RPC's ready-made `grpc.health.v1.Health`, over a real loopback server: through our generated
/// client stub, and through a real grpcio client (Python child process).
@Suite(.timeLimit(.minutes(2))) struct HealthServiceTests {
    typealias Status = HealthService.ServingStatus

    func request(_ service: String) -> Grpc_Health_V1_HealthCheckRequest {
        var request = Grpc_Health_V1_HealthCheckRequest()
        request.service = service
        return request
    }

    /// Waits (bounded) until `condition` holds.
    func eventually(_ what: String, within limit: Duration = .seconds(10), _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while !condition() {
            guard ContinuousClock.now < deadline else { throw RPCError(code: .deadlineExceeded, message: "timed out waiting: \(what)") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test func checkReportsStatusesAndNotFoundForUnknownServices() async throws {
        let health = HealthService()
        health.setStatus(service: "db", status: .notServing)
        try await withLoopbackServer([health]) { channel in
            let client = Grpc_Health_V1_Health.Client(channel: channel)
            let server = try await client.check(request(""))
            #expect(server.message.status == .serving)
            let db = try await client.check(request("db"))
            #expect(db.message.status == .notServing)
            let error = await #expect(throws: RPCError.self) { try await client.check(request("absent")) }
            #expect(error?.code == .notFound)
            health.clearStatus(service: "db")
            let cleared = await #expect(throws: RPCError.self) { try await client.check(request("db")) }
            #expect(cleared?.code == .notFound)
        }
    }

    @Test func watchStreamsEveryChangeAndEndsWithTheCall() async throws {
        let health = HealthService()
        try await withLoopbackServer([health]) { channel in
            let client = Grpc_Health_V1_Health.Client(channel: channel)
            let seen = try await client.watch(request("db"), options: CallOptions(timeout: .seconds(20))) { updates in
                var seen: [Status] = []
                for try await update in updates {
                    seen.append(update.status)
                    switch update.status {
                    case .serviceUnknown: health.setStatus(service: "db", status: .serving)
                    case .serving:
                        health.setStatus(service: "db", status: .serving)  // no change: no message
                        health.setStatus(service: "db", status: .notServing)
                    default: return seen  // returning early cancels the call
                    }
                }
                return seen
            }
            #expect(seen == [.serviceUnknown, .serving, .notServing])
            // The server notices the cancellation and drops the watcher.
            try await eventually("watcher removed") { health.watcherCount == 0 }
        }
    }

    @Test func enterShutdownEndsWatchesAfterNotServing() async throws {
        let health = HealthService()
        try await withLoopbackServer([health]) { channel in
            let client = Grpc_Health_V1_Health.Client(channel: channel)
            let seen = try await client.watch(request(""), options: CallOptions(timeout: .seconds(20))) { updates in
                var seen: [Status] = []
                for try await update in updates {
                    seen.append(update.status)
                    if update.status == .serving { health.enterShutdown() }
                }
                return seen  // the stream ended by itself (OK), not by the deadline
            }
            #expect(seen == [.serving, .notServing])
            // A watch started afterwards gets the status and ends at once.
            let late = try await client.watch(request(""), options: CallOptions(timeout: .seconds(20))) { updates in
                var seen: [Status] = []
                for try await update in updates { seen.append(update.status) }
                return seen
            }
            #expect(late == [.notServing])
            try await eventually("watchers removed") { health.watcherCount == 0 }
        }
    }

    @Test func enterShutdownMarksEverythingNotServingAndFreezes() async throws {
        let health = HealthService(statuses: ["": .serving, "a": .serving])
        health.enterShutdown()
        #expect(health.status(service: "") == .notServing)
        #expect(health.status(service: "a") == .notServing)
        health.setStatus(service: "a", status: .serving)
        #expect(health.status(service: "a") == .notServing)
    }

    /// A real grpcio client: Check (known and unknown service) and Watch through three states,
    /// the test changing the status each time the client reports what it saw.
    @Test func pythonGrpcioClientChecksAndWatches() async throws {
        let health = HealthService()
        try await withLoopbackServer([health]) { channel in
            guard case .ipv4(_, let port) = channel.configuration.target else { throw RPCError(code: .internalError) }
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("python/health_client.py").path
            let child = try LineProcess(arguments: ["python3", script, "\(port)"], timeout: .seconds(60))
            var lines: [String] = []
            for await line in child.lines {
                lines.append(line)
                switch line {
                case "watch SERVICE_UNKNOWN": health.setStatus(service: "db", status: .serving)
                case "watch SERVING": health.setStatus(service: "db", status: .notServing)
                default: break
                }
            }
            let exit = child.waitForExit()
            #expect(exit == 0, "python stderr: \(child.errorOutput())")
            #expect(lines == ["check \"\" SERVING", "check absent NOT_FOUND", "watch SERVICE_UNKNOWN",
                              "watch SERVING", "watch NOT_SERVING", "done"])
            try await eventually("watcher removed") { health.watcherCount == 0 }
        }
    }
}

/// A child process whose stdout arrives as lines; killed if it outlives `timeout` (which also
/// ends `lines`, so a stuck child cannot hang a test).
/// stderr goes to a temporary file, so a chatty child can never block on a full pipe.
final class LineProcess {
    let lines: AsyncStream<String>
    private let process: Process
    private let stderrPath: String
    private let watchdog: DispatchWorkItem

    init(arguments: [String], timeout: Duration) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let stdout = Pipe()
        stderrPath = FileManager.default.temporaryDirectory.appendingPathComponent("line-process-\(UUID().uuidString).err").path
        guard FileManager.default.createFile(atPath: stderrPath, contents: nil),
              let stderr = FileHandle(forWritingAtPath: stderrPath) else {
            throw RPCError(code: .internalError, message: "cannot create \(stderrPath)")
        }
        defer { try? stderr.close() }
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + Double(timeout.components.seconds), execute: watchdog)
        self.watchdog = watchdog
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        self.lines = lines
        let reader = Thread { [stdout] in
            var pending = Data()
            while true {
                let chunk = stdout.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    continuation.yield(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            continuation.finish()
        }
        reader.start()
    }

    /// Waits for the child to exit (bounded by the watchdog) and returns its exit status.
    func waitForExit() -> Int32 {
        process.waitUntilExit()
        watchdog.cancel()
        return process.terminationStatus
    }

    /// Everything the child wrote to stderr (call after it exited).
    func errorOutput() -> String {
        (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(atPath: stderrPath)
    }
}
