import ArgumentParser
import Dispatch
import Foundation
import RPC
import RPCBenchSuite

/// `bench serve`: grpc.testing.BenchmarkService on our Server until SIGTERM/SIGINT (or `--duration`).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve grpc.testing.BenchmarkService on our RPC server."
    )

    @Option(help: "TCP port (0 picks a free one).") var port: Int = 50051
    @Option(help: "Address to bind.") var host: String = "127.0.0.1"
    @Option(help: "Event loop threads (default: the CPUs this process may run on, e.g. 1 under taskset -c 0).")
    var loops: Int?
    @Option(name: .customLong("max-message-mib"), help: "Largest request message accepted, MiB.")
    var maxMessageMiB: Int = 256
    @Option(name: .customLong("stream-window-kib"), help: "HTTP/2 per-stream receive window, KiB (default: the library's).")
    var streamWindowKiB: Int?
    @Option(name: .customLong("connection-window-kib"), help: "HTTP/2 connection receive window, KiB (default: the library's).")
    var connectionWindowKiB: Int?
    @Option(help: "Write HOST:PORT and a newline to this file once listening.") var portFile: String?
    @Option(help: "Stop gracefully after this many seconds (for profilers that need a clean exit).")
    var duration: Double?
    @Option(name: .customLong("heap-file"),
            help: "Rewrite this file every 0.5 s with malloc's live, system and free KiB (what `bench soak` reads).")
    var heapFile: String?
    @Option(name: .customLong("trim-interval"),
            help: "Give malloc's free memory back to the system (malloc_trim) every this many seconds.")
    var trimInterval: Double?
    @Option(name: .customLong("tls-cert"), help: "Serve TLS with this PEM certificate chain (needs --tls-key).")
    var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "PEM private key for --tls-cert.")
    var tlsKey: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        if let loops, !(1...64).contains(loops) { throw ValidationError("--loops must be in 1...64") }
        for window in [streamWindowKiB, connectionWindowKiB].compactMap({ $0 }) where !(64...(2 << 20)).contains(window) {
            throw ValidationError("windows must be in 64 KiB...2 GiB")
        }
        guard (1...2048).contains(maxMessageMiB) else { throw ValidationError("--max-message-mib must be in 1...2048") }
        if let trimInterval, !(trimInterval >= 0.1) { throw ValidationError("--trim-interval must be at least 0.1 s") }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
    }

    func run() async throws {
        let address: SocketAddress = host.contains(":") ? .ipv6(host: host, port: port) : .ipv4(host: host, port: port)
        var configuration = Server.Configuration(address: address)
        let loopCount = loops ?? CPUAffinity.allowedCPUCount()
        configuration.loopCount = loopCount
        configuration.maxReceiveMessageSize = maxMessageMiB << 20
        configuration.shutdownGracePeriod = .seconds(2)
        if let streamWindowKiB { configuration.initialStreamWindowSize = min(Int(Int32.max), streamWindowKiB << 10) }
        if let tlsCert, let tlsKey {
            configuration.tls = ServerTLSConfiguration(certificateChainFile: tlsCert, privateKeyFile: tlsKey)
        }
        if let connectionWindowKiB { configuration.connectionWindowSize = min(Int(Int32.max), connectionWindowKiB << 10) }
        // What one connection may hold must fit the largest calls this server accepts: a
        // request of the largest size being received while a response of that size waits for
        // the client's window (large-echo), plus a connection window of other bytes.
        let largestCall = 2 * configuration.maxReceiveMessageSize + configuration.connectionWindowSize
        configuration.connectionMemoryBudget = max(configuration.connectionMemoryBudget, largestCall)
        configuration.serverMemoryBudget = max(configuration.serverMemoryBudget, largestCall)
        let server = Server(configuration: configuration, services: [BenchmarkService()])
        let bound = try await server.start()
        print("bench serve: listening on \(bound) loops=\(loopCount)")
        fflush(nil)  // all streams: naming `stdout` is not concurrency-safe in Swift 6
        // Published before the port file, so whoever waits for that sees the usage before any load.
        if let heapFile { try HeapUsage.publish(to: heapFile) }
        if let portFile {
            try "\(host):\(bound.port ?? port)\n".write(toFile: portFile, atomically: true, encoding: .utf8)
        }
        let housekeeping = Task { await Self.keepHouse(heapFile: heapFile, trimInterval: trimInterval) }
        await Self.waitForStop(seconds: duration)
        housekeeping.cancel()
        await server.shutdown()
    }

    /// Until cancelled: publishes malloc's statistics to `heapFile` every 0.5 s and trims
    /// malloc every `trimInterval` seconds (each when asked).
    private static func keepHouse(heapFile: String?, trimInterval: Double?) async {
        guard heapFile != nil || trimInterval != nil else { return }
        let clock = ContinuousClock()
        let tick = Duration.milliseconds(500)
        let trimEvery = trimInterval.map { Duration.milliseconds(Int($0 * 1000)) }
        var nextTrim = trimEvery.map { clock.now + $0 }
        while !Task.isCancelled {
            if let trimEvery, let due = nextTrim, clock.now >= due {
                HeapUsage.trim()
                nextTrim = due + trimEvery
            }
            if let heapFile { try? HeapUsage.publish(to: heapFile) }
            let wake = min(clock.now + tick, nextTrim ?? clock.now + tick)
            try? await Task.sleep(until: wake, clock: clock)
        }
    }

    /// Returns on SIGTERM or SIGINT, or after `seconds` when given.
    private static func waitForStop(seconds: Double?) async {
        let (stops, stop) = AsyncStream.makeStream(of: Void.self)
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stop.yield() }
            source.resume()
            sources.append(source)
        }
        if let seconds {
            Task {
                try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                stop.yield()
            }
        }
        for await _ in stops { break }
        for source in sources { source.cancel() }
    }
}
