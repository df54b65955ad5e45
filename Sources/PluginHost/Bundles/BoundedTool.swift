import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A helper program (python -m venv, pip) run to completion with a time limit, keeping
/// only the tail of what it prints: an installer must not hang on, or buffer without
/// bound, whatever a bundle's requirements make pip do.
struct BoundedTool {
    struct Outcome: Sendable {
        /// nil when the time limit struck (the whole process group was killed).
        var status: ExitStatus?
        /// The last `outputTailLimit` bytes of stdout and stderr, interleaved as read.
        var outputTail: String

        var succeeded: Bool { status == .exited(code: 0) }
    }

    static let outputTailLimit = 16 * 1024

    var executable: String
    var arguments: [String]
    var environment: [String: String]
    var workingDirectory: String
    var timeout: Duration

    func run() async throws(BundleError) -> Outcome {
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(
                executable: executable, arguments: [executable] + arguments, environment: environment,
                workingDirectory: workingDirectory)
        } catch {
            throw .environmentFailed(step: "starting \(executable)", detail: "\(error)")
        }
        child.closeStdin()
        let stdoutFD = child.stdoutFD
        let stderrFD = child.stderrFD
        // Drained while we wait, or a chatty program would block on a full pipe. A process that
        // escaped the group could hold the pipes open, so draining also ends at a deadline.
        let drainDeadline = ContinuousClock.now + timeout + .seconds(5)
        async let tail = runOnDedicatedThread(name: "tool-output") {
            Self.drain([stdoutFD, stderrFD], until: drainDeadline)
        }
        let status = await child.waitForExit(timeout: timeout)
        if status == nil {
            child.signalGroup(SIGKILL)
            _ = await child.waitForExit(timeout: .seconds(5))
        }
        return Outcome(status: status, outputTail: await tail)
    }

    /// Reads both pipes until both reach end of file or `deadline` passes, keeping the tail,
    /// then closes them.
    private static func drain(_ fds: [Int32], until deadline: ContinuousClock.Instant) -> String {
        var open = fds
        var tail: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !open.isEmpty && ContinuousClock.now < deadline {
            var polls = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&polls, nfds_t(polls.count), 1000)
            if ready < 0 && errno != EINTR { break }
            for entry in polls where entry.revents != 0 {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(entry.fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    tail.append(contentsOf: buffer[0..<count])
                    if tail.count > outputTailLimit { tail.removeFirst(tail.count - outputTailLimit) }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(entry.fd)
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        for fd in open { close(fd) }
        return String(decoding: tail, as: UTF8.self)
    }
}
