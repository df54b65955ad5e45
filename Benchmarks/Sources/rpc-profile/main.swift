// rpc-profile: `bench serve` (BenchmarkService on our Server) or `bench load` (our Channel as
// the load generator) with a synchronous main, for valgrind (callgrind, dhat). `bench`'s async
// main ends its main thread through `dispatch_main`, which valgrind 3.19 cannot follow (it
// crashes in `sigsuspend`); here the main thread blocks in `sigwait` until SIGTERM or SIGINT,
// then shuts the server down, or blocks until the load run ends.
//
//   rpc-profile PORT [LOOPS [CERT_PEM KEY_PEM]]   (with the last two: TLS)
//   rpc-profile load HOST:PORT unary|stream CONCURRENCY DURATION_S [RESP_SIZE [pool|loop [WARMUP_S]]]
// (the load generator of `bench load`, without the tool's other suites: quick to build; no
// warm-up unless asked).
import Dispatch
import Glibc
import RPC
import RPCBenchSuite

let args = Array(CommandLine.arguments.dropFirst())

/// Runs an async step to its end from the synchronous main thread.
func blocking(_ step: @escaping @Sendable () async throws -> Void) throws {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var failure: (any Error)?
    Task {
        do { try await step() } catch { failure = error }
        done.signal()
    }
    done.wait()
    if let failure { throw failure }
}

if args.first == "load" {
    guard args.count >= 5, let target = SocketAddress(parsing: args[1]), let mode = LoadSettings.Mode(rawValue: args[2]),
          let concurrency = Int(args[3]), let duration = Double(args[4]),
          let responseSize = Int(args.count > 5 ? args[5] : "0"), let tasks = LoadSettings.Tasks(rawValue: args.count > 6 ? args[6] : "pool"),
          let warmup = Double(args.count > 7 ? args[7] : "0")
    else {
        print("usage: rpc-profile load HOST:PORT unary|stream CONCURRENCY DURATION_S [RESP_SIZE [pool|loop [WARMUP_S]]]")
        exit(2)
    }
    let settings = LoadSettings(target: target, mode: mode, concurrency: concurrency, responseSize: responseSize,
                                duration: duration, warmup: warmup, tasks: tasks)
    try settings.validate()
    try blocking { print(try await LoadGenerator.run(settings).keyValueLine) }
    exit(0)
}

guard let port = args.first.flatMap(Int.init), (0...65535).contains(port),
      let loops = Int(args.count > 1 ? args[1] : "1"), (1...64).contains(loops),
      args.count == 2 || args.count <= 1 || args.count == 4
else {
    print("usage: rpc-profile PORT [LOOPS [CERT_PEM KEY_PEM]] | rpc-profile load HOST:PORT unary|stream CONCURRENCY DURATION_S [RESP_SIZE [pool|loop [WARMUP_S]]]")
    exit(2)
}

// Blocked in every thread (the set is inherited), so only `sigwait` below receives them.
var stopSignals = sigset_t()
sigemptyset(&stopSignals)
sigaddset(&stopSignals, SIGTERM)
sigaddset(&stopSignals, SIGINT)
pthread_sigmask(SIG_BLOCK, &stopSignals, nil)

var configuration = Server.Configuration(address: .ipv4(host: "127.0.0.1", port: port))
configuration.loopCount = loops
configuration.shutdownGracePeriod = .seconds(2)
if args.count == 4 {
    configuration.tls = ServerTLSConfiguration(certificateChainFile: args[2], privateKeyFile: args[3])
}
let server = Server(configuration: configuration, services: [BenchmarkService()])

try blocking { _ = try await server.start() }
print("rpc-profile: listening on 127.0.0.1:\(port) loops=\(loops)")
fflush(nil)
var received: Int32 = 0
sigwait(&stopSignals, &received)
try blocking { await server.shutdown() }
