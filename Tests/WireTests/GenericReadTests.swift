import Testing
import Wire

/// `readValue(from:failure:)` (what map entries call: see `GenericReads.swift`) must read
/// exactly what `read(from:)` reads, leave the reader at the same place, and report the same
/// error for every malformed input.
@Suite struct GenericReadTests {
    /// Both reads of the same bytes: the value or error, and the bytes left after a success.
    func bothReads<C: WireCodec>(_ codec: C.Type, _ bytes: [UInt8]) -> (
        thrown: Result<C.Value, WireError>, reported: Result<C.Value, WireError>, sameEnd: Bool
    ) {
        bytes.withUnsafeBytes { raw in
            var throwing = Reader(raw)
            var reporting = Reader(raw)
            let thrown: Result<C.Value, WireError>
            do throws(WireError) {
                thrown = .success(try C.read(from: &throwing))
            } catch {
                thrown = .failure(error)
            }
            var failure: WireError? = nil
            let value = C.readValue(from: &reporting, failure: &failure)
            let reported: Result<C.Value, WireError> = failure.map { .failure($0) } ?? .success(value)
            // The padding after a value is one-byte varints: both readers must find as many.
            var sameEnd = true
            if case .success = thrown, case .success = reported {
                var left = 0, right = 0
                while !throwing.isAtEnd, left < 64, (try? throwing.readVarint()) != nil { left += 1 }
                while !reporting.isAtEnd, right < 64, (try? reporting.readVarint()) != nil { right += 1 }
                sameEnd = left == right && throwing.isAtEnd && reporting.isAtEnd
            }
            return (thrown, reported, sameEnd)
        }
    }

    /// Each value, then every prefix of its encoding (truncated), then with bytes after it:
    /// none (the byte loop), a few, and more than a varint (the word-load fast paths).
    func check<C: WireCodec>(_ codec: C.Type, _ values: [C.Value]) where C.Value: Equatable {
        for value in values {
            let bytes = encoded(C.self, value)
            for padding in [0, 3, 12] {
                let (thrown, reported, sameEnd) = bothReads(C.self, bytes + [UInt8](repeating: 0x01, count: padding))
                #expect(thrown == .success(value), "\(C.self) \(value)")
                #expect(reported == thrown, "\(C.self) \(value) padding \(padding)")
                #expect(sameEnd, "\(C.self) \(value) padding \(padding)")
            }
            for cut in 0..<bytes.count {
                let (thrown, reported, _) = bothReads(C.self, Array(bytes.prefix(cut)))
                #expect(reported == thrown, "\(C.self) \(value) cut at \(cut)")
                #expect((try? thrown.get()) == nil, "\(C.self) \(value) cut at \(cut)")
            }
        }
    }

    @Test func varintCodecsReadAlike() {
        check(ProtoInt32.self, [0, 1, -1, .min, .max, 300])
        check(ProtoInt64.self, [0, 1, -1, .min, .max, 1 << 35])
        check(ProtoUInt32.self, [0, 1, 127, 128, .max])
        check(ProtoUInt64.self, [0, 1, 127, 128, .max, 1 << 63])
        check(ProtoSInt32.self, [0, 1, -1, .min, .max])
        check(ProtoSInt64.self, [0, 1, -1, .min, .max])
        check(ProtoBool.self, [false, true])
    }

    @Test func fixedWidthCodecsReadAlike() {
        check(ProtoFixed32.self, [0, 1, .max])
        check(ProtoFixed64.self, [0, 1, .max])
        check(ProtoSFixed32.self, [0, -1, .min, .max])
        check(ProtoSFixed64.self, [0, -1, .min, .max])
        check(ProtoFloat.self, [0, -0.5, .infinity, .greatestFiniteMagnitude])
        check(ProtoDouble.self, [0, -0.5, .infinity, .leastNonzeroMagnitude])
    }

    @Test func lengthDelimitedCodecsReadAlike() {
        check(ProtoString.self, ["", "a", "caf\u{E9} \u{1F600}", String(repeating: "x", count: 600)])
        check(ProtoBytes.self, [[], [0], [0xFF, 0x00, 0x80], [UInt8](repeating: 7, count: 300)])
    }

    @Test func malformedValuesAreReportedAsTheyAreThrown() {
        let tooLong = [UInt8](repeating: 0xFF, count: 11) + [0x01]
        for bytes in [tooLong, [0x80, 0x80], tooLong + [UInt8](repeating: 0, count: 8)] {
            let (thrown, reported, _) = bothReads(ProtoUInt64.self, bytes)
            #expect(reported == thrown)
            #expect((try? thrown.get()) == nil)
        }
        // A length past the end, and bytes that are not UTF-8.
        for bytes: [UInt8] in [[5, 0x61], [2, 0xC3, 0x28], [3, 0xED, 0xA0, 0x80]] {
            let (thrown, reported, _) = bothReads(ProtoString.self, bytes)
            #expect(reported == thrown, "\(bytes)")
            #expect((try? thrown.get()) == nil, "\(bytes)")
        }
        let (thrown, reported, _) = bothReads(ProtoBytes.self, [9, 1, 2])
        #expect(thrown == .failure(.lengthPastEnd) && reported == thrown)
    }

