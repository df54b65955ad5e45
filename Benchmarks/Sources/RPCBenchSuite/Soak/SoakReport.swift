/// The outcome of `bench soak`: what ran, the server's and the client's usage over time, and
/// whether their memory levelled off.
public struct SoakReport: Sendable, Encodable {
    public var durationSeconds: Double
    public var workers: Int
    public var channels: Int
    public var kinds: [KindStats]
    /// The server's usage (no samples when its pid is not known).
    public var server: UsageHistory
    /// This process's usage: the soak's own channels, calls and event loop.
    public var client: UsageHistory

    enum CodingKeys: String, CodingKey {
        case workers, channels, kinds, server, client
        case durationSeconds = "duration_s"
    }

    init(settings: SoakSettings, kinds: [KindStats], server: UsageHistory, client: UsageHistory) {
        durationSeconds = settings.duration
        workers = settings.workers
        channels = settings.channels
        self.kinds = kinds
        self.server = server
        self.client = client
    }

    /// Rows for the usage table: (process, milestone, usage).
    public var milestones: [(process: String, label: String, usage: ProcessUsage)] {
        server.milestones(duration: durationSeconds).map { ("server", $0.label, $0.usage) }
            + client.milestones(duration: durationSeconds).map { ("client", $0.label, $0.usage) }
    }

    public var unexpectedFailures: Int { kinds.reduce(0) { $0 + $1.unexpectedFailures } }

    /// The soak passes when the server's RSS levelled off (and its live heap, when known),
    /// its descriptors returned, and nothing failed other than as provoked.
    public var passed: Bool {
        server.rssLevelledOff == true && server.liveHeapLevelledOff != false && server.descriptorsReturned == true
            && unexpectedFailures == 0
    }

    public var verdict: String {
        guard server.before != nil else { return "no server usage measured (give --server-pid with --target)" }
        var lines = ["server: \(server.verdict)", "client: \(client.verdict)"]
        if server.descriptorsReturned == false { lines.append("server descriptors did not return to the baseline") }
        return lines.joined(separator: "\n")
    }
}
