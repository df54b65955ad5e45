// wire-profile: runs one `bench wire` loop (one case, one direction, one runtime) a fixed number of
// passes over the case's dataset with a synchronous main, for profilers (valgrind cannot follow
// `bench`'s async main thread).
//
//   wire-profile CASE encode|decode [wire|swift-protobuf|cpp] [PASSES]
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import WireBenchSuite

let args = Array(CommandLine.arguments.dropFirst())
guard args.count >= 2, let benchCase = FixtureData.Case(rawValue: args[0]),
      let operation = WireBench.Operation(rawValue: args[1]),
      let side = WireBench.Side(rawValue: args.count > 2 ? args[2] : "wire"),
      let passes = Int(args.count > 3 ? args[3] : "100"), passes > 0
else {
    let cases = FixtureData.Case.allCases.map(\.rawValue).joined(separator: "|")
    print("usage: wire-profile \(cases) encode|decode [wire|swift-protobuf|cpp] [PASSES]")
    exit(2)
}
let (workload, dataset) = try WireBench.workload(side, benchCase)
let checksum = try operation == .encode ? workload.encode(passes) : workload.decode(passes)
print("\(benchCase.rawValue) \(operation.rawValue) \(side.rawValue): \(passes) passes over \(dataset.records.count) records "
    + "(\(dataset.totalBytes) bytes): checksum \(checksum)")
