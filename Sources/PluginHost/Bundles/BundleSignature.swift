import Crypto
import Foundation

/// Ed25519 keys and signatures as plugin publishers hand them out.
///
/// A bundle's signature is the Ed25519 signature of its 32-byte SHA-256 digest (not of the
/// whole file), so a bundle of any size is verified in one streaming pass. With OpenSSL:
/// `openssl dgst -sha256 -binary B.tar.gz > d && openssl pkeyutl -sign -rawin -inkey key.pem -in d -out B.tar.gz.sig`.
public struct BundlePublicKey: Sendable, Equatable {
    /// The 32-byte key (swift-crypto's key type is not `Sendable`, so it is made when verifying).
    let rawKey: [UInt8]

    /// Reads a key as PEM (`-----BEGIN PUBLIC KEY-----`, what `openssl pkey -pubout` writes),
    /// as base64 or hex text of the 32 raw bytes, or as the 32 raw bytes.
    public init(contentsOf bytes: [UInt8]) throws(BundleError) {
        let raw: [UInt8]
        if let der = PEM.decode(bytes, label: "PUBLIC KEY") {
            // SubjectPublicKeyInfo for Ed25519 (RFC 8410): a fixed 12-byte prefix, then the key.
            let prefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]
            guard der.count == 44, der.starts(with: prefix) else {
                throw .malformedKey("the PEM public key is not an Ed25519 key")
            }
            raw = Array(der.dropFirst(prefix.count))
        } else {
            raw = try Self.bytes(from: bytes, expectedCount: 32, what: "public key")
        }
        guard (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil else {
            throw .malformedKey("not an Ed25519 public key")
        }
        rawKey = raw
    }

    /// Whether `signature` (raw 64 bytes, or base64/hex text) signs `digest`.
    func verifies(signature: [UInt8], digest: [UInt8]) -> Bool {
        guard let raw = try? Self.bytes(from: signature, expectedCount: 64, what: "signature"),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawKey)
        else { return false }
        return key.isValidSignature(raw, for: digest)
    }

    /// `count` raw bytes, or text holding them as base64 or hex.
    static func bytes(from contents: [UInt8], expectedCount: Int, what: String) throws(BundleError) -> [UInt8] {
        if contents.count == expectedCount { return contents }
        let text = String(decoding: contents, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if let hex = HexDigest.decode(text), hex.count == expectedCount { return hex }
        if let data = Data(base64Encoded: text), data.count == expectedCount { return Array(data) }
        throw .malformedKey("the \(what) is neither \(expectedCount) raw bytes nor their base64 or hex")
    }
}

/// The base64 body of a PEM block.
enum PEM {
    static func decode(_ bytes: [UInt8], label: String) -> [UInt8]? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let begin = text.range(of: "-----BEGIN \(label)-----"),
            let end = text.range(of: "-----END \(label)-----", range: begin.upperBound..<text.endIndex)
        else { return nil }
        let body = text[begin.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
        return Data(base64Encoded: String(body)).map(Array.init)
    }
}

/// SHA-256 digests as lowercase hex.
enum HexDigest {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
