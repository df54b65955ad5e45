import CppProtobufBench

/// The C++ column: libprotobuf 3.21 and protoc --cpp_out code (CppProtobufBench), in-process.
enum CppSide {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The seeded dataset `name` built by the C++ harness (canonical bytes, one message per record).
    static func generate(_ name: String, seed: UInt64, messageType: String) throws -> Dataset {
        var out = cpb_records()
        guard cpb_generate(name, seed, &out) == 0 else { throw Failure(description: "no C++ dataset named \(name)") }
        defer { cpb_records_free(&out) }
        return Dataset(messageType: messageType, records: records(out))
    }

    /// The canonical form of `bytes` as `messageType`: parsed by C++ and serialized
    /// deterministically (fields by number, map entries by key).
    static func canonical(_ messageType: String, _ bytes: [UInt8]) throws -> [UInt8] {
        var out = cpb_records()
        let status = bytes.withUnsafeBufferPointer { cpb_canonicalize(messageType, $0.baseAddress, $0.count, &out) }
        guard status == 0 else { throw Failure(description: "C++ cannot parse a \(messageType) record of \(bytes.count) bytes") }
        defer { cpb_records_free(&out) }
        return records(out)[0]
    }

    /// Parses every record into a C++ message (for encoding) and returns the loops.
    static func workload(_ dataset: Dataset) throws -> Workload {
        let corpus = try Corpus(dataset)
        return Workload(
            encode: { passes in try corpus.encode(passes) },
            decode: { passes in try corpus.decode(passes) }
        )
    }

    /// Copies the records out of a buffer the C++ side allocated.
    private static func records(_ out: cpb_records) -> [[UInt8]] {
        var result: [[UInt8]] = []
        result.reserveCapacity(out.count)
        var offset = 0
        for index in 0..<out.count {
            let length = out.lengths[index]
            result.append(Array(UnsafeBufferPointer(start: out.bytes.map { $0 + offset }, count: length)))
            offset += length
        }
        return result
    }

    /// A C++ corpus (the records and their parsed messages), destroyed with this object.
    final class Corpus {
        private let handle: OpaquePointer

        init(_ dataset: Dataset) throws {
            let lengths = dataset.records.map(\.count)
            let bytes = Array(dataset.records.joined())
            let handle = bytes.withUnsafeBufferPointer { bytes in
                lengths.withUnsafeBufferPointer { lengths in
                    cpb_corpus_create(dataset.messageType, bytes.baseAddress, lengths.baseAddress, lengths.count)
                }
            }
            guard let handle else { throw Failure(description: "C++ cannot parse the \(dataset.messageType) records") }
            self.handle = handle
        }

        deinit { cpb_corpus_destroy(handle) }

        func decode(_ passes: Int) throws -> Int {
            let check = cpb_decode_passes(handle, passes)
            guard check >= 0 else { throw Failure(description: "C++ failed to parse a record") }
            return Int(check)
        }

        func encode(_ passes: Int) throws -> Int {
            Int(cpb_encode_passes(handle, passes))
        }
    }
}
