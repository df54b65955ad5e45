import COpenSSL

/// One OpenSSL `SSL_CTX`: certificates, trust store, verification and ALPN policy shared by
/// many connections. Immutable once built (OpenSSL allows `SSL_new` on a context from any
/// thread), freed when the last holder lets go; each connection's `SSL` keeps its own reference.
final class TLSContext: @unchecked Sendable {
    enum Role: Sendable { case server, client }

    let role: Role
    let pointer: OpaquePointer

    private init(role: Role) throws(TLSError) {
        TLSError.clearQueue()
        guard let created = SSL_CTX_new(role == .server ? TLS_server_method() : TLS_client_method()) else {
            throw .drainingQueue("could not create a TLS context")
        }
        self.role = role
        self.pointer = created
        guard copenssl_ctx_set_min_tls12(created) == 1 else { throw .drainingQueue("could not require TLS 1.2") }
        copenssl_ctx_set_write_modes(created)
        copenssl_ctx_set_safe_options(created)
    }

    deinit { SSL_CTX_free(pointer) }

    /// A server context: the chain and key, ALPN `h2` required, and client certificates
    /// required and verified when `clientCertificateTrustRoots` is set.
    static func server(_ configuration: ServerTLSConfiguration) throws(TLSError) -> TLSContext {
        let context = try TLSContext(role: .server)
        try context.loadIdentity(chain: configuration.certificateChainFile, key: configuration.privateKeyFile)
        copenssl_ctx_select_alpn_h2(context.pointer)
        if let roots = configuration.clientCertificateTrustRoots {
            try context.loadTrust(roots)
            if case .file(let path) = roots {
                // Names the acceptable issuers in the CertificateRequest, so a client holding
                // several certificates can pick the right one.
                if let names = SSL_load_client_CA_file(path) { SSL_CTX_set_client_CA_list(context.pointer, names) }
            }
            SSL_CTX_set_verify(context.pointer, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        } else {
            SSL_CTX_set_verify(context.pointer, SSL_VERIFY_NONE, nil)
        }
        return context
    }

    /// A client context: the trust store, server verification, ALPN `h2` offered (unless
    /// `offersALPN` is false, which only tests use to play a client that does not offer it),
    /// and our certificate when one is configured.
    static func client(_ configuration: ClientTLSConfiguration, offersALPN: Bool = true) throws(TLSError) -> TLSContext {
        let context = try TLSContext(role: .client)
        try context.loadTrust(configuration.trustRoots)
        SSL_CTX_set_verify(context.pointer, SSL_VERIFY_PEER, nil)
        if offersALPN && copenssl_ctx_offer_alpn_h2(context.pointer) != 0 {
            throw .drainingQueue("could not offer ALPN h2")
        }
        switch (configuration.certificateChainFile, configuration.privateKeyFile) {
        case (let chain?, let key?):
            try context.loadIdentity(chain: chain, key: key)
        case (nil, nil):
            break
        default:
            throw TLSError("a client certificate needs both certificateChainFile and privateKeyFile")
        }
        return context
    }

    private func loadIdentity(chain: String, key: String) throws(TLSError) {
        guard SSL_CTX_use_certificate_chain_file(pointer, chain) == 1 else {
            throw .drainingQueue("could not load the certificate chain from \(chain)")
        }
        guard SSL_CTX_use_PrivateKey_file(pointer, key, SSL_FILETYPE_PEM) == 1 else {
            throw .drainingQueue("could not load the private key from \(key)")
        }
        guard SSL_CTX_check_private_key(pointer) == 1 else {
            throw .drainingQueue("the private key in \(key) does not match the certificate in \(chain)")
        }
    }

    private func loadTrust(_ roots: TLSTrustRoots) throws(TLSError) {
        switch roots {
        case .systemDefault:
            guard SSL_CTX_set_default_verify_paths(pointer) == 1 else {
                throw .drainingQueue("could not load the system's trusted certificates")
            }
        case .file(let path):
            guard SSL_CTX_load_verify_locations(pointer, path, nil) == 1 else {
                throw .drainingQueue("could not load trusted certificates from \(path)")
            }
        }
    }
}
