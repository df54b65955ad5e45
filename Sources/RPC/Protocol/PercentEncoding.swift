/// Percent-encoding of the `grpc-message` trailer value (gRPC PROTOCOL-HTTP2 "Status-Message").
///
/// The message is UTF-8 text, but HTTP/2 header values must stay within printable ASCII, so
/// every byte outside 0x20...0x7E, and `%` itself, travels as `%XX` (upper-case hex). Decoding
/// is deliberately lenient: a malformed escape is kept verbatim rather than failing the call,
/// because a broken status message must never hide the status code it accompanies.
package enum GRPCMessageEncoding {
    /// Encodes `message` for the `grpc-message` trailer.
    package static func encode(_ message: String) -> String {
        let utf8 = message.utf8
        // Fast path: most messages are plain ASCII and need no escaping at all.
        if utf8.allSatisfy({ !needsEscape($0) }) { return message }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count * 3)
        for byte in utf8 {
            if needsEscape(byte) {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigit(byte >> 4))
                out.append(hexDigit(byte & 0x0F))
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes a `grpc-message` value. Invalid escapes (`%`, `%4`, `%zz`) pass through unchanged;
    /// byte sequences that are not valid UTF-8 after decoding become U+FFFD.
    package static func decode(_ value: String) -> String {
        let utf8 = Array(value.utf8)
        guard utf8.contains(UInt8(ascii: "%")) else { return value }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), index + 2 < utf8.count,
               let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte > 0x7E || byte == UInt8(ascii: "%")
    }

    @inline(__always)
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
