import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A fresh folder only the host's user can enter (mkdtemp creates it 0700), made for one
/// plugin launch: it holds `api.sock` (the host's PluginAPI server for that plugin, on the
/// Unix transport) and `hooks.sock` (where the plugin serves its hooks). Removed after the
/// plugin was reaped and its API server stopped.
struct RuntimeFolder: Sendable {
    let path: String

    var apiSocketPath: String { path + "/api.sock" }
    var hooksSocketPath: String { path + "/hooks.sock" }

    struct CreationError: Error, CustomStringConvertible {
        var description: String
    }

    /// Unix socket paths are limited to 107 bytes.
    static let maximumSocketPathLength = 107

    init(under parent: String) throws(CreationError) {
        var template = Array((parent + "/plugin-XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!) }
        guard created != nil else {
            throw CreationError(
                description: "cannot create a runtime folder in \(parent): \(String(cString: strerror(errno)))")
        }
        // mkdtemp filled in the X's of our buffer; drop its NUL terminator.
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard hooksSocketPath.utf8.count <= Self.maximumSocketPathLength else {
            rmdir(path)
            throw CreationError(
                description: "socket path \(hooksSocketPath) is longer than \(Self.maximumSocketPathLength) bytes")
        }
    }

    /// Removes both sockets (if left behind) and the folder. A plugin may have put other
    /// files there; they go too (the folder is the launch's alone).
    func remove() {
        unlink(apiSocketPath)
        unlink(hooksSocketPath)
        if rmdir(path) != 0 { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Where runtime folders go by default: $XDG_RUNTIME_DIR when set (a per-user 0700
    /// folder), otherwise the temporary folder.
    static var defaultParent: String {
        if let runtime = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") {
            return runtime
        }
        let temporary = NSTemporaryDirectory()
        return temporary.hasSuffix("/") ? String(temporary.dropLast()) : temporary
    }
}
