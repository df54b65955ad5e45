/// One received HEADERS block (request headers, response headers, trailers or Trailers-Only)
/// as gRPC reads it: the fields the protocol gives meaning to, and the rest as custom metadata
/// (`-bin` values base64-decoded, padded or not). Server and client streams collect their
/// blocks here field by field, as nghttp2 delivers them, and judge them with the methods
/// below, so both sides read headers by the same rules (gRPC PROTOCOL-HTTP2).
struct ReceivedHeaders {
    private(set) var method: String?
    private(set) var path: String?
    /// `:authority` (requests): the host the call is for.
    private(set) var authority: String?
    /// `:status` as received (responses).
    private(set) var httpStatus: String?
    private(set) var contentType: ContentTypeField?
    private(set) var te: String?
    private(set) var timeout: String?
    private(set) var encoding: String?
    private(set) var acceptEncoding: String?
    private(set) var grpcStatus: String?
    private(set) var grpcMessage: String?
    private(set) var metadata = Metadata()
    /// Why a metadata value could not be read (the first one), reported when the block is judged.
    private(set) var malformedMetadata: String?

    /// `content-type`, judged as it arrives: gRPC's needs no string (it is on every message).
    enum ContentTypeField: Equatable {
        case grpc
        case other(String)

        var isGRPC: Bool { self == .grpc }
    }

    init() {}

    /// A block from a list of fields, in order.
    init(_ fields: [(String, String)]) {
        for (name, value) in fields { add(name: name, value: value) }
    }

    mutating func add(name: String, value: String) {
        var name = name
        var value = value
        name.withUTF8 { name in
            value.withUTF8 { value in add(name: UnsafeRawBufferPointer(name), value: UnsafeRawBufferPointer(value)) }
        }
    }

    /// One field as nghttp2 delivers it (names are lowercase: nghttp2 rejects others). Names
    /// are matched as bytes, and a `String` is made only for what is kept: most fields of a
    /// request are either judged here (`content-type`) or never used (`:scheme`, `user-agent`),
    /// and the usual values of the others are constants (`POST`, `trailers`, `200`, `0`).
    mutating func add(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        switch HeaderName(name) {
        case .method: method = HeaderName.equals(value, "POST") ? "POST" : Self.string(value)
        case .path: path = Self.string(value)
        case .authority: authority = Self.string(value)
        case .status: httpStatus = HeaderName.equals(value, "200") ? "200" : Self.string(value)
        case .contentType:
            contentType = GRPCContentType.isGRPC(value) ? .grpc : .other(Self.string(value))
        case .te: te = HeaderName.equals(value, "trailers") ? "trailers" : Self.string(value)
        case .timeout: timeout = Self.string(value)
        case .encoding: encoding = Self.string(value)
        case .acceptEncoding: acceptEncoding = Self.string(value)
        case .grpcStatus: grpcStatus = HeaderName.equals(value, "0") ? "0" : Self.string(value)
        case .grpcMessage: grpcMessage = Self.string(value)
        case .ignored:
            // Pseudo-headers we do not use (:scheme), the other reserved keys and
            // transport noise never reach the application.
            return
        case .custom:
            addMetadata(name: Self.string(name), value: Self.string(value))
        }
    }

    private mutating func addMetadata(name: String, value: String) {
        if name.hasSuffix("-bin") {
            // HTTP may join repeated fields with commas; each part is one value.
            do {
                for bytes in try Base64.decodeList(value) { metadata.add(name, binary: bytes) }
            } catch {
                if malformedMetadata == nil { malformedMetadata = "invalid base64 in metadata \(name) (\(error))" }
            }
        } else {
            metadata.add(name, value)
        }
    }

    private static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Fields set by HTTP intermediaries and libraries rather than by the peer application.
    static func isTransportNoise(_ name: String) -> Bool {
        name == "user-agent" || name == "date" || name == "server"
    }
}

