// Interim protocol helpers until the `grpcproto` branch lands its Protocol/ files; then these
// are deleted and callers switch to those. Kept minimal and internal on purpose.

/// A gRPC length-prefixed message as read off the wire.
struct InterimFramedMessage {
    var compressed: Bool
    var bytes: [UInt8]
}

/// Failure of the incremental deframer.
enum InterimDeframeError: Error, Equatable {
    case messageTooLarge(length: Int, limit: Int)
}

/// Splits a byte stream into gRPC length-prefixed messages, whatever way it was chunked.
struct InterimDeframer {
    let maxMessageSize: Int
    private var header: [UInt8] = []
    private var body: [UInt8] = []
    private var bodyLength = -1
    private var compressed = false

    init(maxMessageSize: Int) { self.maxMessageSize = maxMessageSize }

    /// Bytes held for a message not yet complete.
    var bufferedCount: Int { header.count + body.count }

    mutating func process(_ chunk: UnsafeRawBufferPointer, _ emit: (InterimFramedMessage) -> Void) throws(InterimDeframeError) {
        var index = 0
        while index < chunk.count || bodyLength == 0 {
            if bodyLength < 0 {
                let take = min(5 - header.count, chunk.count - index)
                header.append(contentsOf: chunk[index..<(index + take)])
                index += take
                guard header.count == 5 else { return }
                let length = Int(header[1]) << 24 | Int(header[2]) << 16 | Int(header[3]) << 8 | Int(header[4])
                compressed = header[0] & 1 == 1
                header.removeAll(keepingCapacity: true)
                guard length <= maxMessageSize else { throw .messageTooLarge(length: length, limit: maxMessageSize) }
                bodyLength = length
                body = []
                body.reserveCapacity(length)
            }
            let take = min(bodyLength - body.count, chunk.count - index)
            if take > 0 {
                body.append(contentsOf: chunk[index..<(index + take)])
                index += take
            }
            if body.count == bodyLength {
                emit(InterimFramedMessage(compressed: compressed, bytes: body))
                body = []
                bodyLength = -1
            } else {
                return
            }
        }
    }
}

enum InterimFramer {
    /// The 5-byte prefix: compression flag and big-endian length.
    static func prefix(length: Int, compressed: Bool = false) -> [UInt8] {
        [compressed ? 1 : 0, UInt8(truncatingIfNeeded: length >> 24), UInt8(truncatingIfNeeded: length >> 16),
         UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)]
    }
}

enum InterimPercentEncoding {
    static func encode(_ text: String) -> String {
        var out: [UInt8] = []
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            if byte >= 0x20 && byte <= 0x7E && byte != UInt8(ascii: "%") {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

enum InterimBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index], b1 = index + 1 < bytes.count ? bytes[index + 1] : 0, b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 3) << 4 | b1 >> 4)])
            out.append(index + 1 < bytes.count ? alphabet[Int((b1 & 0xF) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes padded or unpadded base64; nil when malformed.
    static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        var sawPadding = false
        for byte in text.utf8 {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - 65
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - 97 + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - 48 + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="): sawPadding = true; continue
            default: return nil
            }
            if sawPadding { return nil }
            values.append(value)
        }
        if values.count % 4 == 1 { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            let v = Array(chunk) + Array(repeating: 0, count: 4 - chunk.count)
            out.append(v[0] << 2 | v[1] >> 4)
            if chunk.count > 2 { out.append(v[1] << 4 | v[2] >> 2) }
            if chunk.count > 3 { out.append(v[2] << 6 | v[3]) }
            index += 4
        }
        return out
    }
}

enum InterimTimeout {
    /// Parses a grpc-timeout value ("<1-8 digits><H|M|S|m|u|n>").
    static func parse(_ text: String) -> Duration? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes.count <= 9, let unit = bytes.last else { return nil }
        var value: Int64 = 0
        for byte in bytes.dropLast() {
            guard byte >= 48 && byte <= 57 else { return nil }
            value = value * 10 + Int64(byte - 48)
        }
        switch unit {
        case UInt8(ascii: "H"): return .seconds(value * 3600)
        case UInt8(ascii: "M"): return .seconds(value * 60)
        case UInt8(ascii: "S"): return .seconds(value)
        case UInt8(ascii: "m"): return .milliseconds(value)
        case UInt8(ascii: "u"): return .microseconds(value)
        case UInt8(ascii: "n"): return .nanoseconds(value)
        default: return nil
        }
    }

    /// Formats a duration with the finest unit whose value fits in 8 digits (rounding up).
    static func format(_ duration: Duration) -> String {
        let (seconds, attos) = duration.components
        let nanos = max(0, seconds) * 1_000_000_000 + max(0, attos) / 1_000_000_000
        let units: [(Int64, String)] = [(1, "n"), (1000, "u"), (1_000_000, "m"), (1_000_000_000, "S"), (60_000_000_000, "M"), (3_600_000_000_000, "H")]
        for (scale, unit) in units {
            let value = (nanos + scale - 1) / scale
            if value <= 99_999_999 { return "\(value)\(unit)" }
        }
        return "99999999H"
    }
}
