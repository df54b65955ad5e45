import Foundation
import Testing
@testable import RPC

/// gzip and deflate checked against an independent implementation: Python's zlib bindings,
/// in a real child process. (gzip is also exercised against grpc core by the interop check;
/// deflate is not, so this is its only outside peer.)
@Suite struct CompressionPeerTests {
    static let sample: [UInt8] = Array((0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 97) })

    static let pythonCodec: [CompressionAlgorithm: (compress: String, decompress: String)] = [
        .gzip: ("gzip.compress(data)", "gzip.decompress(data)"),
        .deflate: ("zlib.compress(data)", "zlib.decompress(data)"),
    ]

    @Test(arguments: [CompressionAlgorithm.gzip, .deflate])
    func pythonDecompressesOurOutput(_ algorithm: CompressionAlgorithm) throws {
        let compressed = try MessageCompression.compress(Self.sample, using: algorithm)
        let expression = Self.pythonCodec[algorithm]!.decompress
        let output = try runPython("import sys, gzip, zlib; data = sys.stdin.buffer.read(); sys.stdout.buffer.write(\(expression))",
                                   input: compressed)
        #expect(output == Self.sample)
    }

    @Test(arguments: [CompressionAlgorithm.gzip, .deflate])
    func weDecompressPythonOutput(_ algorithm: CompressionAlgorithm) throws {
        let expression = Self.pythonCodec[algorithm]!.compress
        let compressed = try runPython("import sys, gzip, zlib; data = sys.stdin.buffer.read(); sys.stdout.buffer.write(\(expression))",
                                       input: Self.sample)
        #expect(try MessageCompression.decompress(compressed, using: algorithm, limit: Self.sample.count) == Self.sample)
    }
}

struct PythonFailed: Error, CustomStringConvertible {
    let description: String
}

/// Runs `python3 -c script` with `input` on stdin and returns its stdout. The child is
/// killed if it has not finished within `timeout`.
func runPython(_ script: String, input: [UInt8], timeout: Duration = .seconds(30)) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script]
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
    let seconds = Double(timeout.components.seconds)
    DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: watchdog)
    defer { watchdog.cancel() }
    // Feed stdin from another thread so a child that writes before reading cannot deadlock us.
    let writer = Thread { [stdin] in
        stdin.fileHandleForWriting.write(Data(input))
        try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    let errors = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw PythonFailed(description: "python3 exited \(process.terminationStatus): \(String(decoding: errors, as: UTF8.self))")
    }
    return [UInt8](output)
}
