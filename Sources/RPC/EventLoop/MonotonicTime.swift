import Glibc

/// Nanoseconds on CLOCK_MONOTONIC: the event loop's only notion of time (timers, deadlines, keepalive).
struct MonotonicTime: Comparable, Hashable, Sendable {
    var nanoseconds: UInt64

    static func now() -> MonotonicTime {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return MonotonicTime(nanoseconds: UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec))
    }

    static func < (lhs: MonotonicTime, rhs: MonotonicTime) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// Adds a duration, saturating instead of overflowing (a deadline of "forever" stays representable).
    func adding(_ duration: Duration) -> MonotonicTime {
        let (seconds, attoseconds) = duration.components
        if seconds < 0 { return self }
        let nanos = UInt64(clamping: seconds).multipliedReportingOverflow(by: 1_000_000_000)
        if nanos.overflow { return MonotonicTime(nanoseconds: .max) }
        let total = nanos.partialValue.addingReportingOverflow(UInt64(attoseconds / 1_000_000_000))
        let sum = nanoseconds.addingReportingOverflow(total.partialValue)
        if total.overflow || sum.overflow { return MonotonicTime(nanoseconds: .max) }
        return MonotonicTime(nanoseconds: sum.partialValue)
    }

    /// Time left until `self` from `now`, zero when already passed.
    func remaining(from now: MonotonicTime = .now()) -> Duration {
        nanoseconds > now.nanoseconds ? .nanoseconds(Int64(clamping: nanoseconds - now.nanoseconds)) : .zero
    }
}
