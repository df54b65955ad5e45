import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes a bundle's entries under a fresh staging folder.
///
/// Safety does not rest on the name checks alone: files are created with
/// `O_CREAT | O_EXCL | O_NOFOLLOW`, so nothing already on disk is overwritten or followed;
/// symbolic links are created only after every file and folder, so no write can pass
/// through one; and each link is then resolved on disk and must land inside the root.
struct BundleExtractor {
    var maximumEntries: Int

    /// Unpacks everything `reader` yields into `root` (an empty folder we own).
    func extract(_ reader: inout TarReader, into root: String) throws(BundleError) {
        var seen = Set<String>()
        var links: [(components: [Substring], target: String)] = []
        var count = 0
        while let entry = try reader.next() {
            count += 1
            guard count <= maximumEntries else { throw .tooManyEntries(limit: maximumEntries) }
            let components = try BundlePath.components(of: entry.path)
            let relative = components.joined(separator: "/")
            let path = root + "/" + relative
            switch entry.kind {
            case .directory:
                try makeDirectories(root: root, components: components)
                seen.insert(relative)
            case .file(_, let executable):
                guard seen.insert(relative).inserted else { throw .duplicateEntry(relative) }
                try makeDirectories(root: root, components: components.dropLast())
                try writeFile(at: path, executable: executable, reader: &reader)
            case .symbolicLink(let target):
                guard seen.insert(relative).inserted else { throw .duplicateEntry(relative) }
                guard BundlePath.linkStaysInside(linkComponents: components, target: target) else {
                    throw .linkEscapes(path: relative, target: target)
                }
                links.append((components, target))
            }
        }
        try reader.finish()

        for link in links {
            try makeDirectories(root: root, components: link.components.dropLast())
            let path = root + "/" + link.components.joined(separator: "/")
            guard symlink(link.target, path) == 0 else { throw .io(path: path, operation: "symlink", errno: errno) }
        }
        // On disk, with every link in place: a link through another link must still land inside.
        guard let realRoot = realPath(root) else { throw .io(path: root, operation: "realpath", errno: errno) }
        for link in links {
            let relative = link.components.joined(separator: "/")
            guard let resolved = realPath(root + "/" + relative), isInside(resolved, root: realRoot) else {
                throw .linkEscapes(path: relative, target: link.target)
            }
        }
    }

    private func makeDirectories(root: String, components: some Collection<Substring>) throws(BundleError) {
        var path = root
        for component in components {
            path += "/" + component
            if mkdir(path, 0o755) == 0 { continue }
            let error = errno
            var info = stat()
            // Only a real folder may already be there (links do not exist yet; files must not).
            guard error == EEXIST, lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                throw error == EEXIST ? .duplicateEntry(String(path.dropFirst(root.count + 1)))
                    : .io(path: path, operation: "mkdir", errno: error)
            }
        }
    }

    private func writeFile(at path: String, executable: Bool, reader: inout TarReader) throws(BundleError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, executable ? 0o755 : 0o644)
        guard fd >= 0 else {
            throw errno == EEXIST ? .duplicateEntry(path) : .io(path: path, operation: "create", errno: errno)
        }
        defer { close(fd) }
        try reader.readData { piece throws(BundleError) in
            try writeAll(fd: fd, piece, path: path)
        }
    }
}

/// Writes every byte of `bytes` to `fd`, retrying short writes and EINTR.
func writeAll(fd: Int32, _ bytes: ArraySlice<UInt8>, path: String) throws(BundleError) {
    var written = 0
    while written < bytes.count {
        let result = bytes.withUnsafeBytes { buffer in
            Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
        }
        if result > 0 {
            written += result
        } else if result < 0 && errno != EINTR {
            throw .io(path: path, operation: "write", errno: errno)
        }
    }
}
