import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Every process a plugin started, directly or not, found through /proc: also those that
/// called `setsid` or left the plugin's process group. Snapshots taken while the plugin
/// lives remember each one (pid and start time), so once the plugin has exited and its
/// children were re-parented to the host (a child subreaper) they are still known.
/// `killAll` freezes them with SIGSTOP (so none can fork a new one behind our back), kills
/// them with SIGKILL and reaps those that became our children. `snapshot` only reads /proc;
/// `killAll` waits for the reaping: call it on a dedicated thread.
final class PluginDescendants: Sendable {
    /// The plugin process, by identity: once it is gone its pid may name another process.
    private let leader: ProcessRecord?
    private let known = Mutex<Set<ProcessRecord>>([])

    /// How many freeze rounds (scan, SIGSTOP what is new) `killAll` runs at most.
    static let maximumFreezeRounds = 32
    /// Most processes remembered for one plugin.
    static let maximumTracked = 4096

    init(leader: pid_t) { self.leader = ProcessTree.record(of: leader) }

    /// How many descendants are remembered (living or not).
    var trackedCount: Int { known.withLock { $0.count } }

    /// Remembers the current descendants of the leader and of every known descendant, and
    /// forgets those that are gone (reaped), so a plugin running many short-lived
    /// subprocesses never fills the bound.
    func snapshot() {
        let remembered = known.withLock { $0 }
        let living = remembered.filter(ProcessTree.exists)
        var roots = Set(living.map(\.pid))
        if let leader, ProcessTree.exists(leader) { roots.insert(leader.pid) }
        let found = ProcessTree.descendants(of: roots)
        known.withLock { known in
            known.subtract(remembered.subtracting(living))
            for record in found where known.count < Self.maximumTracked { known.insert(record) }
        }
    }

    /// Whether any remembered descendant still exists (after a fresh snapshot).
    func anyLeft() -> Bool {
        snapshot()
        return known.withLock { $0 }.contains(where: ProcessTree.exists)
    }

    /// Freezes, kills and reaps every known or newly found descendant, waiting at most
    /// `timeout` for them to disappear. Returns how many processes were killed.
    func killAll(timeout: Duration) -> Int {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var frozen: Set<ProcessRecord> = []
        for _ in 0..<Self.maximumFreezeRounds {
            snapshot()
            let fresh = known.withLock { $0 }.subtracting(frozen).filter(ProcessTree.exists)
            if fresh.isEmpty { break }
            for record in fresh {
                kill(record.pid, SIGSTOP)
                frozen.insert(record)
            }
        }
        // Stopped processes cannot exit or fork, so their pids stay theirs until the kill.
        var killed = 0
        for record in frozen where ProcessTree.exists(record) {
            if kill(record.pid, SIGKILL) == 0 { killed += 1 }
        }
        reap(frozen, until: deadline)
        known.withLock { $0.subtract(frozen) }
        return killed
    }

    /// Waits for each process to be gone: reaped by us once it is our child (re-parented
    /// to the subreaper host), or by its own parent.
    private func reap(_ records: Set<ProcessRecord>, until deadline: ContinuousClock.Instant) {
        var remaining = records
        while !remaining.isEmpty {
            for record in remaining {
                var status: Int32 = 0
                let result = waitpid(record.pid, &status, WNOHANG)
                if result == record.pid || !ProcessTree.exists(record) { remaining.remove(record) }
            }
            if remaining.isEmpty || ContinuousClock.now >= deadline { break }
            usleep(5_000)
        }
    }
}
