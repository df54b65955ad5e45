import Glibc

/// Turns away a connection the server will not serve (over `maxConnections`) with words a
/// client understands: the server's SETTINGS (the HTTP/2 server preface), a GOAWAY with
/// REFUSED_STREAM and the reason, then FIN. One non-blocking write; nothing stays behind.
enum ConnectionRefusal {
    static func refuse(_ socket: Socket, reason: String) {
        var bytes = frame(type: 0x4, payload: [])  // SETTINGS, empty
        let code = UInt32(0x7)  // REFUSED_STREAM: the client may retry elsewhere (UNAVAILABLE)
        bytes += frame(type: 0x7, payload: [0, 0, 0, 0,
                                            UInt8(code >> 24), UInt8(code >> 16 & 0xFF), UInt8(code >> 8 & 0xFF), UInt8(code & 0xFF)]
                       + Array(reason.utf8))
        _ = bytes.withUnsafeBytes { Glibc.send(socket.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        socket.shutdownWrite()
        // Unread input makes close() send RST, which can overtake the GOAWAY: drop what
        // already arrived (bounded: one read of whatever is there).
        var scratch = [UInt8](repeating: 0, count: 4096)
        _ = scratch.withUnsafeMutableBytes { Glibc.recv(socket.fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        socket.close()
    }

    private static func frame(type: UInt8, payload: [UInt8]) -> [UInt8] {
        let length = payload.count
        return [UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type, 0, 0, 0, 0, 0] + payload
    }
}