/// What a received header name means to gRPC, told from its bytes (length first, then the
/// bytes of the one or few names of that length).
private enum HeaderName {
    case method, path, authority, status, contentType, te, timeout, encoding, acceptEncoding, grpcStatus, grpcMessage
    /// Reserved (`HeaderBlock.isReserved`), a pseudo-header we do not read, or transport noise
    /// (`ReceivedHeaders.isTransportNoise`): dropped.
    case ignored
    /// Custom metadata.
    case custom

    init(_ name: UnsafeRawBufferPointer) {
        if name.first == UInt8(ascii: ":") {
            if Self.equals(name, ":path") { self = .path }
            else if Self.equals(name, ":method") { self = .method }
            else if Self.equals(name, ":authority") { self = .authority }
            else if Self.equals(name, ":status") { self = .status }
            else { self = .ignored }
            return
        }
        switch name.count {
        case 2: self = Self.equals(name, "te") ? .te : .custom
        case 4: self = Self.equals(name, "date") ? .ignored : .custom
        case 6: self = Self.equals(name, "server") ? .ignored : .custom
        case 10: self = Self.equals(name, "user-agent") || Self.equals(name, "connection") ? .ignored : .custom
        case 11: self = Self.equals(name, "grpc-status") ? .grpcStatus : .custom
        case 12:
            if Self.equals(name, "content-type") { self = .contentType }
            else if Self.equals(name, "grpc-timeout") { self = .timeout }
            else if Self.equals(name, "grpc-message") { self = .grpcMessage }
            else { self = .custom }
        case 13: self = Self.equals(name, "grpc-encoding") ? .encoding : .custom
        case 14: self = Self.equals(name, "content-length") ? .ignored : .custom
        case 17: self = Self.equals(name, "transfer-encoding") ? .ignored : .custom
        case 20: self = Self.equals(name, "grpc-accept-encoding") ? .acceptEncoding : .custom
        default: self = .custom
        }
    }

    static func equals(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count == count else { return false }
        let expected = UnsafeRawBufferPointer(start: literal.utf8Start, count: count)
        for index in 0..<count where bytes[index] != expected[index] { return false }
        return true
    }
}

// MARK: Requests (server side)

/// What valid request headers say about a call.
struct RequestHead {
    var path: String
    var timeout: Duration?
    var encoding: CompressionAlgorithm
    /// The raw `grpc-accept-encoding` (parsed when the call's context is built).
    var acceptEncoding: String?
    var metadata: Metadata
    /// `:authority`, when the client sent one.
    var authority: String?
}

/// How the server answers request headers it cannot serve.
enum RequestRejection: Error, Equatable {
    /// Not a gRPC request at all: a plain HTTP status (405 for a method other than POST,
    /// 415 for a content-type other than gRPC's).
    case httpStatus(Int)
    /// A gRPC request that fails: Trailers-Only with this status. `advertiseEncodings` adds our
    /// grpc-accept-encoding (the request used an encoding we do not support).
    case status(StatusCode, String, advertiseEncodings: Bool)
}

extension ReceivedHeaders {
    /// Judges request headers in the order gRPC servers do: HTTP method, content-type, te,
    /// metadata, encoding, then the method `lookup` finds for the path, then the timeout.
    func requestHead<Method>(lookup: (String) -> Method?) -> Result<(RequestHead, Method), RequestRejection> {
        guard method == "POST" else { return .failure(.httpStatus(405)) }
        guard contentType?.isGRPC == true else { return .failure(.httpStatus(415)) }
        guard te == "trailers" else {
            return .failure(.status(.internalError, "the te header must be \"trailers\"", advertiseEncodings: false))
        }
        if let malformedMetadata { return .failure(.status(.internalError, malformedMetadata, advertiseEncodings: false)) }
        var algorithm = CompressionAlgorithm.identity
        if let encoding {
            guard let supported = CompressionAlgorithm(headerValue: encoding) else {
                return .failure(.status(.unimplemented, "grpc-encoding \(encoding) is not supported", advertiseEncodings: true))
            }
            algorithm = supported
        }
        guard let path, let found = lookup(path) else {
            return .failure(.status(.unimplemented, "method not found: \(path ?? "")", advertiseEncodings: false))
        }
        var duration: Duration?
        if let timeout {
            do {
                duration = try GRPCTimeout.parse(timeout)
            } catch {
                return .failure(.status(.internalError, "invalid grpc-timeout \(timeout)", advertiseEncodings: false))
            }
        }
        return .success((RequestHead(path: path, timeout: duration, encoding: algorithm, acceptEncoding: acceptEncoding,
                                     metadata: metadata, authority: authority), found))
    }
}

