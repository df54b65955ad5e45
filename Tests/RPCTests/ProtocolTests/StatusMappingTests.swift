import Testing
@testable import RPC

@Suite struct StatusMappingTests {
    @Test func httpStatusToCode() {
        #expect(StatusCode(httpStatus: 400) == .internalError)
        #expect(StatusCode(httpStatus: 401) == .unauthenticated)
        #expect(StatusCode(httpStatus: 403) == .permissionDenied)
        #expect(StatusCode(httpStatus: 404) == .unimplemented)
        for status in [429, 502, 503, 504] { #expect(StatusCode(httpStatus: status) == .unavailable) }
        for status in [200, 201, 302, 405, 415, 500, 501, 505, 0, -1, 999] {
            #expect(StatusCode(httpStatus: status) == .unknown)
        }
    }

    @Test func http2ErrorCodeToCode() {
        let expected: [HTTP2ErrorCode: StatusCode] = [
            .noError: .internalError, .protocolError: .internalError, .internalError: .internalError,
            .flowControlError: .internalError, .settingsTimeout: .internalError, .streamClosed: .internalError,
            .frameSizeError: .internalError, .refusedStream: .unavailable, .cancel: .cancelled,
            .compressionError: .internalError, .connectError: .internalError, .enhanceYourCalm: .resourceExhausted,
            .inadequateSecurity: .permissionDenied, .http11Required: .internalError,
        ]
        #expect(expected.count == HTTP2ErrorCode.allCases.count)
        for (h2, code) in expected { #expect(StatusCode(http2ErrorCode: h2.rawValue) == code, "\(h2)") }
        #expect(StatusCode(http2ErrorCode: 0xDEAD) == .internalError)
    }

    @Test func goAwayMapping() {
        // Streams the peer never processed are retryable, whatever the code.
        #expect(StatusCode(goAwayErrorCode: 2, streamID: 7, lastStreamID: 5) == .unavailable)
        #expect(StatusCode(goAwayErrorCode: 0, streamID: 5, lastStreamID: 5) == .unavailable)
        #expect(StatusCode(goAwayErrorCode: 0xB, streamID: 3, lastStreamID: 5) == .resourceExhausted)
        #expect(StatusCode(goAwayErrorCode: 1, streamID: 3, lastStreamID: 5) == .internalError)
    }
}
