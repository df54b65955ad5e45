import Glibc
import Synchronization

/// A private temporary folder (mode 0700) for the harnesses' Unix sockets, in $TMPDIR or /tmp,
/// removed at exit. (A crash skips that; scripts/fuzz.sh points TMPDIR at a folder it removes.)
enum SocketDirectory {
    private static let created = Mutex<[String]>([])

    static let path: String = {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/wire-rpc-fuzz.XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let made = mkdtemp(buffer.baseAddress!) else { return nil }
            return String(cString: made)
        }
        guard let path else { fatalError("mkdtemp failed: \(String(cString: strerror(errno)))") }
        created.withLock { $0.append(path) }
        atexit { SocketDirectory.removeAll() }
        return path
    }()

    /// A socket path inside the folder; its file is removed at exit.
    static func socket(_ name: String) -> String {
        let socketPath = "\(path)/\(name)"
        created.withLock { $0.insert(socketPath, at: 0) }  // files before their folder
        return socketPath
    }

    private static func removeAll() {
        for path in created.withLock({ $0 }) {
            if unlink(path) != 0 { rmdir(path) }
        }
    }
}
