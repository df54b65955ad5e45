/// Status codes for failures that arrive without a `grpc-status` (gRPC's http-grpc-status-mapping.md
/// and PROTOCOL-HTTP2.md "Errors").
extension StatusCode {
    /// The code a client reports when a response carries HTTP status `httpStatus` and no
    /// `grpc-status`, e.g. an HTTP proxy answering in place of the server.
    package init(httpStatus: Int) {
        switch httpStatus {
        case 400: self = .internalError
        case 401: self = .unauthenticated
        case 403: self = .permissionDenied
        case 404: self = .unimplemented
        case 429, 502, 503, 504: self = .unavailable
        default: self = .unknown
        }
    }

    /// The code for a stream ended by RST_STREAM (or a connection ended by GOAWAY) with this
    /// HTTP/2 error code, per the gRPC HTTP/2 protocol's mapping.
    package init(http2ErrorCode: UInt32) {
        switch HTTP2ErrorCode(rawValue: http2ErrorCode) {
        case .refusedStream: self = .unavailable  // not processed: safe to retry
        case .cancel: self = .cancelled
        case .enhanceYourCalm: self = .resourceExhausted  // the peer thinks we are too chatty
        case .inadequateSecurity: self = .permissionDenied
        case .noError, .protocolError, .internalError, .flowControlError, .settingsTimeout,
             .streamClosed, .frameSizeError, .compressionError, .connectError, .http11Required, nil:
            self = .internalError
        }
    }

    /// The code for an open stream that a GOAWAY cut off. Streams above `lastStreamID` were
    /// never processed by the peer, so they fail UNAVAILABLE (retryable) whatever the error
    /// code; streams the peer did accept but that end with the connection map by error code.
    package init(goAwayErrorCode: UInt32, streamID: UInt32, lastStreamID: UInt32) {
        if streamID > lastStreamID {
            self = .unavailable
        } else if goAwayErrorCode == HTTP2ErrorCode.noError.rawValue {
            // A graceful GOAWAY followed by the connection closing under an accepted stream.
            self = .unavailable
        } else {
            self.init(http2ErrorCode: goAwayErrorCode)
        }
    }
}

/// HTTP/2 error codes (RFC 9113 section 7) carried by RST_STREAM and GOAWAY.
package enum HTTP2ErrorCode: UInt32, Sendable, Hashable, CaseIterable {
    case noError = 0x0
    case protocolError = 0x1
    case internalError = 0x2
    case flowControlError = 0x3
    case settingsTimeout = 0x4
    case streamClosed = 0x5
    case frameSizeError = 0x6
    case refusedStream = 0x7
    case cancel = 0x8
    case compressionError = 0x9
    case connectError = 0xA
    case enhanceYourCalm = 0xB
    case inadequateSecurity = 0xC
    case http11Required = 0xD
}
