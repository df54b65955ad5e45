import CPluginHostShims
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with posix_spawn in its own process group, with pipes for
/// stdin, stdout and stderr and no other descriptor of ours. A dedicated thread waits for
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
    /// in `workingDirectory`. The caller owns (and must close) stdoutFD and stderrFD.
    static func spawn(
        executable: String, arguments: [String], environment: [String: String], workingDirectory: String
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

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        var status = posix_spawn_file_actions_adddup2(&actions, stdinPipe.read, 0)
        if status == 0 { status = posix_spawn_file_actions_adddup2(&actions, stdoutPipe.write, 1) }
        if status == 0 { status = posix_spawn_file_actions_adddup2(&actions, stderrPipe.write, 2) }
        if status == 0 { status = cplugin_spawn_add_closefrom(&actions, 3) }
        if status == 0 { status = cplugin_spawn_add_chdir(&actions, workingDirectory) }
        // Own process group (so the whole group can be signalled), default signal
        // dispositions and an empty mask whatever the host ignores or blocks.
        if status == 0 {
            status = posix_spawnattr_setflags(
                &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        }
        if status == 0 { status = posix_spawnattr_setpgroup(&attributes, 0) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM] {
            sigaddset(&defaults, signal)
        }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        if status == 0 { status = posix_spawnattr_setsigdefault(&attributes, &defaults) }
        if status == 0 { status = posix_spawnattr_setsigmask(&attributes, &emptyMask) }
        guard status == 0 else {
            close(stdinPipe.write)
            close(stdoutPipe.read)
            close(stderrPipe.read)
            throw SpawnError(operation: "posix_spawn set-up", errno: status)
        }

        var pid: pid_t = 0
        let environmentLines = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        status = withCStringArray(arguments) { argv in
            withCStringArray(environmentLines) { envp in
                posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            }
        }
        guard status == 0 else {
            close(stdinPipe.write)
            close(stdoutPipe.read)
            close(stderrPipe.read)
            throw SpawnError(operation: "posix_spawn \(executable)", errno: status)
        }
        let child = ChildProcess(
            pid: pid, stdinFD: stdinPipe.write, stdoutFD: stdoutPipe.read, stderrFD: stderrPipe.read)
        child.startReaper()
        return child
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

    /// Reaps any leftover group members that were re-parented to us (we are a subreaper),
    /// waiting at most `timeout` for them to die. Returns how many were reaped.
    @discardableResult
    func reapGroupMembers(timeout: Duration) -> Int {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var reaped = 0
        while reaped < 10_000 {
            var status: Int32 = 0
            let result = waitpid(-processGroup, &status, WNOHANG)
            if result > 0 {
                reaped += 1
                continue
            }
            // ECHILD: no member is our child any more. 0: members exist but are still dying.
            if result < 0 && errno != EINTR { break }
            if ContinuousClock.now >= deadline { break }
            usleep(5_000)
        }
        return reaped
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
private func withCStringArray<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}

/// Makes this process a child subreaper, so a plugin's own children that outlive it are
/// re-parented to the host, which then reaps them instead of leaving zombies behind.
public func becomeChildSubreaper() -> Bool {
    cplugin_set_child_subreaper() == 0
}
