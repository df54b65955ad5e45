/// What one server connection holds for its peer, as its own counters say: for tests and
/// diagnostics that check the counters agree with each other and stay within the budget.
package struct ConnectionMemoryReport: Sendable, Equatable {
    /// Bytes charged to the connection's memory budget.
    package var budgetUsedBytes: Int
    /// The connection budget's limit (`connectionMemoryBudget` plus a prefix and the
    /// transport's fixed buffers).
    package var budgetLimit: Int
    /// The connection's count of bytes charged for partly received messages.
    package var partialBytes: Int
    /// What the streams' deframers hold now (storage reserved for message bodies included),
    /// summed over the open streams; equal to `partialBytes` when the counters are right.
    package var deframerHeldBytes: Int
    /// The most one stream's deframer holds.
    package var largestDeframerHeldBytes: Int
    /// Response bytes queued on the streams, not yet taken by nghttp2.
    package var queuedResponseBytes: Int
    /// Bytes in the connection's output buffer, taken by nghttp2 and not yet by the socket.
    package var outputBytes: Int
    /// Streams open on the connection.
    package var openStreams: Int
    /// Request header bytes charged to the connection's header limit
    /// (`Server.Configuration.connectionHeaderBytesLimit`).
    package var headerBytes: Int
    /// That limit as applied (at least `maxHeaderListSize`).
    package var headerLimit: Int
    /// What the open streams say they hold of request headers; equal to `headerBytes` when
    /// the counters are right.
    package var streamHeaderBytes: Int
}

extension ServerConnection {
    /// This connection's memory as its counters say. Loop thread.
    var memoryReport: ConnectionMemoryReport {
        let held = streams.values.map(\.deframerHeldBytes)
        return ConnectionMemoryReport(budgetUsedBytes: budget.usedBytes, budgetLimit: budget.limit, partialBytes: partialBytes,
                                      deframerHeldBytes: held.reduce(0, +), largestDeframerHeldBytes: held.max() ?? 0,
                                      queuedResponseBytes: streams.values.reduce(0) { $0 + $1.outbound.pendingBytes },
                                      outputBytes: http2.pendingOutputBytes, openStreams: streams.count,
                                      headerBytes: headerBudget.usedBytes, headerLimit: headerBudget.limit,
                                      streamHeaderBytes: streams.values.reduce(0) { $0 + $1.headerBytes })
    }
}

extension Server {
    /// A memory report of every open connection, each read on its own loop.
    package func connectionMemoryReports() async -> [ConnectionMemoryReport] {
        var reports: [ConnectionMemoryReport] = []
        for connection in connections {
            if let report = try? await connection.loop.submit({ connection.valueOnLoop.memoryReport }) { reports.append(report) }
        }
        return reports
    }
}
