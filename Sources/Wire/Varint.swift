/// Varint and ZigZag arithmetic shared by the sizer, the writer and the reader.
public enum Varint {
    /// Bytes a value takes as a varint (1...10).
    @inlinable
    public static func size(_ value: UInt64) -> Int {
        // Each byte carries 7 bits; (bits used + 6) / 7, with 0 taking one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits &+ 6) / 7
    }

    @inlinable
    public static func size(_ value: UInt32) -> Int { size(UInt64(value)) }

    /// int32 values are sign-extended to 64 bits, so negative ones always take 10 bytes.
    @inlinable
    public static func size(int32 value: Int32) -> Int { size(UInt64(bitPattern: Int64(value))) }

    /// Packs the 7-bit groups of up to 8 varint bytes (little-endian in `bytes`, continuation
    /// bits included) into one value.
    @inlinable @inline(__always)
    public static func gather8(_ bytes: UInt64) -> UInt64 {
        var value = bytes & 0x7F
        value |= (bytes & 0x7F00) &>> 1
        value |= (bytes & 0x7F_0000) &>> 2
        value |= (bytes & 0x7F00_0000) &>> 3
        value |= (bytes & 0x7F_0000_0000) &>> 4
        value |= (bytes & 0x7F00_0000_0000) &>> 5
        value |= (bytes & 0x7F_0000_0000_0000) &>> 6
        value |= (bytes & 0x7F00_0000_0000_0000) &>> 7
        return value
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
