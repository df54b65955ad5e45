import COpenSSL
import CRPCSystem
import Glibc

/// One TLS session over memory: OpenSSL reads and writes a BIO pair whose other end we fill
/// from the socket and drain into it, so OpenSSL never touches the socket and never blocks.
/// No socket here at all (`TLSTransport` connects it to one); tests connect two engines to
/// each other directly.
///
/// Buffers and their bounds:
/// - inbound ciphertext: filled by `receiveCiphertext` (from the socket), drained by OpenSSL as
///   it decrypts; at most `ciphertextBufferSize` bytes, after which nothing more is read from
///   the socket until OpenSSL has taken some (TCP flow control holds the peer back).
/// - outbound ciphertext: filled by OpenSSL (`encrypt`, handshake flights, alerts), drained by
///   `sendCiphertext` (into the socket); at most `ciphertextBufferSize` bytes, after which
///   `encrypt` accepts nothing until the socket has taken some.
/// - OpenSSL's own record buffers (about 34 KiB in, 17 KiB out), fixed by the protocol.
/// Loop-confined, like the connection that owns it.
final class TLSEngine {
    /// Each direction's ciphertext buffer: four full TLS records, so one socket read or write
    /// moves plenty (64 KiB), while a connection holds at most 128 KiB of ciphertext.
    static let ciphertextBufferSize = 64 << 10

    enum DecryptOutcome: Equatable {
        case bytes(Int)
        /// No complete record is buffered: more ciphertext must arrive.
        case needsCiphertext
        /// The peer sent close_notify.
        case closedByPeer
    }

    /// Most plaintext one TLS record carries.
    static let maxRecordPlaintext = 16 << 10
    /// Room in the outbound buffer that always takes one record of `maxRecordPlaintext`
    /// bytes: its header, the TLS 1.2 explicit nonce or TLS 1.3 content type, the AEAD tag,
    /// with margin.
    static let recordCiphertextRoom = maxRecordPlaintext + 256

    private let ssl: OpaquePointer
    /// Our end of the BIO pair (OpenSSL owns the other end, through `ssl`).
    private let network: OpaquePointer
    /// OpenSSL's end of the pair (owned by `ssl`): what its free space is tells whether a
    /// record fits.
    private let sslSide: OpaquePointer
    private let context: TLSContext
    private(set) var handshake = TLSHandshake()

    /// - Parameter verifiedName: on a client, the name the server's certificate must carry: an
    ///   IP address is matched against IP SANs, anything else against DNS names (and sent as SNI).
    init(context: TLSContext, verifiedName: String? = nil) throws(TLSError) {
        TLSError.clearQueue()
        guard let ssl = SSL_new(context.pointer) else { throw .drainingQueue("could not create a TLS session") }
        var inner: OpaquePointer?
        var outer: OpaquePointer?
        guard BIO_new_bio_pair(&inner, Self.ciphertextBufferSize, &outer, Self.ciphertextBufferSize) == 1,
              let inner, let outer else {
            SSL_free(ssl)
            throw .drainingQueue("could not create the TLS buffers")
        }
        SSL_set_bio(ssl, inner, inner)
        self.ssl = ssl
        self.network = outer
        self.sslSide = inner
        self.context = context
        switch context.role {
        case .server:
            SSL_set_accept_state(ssl)
        case .client:
            SSL_set_connect_state(ssl)
            if let verifiedName { try expectPeerName(verifiedName) }
        }
    }

    deinit {
        SSL_free(ssl)
        BIO_free(network)
    }

