import Synchronization

/// Counts live objects of one kind (streams per server or channel), so tests can prove that
/// finished calls leave nothing behind.
final class LiveCounter: Sendable {
    private let count = Atomic<Int>(0)
    func increment() { count.wrappingAdd(1, ordering: .relaxed) }
    func decrement() { count.wrappingSubtract(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
