/// Why a `grpc-timeout` header value was rejected.
package enum GRPCTimeoutError: Error, Sendable, Hashable {
    /// Empty, or only a unit with no digits.
    case missingValue
    /// More than the 8 digits the protocol allows.
    case tooManyDigits(Int)
    /// A byte that is not an ASCII digit where digits belong.
    case invalidDigit
    /// The last byte is not one of `H M S m u n`.
    case invalidUnit
}

/// The `grpc-timeout` header: `TimeoutValue TimeoutUnit`, at most 8 ASCII digits followed by
/// one of `H` (hours), `M` (minutes), `S` (seconds), `m` (milliseconds), `u` (microseconds),
/// `n` (nanoseconds).
package enum GRPCTimeout {
    /// The largest value that fits the 8-digit limit.
    package static let maxValue: Int64 = 99_999_999

    /// Parses a header value into a duration.
    package static func parse(_ value: String) throws(GRPCTimeoutError) -> Duration {
        let bytes = Array(value.utf8)
        guard let unitByte = bytes.last else { throw .missingValue }
        let digits = bytes.dropLast()
        guard !digits.isEmpty else {
            throw unitNanoseconds(unitByte) == nil ? .invalidUnit : .missingValue
        }
        guard digits.count <= 8 else { throw .tooManyDigits(digits.count) }
        var amount: Int64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .invalidDigit }
            amount = amount * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        guard let perUnit = unitNanoseconds(unitByte) else { throw .invalidUnit }
        // 99_999_999 hours in nanoseconds exceeds Int64, so build the Duration from seconds
        // for the coarse units and from nanoseconds for the fine ones.
        if perUnit >= 1_000_000_000 {
            return .seconds(amount * (perUnit / 1_000_000_000))
        }
        return .nanoseconds(amount * perUnit)
    }

    /// Formats a duration for the header, choosing the finest unit whose value fits in 8 digits.
    /// Rounds up when a coarser unit loses precision, so the peer never sees a shorter deadline
    /// than we meant; negative durations become `0n` (already expired); durations beyond
    /// 99999999 hours are clamped to that maximum.
    package static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return "0n" }
        // Total nanoseconds as a wide integer so no unit overflows while we search.
        let nanos = Int128(seconds) * 1_000_000_000 + Int128((attoseconds + 999_999_999) / 1_000_000_000)
        for (unit, perUnit) in units {
            let amount = (nanos + Int128(perUnit) - 1) / Int128(perUnit)
            if amount <= Int128(maxValue) { return "\(amount)\(unit)" }
        }
        return "\(maxValue)H"
    }

    /// Units from finest to coarsest with their length in nanoseconds.
    static let units: [(Character, Int64)] = [
        ("n", 1), ("u", 1_000), ("m", 1_000_000), ("S", 1_000_000_000),
        ("M", 60_000_000_000), ("H", 3_600_000_000_000),
    ]

    static func unitNanoseconds(_ byte: UInt8) -> Int64? {
        switch byte {
        case UInt8(ascii: "n"): 1
        case UInt8(ascii: "u"): 1_000
        case UInt8(ascii: "m"): 1_000_000
        case UInt8(ascii: "S"): 1_000_000_000
        case UInt8(ascii: "M"): 60_000_000_000
        case UInt8(ascii: "H"): 3_600_000_000_000
        default: nil
        }
    }
}