    private func expectPeerName(_ name: String) throws(TLSError) {
        if Self.isIPAddress(name) {
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name) == 1 else {
                throw .drainingQueue("could not expect the IP address \(name)")
            }
        } else {
            guard SSL_set1_host(ssl, name) == 1, copenssl_set_server_name(ssl, name) == 1 else {
                throw .drainingQueue("could not expect the host name \(name)")
            }
        }
    }

    private static func isIPAddress(_ text: String) -> Bool {
        var storage = in6_addr()
        return inet_pton(AF_INET, text, &storage) == 1 || inet_pton(AF_INET6, text, &storage) == 1
    }

    // MARK: Handshake

    /// Runs OpenSSL's handshake as far as the bytes received allow.
    func advanceHandshake() -> TLSHandshake.Action {
        guard case .handshaking = handshake.state else { return handshake.stepped(.needsPeerBytes) }
        let result = SSL_do_handshake(ssl)
        if result == 1 {
            return handshake.stepped(.complete(alpn: negotiatedProtocol(), peer: verifiedPeer()))
        }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return handshake.stepped(.needsPeerBytes)
        default:
            return handshake.stepped(.failed(handshakeError()))
        }
    }

    private func handshakeError() -> TLSError {
        let verdict = SSL_get_verify_result(ssl)
        if verdict != X509_V_OK {
            let reason = String(cString: X509_verify_cert_error_string(verdict))
            TLSError.clearQueue()
            return TLSError("TLS handshake failed: the peer's certificate was rejected: \(reason)")
        }
        return .drainingQueue("TLS handshake failed")
    }

    private func negotiatedProtocol() -> String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    private func verifiedPeer() -> TLSPeerIdentity? {
        guard let certificate = SSL_get0_peer_certificate(ssl), SSL_get_verify_result(ssl) == X509_V_OK else { return nil }
        return TLSPeerIdentity(certificate: certificate)
    }

    // MARK: Ciphertext in and out

    /// Lets `fill` write received ciphertext straight into the inbound buffer's free space
    /// (no copy) and returns what it did. `.bytes(0)` means the buffer is full.
    func receiveCiphertext<E: Error>(_ fill: (UnsafeMutableRawBufferPointer) throws(E) -> ReadOutcome) throws(E) -> ReadOutcome {
        var space: UnsafeMutablePointer<CChar>?
        let available = BIO_nwrite0(network, &space)
        guard available > 0, let space else { return .bytes(0) }
        let outcome = try fill(UnsafeMutableRawBufferPointer(start: space, count: Int(available)))
        if case .bytes(let count) = outcome {
            var committed: UnsafeMutablePointer<CChar>?
            _ = BIO_nwrite(network, &committed, Int32(count))
        }
        return outcome
    }

    /// Copies received ciphertext in (tests); returns how many bytes fit.
    func receiveCiphertext(_ bytes: UnsafeRawBufferPointer) -> Int {
        var taken = 0
        // Bounded: the ring buffer offers at most two contiguous pieces.
        for _ in 0..<4 where taken < bytes.count {
            let outcome = receiveCiphertext { space -> ReadOutcome in
                let count = min(space.count, bytes.count - taken)
                space.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[taken..<(taken + count)]))
                return .bytes(count)
            }
            guard case .bytes(let count) = outcome, count > 0 else { break }
            taken += count
        }
        return taken
    }

    /// Ciphertext waiting to be sent.
    var pendingCiphertextCount: Int { Int(BIO_ctrl_pending(network)) }

    /// Hands pending ciphertext to `drain` (no copy), which returns how much it took. True
    /// when nothing is left pending.
    func sendCiphertext<E: Error>(_ drain: (UnsafeRawBufferPointer) throws(E) -> Int) throws(E) -> Bool {
        // Bounded: the ring buffer offers at most two contiguous pieces per pass.
        for _ in 0..<4 {
            var data: UnsafeMutablePointer<CChar>?
            let available = BIO_nread0(network, &data)
            guard available > 0, let data else { return true }
            let taken = try drain(UnsafeRawBufferPointer(start: data, count: Int(available)))
            if taken > 0 {
                var consumed: UnsafeMutablePointer<CChar>?
                _ = BIO_nread(network, &consumed, Int32(taken))
            }
            if taken < Int(available) { return false }
        }
        return pendingCiphertextCount == 0
    }

    // MARK: Application data

    /// True when the outbound buffer has room for a whole record: `encrypt` of up to
    /// `maxRecordPlaintext` bytes then takes them all.
    var hasRoomForRecord: Bool { BIO_ctrl_get_write_guarantee(sslSide) >= Self.recordCiphertextRoom }

    /// Encrypts a prefix of `plaintext` (one record, with partial writes on) into the outbound
    /// buffer; returns its length (0 when the outbound buffer is full: send first). After a
    /// 0, the next call must offer at least the same bytes again (OpenSSL may hold part of a
    /// record of them).
    func encrypt(_ plaintext: UnsafeRawBufferPointer) throws(TLSError) -> Int {
        guard !plaintext.isEmpty else { return 0 }
        let result = SSL_write(ssl, plaintext.baseAddress, Int32(clamping: plaintext.count))
        if result > 0 { return Int(result) }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_WRITE, SSL_ERROR_WANT_READ: return 0
        default: throw .drainingQueue("TLS encryption failed")
        }
    }

    /// Decrypts into `buffer` what complete records allow.
    func decrypt(into buffer: UnsafeMutableRawBufferPointer) throws(TLSError) -> DecryptOutcome {
        let result = SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
        if result > 0 { return .bytes(Int(result)) }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .needsCiphertext
        case SSL_ERROR_ZERO_RETURN:
            handshake.closed()
            return .closedByPeer
        default:
            throw .drainingQueue("TLS decryption failed")
        }
    }

    /// True when input is buffered that no socket event will announce: decrypted bytes inside
    /// OpenSSL, or received ciphertext it has not processed.
    var hasBufferedInput: Bool {
        SSL_pending(ssl) > 0 || BIO_ctrl_wpending(network) > 0
    }

    /// Queues close_notify (once the handshake is done; a failed one already queued its alert).
    func queueCloseNotify() {
        guard handshake.isEstablished else { return }
        _ = SSL_shutdown(ssl)
        TLSError.clearQueue()
        handshake.closed()
    }
}
