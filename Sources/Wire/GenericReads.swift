/// Reads of one codec value from generic code (map entries), without typed throws.
///
/// Why: Swift 6.3 does not devirtualize a call to a protocol requirement made through a generic
/// parameter when the witness throws a typed error (its own `throw`, or a `try` of a
/// `throws(E)` function). Even after specialization for concrete codecs, `Value.read(from:)`
/// in a map entry reader stayed an indirect call through the codec's witness table, about 70
/// instructions per varint instead of an inlined read (callgrind, `bench wire` maps and tree).
/// `readValue(from:failure:)` reports the error in an `inout` instead; its witnesses throw
/// nothing themselves (the rare slow paths that do are separate functions, never inlined), so
/// the optimizer resolves and inlines them like any other static call. Every codec has its
/// own version (varint codecs share one), and none calls `read(from:)` inline.
extension VarintCodec {
    @inlinable @inline(__always)
    public static func readValue(from reader: inout Reader, failure: inout WireError?) -> Value {
        value(fromVarint: reader.readVarint(failure: &failure))
    }
}

extension ProtoFixed32 {
    @inlinable @inline(__always)
    public static func readValue(from reader: inout Reader, failure: inout WireError?) -> UInt32 {
        reader.readFixed32(failure: &failure)
    }
}

extension ProtoFixed64 {
    @inlinable @inline(__always)
    public static func readValue(from reader: inout Reader, failure: inout WireError?) -> UInt64 {
        reader.readFixed64(failure: &failure)
    }
}

extension ProtoSFixed32 {
    @inlinable @inline(__always)
    public static func readValue(from reader: inout Reader, failure: inout WireError?) -> Int32 {
        Int32(bitPattern: reader.readFixed32(failure: &failure))
    }
}

extension ProtoSFixed64 {
    @inlinable @inline(__always)
    public static func readValue(from reader: inout Reader, failure: inout WireError?) -> Int64 {
        Int64(bitPattern: reader.readFixed64(failure: &failure))
    }
}

extension ProtoFloat {
    @inlinable @inline(__always)
    public static func readValue(from reader: inout Reader, failure: inout WireError?) -> Float {
        Float(bitPattern: reader.readFixed32(failure: &failure))
    }
}

extension ProtoDouble {
    @inlinable @inline(__always)
    public static func readValue(from reader: inout Reader, failure: inout WireError?) -> Double {
        Double(bitPattern: reader.readFixed64(failure: &failure))
    }
}

extension ProtoString {
    @inlinable @inline(__always)
    public static func readValue(from reader: inout Reader, failure: inout WireError?) -> String {
        readCatchingFailure(from: &reader, failure: &failure)
    }

    /// The throwing read, out of line (a string is built by a call anyway).
    @usableFromInline
    static func readCatchingFailure(from reader: inout Reader, failure: inout WireError?) -> String {
        do throws(WireError) {
            return try read(from: &reader)
        } catch {
            failure = error
            return ""
        }
    }
}

extension ProtoBytes {
    @inlinable @inline(__always)
    public static func readValue(from reader: inout Reader, failure: inout WireError?) -> [UInt8] {
        readCatchingFailure(from: &reader, failure: &failure)
    }

    /// The throwing read, out of line (the array is allocated by a call anyway).
    @usableFromInline
    static func readCatchingFailure(from reader: inout Reader, failure: inout WireError?) -> [UInt8] {
        do throws(WireError) {
            return try read(from: &reader)
        } catch {
            failure = error
            return []
        }
    }
}

extension Reader {
    /// `readVarint()` reporting a malformed varint in `failure` (then returning 0).
    @inlinable @inline(__always)
    mutating func readVarint(failure: inout WireError?) -> UInt64 {
        let available = end - position
        if inputEnd - position >= 10 {
            // Room for the longest varint in the input: one word load, as in `readVarint()`.
            // `end` may be closer than that: map values are most often an entry's last field.
            guard let (value, length) = Varint.decode(position), length <= available else {
                failure = available >= 10 ? .varintTooLong : .truncated
                return 0
            }
            position += length
            return value
        }
        if available > 0 {
            let first = position.load(as: UInt8.self)
            if first < 0x80 {
                position += 1
                return UInt64(first)
            }
        }
        return readVarintSlow(failure: &failure)
    }

    /// The slow path of `readVarint(failure:)` (the last bytes of the input): never inlined,
    /// so its `try` stays out of the callers (see the top of this file).
    @usableFromInline @inline(never)
    mutating func readVarintSlow(failure: inout WireError?) -> UInt64 {
        do throws(WireError) {
            return try readVarintSlow()
        } catch {
            failure = error
            return 0
        }
    }

    /// `readFixed32()` reporting truncation in `failure` (then returning 0).
    @inlinable @inline(__always)
    mutating func readFixed32(failure: inout WireError?) -> UInt32 {
        guard end - position >= 4 else {
            failure = .truncated
            return 0
        }
        let value = position.loadUnaligned(as: UInt32.self)
        position += 4
        return UInt32(littleEndian: value)
    }

    /// `readFixed64()` reporting truncation in `failure` (then returning 0).
    @inlinable @inline(__always)
    mutating func readFixed64(failure: inout WireError?) -> UInt64 {
        guard end - position >= 8 else {
            failure = .truncated
            return 0
        }
        let value = position.loadUnaligned(as: UInt64.self)
        position += 8
        return UInt64(littleEndian: value)
    }
}
