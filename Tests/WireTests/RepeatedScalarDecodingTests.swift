import Testing
@testable import Wire

/// Repeated scalar fields, packed and unpacked, decoded by the runtime's fast paths and by a
/// textbook byte-at-a-time reference, over many seeded random runs: every varint length, runs
/// whose last varints straddle the point where fewer than 10 bytes are left, runs at the very
/// end of the input and runs followed by more bytes, and malformed runs (cut-off varints,
/// varints longer than 10 bytes, lengths past the end, fixed runs of a partial element).
@Suite struct RepeatedScalarDecodingTests {
    // MARK: Reference decoder

    /// The textbook varint loop over `bytes[index..<end]`: at most 10 bytes, the 10th must end it.
    static func referenceVarint(_ bytes: [UInt8], _ index: inout Int, end: Int) -> Result<UInt64, WireError> {
        var value: UInt64 = 0
        for byteIndex in 0..<10 {
            guard index < end else { return .failure(.truncated) }
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7F) << UInt64(7 * byteIndex)
            if byte < 0x80 { return .success(value) }
        }
        return .failure(.varintTooLong)
    }

    /// Decodes a sequence of fields numbered `fieldNumbers` (varint elements unpacked, or
    /// packed runs), all into one list, the way the protobuf specification describes it, one
    /// byte at a time.
    static func referenceVarintField(_ bytes: [UInt8], fieldNumbers: Set<UInt64>) -> Result<[UInt64], WireError> {
        var index = 0
        var values: [UInt64] = []
        while index < bytes.count {
            let tag: UInt64
            switch referenceVarint(bytes, &index, end: bytes.count) {
            case .success(let value): tag = value
            case .failure(let error): return .failure(error)
            }
            guard fieldNumbers.contains(tag >> 3), tag & 7 == 0 || tag & 7 == 2 else {
                preconditionFailure("the generator writes only this field")
            }
            if tag & 7 == 0 {
                switch referenceVarint(bytes, &index, end: bytes.count) {
                case .success(let value): values.append(value)
                case .failure(let error): return .failure(error)
                }
                continue
            }
            let length: UInt64
            switch referenceVarint(bytes, &index, end: bytes.count) {
            case .success(let value): length = value
            case .failure(let error): return .failure(error)
            }
            guard length <= UInt64(bytes.count - index) else { return .failure(.lengthPastEnd) }
            let end = index + Int(length)
            while index < end {
                switch referenceVarint(bytes, &index, end: end) {
                case .success(let value): values.append(value)
                case .failure(let error): return .failure(error)
                }
            }
        }
        return .success(values)
    }

    /// Textbook varint writer, with `padding` extra continuation bytes (a non-canonical encoding).
    static func varintBytes(_ value: UInt64, padding: Int = 0) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
        for _ in 0..<padding {
            bytes[bytes.count - 1] |= 0x80
            bytes.append(0)
        }
        return bytes
    }

    // MARK: Random inputs

    /// A varint of a random length 1...10, sometimes written longer than needed (still at most 10 bytes).
    static func randomVarint(_ random: inout SplitMix) -> [UInt8] {
        let length = Int(random.next() % 10) + 1
        let bits = length == 1 ? 7 : min(64, 7 * length)
        let floor: UInt64 = length == 1 ? 0 : 1 << UInt64(7 * (length - 1))
        var value = bits == 64 ? random.next() : random.next() & ((1 << UInt64(bits)) - 1)
        value |= floor
        if length < 10 && random.next() % 8 == 0 {
            return varintBytes(value, padding: Int(random.next() % UInt64(10 - length)) + 1)
        }
        return varintBytes(value)
    }

    /// A body of varints, malformed one time in three: cut inside its last varint, a varint of
    /// 11-14 bytes somewhere, or a lone continuation byte at the end.
    /// One body in four holds only one-byte varints (values below 128, as booleans and enums).
    static func randomVarintBody(_ random: inout SplitMix, maxElements: Int) -> [UInt8] {
        var body: [UInt8] = []
        let elements = Int(random.next() % UInt64(maxElements + 1))
        let oneByte = random.next() % 4 == 0
        for _ in 0..<elements { body += oneByte ? [UInt8(random.next() % 128)] : randomVarint(&random) }
        switch random.next() % 9 {
        case 0 where !body.isEmpty:
            body.removeLast(Int(random.next() % UInt64(min(body.count, 9))) + 1)
        case 1:
            let overlong = [UInt8](repeating: 0xFF, count: Int(random.next() % 4) + 10) + [0x01]
            let at = body.isEmpty ? 0 : Int(random.next() % UInt64(body.count))
            // Inserted at a varint boundary or inside one: either way one varint runs past 10 bytes.
            body.insert(contentsOf: overlong, at: at)
        case 2:
            body.append(0x80)
        default:
            break
        }
        return body
    }

    /// Bytes after the field: none (the run ends the input), plain one-byte varints, or 0xFF
    /// bytes (so a read that strays past the run would see a varint that never ends).
    static func randomTrailer(_ random: inout SplitMix) -> [UInt8] {
        let count = Int(random.next() % 14)
        switch random.next() % 3 {
        case 0: return []
        case 1: return [UInt8](repeating: 0x01, count: count)
        default: return [UInt8](repeating: 0xFF, count: count)
        }
    }

    // MARK: Decoding through the runtime

    /// Decodes `field` as a nested message (as generated code does) with `trailer` after it:
    /// those bytes are readable but outside the message, so a read straying past the run would
    /// see them (0xFF bytes: a varint that never ends). Returns the error, or nil and whether
    /// the reader stopped exactly at the end of the nested message.
    static func decodeNested<C: VarintCodec>(
        _ codec: C.Type, field: [UInt8], trailer: [UInt8], into values: inout [C.Value]
    ) -> (error: WireError?, stoppedAtEnd: Bool) where C.Value: Hashable & Sendable {
        let input = [UInt8(1 << 3 | 2)] + varintBytes(UInt64(field.count)) + field + trailer
        var holder = RepeatedHolder<C>()
        holder.values = values
        defer { values = holder.values }
        return input.withUnsafeBytes { raw in
            var reader = Reader(raw)
            do throws(WireError) {
                _ = try reader.nextTag()
                try reader.readMessage(into: &holder)
                return (nil, reader.remaining == trailer.count)
            } catch {
                return (error, false)
            }
        }
    }

    /// Many seeded runs of one varint codec: the decoded values (appended after existing ones)
    /// or the error must be the reference's.
    func checkVarintCodec<C: VarintCodec>(
        _ codec: C.Type, seed: UInt64, runs: Int = 3000, _ expected: (UInt64) -> C.Value
    ) where C.Value: Hashable & Sendable {
        var random = SplitMix(seed: seed)
        var mismatches: [String] = []
        var outcomes: [WireError?: Int] = [:]
        for run in 0..<runs {
            // One to three fields: packed runs (short ones cross the 10-bytes-left switch
            // often; some claim more bytes than follow) and unpacked elements. Only the last
            // field may run past its end (a cut-off element, a length too long): earlier, that
            // would take the next field's tag as data.
            var field: [UInt8] = []
            let fields = Int(random.next() % 3) + 1
            for index in 0..<fields {
                let last = index == fields - 1
                // A one-byte tag mostly (the unpacked run's fast path), sometimes a two-byte one.
                let fieldNumber = UInt64(random.next() % 4 == 0 ? RepeatedHolder<C>.otherFieldNumber : RepeatedHolder<C>.fieldNumber)
                if random.next() % 3 == 0 {
                    // Unpacked: one to five elements back to back.
                    for _ in 0..<(last ? 1 : Int(random.next() % 5) + 1) {
                        field += Self.varintBytes(fieldNumber << 3) + Self.randomVarint(&random)
                    }
                    field += Self.varintBytes(fieldNumber << 3) + (last && random.next() % 4 == 0
                        ? Self.randomVarintBody(&random, maxElements: 1) : Self.randomVarint(&random))
                } else {
                    let body = Self.randomVarintBody(&random, maxElements: random.next() % 4 == 0 ? 300 : 24)
                    var prefix = Self.varintBytes(UInt64(body.count))
                    if last && random.next() % 20 == 0 { prefix = Self.varintBytes(UInt64(body.count) + 1 + random.next() % 3) }
                    field += Self.varintBytes(fieldNumber << 3 | 2) + prefix + body
                }
            }
            let trailer = Self.randomTrailer(&random)
            let reference = Self.referenceVarintField(field, fieldNumbers: RepeatedHolder<C>.fieldNumbers)
            var values = (0..<Int(random.next() % 3)).map { expected(UInt64($0) + 5) }
            let prior = values
            let outcome = Self.decodeNested(C.self, field: field, trailer: trailer, into: &values)
            outcomes[outcome.error, default: 0] += 1
            switch reference {
            case .success(let raw):
                let want = prior + raw.map(expected)
                if outcome.error != nil || values != want || !outcome.stoppedAtEnd {
                    mismatches.append("run \(run): \(field) decoded \(values) error \(String(describing: outcome.error)), want \(want)")
                }
            case .failure(let error):
                if outcome.error != error {
                    mismatches.append("run \(run): \(field) threw \(String(describing: outcome.error)), want \(error)")
                }
            }
            if mismatches.count >= 5 { break }
        }
        #expect(mismatches.isEmpty, "\(C.self): \(mismatches.joined(separator: "\n"))")
        // The runs reach every outcome, each many times.
        for outcome: WireError? in [nil, .truncated, .varintTooLong, .lengthPastEnd] {
            #expect(outcomes[outcome, default: 0] >= 50, "\(C.self): \(String(describing: outcome)) \(outcomes[outcome, default: 0]) times")
        }
    }

    @Test func int32MatchesTheReference() { checkVarintCodec(ProtoInt32.self, seed: 1) { Int32(truncatingIfNeeded: $0) } }
    @Test func int64MatchesTheReference() { checkVarintCodec(ProtoInt64.self, seed: 2) { Int64(bitPattern: $0) } }
    @Test func uint32MatchesTheReference() { checkVarintCodec(ProtoUInt32.self, seed: 3) { UInt32(truncatingIfNeeded: $0) } }
    @Test func uint64MatchesTheReference() { checkVarintCodec(ProtoUInt64.self, seed: 4) { $0 } }
    @Test func sint32MatchesTheReference() {
        checkVarintCodec(ProtoSInt32.self, seed: 5) { raw in
            let n = UInt32(truncatingIfNeeded: raw)
            return n & 1 == 0 ? Int32(n >> 1) : -Int32(n >> 1) - 1
        }
    }
    @Test func sint64MatchesTheReference() {
        checkVarintCodec(ProtoSInt64.self, seed: 6) { raw in
            raw & 1 == 0 ? Int64(raw >> 1) : -Int64(raw >> 1) - 1
        }
    }
    @Test func boolMatchesTheReference() { checkVarintCodec(ProtoBool.self, seed: 7) { $0 != 0 } }
    @Test func openEnumMatchesTheReference() {
        checkVarintCodec(ProtoEnum<Shade>.self, seed: 8) { raw in
            switch Int32(truncatingIfNeeded: raw) {
            case 0: .none
            case 1: .light
            case 2: .dark
            case let other: .unrecognized(other)
            }
        }
    }

    // MARK: Fixed-width runs

    /// Little-endian value of `width` bytes at `index`, assembled byte by byte.
    static func littleEndian(_ bytes: [UInt8], at index: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        for offset in (0..<width).reversed() { value = value << 8 | UInt64(bytes[index + offset]) }
        return value
    }

    /// Many seeded runs of one fixed-width codec, packed and unpacked, against the reference;
    /// values compare by bit pattern (so NaN payloads count). Fields are numbered 1 (a one-byte
    /// tag) or 20 (two bytes): an unpacked run of either is counted ahead and read in one loop.
    func checkFixedCodec<C: PackableCodec>(
        _ codec: C.Type, width: Int, seed: UInt64, runs: Int = 2000, bits: (C.Value) -> UInt64
    ) {
        var random = SplitMix(seed: seed)
        var mismatches: [String] = []
        var outcomes: [WireError?: Int] = [:]
        let tagType: UInt8 = width == 4 ? 5 : 1
        for run in 0..<runs {
            let packed = random.next() % 3 != 0
            let fieldNumber: UInt64 = random.next() % 3 == 0 ? 20 : 1
            var body = (0..<Int(random.next() % 200)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            var input: [UInt8]
            var expected: Result<[UInt64], WireError>
            if packed {
                if random.next() % 4 != 0 { body.removeLast(body.count % width) }  // else maybe a partial element
                var claimed = body.count
                if random.next() % 12 == 0 { claimed += 1 + Int(random.next() % 9) }
                input = Self.varintBytes(fieldNumber << 3 | 2) + Self.varintBytes(UInt64(claimed)) + body
                if claimed > body.count {
                    expected = .failure(.lengthPastEnd)
                } else if body.count % width != 0 {
                    expected = .failure(.malformedPackedField)
                } else {
                    expected = .success(stride(from: 0, to: body.count, by: width).map { Self.littleEndian(body, at: $0, width: width) })
                }
            } else {
                // Unpacked: tag and value pairs; a cut-off last value is truncated.
                let count = body.count / width
                input = []
                var values: [UInt64] = []
                for element in 0..<count {
                    input += Self.varintBytes(fieldNumber << 3 | UInt64(tagType)) + body[(element * width)..<(element * width + width)]
                    values.append(Self.littleEndian(body, at: element * width, width: width))
                }
                expected = .success(values)
                if count > 0 && random.next() % 5 == 0 {
                    input.removeLast(Int(random.next() % UInt64(width)) + 1)
                    expected = .failure(.truncated)
                }
            }
            var values: [C.Value] = []
            let error: WireError? = input.withUnsafeBytes { raw in
                var reader = Reader(raw)
                do throws(WireError) {
                    while let tag = try reader.nextTag() {
                        if tag & 7 == 2 {
                            try C.readPacked(into: &values, from: &reader)
                        } else {
                            try C.readElement(into: &values, from: &reader)
                        }
                    }
                    return nil
                } catch {
                    return error
                }
            }
            outcomes[error, default: 0] += 1
            switch expected {
            case .success(let want):
                if error != nil || values.map(bits) != want {
                    mismatches.append("run \(run): packed \(packed), \(body.count) bytes: error \(String(describing: error))")
                }
            case .failure(let want):
                if error != want { mismatches.append("run \(run): threw \(String(describing: error)), want \(want)") }
            }
            if mismatches.count >= 5 { break }
        }
        #expect(mismatches.isEmpty, "\(C.self): \(mismatches.joined(separator: "\n"))")
        for outcome: WireError? in [nil, .truncated, .malformedPackedField, .lengthPastEnd] {
            #expect(outcomes[outcome, default: 0] >= 50, "\(C.self): \(String(describing: outcome)) \(outcomes[outcome, default: 0]) times")
        }
    }

    @Test func fixed32MatchesTheReference() { checkFixedCodec(ProtoFixed32.self, width: 4, seed: 11) { UInt64($0) } }
    @Test func fixed64MatchesTheReference() { checkFixedCodec(ProtoFixed64.self, width: 8, seed: 12) { $0 } }
    @Test func sfixed32MatchesTheReference() {
        checkFixedCodec(ProtoSFixed32.self, width: 4, seed: 13) { UInt64(UInt32(bitPattern: $0)) }
    }
    @Test func sfixed64MatchesTheReference() {
        checkFixedCodec(ProtoSFixed64.self, width: 8, seed: 14) { UInt64(bitPattern: $0) }
    }
    @Test func floatMatchesTheReference() { checkFixedCodec(ProtoFloat.self, width: 4, seed: 15) { UInt64($0.bitPattern) } }
    @Test func doubleMatchesTheReference() { checkFixedCodec(ProtoDouble.self, width: 8, seed: 16) { $0.bitPattern } }

    // MARK: Counting runs

    /// A packed run's element count (16-byte vectors, then one 8-byte word, then single bytes)
    /// is its number of bytes below 0x80, at every length around those steps.
    @Test func packedTerminatorsAreCountedAtEveryLength() {
        var random = SplitMix(seed: 31)
        var mismatches: [Int] = []
        for length in 0..<80 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                let counted = bytes.withUnsafeBytes { raw in
                    Varint.countTerminators(raw.baseAddress ?? UnsafeRawPointer(bitPattern: 0x10)!, length)
                }
                if counted != bytes.filter({ $0 < 0x80 }).count { mismatches.append(length) }
            }
        }
        #expect(mismatches.isEmpty, "lengths \(mismatches)")
    }

    /// The run counted ahead of an unpacked field: the element after the tag just read, then
    /// one per repeat of that exact tag right after an element; another tag, a cut-off or an
    /// endless varint, or the limit ends it.
    @Test func unpackedRunsAreCountedUpToTheFirstOtherTag() {
        func count(_ input: [UInt8], fixedWidth: Int, limit: Int = 1024) -> Int {
            input.withUnsafeBytes { raw in
                var reader = Reader(raw)
                guard (try? reader.nextTag()) != nil, let tag = reader.shortTagJustRead() else { return -1 }
                return reader.countScalarRun(tag: tag, fixedWidth: fixedWidth, limit: limit)
            }
        }
        let twoByteTag = Self.varintBytes(20 << 3)
        #expect(twoByteTag.count == 2)
        // Varints of one, two and ten bytes, then another field.
        let varints: [UInt8] = [8, 1, 8, 0x80, 1, 8] + [UInt8](repeating: 0xFF, count: 9) + [1] + [16, 1]
        #expect(count(varints, fixedWidth: 0) == 3)
        #expect(count(varints, fixedWidth: 0, limit: 2) == 2)
        // The same tag's first byte, then another second byte: not the same tag.
        #expect(count(twoByteTag + [5] + twoByteTag + [6] + [twoByteTag[0], 2, 7], fixedWidth: 0) == 2)
        // A varint cut off by the end, or longer than ten bytes: not counted.
        #expect(count([8, 1, 8, 0x80], fixedWidth: 0) == 1)
        #expect(count([8, 1, 8] + [UInt8](repeating: 0x80, count: 10) + [1], fixedWidth: 0) == 1)
        // Fixed-width elements, the last one cut off.
        let fixed = twoByteTag + [1, 2, 3, 4] + twoByteTag + [5, 6, 7, 8] + twoByteTag + [9, 10, 11]
        #expect(count(fixed, fixedWidth: 4) == 2)
        #expect(count(Array(fixed.prefix(6)), fixedWidth: 4) == 1)
        #expect(count(Array(fixed.prefix(8)), fixedWidth: 4) == 1)
        #expect(count([13, 1, 2, 3], fixedWidth: 4) == 0)
    }

    // MARK: Long runs

    /// Runs of 10,000 elements of every length mix: the word-at-a-time count, the reserved
    /// storage and the fast loop over the whole run, appended to what the field already holds.
    @Test func longRunsMatchTheReference() {
        var random = SplitMix(seed: 21)
        for run in 0..<6 {
            var body: [UInt8] = []
            for _ in 0..<10_000 {
                body += run % 2 == 0 ? Self.randomVarint(&random) : Self.varintBytes(random.next() % 300)
            }
            let field = [UInt8(RepeatedHolder<ProtoUInt64>.fieldNumber << 3 | 2)] + Self.varintBytes(UInt64(body.count)) + body
            guard case .success(let want) = Self.referenceVarintField(field, fieldNumbers: RepeatedHolder<ProtoUInt64>.fieldNumbers) else {
                Issue.record("the generator wrote a malformed run")
                return
            }
            var values: [UInt64] = [42]
            let outcome = Self.decodeNested(ProtoUInt64.self, field: field, trailer: [], into: &values)
            #expect(outcome.error == nil && outcome.stoppedAtEnd)
            #expect(values == [42] + want)
        }
    }
}

