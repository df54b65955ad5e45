/// Where a `RequestWriter`'s messages go: one call, or the attempts of a retried call.
protocol RequestSink: Sendable {
    /// Sends one serialized message; suspends under backpressure, throws once the call ended.
    func send(_ bytes: [UInt8], compress: Bool) async throws
    /// Half-closes: no more request messages.
    func finishRequests()
    /// Ends the call from the client side.
    func cancel(code: StatusCode, message: String)
    /// True once the call has its final status.
    var hasEnded: Bool { get }
}

extension ClientCall: RequestSink {
    var hasEnded: Bool { trailers.current != nil }
}
