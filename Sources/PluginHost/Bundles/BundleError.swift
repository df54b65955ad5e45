/// Why a plugin bundle was refused. Nothing of a refused bundle is left in the plugins
/// folder, and a plugin it would have replaced keeps running.
public enum BundleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bundle file could not be read, or the staging folder could not be written.
    case io(path: String, operation: String, errno: Int32)
    /// The bundle file is larger than `PluginBundleOptions.maximumBundleBytes`.
    case bundleTooLarge(limit: Int)
    /// No expected digest was given (`expectedSHA256`, or a `BUNDLE.sha256` file beside it).
    case missingDigest
    /// The expected digest is not 64 hexadecimal digits.
    case malformedDigest(String)
    /// The bundle's SHA-256 is not the expected one.
    case digestMismatch(expected: String, actual: String)
    /// A public key is trusted, so a signature is required, and none was found.
    case missingSignature
    /// The public key or signature file is not in a format we read.
    case malformedKey(String)
    /// The Ed25519 signature does not verify against any trusted key.
    case badSignature
    /// Not gzip, or the gzip stream is damaged or truncated.
    case corruptCompression(String)
    /// The tar stream is damaged: bad checksum, bad number, truncated entry, missing end.
    case corruptArchive(String)
    /// Unpacking would exceed `maximumUnpackedBytes` (a decompression bomb or an oversized bundle).
    case unpackedTooLarge(limit: Int)
    /// More entries than `maximumEntries`.
    case tooManyEntries(limit: Int)
    /// An entry's name is absolute, contains `..`, or is too long or deep.
    case unsafePath(String)
    /// A symbolic link points outside the plugin folder (or nowhere).
    case linkEscapes(path: String, target: String)
    /// A hard link, device, FIFO or unknown entry type.
    case unsupportedEntry(path: String, type: String)
    /// Two entries name the same path.
    case duplicateEntry(String)
    /// The bundle holds no `plugin.json`, at its root or in its one top-level folder.
    case missingManifest
    /// The bundle's `plugin.json` is invalid.
    case invalidManifest(ManifestError)
    /// Creating the virtual environment or installing `requirements.txt` failed.
    case environmentFailed(step: String, detail: String)

    public var description: String {
        switch self {
        case .io(let path, let operation, let errno):
            "\(operation) \(path): \(String(cString: strerror(errno)))"
        case .bundleTooLarge(let limit): "the bundle is larger than \(limit) bytes"
        case .missingDigest:
            "no SHA-256 digest to check the bundle against (give one, or put BUNDLE.sha256 beside the bundle)"
        case .malformedDigest(let digest): "\"\(digest)\" is not a SHA-256 digest (64 hexadecimal digits)"
        case .digestMismatch(let expected, let actual): "SHA-256 mismatch: expected \(expected), the bundle has \(actual)"
        case .missingSignature: "a public key is trusted, but the bundle has no signature"
        case .malformedKey(let detail): "unreadable key or signature: \(detail)"
        case .badSignature: "the bundle's Ed25519 signature does not verify against the trusted key"
        case .corruptCompression(let detail): "not a valid gzip stream: \(detail)"
        case .corruptArchive(let detail): "not a valid tar archive: \(detail)"
        case .unpackedTooLarge(let limit): "the bundle unpacks to more than \(limit) bytes"
        case .tooManyEntries(let limit): "the bundle has more than \(limit) entries"
        case .unsafePath(let path): "unsafe path in bundle: \"\(path)\""
        case .linkEscapes(let path, let target): "link \"\(path)\" -> \"\(target)\" leaves the plugin folder"
        case .unsupportedEntry(let path, let type): "unsupported entry \"\(path)\" (\(type))"
        case .duplicateEntry(let path): "the bundle names \"\(path)\" twice"
        case .missingManifest: "the bundle holds no plugin.json"
        case .invalidManifest(let error): "the bundle's plugin.json is invalid: \(error)"
        case .environmentFailed(let step, let detail): "\(step) failed: \(detail)"
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
