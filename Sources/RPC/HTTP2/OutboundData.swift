import CNGHTTP2

/// The DATA side of one stream: framed messages queued by the application, handed to nghttp2
/// without copying (NGHTTP2_DATA_FLAG_NO_COPY) as the peer's window allows, then optionally
/// trailers. Loop-confined.
final class OutboundData {
    private var chunks: [ArraySlice<UInt8>] = []
    private var head = 0
    private(set) var pendingBytes = 0
    /// No more data will be queued; after the queue drains, the stream's data ends.
    private(set) var ended = false
    /// Trailers to send after the data (server responses); nil ends the data with END_STREAM.
    private(set) var trailers: HeaderBlock?
    /// nghttp2 was told "deferred" and must be resumed when something changes.
    var isDeferred = false
    /// Told when bytes leave the queue, so writers blocked on backpressure can continue.
    let flow: OutboundFlow

    init(flow: OutboundFlow) { self.flow = flow }

    func append(_ bytes: ArraySlice<UInt8>) {
        guard !ended, !bytes.isEmpty else { return }
        chunks.append(bytes)
        pendingBytes += bytes.count
    }

    func end(trailers: HeaderBlock?) {
        ended = true
        self.trailers = trailers
    }

    /// Drops everything queued (the stream was aborted) and releases waiting writers' budget.
    func discardAll() {
        let dropped = pendingBytes
        chunks.removeAll()
        head = 0
        pendingBytes = 0
        if dropped > 0 { flow.drained(dropped) }
    }

    /// Moves up to `count` bytes to the socket output as references.
    func take(_ count: Int, into output: inout OutputBuffer) {
        var remaining = count
        while remaining > 0, head < chunks.count {
            let chunk = chunks[head]
            if chunk.count <= remaining {
                output.appendReference(chunk)
                remaining -= chunk.count
                chunks[head] = []
                head += 1
            } else {
                output.appendReference(chunk.prefix(remaining))
                chunks[head] = chunk.dropFirst(remaining)
                remaining = 0
            }
        }
        if head == chunks.count {
            chunks.removeAll(keepingCapacity: true)
            head = 0
        }
        let taken = count - remaining
        pendingBytes -= taken
        flow.drained(taken)
    }
}
