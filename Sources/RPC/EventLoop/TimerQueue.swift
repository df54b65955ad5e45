/// A handle to a scheduled timer; pass it to `EventLoop.cancelTimer(_:)` to stop it firing.
struct TimerID: Hashable, Sendable {
    let rawValue: UInt64
}

/// Timers of one event loop: a binary min-heap ordered by deadline, with each timer's heap
/// position kept in `positions`, so cancelling removes the entry at once (O(log n)). (Skipping
/// cancelled entries lazily when they surface let every call with a long `grpc-timeout` leave
/// an entry behind for as long as a longer timer, such as keepalive, was pending.)
/// Loop-confined, so no locking.
struct TimerQueue {
    private struct Entry {
        let deadline: MonotonicTime
        let id: UInt64
        let action: () -> Void
    }

    private var heap: [Entry] = []
    /// Heap index of every scheduled timer, by id.
    private var positions: [UInt64: Int] = [:]
    private var nextID: UInt64 = 1

    var isEmpty: Bool { heap.isEmpty }

    /// Timers scheduled and neither fired nor cancelled (the heap holds exactly these).
    var count: Int { heap.count }

    mutating func schedule(at deadline: MonotonicTime, _ action: @escaping () -> Void) -> TimerID {
        let id = nextID
        nextID += 1
        heap.append(Entry(deadline: deadline, id: id, action: action))
        positions[id] = heap.count - 1
        siftUp(heap.count - 1)
        return TimerID(rawValue: id)
    }

    /// Removes the timer (a no-op when it already fired or was cancelled).
    mutating func cancel(_ timer: TimerID) {
        guard let index = positions.removeValue(forKey: timer.rawValue) else { return }
        remove(at: index)
    }

    /// The earliest deadline.
    func nextDeadline() -> MonotonicTime? { heap.first?.deadline }

    /// Removes and returns the actions of every timer due at `now`, in deadline order.
    mutating func takeDue(now: MonotonicTime) -> [() -> Void] {
        var due: [() -> Void] = []
        while let top = heap.first, top.deadline <= now {
            positions[top.id] = nil
            remove(at: 0)
            due.append(top.action)
        }
        return due
    }

    /// Removes the entry at `index` (its id already gone from `positions`), keeping heap order.
    private mutating func remove(at index: Int) {
        let last = heap.removeLast()
        guard index < heap.count else { return }
        heap[index] = last
        positions[last.id] = index
        siftDown(index)
        siftUp(index)
    }

    private mutating func swapEntries(_ a: Int, _ b: Int) {
        heap.swapAt(a, b)
        positions[heap[a].id] = a
        positions[heap[b].id] = b
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { return }
            swapEntries(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < heap.count, heap[right].deadline < heap[smallest].deadline { smallest = right }
            if smallest == parent { return }
            swapEntries(parent, smallest)
            parent = smallest
        }
    }
}
