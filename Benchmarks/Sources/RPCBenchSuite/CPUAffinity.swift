import CBenchAffinity
import Foundation

/// CPU pinning for the loopback suite, and the CPU count `bench serve` sizes its loops by
/// (under `taskset -c 0` the machine still has 2 online CPUs, but the server may use one).
public enum CPUAffinity {
    /// CPUs this process may run on.
    public static func allowedCPUCount() -> Int { Int(bench_allowed_cpu_count()) }

    /// Pins every thread of this process (threads created later inherit it) to `cpu`.
    public static func pinProcess(to cpu: Int) throws {
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        for thread in threads.compactMap({ pid_t($0) }) {
            let code = bench_pin_thread(thread, Int32(cpu))
            if code != 0 { throw AffinityError(cpu: cpu, errno: code) }
        }
    }

    public struct AffinityError: Error, CustomStringConvertible {
        public var cpu: Int
        public var errno: Int32

        public var description: String { "could not pin to CPU \(cpu): errno \(errno)" }
    }
}
