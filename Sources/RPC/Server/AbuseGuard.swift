/// Per-connection guards in our own layer (nghttp2's fixed reset limit is turned off in
/// `NGHTTP2Bridge`, so the configured ones here are what applies):
/// rapid reset (streams the client resets before any response), streams we refuse or reset
/// because of the client (refused at a limit, or in error), ping floods with the gRPC
/// `too_many_pings` policy (`PingStrikePolicy`), and SETTINGS floods.
/// Loop-confined.
final class AbuseGuard {
    private var earlyResets: TokenBucket
    private var refusedStreams: TokenBucket
    private var settingsFrames: TokenBucket
    private var pings: PingStrikePolicy

    init(configuration: Server.Configuration) {
        let keepalive = configuration.keepalive
        pings = PingStrikePolicy(minInterval: keepalive.minPingInterval, minIntervalWithoutCalls: keepalive.minPingIntervalWithoutCalls,
                                 permitWithoutCalls: keepalive.permitWithoutCalls, maxStrikes: keepalive.maxPingStrikes)
        earlyResets = TokenBucket(ratePerSecond: configuration.maxEarlyResetsPerSecond)
        refusedStreams = TokenBucket(ratePerSecond: configuration.maxRefusedStreamsPerSecond)
        settingsFrames = TokenBucket(ratePerSecond: configuration.maxSettingsPerSecond)
    }

    /// Records a stream reset before a response; true when they come faster than the limit
    /// per second allows (beyond a burst of one second's worth).
    func recordEarlyReset() -> Bool {
        !earlyResets.take(now: .now())
    }

    /// Records a stream we refused or reset because of the client; true when they come
    /// faster than the limit per second allows (beyond a burst of one second's worth).
    func recordRefusedStream() -> Bool {
        !refusedStreams.take(now: .now())
    }

    /// Records a SETTINGS frame; true when they come faster than the limit per second allows.
    func recordSettings() -> Bool {
        !settingsFrames.take(now: .now())
    }

    /// Records a PING; true when the client earned more strikes than allowed.
    func recordPing(activeStreams: Int) -> Bool {
        pings.pingReceived(now: .now(), openStreams: activeStreams)
    }

    /// We sent headers or data: pings in between are legitimate (e.g. BDP probes).
    func noteActivitySent() {
        pings.activitySent()
    }
}

/// A token bucket: holds up to `ratePerSecond` tokens (the allowed burst), refills at
/// `ratePerSecond` tokens per second, and each event takes one. Unlike counting per fixed
/// one-second window, a flood cannot hide by straddling window edges or by arriving slowly
/// (a loaded peer spreading 200 resets over three windows of 70 each): what decides is the
/// sustained rate, measured continuously.
struct TokenBucket {
    private let capacity: Int64
    private let nanosecondsPerToken: Int64
    /// Tokens are kept in nanoseconds of refill time for exact integer arithmetic:
    /// `credit` / `nanosecondsPerToken` tokens are available.
    private var credit: Int64
    private var lastRefill: MonotonicTime?

    init(ratePerSecond: Int) {
        let rate = Int64(max(1, ratePerSecond))
        capacity = rate
        nanosecondsPerToken = max(1, 1_000_000_000 / rate)
        credit = capacity * nanosecondsPerToken
    }

    /// Takes one token; false when none is left (the rate is exceeded).
    mutating func take(now: MonotonicTime) -> Bool {
        let full = capacity * nanosecondsPerToken
        if let lastRefill {
            let elapsed = max(0, Int64(truncatingIfNeeded: now.nanoseconds &- lastRefill.nanoseconds))
            credit = min(full, credit + min(elapsed, full))
        }
        lastRefill = now
        guard credit >= nanosecondsPerToken else { return false }
        credit -= nanosecondsPerToken
        return true
    }
}
