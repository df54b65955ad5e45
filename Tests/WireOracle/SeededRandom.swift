/// SplitMix64: a small, fast, seedable generator, so the Swift-built messages of the
/// reverse direction are the same on every run (the `compare` step rebuilds them).
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

    /// Edge values often, otherwise random values of random magnitude (varied varint lengths).
    mutating func int32() -> Int32 {
        if chance(0.3) { return [0, 1, -1, 127, 128, 300, -300, .max, .min].randomElement(using: &self)! }
        let bits = Int32.random(in: 0...31, using: &self)
        let value = Int32.random(in: 0...Int32.max, using: &self) >> bits
        return chance(0.4) ? -value - 1 : value
    }

    mutating func int64() -> Int64 {
        if chance(0.3) { return [0, 1, -1, .max, .min, 1 << 32, -(1 << 32)].randomElement(using: &self)! }
        let bits = Int64.random(in: 0...63, using: &self)
        let value = Int64.random(in: 0...Int64.max, using: &self) >> bits
        return chance(0.4) ? -value - 1 : value
    }

    mutating func uint32() -> UInt32 {
        if chance(0.3) { return [0, 1, 127, 128, 16383, 16384, 1 << 31, .max].randomElement(using: &self)! }
        return UInt32.random(in: 0...UInt32.max, using: &self) >> UInt32.random(in: 0...31, using: &self)
    }

    mutating func uint64() -> UInt64 {
        if chance(0.3) { return [0, 1, 1 << 63, .max, 1 << 35].randomElement(using: &self)! }
        return next() >> UInt64.random(in: 0...63, using: &self)
    }

    /// Finite values only: NaN never equals itself, and the reverse check compares with `==`.
    mutating func double() -> Double {
        if chance(0.3) { return [0.0, -0.0, 1.5, -1e300, .infinity, -.infinity, .leastNonzeroMagnitude].randomElement(using: &self)! }
        let value = Double(bitPattern: next())
        return value.isNaN ? 0.25 : value
    }

    mutating func float() -> Float {
        if chance(0.3) { return [0.0, -0.0, 1.5, -.greatestFiniteMagnitude, .infinity, .leastNonzeroMagnitude].randomElement(using: &self)! }
        let value = Float(bitPattern: UInt32(truncatingIfNeeded: next()))
        return value.isNaN ? 0.5 : value
    }

    mutating func bool() -> Bool { chance(0.5) }

    mutating func length() -> Int {
        let roll = Double.random(in: 0..<1, using: &self)
        if roll < 0.15 { return 0 }
        if roll < 0.85 { return Int.random(in: 1...12, using: &self) }
        if roll < 0.98 { return Int.random(in: 13...300, using: &self) }
        return Int.random(in: 301...3000, using: &self)
    }

    /// Elements in a repeated field: mostly few, sometimes many.
    mutating func count(max: Int = 200) -> Int {
        let roll = Double.random(in: 0..<1, using: &self)
        if roll < 0.4 { return 0 }
        if roll < 0.9 || max <= 5 { return Int.random(in: 1...Swift.min(5, Swift.max(max, 1)), using: &self) }
        return Int.random(in: 6...max, using: &self)
    }

    /// Text from several scripts: ASCII, Latin-1, Cyrillic, CJK, emoji, combining marks, controls.
    mutating func string() -> String {
        let pools: [ClosedRange<UInt32>] = [
            0x20...0x7E, 0xA0...0xFF, 0x370...0x4FF, 0x4E00...0x9FFF, 0x1F300...0x1FAFF, 0x300...0x36F, 0x0...0x1F,
        ]
        var pool = pools.randomElement(using: &self)!
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length() {
            if chance(0.2) { pool = pools.randomElement(using: &self)! }
            scalars.append(Unicode.Scalar(UInt32.random(in: pool, using: &self)) ?? "?")
        }
        return String(scalars)
    }

    mutating func bytes() -> [UInt8] {
        (0..<length()).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}
