import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A bundle checked and unpacked into a private folder next to the plugins, ready to be
/// moved into place.
struct StagedBundle {
    /// The private folder (`PLUGINS/.install-XXXXXX`, mode 0700) holding everything; removed
    /// by `discard()`.
    var stagingFolder: String
    /// The plugin folder inside it: the archive's root, or its one top-level folder.
    var pluginFolder: String
    var manifest: PluginManifest
    var sha256: String
    var builtVenv: Bool

    func discard() {
        try? FileManager.default.removeItem(atPath: stagingFolder)
    }
}

/// Checks a bundle and unpacks it, in this order: copy the file into a private folder while
/// hashing it (so what is checked is what is unpacked, whatever happens to the original
/// afterwards); compare the digest; verify the signature; unpack; read the manifest; build
/// the venv. Any failure removes the private folder.
struct PluginBundleStager {
    var pluginsDirectory: String
    var options: PluginBundleOptions

    func stage(bundleAt path: String) async throws(BundleError) -> StagedBundle {
        let staging = try makeStagingFolder()
        do throws(BundleError) {
            let copy = staging + "/bundle.tar.gz"
            let digest = try copyAndHash(from: path, to: copy)
            let hex = HexDigest.encode(digest)
            try checkDigest(hex, bundlePath: path)
            try checkSignature(digest: digest, bundlePath: path)

            let root = staging + "/root"
            guard mkdir(root, 0o755) == 0 else { throw .io(path: root, operation: "mkdir", errno: errno) }
            try unpack(copy, into: root)
            unlink(copy)

            let pluginFolder = try findPluginFolder(root)
            let manifest: PluginManifest
            do {
                manifest = try PluginManifest.load(fromDirectory: pluginFolder)
                _ = try manifest.resolvedExecutable(inDirectory: pluginFolder)
            } catch {
                throw .invalidManifest(error)
            }
            guard !manifest.id.hasPrefix(".") else { throw .unsafePath(manifest.id) }
            let builtVenv = try await PluginVenvBuilder(options: options.venv).build(
                pluginFolder: pluginFolder, manifest: manifest)
            return StagedBundle(
                stagingFolder: staging, pluginFolder: pluginFolder, manifest: manifest, sha256: hex, builtVenv: builtVenv)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
    }

    private func makeStagingFolder() throws(BundleError) -> String {
        var template = Array((pluginsDirectory + "/.install-XXXXXX").utf8)
        template.append(0)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { mkdtemp($0.baseAddress!) }
        }
        guard made != nil else { throw .io(path: pluginsDirectory, operation: "mkdtemp in", errno: errno) }
        return String(decoding: template.dropLast(), as: UTF8.self)
    }

    /// Copies `source` to `destination` (created exclusively, 0600), returning its SHA-256.
    private func copyAndHash(from source: String, to destination: String) throws(BundleError) -> [UInt8] {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw .io(path: source, operation: "open", errno: errno) }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw .io(path: source, operation: "open (not a regular file)", errno: EINVAL)
        }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw .io(path: destination, operation: "create", errno: errno) }
        defer { close(output) }

        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var total = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io(path: source, operation: "read", errno: errno)
            }
            total += count
            guard total <= options.maximumBundleBytes else { throw .bundleTooLarge(limit: options.maximumBundleBytes) }
            hasher.update(data: buffer[0..<count])
            try writeAll(fd: output, buffer[0..<count], path: destination)
        }
        return Array(hasher.finalize())
    }

    private func checkDigest(_ actual: String, bundlePath: String) throws(BundleError) {
        let expected: String
        if let given = options.expectedSHA256 {
            expected = given
        } else if let sidecar = Self.readSmallFile(bundlePath + ".sha256") {
            expected = String(String(decoding: sidecar, as: UTF8.self).split(whereSeparator: \.isWhitespace).first ?? "")
        } else {
            throw .missingDigest
        }
        let normalized = expected.lowercased()
        guard normalized.utf8.count == 64, HexDigest.decode(normalized) != nil else {
            throw .malformedDigest(expected)
        }
        guard normalized == actual else { throw .digestMismatch(expected: normalized, actual: actual) }
    }

    private func checkSignature(digest: [UInt8], bundlePath: String) throws(BundleError) {
        guard !options.trustedKeys.isEmpty else { return }
        guard let signature = options.signature ?? Self.readSmallFile(bundlePath + ".sig") else {
            throw .missingSignature
        }
        guard options.trustedKeys.contains(where: { $0.verifies(signature: signature, digest: digest) }) else {
            throw .badSignature
        }
    }

    private func unpack(_ archive: String, into root: String) throws(BundleError) {
        let fd = open(archive, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: archive, operation: "open", errno: errno) }
        let source = try GzipFileReader(fd: fd, path: archive, limit: options.maximumUnpackedBytes)
        var reader = TarReader(source: source)
        try BundleExtractor(maximumEntries: options.maximumEntries).extract(&reader, into: root)
    }

    /// The archive's root when it holds plugin.json, else its only top-level folder when that does.
    private func findPluginFolder(_ root: String) throws(BundleError) -> String {
        if FileManager.default.fileExists(atPath: root + "/plugin.json") { return root }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        guard entries.count == 1 else { throw .missingManifest }
        let folder = root + "/" + entries[0]
        var info = stat()
        guard lstat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR,
            FileManager.default.fileExists(atPath: folder + "/plugin.json")
        else { throw .missingManifest }
        return folder
    }

    /// A sidecar file (digest, signature) of at most 4 KiB, or nil when absent.
    static func readSmallFile(_ path: String) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 4096) else { return nil }
        return Array(data)
    }
}
