/// The stream ids a client has opened on a server connection, for RFC 9113 §5.1.1: a new
/// stream's id must exceed every id the client used before, and opening id N implicitly
/// closes the lower ids it skipped, which can then never be opened. HEADERS on such an id
/// is a connection error of type PROTOCOL_ERROR.
///
/// nghttp2 ignores a HEADERS frame whose id is below the highest one seen, because it
/// cannot tell a stream that was never opened from a closed one that still gets trailers
/// (which RFC 9113 §5.1 says to ignore after we reset it). Clients use consecutive ids in
/// practice, so remembering only the skipped ranges answers that exactly at the cost of a
/// comparison per new stream.
struct ClientStreamIDs {
    enum Verdict: Equatable {
        /// A new stream with a higher id than any before.
        case new
        /// An id that was opened before (the stream is open or closed): nghttp2 handles it.
        case seen
        /// An id that was skipped (implicitly closed without ever opening): PROTOCOL_ERROR.
        case neverOpened
    }

    private(set) var highest: Int32 = 0
    /// Skipped id ranges, oldest first; bounded, forgetting the oldest (a client that skips
    /// ids that often is not a real client; forgetting only makes us as lenient as nghttp2).
    private var skipped: [ClosedRange<Int32>] = []
    static let rememberedRanges = 64

    /// Classifies the id of an incoming HEADERS frame and records a new one.
    mutating func admit(_ id: Int32) -> Verdict {
        if id > highest {
            let firstSkipped = highest == 0 ? 1 : highest + 2
            if id - 2 >= firstSkipped {
                if skipped.count == Self.rememberedRanges { skipped.removeFirst() }
                skipped.append(firstSkipped...(id - 2))
            }
            highest = id
            return .new
        }
        for range in skipped where range.contains(id) { return .neverOpened }
        return .seen
    }
}
