/// Where the certificates a TLS endpoint trusts come from.
public enum TLSTrustRoots: Sendable, Hashable {
    /// The system's default CA store (Debian: /etc/ssl/certs, from ca-certificates).
    case systemDefault
    /// The PEM certificates in this file, and only those.
    case file(String)
}

/// TLS for a server: its certificate chain and key, and whether clients must present
/// certificates of their own (mutual TLS). Every connection negotiates ALPN `h2`; a client
/// that does not offer it is refused. TLS 1.2 is the minimum version.
///
/// The certificate, key and client trust root files are read when the server starts, and read
/// again when one of them changes on disk (checked at most once per `reloadCheckInterval`, when a connection is
/// accepted): new connections get the new certificate, established ones keep theirs. A
/// replacement that does not load (a half-written file, a key that does not match) is logged
/// and the previous certificate stays in use.
public struct ServerTLSConfiguration: Sendable {
    /// PEM file: the server's certificate first, then any intermediates.
    public var certificateChainFile: String
    /// PEM file with the private key of the first certificate. Only the server process should
    /// be able to read it (mode 0600).
    public var privateKeyFile: String
    /// Set to require client certificates signed by these roots; nil accepts clients without one.
    public var clientCertificateTrustRoots: TLSTrustRoots?
    /// How often, at most, the certificate files are checked for changes.
    public var reloadCheckInterval: Duration = .seconds(1)

    public init(certificateChainFile: String, privateKeyFile: String, clientCertificateTrustRoots: TLSTrustRoots? = nil) {
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
        self.clientCertificateTrustRoots = clientCertificateTrustRoots
    }
}

/// TLS for a client channel: which servers it trusts, which name their certificate must carry,
/// and optionally a certificate of its own for servers that require one. ALPN `h2` is offered
/// and a server that does not select it is refused.
///
/// The files (trust roots, certificate chain, key) are read when the channel is made, and
/// read again when one of them changes on disk (checked at most once per
/// `reloadCheckInterval`, when a connection is made): new connections use the new files,
/// established ones keep theirs. A replacement that does not load is logged and the previous
/// files stay in use.
public struct ClientTLSConfiguration: Sendable {
    /// Certificates trusted to sign the server's.
    public var trustRoots: TLSTrustRoots = .systemDefault
    /// The name the server's certificate must match (and, for a DNS name, the SNI sent). nil
    /// uses the target's host (an IP address is matched against the certificate's IP SANs).
    public var serverNameOverride: String?
    /// PEM certificate chain presented to servers that ask for one (mutual TLS).
    public var certificateChainFile: String?
    /// PEM private key for `certificateChainFile`.
    public var privateKeyFile: String?
    /// How often, at most, the files are checked for changes.
    public var reloadCheckInterval: Duration = .seconds(1)

    public init(trustRoots: TLSTrustRoots = .systemDefault, serverNameOverride: String? = nil,
                certificateChainFile: String? = nil, privateKeyFile: String? = nil) {
        self.trustRoots = trustRoots
        self.serverNameOverride = serverNameOverride
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
    }
}

/// What a verified TLS peer's certificate says about it (the client's, on a server with mutual
/// TLS: `ServerContext.tlsPeer`).
public struct TLSPeerIdentity: Sendable, Hashable {
    /// The certificate's subject, RFC 2253 form (e.g. "CN=client,O=Example").
    public var subject: String
    /// DNS names among the subject alternative names.
    public var dnsNames: [String]
    /// IP addresses among the subject alternative names, in text form.
    public var ipAddresses: [String]
    /// URIs among the subject alternative names (SPIFFE IDs, for instance).
    public var uris: [String]
    /// E-mail addresses among the subject alternative names.
    public var emailAddresses: [String]

    public init(subject: String, dnsNames: [String] = [], ipAddresses: [String] = [], uris: [String] = [],
                emailAddresses: [String] = []) {
        self.subject = subject
        self.dnsNames = dnsNames
        self.ipAddresses = ipAddresses
        self.uris = uris
        self.emailAddresses = emailAddresses
    }
}
