// wire-profile: runs one `bench wire` loop a fixed number of times with a synchronous main,
// for profilers (valgrind cannot follow `bench`'s async main thread).
//
//   wire-profile CASE encode|decode [wire|swift-protobuf] [ITERATIONS]
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import WireBenchSuite

let args = Array(CommandLine.arguments.dropFirst())
guard args.count >= 2, let benchCase = FixtureData.Case(rawValue: args[0]), args[1] == "encode" || args[1] == "decode",
      let side = WireBench.Side(rawValue: args.count > 2 ? args[2] : "wire"),
      let iterations = Int(args.count > 3 ? args[3] : "1000"), iterations > 0
else {
    print("usage: wire-profile small|post|bytes|string|ascii|repeated encode|decode [wire|swift-protobuf] [ITERATIONS]")
    exit(2)
}
let workload = try WireBench.workload(side, benchCase)
let checksum = try args[1] == "encode" ? workload.encode(iterations) : workload.decode(iterations)
print("\(benchCase.rawValue) \(args[1]) \(side.rawValue) x\(iterations): checksum \(checksum)")
