import CNGHTTP2
import Testing

/// Fails loudly when libnghttp2 is missing or is not the API generation we build against.
@Suite struct NGHTTP2LinkTests {
    @Test func libraryReportsAVersionOfAtLeast1_52() throws {
        let info = try #require(nghttp2_version(0))
        let number = info.pointee.version_num  // 0xMMmmpp
        #expect(number >= 0x01_34_00, "nghttp2 \(String(cString: info.pointee.version_str)) is older than 1.52")
    }

    @Test func clientSessionEmitsTheConnectionPreface() throws {
        var callbacks: OpaquePointer?
        #expect(nghttp2_session_callbacks_new(&callbacks) == 0)
        defer { nghttp2_session_callbacks_del(callbacks) }
        var session: OpaquePointer?
        #expect(nghttp2_session_client_new(&session, callbacks, nil) == 0)
        defer { nghttp2_session_del(session) }
        #expect(nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil, 0) == 0)
        var data: UnsafePointer<UInt8>?
        let length = nghttp2_session_mem_send(session, &data)
        #expect(length >= 24)
        let preface = Array(UnsafeBufferPointer(start: data, count: 24))
        #expect(String(decoding: preface, as: UTF8.self) == "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
    }
}