// MARK: Responses (client side)

/// What valid response headers (not ending the stream) say about a call.
struct ResponseHead: Equatable {
    var metadata: Metadata
    var encoding: CompressionAlgorithm
}

/// The status a call ends with, as the client reports it.
struct CallStatus: Equatable {
    var code: StatusCode
    var message: String
    var metadata: Metadata

    init(code: StatusCode, message: String, metadata: Metadata = [:]) {
        self.code = code
        self.message = message
        self.metadata = metadata
    }

    var error: RPCError { RPCError(code: code, message: message, metadata: metadata) }
}

extension ReceivedHeaders {
    /// Judges response headers that do not end the stream: `:status` must be 200 (otherwise
    /// the code follows gRPC's http-grpc-status-mapping), the content-type gRPC's, the
    /// metadata readable and the message encoding one we support.
    func responseHead() -> Result<ResponseHead, RPCError> {
        if let httpStatus, httpStatus != "200" {
            let status = Int(httpStatus) ?? 0
            return .failure(RPCError(code: StatusCode(httpStatus: status), message: "HTTP status \(httpStatus)"))
        }
        switch contentType {
        case .grpc?:
            break
        case .other(let value)?:
            return .failure(RPCError(code: .unknown, message: "response content-type \(value) is not gRPC"))
        case nil:
            return .failure(RPCError(code: .unknown, message: "response content-type missing is not gRPC"))
        }
        if let malformedMetadata { return .failure(RPCError(code: .internalError, message: malformedMetadata)) }
        var algorithm = CompressionAlgorithm.identity
        if let encoding {
            guard let supported = CompressionAlgorithm(headerValue: encoding) else {
                return .failure(RPCError(code: .internalError, message: "unsupported response grpc-encoding \(encoding)"))
            }
            algorithm = supported
        }
        return .success(ResponseHead(metadata: metadata, encoding: algorithm))
    }

    /// The status in trailers or a Trailers-Only response: grpc-status and the percent-decoded
    /// grpc-message; without grpc-status, a `:status` other than 200 maps to a code, and
    /// anything else is INTERNAL. The metadata comes along as the call's trailers.
    func trailerStatus() -> CallStatus {
        if let malformedMetadata { return CallStatus(code: .internalError, message: malformedMetadata, metadata: metadata) }
        var message = grpcMessage.map(GRPCMessageEncoding.decode) ?? ""
        if let grpcStatus, let value = Int(grpcStatus) {
            let code = StatusCode(wireValue: value)
            // Say whose limit it was: this client's own limits fail before anything is sent or
            // with messages that say so; this one came from the server.
            if code == .resourceExhausted { message = "reported by the server (its limit, not this client's): \(message)" }
            return CallStatus(code: code, message: message, metadata: metadata)
        }
        if let httpStatus, httpStatus != "200" {
            if message.isEmpty { message = "HTTP status \(httpStatus) without grpc-status" }
            return CallStatus(code: StatusCode(httpStatus: Int(httpStatus) ?? 0), message: message, metadata: metadata)
        }
        return CallStatus(code: .internalError, message: "the response ended without grpc-status", metadata: metadata)
    }
}
