/// Why a `-bin` metadata value could not be decoded.
package enum Base64Error: Error, Sendable, Hashable {
    /// A byte outside the standard base64 alphabet (and not `=` padding) at this offset.
    case invalidCharacter(offset: Int)
    /// A length that no base64 encoding produces (one leftover character).
    case invalidLength(Int)
    /// `=` somewhere other than the one or two final positions of a complete 4-character group.
    case misplacedPadding(offset: Int)
}

/// Base64 (RFC 4648 standard alphabet) for binary metadata, whose keys end in `-bin`.
///
/// gRPC asks receivers to accept both padded and unpadded values and senders to emit unpadded
/// ones, so `encode` omits padding by default and `decode` takes either.
package enum Base64 {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0...63 for alphabet bytes, 0xFF for everything else.
    static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()

    /// Encodes `bytes`; without padding unless `padded` is true.
    package static func encode(_ bytes: some Collection<UInt8>, padded: Bool = false) -> String {
        let input = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= input.count {
            let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            out.append(alphabet[Int(group >> 18 & 0x3F)])
            out.append(alphabet[Int(group >> 12 & 0x3F)])
            out.append(alphabet[Int(group >> 6 & 0x3F)])
            out.append(alphabet[Int(group & 0x3F)])
            index += 3
        }
        switch input.count - index {
        case 1:
            let group = UInt32(input[index]) << 16
            out.append(alphabet[Int(group >> 18 & 0x3F)])
            out.append(alphabet[Int(group >> 12 & 0x3F)])
            if padded { out.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "=")]) }
        case 2:
            let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
            out.append(alphabet[Int(group >> 18 & 0x3F)])
            out.append(alphabet[Int(group >> 12 & 0x3F)])
            out.append(alphabet[Int(group >> 6 & 0x3F)])
            if padded { out.append(UInt8(ascii: "=")) }
        default:
            break
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes a padded or unpadded base64 string. Unused low bits of the last group are ignored.
    package static func decode(_ text: String) throws(Base64Error) -> [UInt8] {
        try decode(utf8: Array(text.utf8))
    }

    /// Decodes a header value that may hold several base64 values joined by `,` (how HTTP
    /// combines repeated headers), returning each decoded value in order. Spaces after a
    /// comma are tolerated, as HTTP list syntax allows.
    package static func decodeList(_ text: String) throws(Base64Error) -> [[UInt8]] {
        var values: [[UInt8]] = []
        var offset = 0
        for part in text.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            let trimmed = part.drop(while: { $0 == UInt8(ascii: " ") })
            let skipped = part.count - trimmed.count
            do {
                values.append(try decode(utf8: Array(trimmed)))
            } catch {
                throw error.shifted(by: offset + skipped)
            }
            offset += part.count + 1
        }
        return values
    }

    static func decode(utf8 input: [UInt8]) throws(Base64Error) -> [UInt8] {
        // Strip up to two trailing '=' and check that padding only completes the final group.
        var end = input.count
        while end > 0, input[end - 1] == UInt8(ascii: "="), input.count - end < 2 { end -= 1 }
        let padding = input.count - end
        if padding > 0, input.count % 4 != 0 { throw .misplacedPadding(offset: end) }
        if end % 4 == 1 { throw .invalidLength(input.count) }

        var out: [UInt8] = []
        out.reserveCapacity(end / 4 * 3 + 2)
        var accumulator: UInt32 = 0
        var bits = 0
        for offset in 0..<end {
            let byte = input[offset]
            let value = decodeTable[Int(byte)]
            if value == 0xFF {
                throw byte == UInt8(ascii: "=") ? .misplacedPadding(offset: offset) : .invalidCharacter(offset: offset)
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        return out
    }
}

extension Base64Error {
    /// The same error with its offset moved by `delta`, for errors found inside a list element.
    func shifted(by delta: Int) -> Base64Error {
        switch self {
        case .invalidCharacter(let offset): .invalidCharacter(offset: offset + delta)
        case .misplacedPadding(let offset): .misplacedPadding(offset: offset + delta)
        case .invalidLength: self
        }
    }
}
