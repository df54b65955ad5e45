import Testing
@testable import RPC

/// When the server writes a call's response: a lone call's at once, when its handler ends;
/// a burst's together, in fewer writes than calls. Observed as state on the server's loop,
/// not as timing.
@Suite struct ResponseFlushTests {
    /// What a probe saw of the call's connection.
    struct Sight: Sendable, Equatable {
        /// Frames were queued that the socket had not taken yet.
        var unwrittenOutput: Bool
        /// The call's stream was still open (its END_STREAM not sent yet).
        var streamOpen: Bool
    }

    /// Looks at each call's server connection from its loop (handlers run there by default):
    /// `afterHandlerInDeferredWork` in work the handler defers to the end of the loop
    /// iteration; `whenHandlerReturns` as the handler returns (its status not queued yet).
    struct FlushProbe: ServerInterceptor {
        enum Moment: Sendable { case afterHandlerInDeferredWork, whenHandlerReturns }
        let moment: Moment
        let sights = Locked<[Sight]>([])

        func intercept(_ call: ServerCall, next: @Sendable (ServerCall) async throws -> Void) async throws {
            try await next(call)
            guard let stream = call.stream.valueIfOnLoop else {
                Issue.record("the handler did not run on its connection's loop")
                return
            }
            let connection = stream.connection
            let id = stream.id
            let sights = self.sights
            switch moment {
            case .whenHandlerReturns:
                sights.withLock { $0.append(Sight(unwrittenOutput: connection.http2.hasUnwrittenOutput, streamOpen: true)) }
            case .afterHandlerInDeferredWork:
                connection.loop.executeLater {
                    let sight = Sight(unwrittenOutput: connection.http2.hasUnwrittenOutput, streamOpen: connection.streams[id] != nil)
                    sights.withLock { $0.append(sight) }
                }
            }
        }
    }

    /// One call at a time: nothing else is queued on the loop when a handler ends, so its
    /// response (and status) is written before the loop gets to its deferred work (where it
    /// used to wait, behind the task's teardown and the timers), and the stream it ended is
    /// closed by then.
    @Test func aLoneCallsResponseIsWrittenBeforeTheLoopRunsItsDeferredWork() async throws {
        let probe = FlushProbe(moment: .afterHandlerInDeferredWork)
        let harness = try await Harness.start(interceptors: [probe])
        defer { Task { await harness.stop() } }
        for index in 0..<5 {
            #expect(try await harness.get("call \(index)") == "echo: call \(index)")
        }
        #expect(await waitUntil(timeout: .seconds(10)) { probe.sights.withLock { $0.count } == 5 })
        #expect(probe.sights.withLock { $0 } == Array(repeating: Sight(unwrittenOutput: false, streamOpen: false), count: 5))
    }

    /// A burst of calls read at once: their handlers run one after another in one batch, and
    /// all but the last find the responses of the ones before still waiting for a shared
    /// write (apart from the early write every `HTTP2Session.earlyFlushEvery` responses).
    /// All the responses arrive.
    @Test func aBurstOfCallsSharesWrites() async throws {
        let calls = 64
        let probe = FlushProbe(moment: .whenHandlerReturns)
        let harness = try await Harness.start(interceptors: [probe])
        defer { Task { await harness.stop() } }
        let peer = try await offPool { try RawFrameSocket(address: harness.address) }
        defer { peer.closeNow() }
        // The preface, SETTINGS and every request in one send, so the server reads them together.
        var bytes = RawFrameSocket.preface + RawFrameSocket.frame(type: 4, flags: 0, streamID: 0, payload: [])
        for index in 0..<calls {
            let streamID = UInt32(2 * index + 1)
            bytes += RawFrameSocket.requestHeaders(streamID: streamID, path: "/test.Echo/Get", endStream: false)
            bytes += RawFrameSocket.data(streamID: streamID, grpcFrame(Array("call \(index)".utf8)), endStream: true)
        }
        let request = bytes
        try await offPool { try peer.send(request) }
        let ended = try await offPool { () -> Int in
            var ended = Set<UInt32>()
            // Bounded: each frame read is one of the calls' HEADERS, DATA or trailers, or
            // connection-level; a missing frame ends the loop at the timeout.
            for _ in 0..<(8 * calls) where ended.count < calls {
                guard let frame = peer.readFrame(timeout: .seconds(10), where: { _ in true }) else { break }
                if frame.type == 1 && frame.flags & 0x1 != 0 { ended.insert(frame.streamID) }
            }
            return ended.count
        }
        #expect(ended == calls)
        let sights = probe.sights.withLock { $0 }
        #expect(sights.count == calls)
        // One write per response would leave nothing unwritten for any handler to see.
        let waiting = sights.filter(\.unwrittenOutput).count
        #expect(waiting >= calls / 2, "handlers that found earlier responses still unwritten: \(waiting) of \(sights.count)")
    }
}
