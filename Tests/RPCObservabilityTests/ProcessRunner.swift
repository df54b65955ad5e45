import Foundation

/// What a finished child process printed, and how it exited.
struct ProcessOutput {
    let status: Int32
    let standardOutput: String
    let standardError: String
}

/// Runs `arguments` (found on PATH) to its end, killing it past `timeout`. Its output is read
/// as it comes (on separate threads), so a chatty child never blocks on a full pipe.
func runProcess(_ arguments: [String], timeout: Duration) async throws -> ProcessOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    let exited = AsyncStream<Void>.makeStream()
    process.terminationHandler = { _ in exited.continuation.finish() }
    try process.run()
    async let standardOutput = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }.value
    async let standardError = Task.detached { error.fileHandleForReading.readDataToEndOfFile() }.value
    let watchdog = Task {
        try await Task.sleep(for: timeout)
        process.terminate()
    }
    for await _ in exited.stream {}
    watchdog.cancel()
    return ProcessOutput(status: process.terminationStatus, standardOutput: String(decoding: await standardOutput, as: UTF8.self),
                         standardError: String(decoding: await standardError, as: UTF8.self))
}
