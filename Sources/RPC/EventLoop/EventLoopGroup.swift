import Glibc
import Synchronization

/// A fixed set of event loops, one thread each; new connections are spread over them round-robin.
public final class EventLoopGroup: Sendable {
    public let loops: [EventLoop]
    private let nextIndex = Atomic<Int>(0)

    /// Starts `loopCount` loops; by default one per online CPU core.
    public init(loopCount: Int = EventLoopGroup.coreCount, name: String = "rpc-loop") throws(EventLoopError) {
        precondition(loopCount > 0, "an EventLoopGroup needs at least one loop")
        var loops: [EventLoop] = []
        for index in 0..<loopCount {
            loops.append(try EventLoop(name: "\(name)-\(index)"))
        }
        self.loops = loops
    }

    /// The number of online CPU cores (at least 1).
    public static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// The next loop in round-robin order.
    public func next() -> EventLoop {
        let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
        return loops[Int(UInt(bitPattern: index) % UInt(loops.count))]
    }

    /// Stops every loop and joins its thread.
    public func shutdown() {
        for loop in loops { loop.shutdown() }
    }

    /// A process-wide group used when callers do not pass one; never shut down.
    public static let shared: EventLoopGroup = {
        do { return try EventLoopGroup(name: "rpc-shared") } catch { fatalError("cannot start the shared event loop group: \(error)") }
    }()
}
