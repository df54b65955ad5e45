import BenchRPCMessages
import RPC

/// `bench soak`'s load: workers that each repeat one kind of operation against a
/// BenchmarkService server until the run ends, while a sampler records the server's RSS and
/// open descriptors. The kinds cover what a long-running server meets: plain unary calls,
/// ping-pong streams, streams the client abandons, calls cancelled mid-flight, calls that hit
/// their deadline, and connections opened and closed.
public enum SoakLoad {
    public enum Kind: String, CaseIterable, Sendable, Encodable {
        /// Unary calls with random request and response sizes on shared channels.
        case unary
        /// A bidirectional stream of 1...64 ping-pongs, half-closed, drained to OK.
        case pingPong = "ping_pong"
        /// A server stream read for 1...200 messages, then abandoned (the client cancels it).
        case abandonedStream = "abandoned_stream"
        /// A unary or bidirectional call whose task is cancelled after 0...3 ms.
        case cancelled
        /// A bidirectional call with a 2...30 ms deadline that never half-closes.
        case deadline
        /// A new channel (connection) per round: 1...5 unary calls, then closed.
        case churn

        /// The client ends these calls with RST_STREAM (paced by `SoakSettings.resetsPerSecond`).
        var endsInReset: Bool { self == .abandonedStream || self == .cancelled || self == .deadline }
    }

    /// How one operation ended.
    enum Outcome {
        case ok
        /// The failure the operation provoked (cancellation, deadline).
        case expected
        case unexpected(String)
    }

    public static func run(_ settings: SoakSettings) async throws -> SoakReport {
        try settings.validate()
        let group = try EventLoopGroup(loopCount: 1, name: "bench-soak")
        var channels: [Channel] = []
        for _ in 0..<settings.channels {
            channels.append(try Channel(configuration: .init(target: settings.target), group: group))
        }
        let start = ContinuousClock.now
        let end = start + .seconds(settings.duration)
        let seconds: @Sendable () -> Double = { (ContinuousClock.now - start) / .seconds(1) }
        let heapFile = settings.serverHeapFile
        let serverHeap: @Sendable () -> HeapUsage? = { heapFile.flatMap { HeapUsage.read(publishedAt: $0) } }
        let serverBefore = settings.serverPID.flatMap { ProcessUsage.read(pid: $0, atSeconds: 0, heap: serverHeap) }
        let clientBefore = ProcessUsage.readSelf(atSeconds: 0)

        let kinds = (0..<settings.workers).map { Kind.allCases[$0 % Kind.allCases.count] }
        // Each worker whose calls end in RST_STREAM (abandoned, cancelled, deadline) starts one
        // operation per `resetPeriod`, so together they reset `resetsPerSecond` streams per channel.
        let resetWorkers = Double(kinds.filter(\.endsInReset).count)
        let resetPeriod = Duration.seconds(resetWorkers / (settings.resetsPerSecond * Double(settings.channels)))

        let (stats, samples) = await withTaskGroup(of: WorkerResult.self) { tasks in
            for (worker, kind) in kinds.enumerated() {
                let channel = channels[worker % channels.count]
                let target = settings.target
                let period = kind.endsInReset ? resetPeriod : nil
                tasks.addTask {
                    .stats(await work(kind, channel: channel, churnTarget: target, group: group, period: period, until: end))
                }
            }
            let interval = settings.sampleInterval
            let pid = settings.serverPID
            tasks.addTask {
                var samples = Samples()
                func sample() {
                    let at = seconds()
                    if let pid, let usage = ProcessUsage.read(pid: pid, atSeconds: at, heap: serverHeap) { samples.server.append(usage) }
                    if let usage = ProcessUsage.readSelf(atSeconds: at) { samples.client.append(usage) }
                }
                while ContinuousClock.now < end {
                    sample()
                    try? await Task.sleep(until: min(end, .now + .seconds(interval)))
                }
                sample()
                return .samples(samples)
            }
            var stats: [KindStats] = []
            var samples = Samples()
            for await result in tasks {
                switch result {
                case .stats(let one): stats.append(one)
                case .samples(let all): samples = all
                }
            }
            return (stats, samples)
        }
        for channel in channels { await channel.close() }
        group.shutdown()
        // Give the server a moment to release what the last calls and connections held (and its
        // heap file a chance to be rewritten).
        try? await Task.sleep(for: .seconds(2))
        let serverAfter = settings.serverPID.flatMap { ProcessUsage.read(pid: $0, atSeconds: seconds(), heap: serverHeap) }
        let clientAfter = ProcessUsage.readSelf(atSeconds: seconds())
        return SoakReport(settings: settings, kinds: KindStats.merged(stats),
                          server: UsageHistory(before: serverBefore, samples: samples.server, after: serverAfter, duration: settings.duration),
                          client: UsageHistory(before: clientBefore, samples: samples.client, after: clientAfter, duration: settings.duration))
    }

