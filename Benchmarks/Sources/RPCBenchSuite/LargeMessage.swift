import BenchRPCMessages
import RPC

/// Large-message round trips: one unary call at a time carrying `requestSize` bytes up and
/// `responseSize` bytes down; throughput is payload bytes moved per second of wall time.
public enum LargeMessage {
    public struct Result: Sendable, Encodable {
        public var requestSize: Int
        public var responseSize: Int
        public var iterations: Int
        /// Seconds per round trip, best and median.
        public var bestSeconds: Double
        public var medianSeconds: Double
        /// Payload bytes (both directions) / best round trip, in GB/s (10^9 bytes).
        public var bestGBPerSecond: Double
        public var medianGBPerSecond: Double
        public var errors: Int
        /// What the first failed round trip ended with (nil when none failed).
        public var firstError: String?

        enum CodingKeys: String, CodingKey {
            case iterations, errors, firstError = "first_error"
            case requestSize = "req_size", responseSize = "resp_size", bestSeconds = "best_s", medianSeconds = "median_s"
            case bestGBPerSecond = "best_gb_per_s", medianGBPerSecond = "median_gb_per_s"
        }
    }

    /// - Parameter windowSize: the client's HTTP/2 receive windows (stream and connection) when
    ///   given; the library's defaults otherwise.
    public static func run(target: SocketAddress, requestSize: Int, responseSize: Int, iterations: Int,
                           windowSize: Int? = nil, tls: ClientTLSConfiguration? = nil) async throws -> Result {
        let group = try EventLoopGroup(loopCount: 1, name: "bench-large")
        var configuration = Channel.Configuration(target: target)
        configuration.maxReceiveMessageSize = responseSize + (1 << 20)
        // Room for the whole response plus a window of other bytes (the default 64 MiB would
        // not take a 64 MiB response with its framing).
        configuration.connectionMemoryBudget = max(configuration.connectionMemoryBudget,
                                                   configuration.maxReceiveMessageSize + configuration.connectionWindowSize)
        configuration.tls = tls
        if let windowSize {
            configuration.initialStreamWindowSize = windowSize
            configuration.connectionWindowSize = windowSize
        }
        let channel = try Channel(configuration: configuration, group: group)
        var request = Grpc_Testing_SimpleRequest()
        request.responseSize = Int32(responseSize)
        if requestSize > 0 {
            var payload = Grpc_Testing_Payload()
            payload.body = [UInt8](repeating: 0, count: requestSize)
            request.payload = payload
        }
        // One small call first so connection setup is not timed.
        _ = try? await channel.unary(BenchmarkService.unaryCall, request: Grpc_Testing_SimpleRequest(),
                                     responseType: Grpc_Testing_SimpleResponse.self)
        var times: [Double] = []
        var errors = 0
        var firstError: String?
        // A round trip still running after two minutes is stuck: it fails (and is shown) instead of hanging the run.
        let options = CallOptions(timeout: .seconds(120))
        for _ in 0..<max(1, iterations) {
            let start = monotonicNanoseconds()
            do {
                let response = try await channel.unary(BenchmarkService.unaryCall, request: request,
                                                       responseType: Grpc_Testing_SimpleResponse.self, options: options)
                let size = response.message.payload.body.count
                guard size == responseSize else {
                    errors += 1
                    firstError = firstError ?? "a response of \(size) bytes instead of \(responseSize)"
                    continue
                }
                times.append(Double(monotonicNanoseconds() - start) / 1e9)
            } catch {
                errors += 1
                firstError = firstError ?? "\(error)"
            }
        }
        await channel.close()
        group.shutdown()
        times.sort()
        let best = times.first ?? .infinity
        let median = times.isEmpty ? .infinity : times[times.count / 2]
        let bytes = Double(requestSize + responseSize)
        return Result(requestSize: requestSize, responseSize: responseSize, iterations: iterations,
                      bestSeconds: best, medianSeconds: median, bestGBPerSecond: bytes / best / 1e9,
                      medianGBPerSecond: bytes / median / 1e9, errors: errors, firstError: firstError)
    }
}
