import Testing

@testable import WireBenchSuite

/// `bench wire`'s datasets and its cross-check, against the real three runtimes (Wire,
/// swift-protobuf, C++ libprotobuf) in this process.
@Suite(.timeLimit(.minutes(2))) struct WireBenchDatasetTests {
    @Test(arguments: FixtureData.Case.allCases)
    func everyRuntimeReadsEveryRecordAsTheSameMessage(_ benchCase: FixtureData.Case) throws {
        let dataset = try WireBench.dataset(benchCase)
        #expect(!dataset.records.isEmpty)
        let workloads = try WireBench.workloads(for: benchCase, dataset)
        // One pass each: the checksums of decode count the bytes of every record parsed.
        #expect(try workloads.wire.decode(1) == dataset.totalBytes)
        #expect(try workloads.swiftProtobuf.decode(1) == dataset.totalBytes)
        #expect(try workloads.cpp.decode(1) == dataset.totalBytes)
    }

    /// The encode loops (Swift's lend each message in place) visit every record once per pass
    /// and produce its canonical bytes: for shapes without maps (whose entry order differs
    /// between runtimes) each checksum is the records' sizes plus their middle bytes.
    @Test(arguments: [FixtureData.Case.small, .repeated, .packed, .bytes, .string])
    func everyEncodeLoopWritesEveryRecordOncePerPass(_ benchCase: FixtureData.Case) throws {
        let dataset = try WireBench.dataset(benchCase)
        let workloads = try WireBench.workloads(for: benchCase, dataset)
        let perPass = dataset.records.reduce(0) { sum, record in
            sum + record.count + (record.isEmpty ? 0 : Int(record[record.count >> 1]))
        }
        #expect(try workloads.wire.encode(2) == 2 * perPass)
        #expect(try workloads.swiftProtobuf.encode(2) == 2 * perPass)
        #expect(try workloads.cpp.encode(2) == 2 * perPass)
    }

    @Test func generatedDatasetsAreTheSameForTheSameSeed() throws {
        for benchCase in FixtureData.Case.allCases where benchCase.generatedDataset != nil {
            let first = try WireBench.dataset(benchCase)
            let second = try WireBench.dataset(benchCase)
            #expect(first.records == second.records, "\(benchCase.rawValue)")
        }
        let generated = try #require(FixtureData.Case.wide.generatedDataset)
        let otherSeed = try CppSide.generate(generated.name, seed: generated.seed + 1, messageType: "bench.Wide")
        #expect(otherSeed.records != (try WireBench.dataset(.wide)).records)
    }

    @Test func wideRecordsAreSmallAndSparse() throws {
        let dataset = try WireBench.dataset(.wide)
        #expect(dataset.records.count == 10_000)
        #expect(dataset.records.allSatisfy { (30...60).contains($0.count) })
        // Several distinct top-level fields per record, and across the dataset most of the
        // 131 declared fields appear.
        var seen = Set<UInt64>()
        for record in dataset.records {
            let numbers = try topLevelFieldNumbers(record)
            #expect(numbers.count >= 3)
            seen.formUnion(numbers)
        }
        #expect(seen.count >= 100)
    }

    @Test func aRecordThatDoesNotParseFailsTheCheck() throws {
        var dataset = try WireBench.dataset(.mixed)
        dataset.records[7].append(0x0F)  // field 1 with wire type 7, which does not exist
        #expect(throws: (any Error).self) { try WireBench.workloads(for: .mixed, dataset) }
    }

    /// The distinct field numbers of a record's top-level fields (a small wire-format walk).
    private func topLevelFieldNumbers(_ bytes: [UInt8]) throws -> Set<UInt64> {
        struct Malformed: Error {}
        var index = 0
        func varint() throws -> UInt64 {
            var value: UInt64 = 0
            for shift in stride(from: 0, to: 64, by: 7) {
                guard index < bytes.count else { throw Malformed() }
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7F) << UInt64(shift)
                if byte < 0x80 { return value }
            }
            throw Malformed()
        }
        var numbers = Set<UInt64>()
        var depth = 0  // inside a group of a proto2 field
        while index < bytes.count {
            let tag = try varint()
            switch tag & 7 {
            case 0: _ = try varint()
            case 1: index += 8
            case 2: index += Int(try varint())
            case 3: depth += 1
            case 4: depth -= 1
            case 5: index += 4
            default: throw Malformed()
            }
            if depth == 0, tag & 7 != 4 { numbers.insert(tag >> 3) }
        }
        guard index == bytes.count else { throw Malformed() }
        return numbers
    }
}
