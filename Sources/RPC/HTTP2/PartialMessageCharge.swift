/// What a stream has charged its connection's memory budget for the message it is still
/// receiving: the deframer's `heldBytes` (what arrived of the message and the storage reserved
/// ahead for the rest) when last settled. Server and client streams both keep one; every change
/// to the budget goes through `settle`, so the charge cannot drift from what the deframer holds.
struct PartialMessageCharge {
    /// Bytes charged now.
    private(set) var bytes = 0

    /// Charges `budget` for what the deframer holds now (`held`), or gives back what it no
    /// longer holds; returns the change (for counters kept alongside the budget).
    @discardableResult
    mutating func settle(held: Int, budget: MemoryBudget) -> Int {
        let delta = held - bytes
        guard delta != 0 else { return 0 }
        bytes = held
        if delta > 0 { budget.charge(delta) } else { budget.release(-delta) }
        return delta
    }
}