    /// Map entries read keys and values this way: a malformed key or value still throws, and a
    /// well-formed entry after the first (the run's fast path) decodes the same.
    @Test func mapEntriesWithMalformedKeysOrValuesThrow() {
        func decode(_ entries: [[UInt8]]) -> Result<[Int64: UInt32], WireError> {
            var input: [UInt8] = []
            for entry in entries { input += [0x0A, UInt8(entry.count)] + entry }
            return input.withUnsafeBytes { raw in
                var reader = Reader(raw)
                var map: [Int64: UInt32] = [:]
                do throws(WireError) {
                    while let tag = try reader.nextTag() {
                        #expect(tag == 0x0A)
                        try ProtoMap<ProtoSInt64, ProtoFixed32>.readEntry(into: &map, from: &reader)
                    }
                    return .success(map)
                } catch {
                    return .failure(error)
                }
            }
        }
        let good: [UInt8] = [0x08, 0x03, 0x15, 0x01, 0x00, 0x00, 0x00]  // key -2, value 1
        let other: [UInt8] = [0x08, 0x04, 0x15, 0x02, 0x00, 0x00, 0x00]  // key 2, value 2
        #expect(decode([good, other]) == .success([-2: 1, 2: 2]))
        #expect(decode([other, [0x15, 0x09, 0x00, 0x00, 0x00]]) == .success([2: 2, 0: 9]))
        // The value cut short inside the entry; the key's varint running past the entry.
        #expect(decode([[0x08, 0x03, 0x15, 0x01, 0x00]]) == .failure(.truncated))
        #expect(decode([good, [0x08, 0x03, 0x15, 0x01]]) == .failure(.truncated))
        #expect(decode([[0x08, 0x80, 0x80]]) == .failure(.truncated))
        #expect(decode([[0x08] + [UInt8](repeating: 0xFF, count: 11) + [0x01]]) == .failure(.varintTooLong))
    }
    /// A map's first run of entries is allocated once: with room for the run, and for twice
    /// as many entries with `String` keys from 8 entries on (fewer occupied buckets to compare
    /// on insert).
    @Test func mapRunsReserveTheirEntriesAndMoreForStringKeys() {
        var named: [UInt8] = []
        var numbered: [UInt8] = []
        for number in 1...20 {
            let key = Array("clé \(number + 10)".utf8)  // two digits: every entry one size
            let entry = [0x0A, UInt8(key.count)] + key + [0x10, UInt8(number)]
            named += [0x0A, UInt8(entry.count)] + entry
            numbered += [0x0A, 4, 0x08, UInt8(number), 0x10, UInt8(number)]
        }
        var byName: [String: Int32] = [:]
        var unknownFields = UnknownFields()
        var byNumber: [Int32: Int32] = [:]
        let failure: WireError? = named.withUnsafeBytes { named in
            numbered.withUnsafeBytes { numbered in
                do throws(WireError) {
                    var reader = Reader(named)
                    while try reader.nextTag() != nil {
                        try ProtoMap<ProtoString, ProtoInt32>.readEntry(
                            into: &byName, from: &reader, unknownFields: &unknownFields)
                    }
                    reader = Reader(numbered)
                    while try reader.nextTag() != nil {
                        try ProtoMap<ProtoInt32, ProtoInt32>.readEntry(into: &byNumber, from: &reader)
                    }
                    return nil
                } catch {
                    return error
                }
            }
        }
        #expect(failure == nil)
        #expect(byName.count == 20 && byName["clé 17"] == 7 && unknownFields.isEmpty)
        #expect(byName.capacity >= 40)
        #expect(byNumber.count == 20 && byNumber[7] == 7)
        #expect(byNumber.capacity >= 20 && byNumber.capacity < 40)

        var few: [String: Int32] = [:]
        let three = Array(named.prefix(3 * (named.count / 20)))
        let fewFailure: WireError? = three.withUnsafeBytes { raw in
            do throws(WireError) {
                var reader = Reader(raw)
                while try reader.nextTag() != nil {
                    try ProtoMap<ProtoString, ProtoInt32>.readEntry(into: &few, from: &reader, unknownFields: &unknownFields)
                }
                return nil
            } catch {
                return error
            }
        }
        #expect(fewFailure == nil && few.count == 3 && few.capacity < 6)
    }
}
