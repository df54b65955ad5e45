import Foundation
import Glibc

/// `bench serve` as a child process, optionally pinned with `taskset`, for `bench rpc`: the
/// server and the load then run on different cores like in the peers' bench.sh.
public final class ServerProcess: @unchecked Sendable {  // used from one task at a time
    public let address: String
    private let process: Process
    /// The server's process id (`taskset` execs the server, so it keeps this id).
    public var pid: Int32 { process.processIdentifier }
    private let portFile: String

    /// Starts `executable serve --port 0 --loops 1 --port-file F` (under `taskset -c cpu` when a CPU
    /// is given) and waits up to 30 s for it to report its port.
    public init(executable: String, cpu: Int?, loops: Int = 1, extraArguments: [String] = []) throws {
        portFile = NSTemporaryDirectory() + "bench-serve-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).port"
        let serveArguments = [executable, "serve", "--port", "0", "--loops", String(loops), "--port-file", portFile] + extraArguments
        process = Process()
        if let cpu {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
            process.arguments = ["-c", String(cpu)] + serveArguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = Array(serveArguments.dropFirst())
        }
        process.standardOutput = FileHandle.nullDevice  // its listening line would interleave with the table
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        var found: String?
        while Date() < deadline, process.isRunning {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), text.hasSuffix("\n") {
                found = text.trimmingCharacters(in: .whitespacesAndNewlines)
                break
            }
            usleep(20_000)
        }
        guard let found else {
            kill(process.processIdentifier, SIGKILL)
            throw ServerProcessError.noPort
        }
        address = found
    }

    /// SIGTERM, then SIGKILL after 3 s; reaps the child and removes the port file.
    public func stop() {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: portFile)
    }

    public enum ServerProcessError: Error, CustomStringConvertible {
        case noPort

        public var description: String { "bench serve did not report its port within 30 s" }
    }
}
