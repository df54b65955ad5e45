import Foundation
import FuzzHarnesses
import Testing

/// Every committed corpus input (seeds and the inputs of crashes the fuzzers found) runs once
/// through its fuzz target's harness in the normal test suite, without sanitizers: a broken
/// contract ends the test process, as it ends the fuzzer.
@Suite(.serialized, .timeLimit(.minutes(2))) struct CorpusReplayTests {
    static let corpusRoot = String(#filePath).replacing("/Tests/FuzzCorpusTests/CorpusReplayTests.swift", with: "/Tests/Fuzz/Corpus")

    @Test(arguments: FuzzTarget.allCases)
    func corpusReplays(_ target: FuzzTarget) async throws {
        let files = try CorpusFiles.list("\(Self.corpusRoot)/\(target.rawValue)")
        #expect(files.count >= 4, "the \(target.rawValue) corpus holds its seeds")
        let inputs = try files.map { try CorpusFiles.read($0) }
        await Self.runOnOwnThread { for input in inputs { target.run(input) } }
    }

    /// The harnesses block their thread while the RPC tasks they drive run, as libFuzzer's
    /// thread does; a thread of the Swift concurrency pool must not be the one blocked.
    static func runOnOwnThread(_ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread {
                body()
                done.resume()
            }.start()
        }
    }
}
