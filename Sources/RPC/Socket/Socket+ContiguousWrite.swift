import CRPCSystem
import Glibc

extension Socket {
    /// Writes one contiguous buffer (TLS ciphertext); returns the byte count taken (0 when the
    /// socket would block).
    func write(_ bytes: UnsafeRawBufferPointer) throws(SocketError) -> Int {
        guard !bytes.isEmpty else { return 0 }
        var vector = iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress), iov_len: bytes.count)
        return try withUnsafePointer(to: &vector) { (pointer) throws(SocketError) -> Int in
            try writev(UnsafeBufferPointer(start: pointer, count: 1))
        }
    }
}
