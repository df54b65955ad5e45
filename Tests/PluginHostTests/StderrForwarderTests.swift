import Logging
import Testing

@testable import PluginHost

/// Escaping, cutting and the token bucket of plugin output, without a process.
@Suite struct StderrForwarderTests {
    @Test func controlCharactersAreEscapedAndLongLinesCut() {
        #expect(LogLineSanitizer.clean("a\u{1b}[31mb\tc\r\u{7f}", maximumLength: 100) == "a\\x1b[31mb\\x09c\\x0d\\x7f")
        #expect(LogLineSanitizer.clean("next\u{85}line\u{2028}sep", maximumLength: 100) == "next\\u{85}line\\u{2028}sep")
        #expect(LogLineSanitizer.clean("héllo wörld", maximumLength: 100) == "héllo wörld")
        #expect(LogLineSanitizer.clean(String(repeating: "x", count: 30), maximumLength: 10)
            == String(repeating: "x", count: 10) + " [cut 20 bytes]")
        // An escape that would cross the bound is cut whole.
        #expect(LogLineSanitizer.clean("abcdefgh\u{1b}", maximumLength: 10) == "abcdefgh [cut 1 bytes]")
    }

    @Test func theBucketAllowsItsBurstThenItsRate() {
        var bucket = TokenBucket(capacity: 3, perSecond: 10)
        let start = ContinuousClock.now
        var taken: [Bool] = []
        for _ in 0..<5 { taken.append(bucket.take(at: start)) }
        #expect(taken == [true, true, true, false, false])
        // 100 ms later one token has come back, and only one.
        let refilled = bucket.take(at: start.advanced(by: .milliseconds(100)))
        let refilledTwice = bucket.take(at: start.advanced(by: .milliseconds(100)))
        #expect(refilled && !refilledTwice)
        // After a long pause the bucket is full again, not fuller.
        let later = start.advanced(by: .seconds(60))
        taken = []
        for _ in 0..<4 { taken.append(bucket.take(at: later)) }
        #expect(taken == [true, true, true, false])
    }

    @Test func droppedLinesAreCountedInOneRecord() {
        let (logger, records) = makeRecordingLogger()
        var limits = StderrLimits()
        limits.burst = 2
        limits.linesPerSecond = 1
        let forwarder = StderrForwarder(logger: logger, limits: limits)
        for index in 0..<10 { forwarder.forward("[INFO] line \(index)") }
        forwarder.finish()
        #expect(records.all.map(\.message).prefix(2) == ["line 0", "line 1"])
        let dropped = records.all.filter { $0.metadata["dropped_lines"] != nil }
        #expect(dropped.count == 1)
        #expect(dropped.first?.metadata["dropped_lines"] == .string("8"))
        #expect(forwarder.lastLines.last == "[INFO] line 9")
    }
}
