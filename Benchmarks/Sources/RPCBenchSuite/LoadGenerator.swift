import BenchRPCMessages
import RPC

/// Drives any `grpc.testing.BenchmarkService` server with our `Channel`: `concurrency`
/// workers spread over `connections` channels, each keeping one unary call or one ping-pong
/// stream busy until the run ends (on its channel's loop, or on the global pool: `tasks`). Latencies of calls completing inside the measured window
/// go into per-worker histograms (bounded memory), merged at the end.
public enum LoadGenerator {
    /// Seconds after the run's end at which calls still running count as stuck.
    static let stuckSeconds = 30.0

    public static func run(_ settings: LoadSettings) async throws -> LoadResult {
        try settings.validate()
        let group = try EventLoopGroup(loopCount: settings.loops, name: "bench-load")
        var configuration = Channel.Configuration(target: settings.target)
        configuration.maxReceiveMessageSize = max(4 << 20, settings.responseSize + (64 << 10))
        configuration.tls = settings.tls
        var channels: [Channel] = []
        for _ in 0..<settings.connections {
            channels.append(try Channel(configuration: configuration, group: group))
        }
        let request = Self.request(settings)
        let start = monotonicNanoseconds()
        let window = Window(
            measureStart: start + UInt64(settings.warmup * 1e9),
            measureEnd: start + UInt64((settings.warmup + settings.duration) * 1e9),
            stuckAfter: start + UInt64((settings.warmup + settings.duration + Self.stuckSeconds) * 1e9))
        // A call or stream still running half a minute after the run is stuck: closing the
        // channels ends it (counted as a failure and shown) instead of hanging the run. No
        // per-call deadline: that would add a timer and a grpc-timeout header to every call.
        let watchdog = Task { [channels] in
            try? await Task.sleep(for: .seconds(settings.warmup + settings.duration + Self.stuckSeconds))
            if !Task.isCancelled { for channel in channels { await channel.close() } }
        }
        defer { watchdog.cancel() }
        let totals = await withTaskGroup(of: WorkerStats.self) { tasks in
            for worker in 0..<settings.concurrency {
                let channel = channels[worker % channels.count]
                let mode = settings.mode
                let responseSize = settings.responseSize
                tasks.addTask(executorPreference: settings.tasks == .loop ? channel.eventLoop : nil) {
                    switch mode {
                    case .unary: await unaryWorker(channel, request, responseSize, window)
                    case .stream: await streamWorker(channel, request, responseSize, window)
                    }
                }
            }
            var totals = WorkerStats()
            for await stats in tasks { totals.merge(stats) }
            return totals
        }
        for channel in channels { await channel.close() }
        group.shutdown()
        return LoadResult(settings: settings, seconds: settings.duration, histogram: totals.histogram,
                          errors: totals.errors, badSize: totals.badSize, firstError: totals.firstError)
    }

    /// A request for `responseSize` bytes carrying `requestSize` zero bytes of payload.
    static func request(_ settings: LoadSettings) -> Grpc_Testing_SimpleRequest {
        var request = Grpc_Testing_SimpleRequest()
        request.responseSize = Int32(settings.responseSize)
        if settings.requestSize > 0 {
            var payload = Grpc_Testing_Payload()
            payload.body = [UInt8](repeating: 0, count: settings.requestSize)
            request.payload = payload
        }
        return request
    }

    /// The measured interval in CLOCK_MONOTONIC nanoseconds; work stops at `measureEnd`.
    struct Window: Sendable {
        var measureStart: UInt64
        var measureEnd: UInt64
        /// Past this, a call still running is stuck (the watchdog ends it).
        var stuckAfter: UInt64

        func counts(_ completion: UInt64) -> Bool { completion >= measureStart && completion <= measureEnd }
        /// A failure inside the measured window, or the watchdog ending a stuck call.
        func countsFailure(_ time: UInt64) -> Bool { counts(time) || time >= stuckAfter }
    }

    struct WorkerStats: Sendable {
        var histogram = LatencyHistogram()
        var errors: UInt64 = 0
        var badSize: UInt64 = 0
        var firstError: String?

        mutating func failed(_ error: any Error) {
            errors &+= 1
            if firstError == nil { firstError = "\(error)" }
        }

        mutating func merge(_ other: WorkerStats) {
            histogram.merge(other.histogram)
            errors &+= other.errors
            badSize &+= other.badSize
            firstError = firstError ?? other.firstError
        }
    }

    /// One unary call outstanding at a time, back to back, until the window ends.
    static func unaryWorker(_ channel: Channel, _ request: Grpc_Testing_SimpleRequest, _ responseSize: Int,
                            _ window: Window) async -> WorkerStats {
        var stats = WorkerStats()
        while true {
            let sent = monotonicNanoseconds()
            if sent >= window.measureEnd { break }
            do {
                let response = try await channel.unary(BenchmarkService.unaryCall, request: request,
                                                       responseType: Grpc_Testing_SimpleResponse.self)
                let done = monotonicNanoseconds()
                guard window.counts(done) else { continue }
                stats.histogram.record(nanoseconds: done - sent)
                if response.message.payload.body.count != responseSize { stats.badSize &+= 1 }
            } catch {
                if window.countsFailure(monotonicNanoseconds()) { stats.failed(error) }
            }
        }
        return stats
    }

    /// Ping-pong on one bidi stream: a request goes out, the response comes back, the next
    /// request goes out. At the end the client half-closes and drains until the server's OK.
    /// A stream that fails counts one error and is reopened while time remains.
    static func streamWorker(_ channel: Channel, _ request: Grpc_Testing_SimpleRequest, _ responseSize: Int,
                             _ window: Window) async -> WorkerStats {
        var stats = WorkerStats()
        while monotonicNanoseconds() < window.measureEnd {
            // The response reader hands the writer one token per request to send.
            let (tokens, sendNext) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .unbounded)
            var histogram = LatencyHistogram()
            var badSize: UInt64 = 0
            do {
                try await channel.bidirectionalStreaming(
                    BenchmarkService.streamingCall,
                    requestType: Grpc_Testing_SimpleRequest.self,
                    responseType: Grpc_Testing_SimpleResponse.self
                ) { writer in
                    for await _ in tokens { try await writer.write(request) }
                } onResponse: { responses in
                    var sent = monotonicNanoseconds()
                    sendNext.yield()
                    for try await response in responses {
                        let done = monotonicNanoseconds()
                        if window.counts(done) {
                            histogram.record(nanoseconds: done - sent)
                            if response.payload.body.count != responseSize { badSize &+= 1 }
                        }
                        if done >= window.measureEnd {
                            sendNext.finish()  // half-close; keep reading until the server's status
                        } else {
                            sent = done
                            sendNext.yield()
                        }
                    }
                }
            } catch {
                sendNext.finish()
                if window.countsFailure(monotonicNanoseconds()) { stats.failed(error) }
            }
            stats.histogram.merge(histogram)
            stats.badSize &+= badSize
        }
        return stats
    }
}
