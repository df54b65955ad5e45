/// How a plugin launch is undone: politely (OnDeactivate, the Shutdown request, grace
/// periods) for a stop, or at once (signals only) for a plugin that crashed, hung, or was
/// stopped before it finished starting.
enum TeardownMode: Sendable, Equatable {
    case ordered
    case abrupt
}

/// The undo actions of one plugin launch, in the order the launch steps pushed them; run
/// last-in first-out. The single teardown path: a launch step that fails runs the undos
/// pushed so far, and stopping a running plugin runs all of them. Each runs at most once.
struct Rollback: Sendable {
    typealias Undo = @Sendable (TeardownMode) async -> StopReport?

    private var steps: [(name: String, undo: Undo)] = []

    /// Adds the undo of a step that just succeeded. The process step returns what stopping
    /// the process took; the others return nil.
    mutating func push(_ name: String, _ undo: @escaping Undo) {
        steps.append((name, undo))
    }

    /// Runs every undo, newest first, in a task of its own: a cancelled caller (a launch
    /// that was stopped) must not cut the teardown's own waits short. Returns the process
    /// stop report, if a process was stopped.
    func run(_ mode: TeardownMode) async -> StopReport? {
        let steps = self.steps
        return await Task {
            var report: StopReport?
            for step in steps.reversed() {
                if let stepReport = await step.undo(mode) { report = stepReport }
            }
            return report
        }.value
    }
}
