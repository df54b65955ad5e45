import Testing
@testable import RPC

@Suite struct GRPCTimeoutTests {
    @Test func parsesEveryUnit() throws {
        #expect(try GRPCTimeout.parse("1H") == .seconds(3600))
        #expect(try GRPCTimeout.parse("2M") == .seconds(120))
        #expect(try GRPCTimeout.parse("3S") == .seconds(3))
        #expect(try GRPCTimeout.parse("4m") == .milliseconds(4))
        #expect(try GRPCTimeout.parse("5u") == .microseconds(5))
        #expect(try GRPCTimeout.parse("6n") == .nanoseconds(6))
        #expect(try GRPCTimeout.parse("0n") == .zero)
        #expect(try GRPCTimeout.parse("00000010m") == .milliseconds(10))
    }

    @Test func largestValuesDoNotOverflow() throws {
        #expect(try GRPCTimeout.parse("99999999H") == .seconds(Int64(99_999_999) * 3600))
        #expect(try GRPCTimeout.parse("99999999n") == .nanoseconds(99_999_999))
    }

    @Test func rejectsMalformedValues() {
        #expect(throws: GRPCTimeoutError.missingValue) { try GRPCTimeout.parse("") }
        #expect(throws: GRPCTimeoutError.missingValue) { try GRPCTimeout.parse("S") }
        #expect(throws: GRPCTimeoutError.invalidUnit) { try GRPCTimeout.parse("x") }
        #expect(throws: GRPCTimeoutError.tooManyDigits(9)) { try GRPCTimeout.parse("123456789S") }
        #expect(throws: GRPCTimeoutError.invalidDigit) { try GRPCTimeout.parse("-1S") }
        #expect(throws: GRPCTimeoutError.invalidDigit) { try GRPCTimeout.parse("1 S") }
        #expect(throws: GRPCTimeoutError.invalidDigit) { try GRPCTimeout.parse("1.5S") }
        #expect(throws: GRPCTimeoutError.invalidUnit) { try GRPCTimeout.parse("10s") }
        #expect(throws: GRPCTimeoutError.invalidUnit) { try GRPCTimeout.parse("10") }
        #expect(throws: GRPCTimeoutError.invalidDigit) { try GRPCTimeout.parse("１S") }
    }

    @Test func formatsWithTheFinestUnitThatFits() {
        #expect(GRPCTimeout.format(.nanoseconds(1)) == "1n")
        #expect(GRPCTimeout.format(.nanoseconds(99_999_999)) == "99999999n")
        #expect(GRPCTimeout.format(.milliseconds(100)) == "100000u")
        #expect(GRPCTimeout.format(.seconds(1)) == "1000000u")
        #expect(GRPCTimeout.format(.seconds(100)) == "100000m")
        #expect(GRPCTimeout.format(.seconds(1_000_000)) == "1000000S")
        #expect(GRPCTimeout.format(.seconds(Int64(99_999_999) * 3600)) == "99999999H")
    }

    @Test func roundsUpRatherThanShorten() throws {
        // 100_000_001 ns does not fit 8 digits in ns; in µs it is 100000.001 -> 100001u.
        #expect(GRPCTimeout.format(.nanoseconds(100_000_001)) == "100001u")
        let formatted = GRPCTimeout.format(.nanoseconds(123_456_789_123))
        #expect(try GRPCTimeout.parse(formatted) >= .nanoseconds(123_456_789_123))
    }

    @Test func nonPositiveAndHugeDurationsAreClamped() {
        #expect(GRPCTimeout.format(.zero) == "0n")
        #expect(GRPCTimeout.format(.seconds(-5)) == "0n")
        #expect(GRPCTimeout.format(.seconds(Int64.max)) == "99999999H")
    }

    @Test func formatThenParseNeverShortens() throws {
        var value: Int64 = 1
        for _ in 0..<62 {
            let duration = Duration.nanoseconds(value)
            let formatted = GRPCTimeout.format(duration)
            #expect(formatted.utf8.count <= 9)
            #expect(try GRPCTimeout.parse(formatted) >= duration)
            value = value * 2 + 1
        }
    }
}
