#if canImport(Glibc)
import Glibc
#endif

/// Who is at the other end of a Unix socket connection, as the kernel recorded it when the
/// peer called `connect` (SO_PEERCRED): its process id, user id and group id.
public struct PeerCredentials: Sendable, Hashable, CustomStringConvertible {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32

    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    public var description: String { "pid \(pid) uid \(uid) gid \(gid)" }
}

extension Socket {
    /// The peer's credentials (Unix sockets only; nil when the kernel has none to give).
    func peerCredentials() -> PeerCredentials? {
        // struct ucred is three 32-bit fields: pid, uid, gid.
        var fields: (Int32, UInt32, UInt32) = (0, 0, 0)
        var length = socklen_t(MemoryLayout<(Int32, UInt32, UInt32)>.size)
        let status = withUnsafeMutableBytes(of: &fields) { raw in
            getsockopt(fd, SOL_SOCKET, SO_PEERCRED, raw.baseAddress, &length)
        }
        guard status == 0, length == socklen_t(MemoryLayout<(Int32, UInt32, UInt32)>.size), fields.0 > 0 else {
            return nil
        }
        return PeerCredentials(pid: fields.0, uid: fields.1, gid: fields.2)
    }
}
