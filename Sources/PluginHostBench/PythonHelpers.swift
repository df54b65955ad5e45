import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs one of the Python measuring helpers in `python/bench` (a plain grpcio client or
/// server) and returns its stdout. Bounded: killed after `timeout`.
/// `environment` is added to ours (e.g. a secret, which must not travel in the arguments).
func runPythonHelper(
    _ arguments: [String], sdkPath: String, environment: [String: String] = [:], timeout: Duration
) throws(PluginBenchError) -> String {
    let outputPath = NSTemporaryDirectory() + "plugin-bench-out-" + UUID().uuidString
    guard FileManager.default.createFile(atPath: outputPath, contents: nil),
          let output = FileHandle(forWritingAtPath: outputPath)
    else { throw PluginBenchError("cannot create \(outputPath)") }
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    process.currentDirectoryURL = URL(fileURLWithPath: sdkPath)
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    // Stdout goes to a file, so waiting for the exit cannot block on a full pipe.
    process.standardOutput = output
    do {
        try process.run()
    } catch {
        throw PluginBenchError("python3 \(arguments.joined(separator: " ")): \(error)")
    }
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while process.isRunning && ContinuousClock.now < deadline { usleep(10_000) }
    if process.isRunning {
        process.terminate()
        process.waitUntilExit()
        throw PluginBenchError("python3 \(arguments.joined(separator: " ")) did not finish within \(timeout)")
    }
    process.waitUntilExit()
    try? output.close()
    guard process.terminationStatus == 0 else {
        throw PluginBenchError("python3 \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
    }
    return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
}

/// The plain grpcio PluginAPI server (`python -m bench.baseline_api_server`, a dict behind
/// KVGet) used as the API baseline. It prints its port, and exits when its stdin closes.
final class BaselineAPIServer {
    let port: Int
    private let process = Process()
    private let input = Pipe()

    init(sdkPath: String, timeout: Duration = .seconds(20)) throws(PluginBenchError) {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "bench.baseline_api_server"]
        process.currentDirectoryURL = URL(fileURLWithPath: sdkPath)
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input
        do {
            try process.run()
        } catch {
            throw PluginBenchError("baseline API server: \(error)")
        }
        // The port line, read with a bounded wait (poll) so a silent helper cannot hang us.
        let fd = output.fileHandleForReading.fileDescriptor
        var line: [UInt8] = []
        let deadline = ContinuousClock.now.advanced(by: timeout)
        reading: while ContinuousClock.now < deadline && line.count <= 16 {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            var byte: UInt8 = 0
            guard read(fd, &byte, 1) == 1 else { break }
            if byte == UInt8(ascii: "\n") { break reading }
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            process.waitUntilExit()
            throw PluginBenchError("the baseline API server did not report a port")
        }
        self.port = port
    }

    /// Closes its stdin and waits up to 5 s for it to exit, then terminates it.
    func stop() {
        try? input.fileHandleForWriting.close()
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while process.isRunning && ContinuousClock.now < deadline { usleep(10_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
