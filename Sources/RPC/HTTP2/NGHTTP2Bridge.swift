import CNGHTTP2

/// Where nghttp2's C callbacks land. C function pointers cannot name a generic type, so the
/// callbacks (installed once per session) reach `HTTP2Session<Handler>` through this
/// non-generic superclass: one dynamic call per nghttp2 event into the session, which then
/// calls its handler directly. Nothing else subclasses it; its methods are never called on
/// a plain `NGHTTP2Bridge`.
class NGHTTP2Bridge {
    /// The session's memory (destroyed after the session: the subclass deletes it in deinit).
    private let allocator = NGHTTP2Allocator()

    func frameSent(_ frame: UnsafePointer<nghttp2_frame>) { preconditionFailure("HTTP2Session overrides every event") }
    /// False fails the connection (`NGHTTP2_ERR_CALLBACK_FAILURE`).
    func willReceiveFrame(_ header: nghttp2_frame_hd) -> Bool { preconditionFailure("HTTP2Session overrides every event") }
    func beginHeaders(streamID: Int32, category: nghttp2_headers_category) -> Bool { preconditionFailure("HTTP2Session overrides every event") }
    /// False resets only this stream (its header block is over the size limit).
    func header(streamID: Int32, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) -> Bool { preconditionFailure("HTTP2Session overrides every event") }
    func frameReceived(_ frame: UnsafePointer<nghttp2_frame>) -> Bool { preconditionFailure("HTTP2Session overrides every event") }
    func dataChunk(streamID: Int32, bytes: UnsafeRawBufferPointer) -> Bool { preconditionFailure("HTTP2Session overrides every event") }
    func streamClosed(streamID: Int32, errorCode: UInt32) { preconditionFailure("HTTP2Session overrides every event") }
    func readData(streamID: Int32, maxLength: Int, flags: UnsafeMutablePointer<UInt32>) -> Int { preconditionFailure("HTTP2Session overrides every event") }
    func sendData(streamID: Int32, header: UnsafeRawBufferPointer, length: Int) { preconditionFailure("HTTP2Session overrides every event") }

    /// Creates the nghttp2 session whose `user_data` is this object (unretained: the session
    /// is deleted in the owner's deinit, before this object goes).
    final func makeNGHTTP2Session(server: Bool) throws -> OpaquePointer {
        var callbacks: OpaquePointer?
        nghttp2_session_callbacks_new(&callbacks)
        defer { nghttp2_session_callbacks_del(callbacks) }
        Self.installCallbacks(callbacks)
        var options: OpaquePointer?
        nghttp2_option_new(&options)
        defer { nghttp2_option_del(options) }
        // We return receive windows ourselves, only as the application consumes messages.
        nghttp2_option_set_no_auto_window_update(options, 1)
        nghttp2_option_set_peer_max_concurrent_streams(options, 1 << 16)
        // Debian's nghttp2 1.52 (security update) limits incoming RST_STREAM to a burst of 1000
        // and 33 a second, then answers with GOAWAY INTERNAL_ERROR. That would close a busy,
        // honest client's connection long before our own, configurable guards apply (the
        // server's `AbuseGuard`: `maxEarlyResetsPerSecond` for streams the client resets before
        // a response, `maxRefusedStreamsPerSecond` for streams we refuse or reset because of
        // the client), so it is set out of the way.
        nghttp2_option_set_stream_reset_rate_limit(options, UInt64(Int32.max), UInt64(Int32.max))

        var created: OpaquePointer?
        let userData = Unmanaged.passUnretained(self).toOpaque()
        // nghttp2 copies the functions; their user data, the allocator, outlives the session.
        var memory = allocator.memoryFunctions()
        let result = server
            ? nghttp2_session_server_new3(&created, callbacks, userData, options, &memory)
            : nghttp2_session_client_new3(&created, callbacks, userData, options, &memory)
        guard result == 0, let created else {
            throw RPCError(code: .internalError, message: "nghttp2 session creation failed (\(result))")
        }
        return created
    }

    /// The largest DATA frame we send, whatever the peer allows: what one frame adds to the
    /// connection's output buffer (`HTTP2Session.outputHighWater`) at most.
    static let maxDataFrameLength = 1 << 20

    /// The data provider used for every stream we send DATA on; it asks the session for the
    /// stream's `OutboundData`.
    static func dataProvider() -> nghttp2_data_provider {
        var provider = nghttp2_data_provider()
        provider.read_callback = { _, streamID, _, maxLength, flags, _, userData in
            bridge(userData).readData(streamID: streamID, maxLength: maxLength, flags: flags!)
        }
        return provider
    }

    private static func installCallbacks(_ callbacks: OpaquePointer?) {
        nghttp2_session_callbacks_set_on_frame_send_callback(callbacks) { _, frame, userData in
            bridge(userData).frameSent(frame!)
            return 0
        }
        nghttp2_session_callbacks_set_on_begin_frame_callback(callbacks) { _, header, userData in
            bridge(userData).willReceiveFrame(header!.pointee) ? 0 : NGHTTP2_ERR_CALLBACK_FAILURE.rawValue
        }
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
            bridge(userData).beginHeaders(streamID: frame!.pointee.hd.stream_id, category: frame!.pointee.headers.cat) ? 0 : NGHTTP2_ERR_CALLBACK_FAILURE.rawValue
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, userData in
            let admitted = bridge(userData).header(
                streamID: frame!.pointee.hd.stream_id,
                name: UnsafeRawBufferPointer(start: name, count: nameLength),
                value: UnsafeRawBufferPointer(start: value, count: valueLength))
            // Over the limit: nghttp2 resets just this stream and skips the rest of its block.
            return admitted ? 0 : NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
            bridge(userData).frameReceived(frame!) ? 0 : NGHTTP2_ERR_CALLBACK_FAILURE.rawValue
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, streamID, data, length, userData in
            bridge(userData).dataChunk(streamID: streamID, bytes: UnsafeRawBufferPointer(start: data, count: length)) ? 0 : NGHTTP2_ERR_CALLBACK_FAILURE.rawValue
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, errorCode, userData in
            bridge(userData).streamClosed(streamID: streamID, errorCode: errorCode)
            return 0
        }
        // Let DATA frames be as large as the peer allows (nghttp2 caps them at 16 KiB otherwise):
        // fewer frames and fewer iovecs per byte for big messages. Up to `maxDataFrameLength`:
        // a frame goes into the connection's output whole, so a peer announcing 16 MiB frames
        // and windows could otherwise park 16 MiB per connection there.
        nghttp2_session_callbacks_set_data_source_read_length_callback(callbacks) { _, _, _, sessionWindow, streamWindow, maxFrame, _ in
            max(1, min(Int(sessionWindow), Int(streamWindow), Int(maxFrame), NGHTTP2Bridge.maxDataFrameLength))
        }
        nghttp2_session_callbacks_set_send_data_callback(callbacks) { _, frame, header, length, _, userData in
            bridge(userData).sendData(streamID: frame!.pointee.hd.stream_id,
                                      header: UnsafeRawBufferPointer(start: header, count: 9), length: length)
            return 0
        }
    }
}

/// The bridge behind nghttp2's `user_data`.
private func bridge(_ userData: UnsafeMutableRawPointer?) -> NGHTTP2Bridge {
    Unmanaged<NGHTTP2Bridge>.fromOpaque(userData!).takeUnretainedValue()
}
