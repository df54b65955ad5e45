// wire-oracle: the Swift half of the Wire oracle cross-check (python/oracle.py drives it).
//
//   wire-oracle roundtrip IN OUT                       decode + re-encode each record of IN
//   wire-oracle generate --seed S --count N OUT        build N seeded random messages
//   wire-oracle compare --seed S --count N PYTHON      decode Python's re-encodings of those
//                                                      messages and require them equal
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Writes a line to standard error (the C `stderr` global is not concurrency-safe in Swift 6).
func printError(_ text: String) {
    var line = text + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

struct UsageError: Error, CustomStringConvertible {
    var description: String
}

func option(_ name: String, in args: [String]) throws -> String {
    guard let index = args.firstIndex(of: name), index + 1 < args.count else {
        throw UsageError(description: "missing \(name)")
    }
    return args[index + 1]
}

func seedAndCount(_ args: [String]) throws -> (UInt64, Int) {
    guard let seed = UInt64(try option("--seed", in: args)), let count = Int(try option("--count", in: args)),
          (0...1_000_000).contains(count)
    else { throw UsageError(description: "--seed and --count must be numbers (count up to 1e6)") }
    return (seed, count)
}

func roundTripFile(_ input: String, _ output: String) throws {
    let results = try RecordFile.read(input).map { record -> Record in
        guard let kind = MessageKind(rawValue: record.head & ~MessageKind.partialFlag) else {
            return Record(head: MessageKind.Status.decodeError.rawValue, bytes: Array("unknown kind \(record.head)".utf8))
        }
        return kind.roundTrip(record.bytes, partial: record.head & MessageKind.partialFlag != 0)
    }
    try RecordFile.write(results, to: output)
    print("wire-oracle: round-tripped \(results.count) records")
}

func generate(seed: UInt64, count: Int, _ output: String) throws {
    let built = ReverseMessages.build(seed: seed, count: count)
    let records = try built.map { Record(head: $0.kind.rawValue, bytes: try $0.encoded()) }
    try RecordFile.write(records, to: output)
    print("wire-oracle: built \(records.count) messages")
}

/// Returns the number of mismatches.
func compare(seed: UInt64, count: Int, _ pythonFile: String) throws -> Int {
    let built = ReverseMessages.build(seed: seed, count: count)
    let reencoded = try RecordFile.read(pythonFile)
    guard reencoded.count == built.count else {
        print("reverse, Swift side: \(reencoded.count) records from Python for \(built.count) messages")
        return max(1, abs(reencoded.count - built.count))
    }
    var passed = 0
    var failures: [String] = []
    for (index, (message, record)) in zip(built, reencoded).enumerated() {
        do {
            if try message.decodesEqual(record.bytes) {
                passed += 1
            } else {
                failures.append("#\(index) \(message.kind): decoded message differs from the one built")
            }
        } catch {
            failures.append("#\(index) \(message.kind): cannot decode Python's bytes: \(error)")
        }
    }
    print("reverse, Swift side (Swift -> Python -> Swift): \(passed) passed, \(failures.count) failed")
    for failure in failures.prefix(15) { print("  FAIL \(failure)") }
    return failures.count
}

func run(_ args: [String]) throws -> Int32 {
    switch args.first {
    case "roundtrip" where args.count == 3:
        try roundTripFile(args[1], args[2])
    case "generate" where args.count == 6:
        let (seed, count) = try seedAndCount(args)
        try generate(seed: seed, count: count, args[5])
    case "compare" where args.count == 6:
        let (seed, count) = try seedAndCount(args)
        return try compare(seed: seed, count: count, args[5]) == 0 ? 0 : 1
    default:
        throw UsageError(description: "usage: wire-oracle roundtrip IN OUT | generate --seed S --count N OUT | compare --seed S --count N FILE")
    }
    return 0
}

do {
    exit(try run(Array(CommandLine.arguments.dropFirst())))
} catch {
    printError("wire-oracle: \(error)")
    exit(2)
}
