/// Log-linear latency histogram in nanoseconds: 64 sub-buckets per power of two (~1.6 %
/// relative error), fixed size (2,624 counters) whatever the number of samples, the same
/// bucketing as the C++ peer client so the percentiles compare like for like.
/// Not thread-safe: each load worker owns one, and they are merged at the end.
public struct LatencyHistogram: Sendable {
    static let subBits = 6
    static let sub = 1 << subBits
    static let maxMSB = 45  // ~9.7 hours in ns
    static let bucketCount = 2 * sub + (maxMSB - subBits) * sub

    private var counts: [UInt64]
    public private(set) var count: UInt64 = 0

    public init() { counts = Array(repeating: 0, count: Self.bucketCount) }

    static func index(_ nanoseconds: UInt64) -> Int {
        var value = nanoseconds
        if value < UInt64(2 * sub) { return Int(value) }
        var msb = 63 - value.leadingZeroBitCount
        if msb > maxMSB {
            msb = maxMSB
            value = (1 << UInt64(maxMSB + 1)) - 1
        }
        let shift = msb - subBits
        return 2 * sub + (msb - subBits - 1) * sub + Int((value >> UInt64(shift)) - UInt64(sub))
    }

    /// The middle of bucket `index`.
    static func value(_ index: Int) -> UInt64 {
        if index < 2 * sub { return UInt64(index) }
        let relative = index - 2 * sub
        let msb = relative / sub + subBits + 1
        let subBucket = UInt64(relative % sub + sub)
        let shift = UInt64(msb - subBits)
        return (subBucket << shift) + ((1 << shift) >> 1)
    }

    public mutating func record(nanoseconds: UInt64) {
        counts[Self.index(nanoseconds)] &+= 1
        count &+= 1
    }

    public mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] &+= other.counts[index] }
        count &+= other.count
    }

    /// The value at quantile `q` (0...1), in nanoseconds; 0 when empty.
    public func quantile(_ q: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        var rank = UInt64(q * Double(count))
        if rank >= count { rank = count - 1 }
        var seen: UInt64 = 0
        for (index, bucket) in counts.enumerated() {
            seen &+= bucket
            if seen > rank { return Self.value(index) }
        }
        return Self.value(Self.bucketCount - 1)
    }
}
