import Synchronization

/// What a server handler knows about its call, and how it shapes the response metadata.
///
/// Handlers run in their own `Task`: when the deadline passes or the client cancels
/// (RST_STREAM), that task is cancelled, so `Task.isCancelled` / `try Task.checkCancellation()`
/// and every suspending call on the request stream or response writer observe it.
public final class ServerContext: Sendable {
    /// The method being called.
    public let descriptor: MethodDescriptor
    /// The method's shape (unary or which side streams), for interceptors that label calls by it.
    public let kind: RPCKind
    /// Request metadata (custom headers; `-bin` values already base64-decoded).
    public let requestMetadata: Metadata
    /// When the client's `grpc-timeout` expires, if it sent one.
    public let deadline: ContinuousClock.Instant?
    /// The client's address, e.g. "127.0.0.1:53412" or "unix:/path".
    public let peer: String
    /// The client process's credentials (SO_PEERCRED), on servers listening on a Unix
    /// socket; nil on TCP. Read once per connection.
    public let peerCredentials: PeerCredentials?
    /// Whether `Server.Configuration.admitsPeer` admitted this call's connection (true when
    /// the server has no such check). Decided once per connection; an interceptor turns a
    /// refusal into whatever status it sees fit.
    public let peerAdmitted: Bool
    /// The client's verified certificate identity (subject, SANs), on a server with mutual TLS
    /// (`ServerTLSConfiguration.clientCertificateTrustRoots`); nil otherwise.
    public let tlsPeer: TLSPeerIdentity?

    /// Encodings the client accepts for responses (its `grpc-accept-encoding`, plus identity).
    public let acceptedEncodings: Set<CompressionAlgorithm>
    /// The request's `:authority`: the host (and port) the client addressed the call to, nil
    /// when it sent none.
    public let authority: String?

    private struct Outgoing {
        var headers: Metadata = [:]
        var trailers: Metadata = [:]
        var compression: CompressionAlgorithm = .identity
        var compressionLatched = false
        var lastRequestCompressed = false
    }

    private let outgoing = Mutex(Outgoing())
    /// Messages read by the handler and queued for the client, for interceptors that measure
    /// calls (one relaxed atomic add per message).
    private let requestMessages = Atomic<Int>(0)
    private let responseMessages = Atomic<Int>(0)
    /// `abortStatus`'s raw value, -1 while there is none.
    private let abortCode = Atomic<Int>(-1)

    init(descriptor: MethodDescriptor, kind: RPCKind, requestMetadata: Metadata, deadline: ContinuousClock.Instant?, peer: String,
         peerCredentials: PeerCredentials? = nil, peerAdmitted: Bool = true, tlsPeer: TLSPeerIdentity? = nil,
         acceptedEncodings: Set<CompressionAlgorithm>, authority: String? = nil) {
        self.descriptor = descriptor
        self.kind = kind
        self.requestMetadata = requestMetadata
        self.deadline = deadline
        self.peer = peer
        self.peerCredentials = peerCredentials
        self.peerAdmitted = peerAdmitted
        self.tlsPeer = tlsPeer
        self.acceptedEncodings = acceptedEncodings
        self.authority = authority
    }

    /// How response messages are compressed (default identity). Only an encoding in
    /// `acceptedEncodings` takes effect, and only if set before the first response message.
    public var responseCompression: CompressionAlgorithm {
        get { outgoing.withLock { $0.compression } }
        set { outgoing.withLock { if !$0.compressionLatched { $0.compression = newValue } } }
    }

    /// Whether the request message read most recently arrived compressed on the wire.
    public var requestMessageWasCompressed: Bool {
        outgoing.withLock { $0.lastRequestCompressed }
    }

    func noteRequestMessage(compressed: Bool) {
        outgoing.withLock { $0.lastRequestCompressed = compressed }
        requestMessages.wrappingAdd(1, ordering: .relaxed)
    }

    func noteResponseMessage() {
        responseMessages.wrappingAdd(1, ordering: .relaxed)
    }

    /// Request messages the handler has read so far. An interceptor reads it after `next`
    /// returns or throws, when it is the call's total.
    public var requestMessageCount: Int { requestMessages.load(ordering: .relaxed) }

    /// Response messages queued for the client so far (read it after `next`, as above).
    public var responseMessageCount: Int { responseMessages.load(ordering: .relaxed) }

    /// The status the server sent on its own, ending the call before the handler did:
    /// DEADLINE_EXCEEDED when the deadline passed, CANCELLED when the client reset the stream
    /// (or the connection was lost), another code for a malformed request or exhausted memory.
    /// Nil while the handler's outcome decides the status. Once set, this is how the call ended,
    /// whatever the handler returns or throws after it (it sees its task cancelled), so
    /// interceptors record this one.
    public var abortStatus: StatusCode? {
        let raw = abortCode.load(ordering: .acquiring)
        return raw < 0 ? nil : StatusCode(wireValue: raw)
    }

    func noteAborted(_ code: StatusCode) {
        _ = abortCode.compareExchange(expected: -1, desired: code.rawValue, ordering: .acquiringAndReleasing)
    }

    /// Fixes the response encoding when the response headers go out.
    func latchResponseCompression() -> CompressionAlgorithm {
        outgoing.withLock { state in
            if !state.compressionLatched {
                state.compressionLatched = true
                if !acceptedEncodings.contains(state.compression) { state.compression = .identity }
            }
            return state.compression
        }
    }

    /// Metadata sent with the response headers. Set it before the first response message is
    /// written; later changes are ignored (headers go out with the first message).
    public var responseHeaders: Metadata {
        get { outgoing.withLock { $0.headers } }
        set { outgoing.withLock { $0.headers = newValue } }
    }

    /// Metadata sent in the trailers, after the handler returns or throws
    /// (an `RPCError`'s own metadata is added to these).
    public var responseTrailers: Metadata {
        get { outgoing.withLock { $0.trailers } }
        set { outgoing.withLock { $0.trailers = newValue } }
    }
}
