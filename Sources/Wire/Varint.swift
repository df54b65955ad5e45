/// Varint and ZigZag arithmetic shared by the sizer, the writer and the reader.
public enum Varint {
    /// Bytes a value takes as a varint (1...10).
    @inlinable
    public static func size(_ value: UInt64) -> Int {
        // Each byte carries 7 bits: (bits used + 6) / 7, with 0 taking one byte. Written from
        // the highest set bit's index h (0...63) as (9h + 73) / 64, which is the same number
        // for every h and compiles to bsr, lea, add, shift (no division by 7 to lower).
        let highestBit = 63 &- (value | 1).leadingZeroBitCount
        return (highestBit &* 9 &+ 73) &>> 6
    }

    /// Decodes the varint at `pointer`, which must have at least 10 readable bytes: one
    /// 8-byte load, no per-byte checks. Returns the value and its length, or nil when the
    /// varint runs past 10 bytes (malformed).
    @inlinable @inline(__always)
    public static func decode(_ pointer: UnsafeRawPointer) -> (value: UInt64, length: Int)? {
        let word = UInt64(littleEndian: pointer.loadUnaligned(as: UInt64.self))
        if word & 0x80 == 0 { return (word & 0x7F, 1) }
        let terminators = ~word & 0x8080_8080_8080_8080
        if terminators != 0 {
            // The lowest clear high bit ends the varint. `t ^ (t - 1)` sets every bit up to
            // and including it: a mask of exactly the varint's bytes, without a shift by a
            // variable length (and its special case for 8 bytes).
            let mask = terminators ^ (terminators &- 1)
            return (gather8(word & mask), (terminators.trailingZeroBitCount &+ 1) &>> 3)
        }
        // 9 or 10 bytes (negative int32/int64 values): two more bytes by hand.
        let ninth = pointer.load(fromByteOffset: 8, as: UInt8.self)
        let value = gather8(word) | UInt64(ninth & 0x7F) &<< 56
        if ninth < 0x80 { return (value, 9) }
        let tenth = pointer.load(fromByteOffset: 9, as: UInt8.self)
        guard tenth < 0x80 else { return nil }
        return (value | UInt64(tenth) &<< 63, 10)
    }

    @inlinable
    public static func size(_ value: UInt32) -> Int { size(UInt64(value)) }

    /// int32 values are sign-extended to 64 bits, so negative ones always take 10 bytes.
    @inlinable
    public static func size(int32 value: Int32) -> Int { size(UInt64(bitPattern: Int64(value))) }

    /// Packs the 7-bit groups of up to 8 varint bytes (little-endian in `bytes`, continuation
    /// bits included) into one value: three steps that each halve the number of groups
    /// (7-bit groups into 14-bit, 28-bit, then 56-bit), instead of one step per byte.
    @inlinable @inline(__always)
    public static func gather8(_ bytes: UInt64) -> UInt64 {
        var value = bytes & 0x7F7F_7F7F_7F7F_7F7F
        // Each step joins pairs of lanes by subtracting what the high lane has too much:
        // a 16-bit lane lo + 256·hi becomes lo + 128·hi by taking away 128·hi, which is
        // (lane >> 1) masked to hi's bits (nothing crosses lanes: the result stays >= 0).
        value &-= (value &>> 1) & 0x3F80_3F80_3F80_3F80
        // A 32-bit lane a + 65536·b becomes a + 16384·b: take away 3·(16384·b).
        value &-= ((value &>> 2) & 0x0FFF_C000_0FFF_C000) &* 3
        // Two 28-bit halves: the high one moves down next to the low one.
        return (value & 0xFFFF_FFFF) | (value &>> 32) &<< 28
    }

    /// The inverse of `gather8` for a value below 2^56: its 7-bit groups spread one per byte
    /// (little-endian), continuation bits not yet set.
    @inlinable @inline(__always)
    public static func scatter8(_ value: UInt64) -> UInt64 {
        var bytes = value & 0x00FF_FFFF_FFFF_FFFF
        bytes = (bytes & 0x0000_0000_0FFF_FFFF) | (bytes & 0x00FF_FFFF_F000_0000) &<< 4
        bytes = (bytes & 0x0000_3FFF_0000_3FFF) | (bytes & 0x0FFF_C000_0FFF_C000) &<< 2
        bytes = (bytes & 0x007F_007F_007F_007F) | (bytes & 0x3F80_3F80_3F80_3F80) &<< 1
        return bytes
    }

    /// Bytes below 0x80 in `count` bytes at `start`: the number of varints a packed run holds
    /// (each ends in exactly one such byte). Sixteen bytes per step.
    @inlinable
    static func countTerminators(_ start: UnsafeRawPointer, _ count: Int) -> Int {
        var terminators = 0
        var offset = 0
        // Per 16-byte vector, a 1 in each lane that holds a terminator, summed lane-wise (a
        // lane reaches at most 255 after 255 vectors), the lanes widened and added up once per
        // 255 vectors. The vector compiles to SSE2 (the x86-64 baseline): about four
        // instructions per 16 bytes, against two per byte for a byte loop.
        while offset &+ 16 <= count {
            var lanes = SIMD16<UInt8>()
            let stop = Swift.min(count &- 15, offset &+ 255 &* 16)
            while offset < stop {
                let bytes = start.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
                lanes &+= (bytes &>> 7) ^ 1
                offset &+= 16
            }
            terminators &+= Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
        }
        // Fewer than 16 bytes left (all of most runs in small messages): eight in one word,
        // a terminator's high bit clear, then the last few one at a time.
        if count &- offset >= 8 {
            let word = UInt64(littleEndian: start.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            terminators &+= (~word & 0x8080_8080_8080_8080).nonzeroBitCount
            offset &+= 8
        }
        while offset < count {
            if start.load(fromByteOffset: offset, as: UInt8.self) < 0x80 { terminators &+= 1 }
            offset &+= 1
        }
        return terminators
    }

    @inlinable
    public static func zigZag(_ value: Int32) -> UInt32 {
        UInt32(bitPattern: (value &<< 1) ^ (value >> 31))
    }

    @inlinable
    public static func zigZag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value &<< 1) ^ (value >> 63))
    }

    @inlinable
    public static func unZigZag(_ value: UInt32) -> Int32 {
        Int32(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }

    @inlinable
    public static func unZigZag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }
}
