import CNGHTTP2

/// Which end of an HTTP/2 connection we are; each handler type states it once.
enum HTTP2Side: Sendable {
    case client
    case server
}

/// What one side (client or server) does with the events of its `HTTP2Session`: the streams
/// live here, the session does the HTTP/2 and socket work. Every method runs on the loop;
/// the session calls them directly (it is generic over its handler, so no dynamic dispatch).
protocol HTTP2SessionHandler: AnyObject, SendableMetatype {
    /// The end this handler serves, fixed for the type.
    static var side: HTTP2Side { get }

    /// A HEADERS frame header arrived, before nghttp2 decides what it means (it silently
    /// drops some, see `ClientStreamIDs`). Returning false fails the connection (the handler
    /// has queued the GOAWAY).
    func willReceiveHeaders(streamID: Int32) -> Bool
    func didBeginHeaders(streamID: Int32, category: nghttp2_headers_category)
    func didReceiveHeader(streamID: Int32, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)
    /// A complete HEADERS block arrived (request/response headers or trailers).
    func didReceiveHeaders(streamID: Int32, category: nghttp2_headers_category, endStream: Bool)
    func didReceiveData(streamID: Int32, bytes: UnsafeRawBufferPointer)
    func didReceiveEndOfStream(streamID: Int32)
    func didReceiveReset(streamID: Int32, errorCode: UInt32)
    /// nghttp2 closed the stream. While the session produces output for a write
    /// (`HTTP2Session.isSendingForFlush`) the handler may keep the stream's teardown until
    /// `didWriteOutput`.
    func didCloseStream(streamID: Int32, errorCode: UInt32)
    /// We sent RST_STREAM, whoever submitted it: the handler itself, or nghttp2 (a stream it
    /// refused, REFUSED_STREAM over a SETTINGS_MAX_CONCURRENT_STREAMS not yet acknowledged;
    /// a stream error in the peer's frames, PROTOCOL_ERROR for malformed headers or DATA
    /// beyond content-length, FLOW_CONTROL_ERROR; INTERNAL_ERROR for a header block the
    /// session turned down as too large). Counted here, as it leaves, every path is seen.
    func didSendReset(streamID: Int32, errorCode: UInt32)
    /// `flush` wrote (or tried to write) the frames it produced; not called when the write
    /// closed the connection (`sessionDidClose` has run instead).
    func didWriteOutput()
    func didReceiveGoAway(lastStreamID: Int32, errorCode: UInt32)
    /// A PING from the peer (the session answers it; ACKs of ours go to keepalive).
    func didReceivePing()
    func didReceiveSettings()
    /// We sent a DATA frame (the server resets ping strikes on activity).
    func didSendData()
    /// A frame left with END_STREAM set.
    func didSendEndOfStream(streamID: Int32)
    /// The outbound queue of a stream, for the data provider.
    func outboundData(streamID: Int32) -> OutboundData?
    /// Streams open now (keepalive pings without calls only when permitted).
    var openStreamCount: Int { get }
    /// Reading stopped because the memory budget is spent.
    func didPauseReading()
    /// Memory was freed while reading was paused or work waited for it (the session resumes
    /// reading itself when the budget has room again).
    func memoryFreed()
    /// The connection closed (peer gone, protocol error or local close); called once.
    func sessionDidClose(error: RPCError)
}