    /// Usage samples of the server (when its pid is known) and of this process.
    struct Samples: Sendable {
        var server: [ProcessUsage] = []
        var client: [ProcessUsage] = []
    }

    enum WorkerResult: Sendable {
        case stats(KindStats)
        case samples(Samples)
    }

    /// One worker: `kind` again and again until `end`.
    static func work(_ kind: Kind, channel: Channel, churnTarget: SocketAddress, group: EventLoopGroup,
                     period: Duration?, until end: ContinuousClock.Instant) async -> KindStats {
        var stats = KindStats(kind: kind)
        while ContinuousClock.now < end {
            let started = ContinuousClock.now
            let outcome: Outcome
            switch kind {
            case .unary: outcome = await unary(channel)
            case .pingPong: outcome = await pingPong(channel)
            case .abandonedStream: outcome = await abandonedStream(channel)
            case .cancelled: outcome = await cancelled(channel)
            case .deadline: outcome = await deadline(channel)
            case .churn: outcome = await churn(churnTarget, group: group)
            }
            stats.record(outcome)
            if let period { try? await Task.sleep(until: min(end, started + period)) }
        }
        return stats
    }

    static func request(responseSize: Int32 = .random(in: 0...16384), payload: Int = .random(in: 0...4096)) -> Grpc_Testing_SimpleRequest {
        var request = Grpc_Testing_SimpleRequest()
        request.responseSize = responseSize
        if payload > 0 { request.payload.body = [UInt8](repeating: 0, count: payload) }
        return request
    }

    static func unary(_ channel: Channel) async -> Outcome {
        let request = request()
        do {
            let response = try await channel.unary(BenchmarkService.unaryCall, request: request,
                                                   responseType: Grpc_Testing_SimpleResponse.self,
                                                   options: CallOptions(timeout: .seconds(10)))
            return response.message.payload.body.count == Int(request.responseSize)
                ? .ok : .unexpected("unary: wrong response size")
        } catch {
            return .unexpected("unary: \(error)")
        }
    }

    static func pingPong(_ channel: Channel) async -> Outcome {
        let count = Int.random(in: 1...64)
        let request = request(responseSize: .random(in: 0...1024), payload: .random(in: 0...1024))
        do {
            let received = try await channel.bidirectionalStreaming(
                BenchmarkService.streamingCall, requestType: Grpc_Testing_SimpleRequest.self,
                responseType: Grpc_Testing_SimpleResponse.self, options: CallOptions(timeout: .seconds(10))
            ) { writer in
                for _ in 0..<count { try await writer.write(request) }
            } onResponse: { responses in
                var received = 0
                for try await _ in responses { received += 1 }
                return received
            }
            return received == count ? .ok : .unexpected("ping-pong: \(received) responses for \(count) requests")
        } catch {
            return .unexpected("ping-pong: \(error)")
        }
    }

    static func abandonedStream(_ channel: Channel) async -> Outcome {
        let wanted = Int.random(in: 1...200)
        do {
            let read = try await channel.serverStreaming(
                BenchmarkService.streamingFromServer, request: request(responseSize: .random(in: 0...2048), payload: 0),
                responseType: Grpc_Testing_SimpleResponse.self, options: CallOptions(timeout: .seconds(10))
            ) { responses in
                var read = 0
                for try await _ in responses {
                    read += 1
                    if read == wanted { break }  // returning early cancels the call
                }
                return read
            }
            return read == wanted ? .ok : .unexpected("abandoned stream: ended after \(read) of \(wanted) messages")
        } catch {
            return .unexpected("abandoned stream: \(error)")
        }
    }

