import CNGHTTP2

/// Interim status mappings until `grpcproto`'s Protocol/ versions land (then these delegate).
enum InterimStatusMapping {
    /// gRPC's HTTP status -> code table, for responses without `grpc-status`.
    static func code(httpStatus: Int) -> StatusCode {
        switch httpStatus {
        case 400: .internalError
        case 401: .unauthenticated
        case 403: .permissionDenied
        case 404: .unimplemented
        case 429, 502, 503, 504: .unavailable
        default: .unknown
        }
    }

    /// RST_STREAM / GOAWAY error code -> status code, as the gRPC HTTP/2 spec lists them.
    static func code(http2Error: UInt32) -> StatusCode {
        switch http2Error {
        case NGHTTP2_REFUSED_STREAM.rawValue: .unavailable
        case NGHTTP2_CANCEL.rawValue: .cancelled
        case NGHTTP2_ENHANCE_YOUR_CALM.rawValue: .resourceExhausted
        case NGHTTP2_INADEQUATE_SECURITY.rawValue: .permissionDenied
        default: .internalError
        }
    }
}
