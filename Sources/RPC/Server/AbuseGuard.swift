/// Per-connection guards nghttp2 1.52 lacks (it has no stream reset rate limit):
/// rapid reset (streams reset before any response), ping floods with the gRPC
/// `too_many_pings` policy (strikes, reset whenever we send data), and SETTINGS floods.
/// Loop-confined.
final class AbuseGuard {
    private let configuration: Server.Configuration
    private var earlyResets = RateWindow()
    private var settingsFrames = RateWindow()
    private var lastPing: MonotonicTime?
    private var pingStrikes = 0

    init(configuration: Server.Configuration) {
        self.configuration = configuration
    }

    /// Records a stream reset before a response; true when the limit per second is exceeded.
    func recordEarlyReset() -> Bool {
        earlyResets.record(now: .now()) > configuration.maxEarlyResetsPerSecond
    }

    /// Records a SETTINGS frame; true when more than the limit arrive within a second.
    func recordSettings() -> Bool {
        settingsFrames.record(now: .now()) > configuration.maxSettingsPerSecond
    }

    /// Records a PING; true when the client earned more strikes than allowed.
    func recordPing(activeStreams: Int) -> Bool {
        let now = MonotonicTime.now()
        let keepalive = configuration.keepalive
        let allowed = activeStreams == 0 && !keepalive.permitWithoutCalls
            ? max(keepalive.minPingIntervalWithoutCalls, keepalive.minPingInterval)
            : keepalive.minPingInterval
        if let lastPing, lastPing.adding(allowed) > now {
            pingStrikes += 1
        }
        lastPing = now
        return pingStrikes > keepalive.maxPingStrikes
    }

    /// We sent headers or data: pings in between are legitimate (e.g. BDP probes).
    func noteActivitySent() {
        pingStrikes = 0
        lastPing = nil
    }
}

/// Counts events in the current one-second window.
struct RateWindow {
    private var windowStart = MonotonicTime(nanoseconds: 0)
    private var count = 0

    mutating func record(now: MonotonicTime) -> Int {
        if now.nanoseconds &- windowStart.nanoseconds >= 1_000_000_000 {
            windowStart = now
            count = 0
        }
        count += 1
        return count
    }
}