    static func cancelled(_ channel: Channel) async -> Outcome {
        let useStream = Bool.random()
        let request = request(responseSize: .random(in: 0...4096), payload: .random(in: 0...1024))
        let call = Task { () throws -> Void in
            let options = CallOptions(timeout: .seconds(10))
            if useStream {
                // A cancelled stream may also end early without an error; what counts is that it ends.
                _ = try await channel.bidirectionalStreaming(
                    BenchmarkService.streamingCall, requestType: Grpc_Testing_SimpleRequest.self,
                    responseType: Grpc_Testing_SimpleResponse.self, options: options
                ) { writer in
                    for _ in 0..<Int.random(in: 1...64) { try await writer.write(request) }
                } onResponse: { responses in
                    for try await _ in responses {}
                }
            } else {
                _ = try await channel.unary(BenchmarkService.unaryCall, request: request,
                                            responseType: Grpc_Testing_SimpleResponse.self, options: options)
            }
        }
        try? await Task.sleep(for: .microseconds(Int.random(in: 0...3000)))
        call.cancel()
        do {
            try await call.value
            return .ok  // done before the cancellation
        } catch let error as RPCError where error.code == .cancelled {
            return .expected
        } catch {
            return .unexpected("cancelled \(useStream ? "stream" : "unary"): \(error)")
        }
    }

    static func deadline(_ channel: Channel) async -> Outcome {
        let request = request(responseSize: 64, payload: 64)
        do {
            try await channel.bidirectionalStreaming(
                BenchmarkService.streamingCall, requestType: Grpc_Testing_SimpleRequest.self,
                responseType: Grpc_Testing_SimpleResponse.self,
                options: CallOptions(timeout: .milliseconds(Int.random(in: 2...30)))
            ) { writer in
                try await writer.write(request)
                try await untilCancelled()  // never half-closes: the deadline ends the call
            } onResponse: { responses in
                for try await _ in responses {}
            }
            return .unexpected("deadline: the call ended OK before its deadline")
        } catch let error as RPCError where error.code == .deadlineExceeded {
            return .expected
        } catch {
            return .unexpected("deadline: \(error)")
        }
    }

    /// Suspends until the task is cancelled, then throws CancellationError. Unlike a long
    /// `Task.sleep`, which on Linux keeps its task and dispatch timer allocated until the
    /// sleep's end even when cancelled early (a 60 s sleep per deadline call held about 2,000
    /// of them at a time here), this holds nothing once it returns.
    static func untilCancelled() async throws {
        let (never, continuation) = AsyncStream<Never>.makeStream()
        defer { continuation.finish() }
        for await _ in never {}  // ends when the task is cancelled
        try Task.checkCancellation()
    }

    static func churn(_ target: SocketAddress, group: EventLoopGroup) async -> Outcome {
        let channel: Channel
        do {
            channel = try Channel(configuration: .init(target: target), group: group)
        } catch {
            return .unexpected("churn: \(error)")
        }
        var outcome = Outcome.ok
        for _ in 0..<Int.random(in: 1...5) {
            if case .unexpected(let message) = await unary(channel) {
                outcome = .unexpected("churn: \(message)")
                break
            }
        }
        await channel.close()
        return outcome
    }
}

/// Operations of one kind and how they ended.
public struct KindStats: Sendable, Encodable {
    public var kind: SoakLoad.Kind
    public var operations = 0
    public var ok = 0
    /// Ended with the failure they provoked (CANCELLED, DEADLINE_EXCEEDED).
    public var expectedFailures = 0
    public var unexpectedFailures = 0
    /// The first few unexpected failures, for the report.
    public var firstUnexpected: [String] = []

    enum CodingKeys: String, CodingKey {
        case kind, operations, ok
        case expectedFailures = "expected_failures", unexpectedFailures = "unexpected_failures"
        case firstUnexpected = "first_unexpected"
    }

    init(kind: SoakLoad.Kind) {
        self.kind = kind
    }

    mutating func record(_ outcome: SoakLoad.Outcome) {
        operations += 1
        switch outcome {
        case .ok: ok += 1
        case .expected: expectedFailures += 1
        case .unexpected(let message):
            unexpectedFailures += 1
            if firstUnexpected.count < 5 { firstUnexpected.append(message) }
        }
    }

    /// One entry per kind, in `Kind` order.
    static func merged(_ all: [KindStats]) -> [KindStats] {
        SoakLoad.Kind.allCases.map { kind in
            all.filter { $0.kind == kind }.reduce(into: KindStats(kind: kind)) { total, one in
                total.operations += one.operations
                total.ok += one.ok
                total.expectedFailures += one.expectedFailures
                total.unexpectedFailures += one.unexpectedFailures
                total.firstUnexpected += one.firstUnexpected.prefix(5 - min(5, total.firstUnexpected.count))
            }
        }
    }
}
