import CPluginHostShims
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process started (by `cplugin_spawn_plugin`) in its own process group, with pipes
/// for stdin, stdout and stderr, optionally a credentials socket as descriptor 3, and no
/// other descriptor of ours. A dedicated thread waits for
/// it, so it is always reaped and its exit status is available as soon as it ends.
final class ChildProcess: Sendable {
    struct SpawnError: Error, CustomStringConvertible {
        var operation: String
        var errno: Int32

        var description: String { "\(operation) failed: \(String(cString: strerror(errno)))" }
    }

    let pid: pid_t
    /// The process group id; equal to `pid` because the child leads its own group.
    var processGroup: pid_t { pid }
    let stdoutFD: Int32
    let stderrFD: Int32
    private let stdinFD: Mutex<Int32?>
    private let exit = AsyncSignal<ExitStatus>()

    private init(pid: pid_t, stdinFD: Int32, stdoutFD: Int32, stderrFD: Int32) {
        self.pid = pid
        self.stdinFD = Mutex(stdinFD)
        self.stdoutFD = stdoutFD
        self.stderrFD = stderrFD
    }

    /// Starts `executable` with `arguments` (argv[0] included), exactly `environment`,
    /// in `workingDirectory`, with `credentials` (when given) as its descriptor 3. When the
    /// host runs as root the child drops every capability before exec. The caller owns (and
    /// must close) stdoutFD and stderrFD, and still owns `credentials`.
    static func spawn(
        executable: String, arguments: [String], environment: [String: String], workingDirectory: String,
        credentials: Int32? = nil
    ) throws(SpawnError) -> ChildProcess {
        var stdinPipe = try makePipe()
        var stdoutPipe: (read: Int32, write: Int32)
        var stderrPipe: (read: Int32, write: Int32)
        do {
            stdoutPipe = try makePipe()
        } catch {
            closeBoth(&stdinPipe)
            throw error
        }
        do {
            stderrPipe = try makePipe()
        } catch {
            closeBoth(&stdinPipe)
            closeBoth(&stdoutPipe)
            throw error
        }
        defer {
            // The child's ends belong to the child only.
            close(stdinPipe.read)
            close(stdoutPipe.write)
            close(stderrPipe.write)
        }

        var pid: pid_t = 0
        var failedStep: Int32 = 0
        let environmentLines = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let status = withCStringArray(arguments) { argv in
            withCStringArray(environmentLines) { envp in
                executable.withCString { executablePath in
                    workingDirectory.withCString { directory in
                        var request = cplugin_spawn_request(
                            executable: executablePath, argv: argv, envp: envp, working_directory: directory,
                            stdin_fd: stdinPipe.read, stdout_fd: stdoutPipe.write, stderr_fd: stderrPipe.write,
                            credentials_fd: credentials ?? -1, drop_capabilities: geteuid() == 0 ? 1 : 0)
                        return cplugin_spawn_plugin(&request, &pid, &failedStep)
                    }
                }
            }
        }
        guard status == 0 else {
            close(stdinPipe.write)
            close(stdoutPipe.read)
            close(stderrPipe.read)
            throw SpawnError(operation: "\(Self.stepName(failedStep)) for \(executable)", errno: status)
        }
        let child = ChildProcess(
            pid: pid, stdinFD: stdinPipe.write, stdoutFD: stdoutPipe.read, stderrFD: stderrPipe.read)
        child.startReaper()
        return child
    }

    private static func stepName(_ step: Int32) -> String {
        switch UInt32(bitPattern: step) {
        case CPLUGIN_STEP_ERROR_PIPE.rawValue: "creating the error pipe"
        case CPLUGIN_STEP_FORK.rawValue: "fork"
        case CPLUGIN_STEP_PROCESS_GROUP.rawValue: "setpgid"
        case CPLUGIN_STEP_DESCRIPTORS.rawValue: "arranging descriptors"
        case CPLUGIN_STEP_WORKING_DIRECTORY.rawValue: "chdir"
        case CPLUGIN_STEP_CAPABILITIES.rawValue: "dropping capabilities"
        default: "execve"
        }
    }

    /// The exit status once the child has ended and been reaped.
    var exitStatus: ExitStatus? { exit.value }

    func waitForExit() async -> ExitStatus? { await exit.wait() }

    func waitForExit(timeout: Duration) async -> ExitStatus? { await exit.wait(timeout: timeout) }

    /// Closing stdin is the gentlest way to ask a plugin to exit.
    func closeStdin() {
        let fd = stdinFD.withLock { fd in
            defer { fd = nil }
            return fd
        }
        if let fd { close(fd) }
    }

    /// Sends `signal` to every process in the child's group. Safe after the leader was
    /// reaped: the kernel keeps a group id reserved while any member lives, and returns
    /// ESRCH once none does. Returns whether any process received it.
    @discardableResult
    func signalGroup(_ signal: Int32) -> Bool {
        killpg(processGroup, signal) == 0
    }

    private func startReaper() {
        let pid = self.pid
        let exit = self.exit
        let thread = Thread {
            var status: Int32 = 0
            while true {
                let result = waitpid(pid, &status, 0)
                if result == pid { break }
                if result < 0 && errno != EINTR {
                    // Someone else reaped it; report an unknown failure rather than hang.
                    status = 0xff << 8
                    break
                }
            }
            exit.fulfill(ExitStatus(waitStatus: status))
        }
        thread.name = "plugin-reaper-\(pid)"
        thread.stackSize = 64 * 1024
        thread.start()
    }

    private static func makePipe() throws(SpawnError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard cplugin_pipe_cloexec(&fds) == 0 else { throw SpawnError(operation: "pipe2", errno: errno) }
        return (fds[0], fds[1])
    }

    private static func closeBoth(_ pipe: inout (read: Int32, write: Int32)) {
        close(pipe.read)
        close(pipe.write)
    }
}

/// Calls `body` with a NULL-terminated C array of copies of `strings`, freed afterwards.
private func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// Makes this process a child subreaper, so a plugin's own children that outlive it are
/// re-parented to the host, which then reaps them instead of leaving zombies behind.
public func becomeChildSubreaper() -> Bool {
    cplugin_set_child_subreaper() == 0
}