/// A message with two repeated fields of one varint scalar type, numbers 3 (a one-byte tag) and
/// 20 (a two-byte tag), decoded as generated code does (unpacked elements and packed runs both
/// accepted), both into `values` so the reference can keep one list.
struct RepeatedHolder<C: VarintCodec>: Message where C.Value: Hashable & Sendable {
    static var protoMessageName: String { "test.RepeatedHolder" }
    static var fieldNumber: UInt32 { 3 }
    static var otherFieldNumber: UInt32 { 20 }
    static var fieldNumbers: Set<UInt64> { [UInt64(fieldNumber), UInt64(otherFieldNumber)] }
    var values: [C.Value] = []
    var unknownFields = UnknownFields()

    mutating func decodeMessage(from reader: inout Reader) throws(WireError) {
        while let tag = try reader.nextTag() {
            switch tag {
            case Self.fieldNumber << 3: try C.readElement(into: &values, from: &reader)
            case Self.fieldNumber << 3 | 2: try C.readPacked(into: &values, from: &reader)
            case Self.otherFieldNumber << 3: try C.readElement(into: &values, from: &reader)
            case Self.otherFieldNumber << 3 | 2: try C.readPacked(into: &values, from: &reader)
            default: try reader.skipField(tag, into: &unknownFields)
            }
        }
    }

    func computeSize(_ sizes: inout SizeCache) -> Int {
        C.packedFieldSize(tagSize: 1, values) + unknownFields.size
    }

    func encodeMessage(to writer: inout Writer, _ sizes: inout SizeCache) {
        C.writePackedField(values, tag: Self.fieldNumber << 3 | 2, to: &writer)
        writer.writeUnknownFields(unknownFields)
    }
}

/// An open enum for the codec tests (unknown numbers kept as `unrecognized`).
enum Shade: WireEnum {
    case none, light, dark
    case unrecognized(Int32)
    init() { self = .none }
    init?(rawValue: Int32) {
        switch rawValue {
        case 0: self = .none
        case 1: self = .light
        case 2: self = .dark
        default: self = .unrecognized(rawValue)
        }
    }
    var rawValue: Int32 {
        switch self {
        case .none: 0
        case .light: 1
        case .dark: 2
        case .unrecognized(let value): value
        }
    }
}

/// SplitMix64: seeded, so every run of the tests sees the same inputs.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
