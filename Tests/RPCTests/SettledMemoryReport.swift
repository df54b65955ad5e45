@testable import RPC

extension Server {
    /// Polls the memory report of the connection holding the most until `condition` holds
    /// for it and, when `stable`, the report stops changing (bounded by `timeout`); nil if it
    /// never did. Each report is read on the connection's loop in one go, so its counters
    /// agree with each other whether or not it is stable.
    func settledMemoryReport(stable: Bool = true, timeout: Duration = .seconds(20),
                             _ condition: (ConnectionMemoryReport) -> Bool) async -> ConnectionMemoryReport? {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var previous: ConnectionMemoryReport?
        while ContinuousClock.now < deadline {
            let reports = await connectionMemoryReports()
            let busiest = reports.max { ($0.budgetUsedBytes, $0.openStreams) < ($1.budgetUsedBytes, $1.openStreams) }
            if let report = busiest, condition(report) {
                if !stable { return report }
                if let previous, previous == report { return report }
                previous = report
            } else {
                previous = nil
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}
