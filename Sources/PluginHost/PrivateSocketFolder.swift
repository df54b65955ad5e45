import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A fresh folder only this user can enter (mkdtemp creates it 0700), holding one plugin's
/// API socket; removed after the API server has stopped.
struct PrivateSocketFolder: Sendable {
    let path: String

    var socketPath: String { path + "/api.sock" }

    struct CreationError: Error, CustomStringConvertible {
        var description: String
    }

    init(under parent: String) throws(CreationError) {
        var template = Array((parent + "/plugin-api-XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!) }
        guard created != nil else {
            throw CreationError(
                description: "cannot create a private socket folder in \(parent): \(String(cString: strerror(errno)))")
        }
        // mkdtemp filled in the X's of our buffer; drop its NUL terminator.
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // Unix socket paths are limited to 107 bytes.
        guard socketPath.utf8.count <= 107 else {
            rmdir(path)
            throw CreationError(description: "socket path \(socketPath) is longer than 107 bytes")
        }
    }

    /// Removes the socket (if the server left it) and the folder.
    func remove() {
        unlink(socketPath)
        rmdir(path)
    }
}
