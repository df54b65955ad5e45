import Glibc

/// The fuzz targets, by the name their executable and corpus folder carry.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case wireDecode = "wire-decode"
    case serverConnection = "server-connection"
    case clientConnection = "client-connection"

    /// Runs one input. A broken contract ends the process (what libFuzzer reports as a crash).
    public func run(_ input: [UInt8]) {
        switch self {
        case .wireDecode:
            do {
                try WireDecodeHarness.run(input)
            } catch {
                fatalError("\(error)")
            }
        case .serverConnection: ServerConnectionHarness.run(input)
        case .clientConnection: ClientConnectionHarness.run(input)
        }
    }

    /// Copies libFuzzer's input into an array.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }
}

/// What a fuzz target's executable does when built without libFuzzer (a plain `swift build`):
///
///     fuzz-NAME FILE|FOLDER...          run each input once (a crash reproduces as a crash)
///     fuzz-NAME --record-seeds FOLDER   write the target's seed corpus from real sessions
///                                       (server-connection and client-connection only)
public enum FuzzTool {
    public static func main(_ target: FuzzTarget) {
        var arguments = Array(CommandLine.arguments.dropFirst())
        do {
            if arguments.first == "--record-seeds", arguments.count == 2 {
                try recordSeeds(target, into: arguments[1])
                return
            }
            if arguments.isEmpty { arguments = [] }
            var count = 0
            for path in arguments {
                for file in try CorpusFiles.list(path) {
                    target.run(try CorpusFiles.read(file))
                    count += 1
                }
            }
            print("fuzz-\(target.rawValue): ran \(count) inputs")
        } catch {
            print("fuzz-\(target.rawValue): \(error)")
            exit(1)
        }
    }

    static func recordSeeds(_ target: FuzzTarget, into folder: String) throws {
        switch target {
        case .wireDecode:
            throw CorpusFiles.Failure(description: "wire-decode seeds come from wire-oracle (see Tests/Fuzz/README.md)")
        case .serverConnection:
            for (name, session) in SeedRecorder.serverSessions {
                try CorpusFiles.write(try SeedRecorder.record(session).client, to: "\(folder)/\(name)")
            }
        case .clientConnection:
            for (name, sequence) in SeedRecorder.clientSequences {
                let bytes = try SeedRecorder.record { await sequence.callAll(on: SeedRecorder.testService($0)) }.server
                try CorpusFiles.write(bytes, to: "\(folder)/\(name)")
            }
        }
    }
}

#if FUZZING
import CLibFuzzer

extension FuzzTool {
    /// Hands the process to libFuzzer, which calls `target` once per input (a C function, as
    /// libFuzzer's callback must be).
    public static func runLibFuzzer(_ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
    }
}
#endif
