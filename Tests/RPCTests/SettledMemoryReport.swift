@testable import RPC

extension Server {
    /// Polls the memory report of the connection holding the most until `condition` holds
    /// for it and the report stops changing (bounded: 20 s); nil if it never did.
    func settledMemoryReport(_ condition: (ConnectionMemoryReport) -> Bool) async -> ConnectionMemoryReport? {
        let deadline = ContinuousClock.now.advanced(by: .seconds(20))
        var previous: ConnectionMemoryReport?
        while ContinuousClock.now < deadline {
            let reports = await connectionMemoryReports()
            let busiest = reports.max { ($0.budgetUsedBytes, $0.openStreams) < ($1.budgetUsedBytes, $1.openStreams) }
            if let report = busiest, condition(report) {
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
