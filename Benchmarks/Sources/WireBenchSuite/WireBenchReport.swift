import BenchSupport

/// Results of `bench wire`, as a table and as JSON.
public struct OperationRates: Encodable {
    var encode: Rate
    var decode: Rate
}

public struct WireBenchResult: Encodable {
    var caseName: String
    var title: String
    var records: Int
    var totalBytes: Int
    var wire: OperationRates
    var swiftProtobuf: OperationRates
    var cpp: OperationRates
    var memcpy: OperationRates?
    /// Sum of the loops' checksums: written to the JSON so the measured work is observable.
    var checksum: Int

    enum CodingKeys: String, CodingKey {
        case caseName = "case", title, records, totalBytes = "total_bytes", wire, swiftProtobuf = "swift_protobuf", cpp
        case memcpy, checksum
        case encodeRatioCpp = "encode_ratio_vs_cpp", decodeRatioCpp = "decode_ratio_vs_cpp"
        case encodeRatio = "encode_ratio_vs_swift_protobuf", decodeRatio = "decode_ratio_vs_swift_protobuf"
        case encodeVsMemcpy = "encode_fraction_of_memcpy", decodeVsMemcpy = "decode_fraction_of_memcpy"
    }

    var encodeRatio: Double { wire.encode.operationsPerSecond / swiftProtobuf.encode.operationsPerSecond }
    var decodeRatio: Double { wire.decode.operationsPerSecond / swiftProtobuf.decode.operationsPerSecond }
    var encodeRatioCpp: Double { wire.encode.operationsPerSecond / cpp.encode.operationsPerSecond }
    var decodeRatioCpp: Double { wire.decode.operationsPerSecond / cpp.decode.operationsPerSecond }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(caseName, forKey: .caseName)
        try container.encode(title, forKey: .title)
        try container.encode(records, forKey: .records)
        try container.encode(totalBytes, forKey: .totalBytes)
        try container.encode(wire, forKey: .wire)
        try container.encode(swiftProtobuf, forKey: .swiftProtobuf)
        try container.encode(cpp, forKey: .cpp)
        try container.encodeIfPresent(memcpy, forKey: .memcpy)
        try container.encode(checksum, forKey: .checksum)
        try container.encode(encodeRatioCpp, forKey: .encodeRatioCpp)
        try container.encode(decodeRatioCpp, forKey: .decodeRatioCpp)
        try container.encode(encodeRatio, forKey: .encodeRatio)
        try container.encode(decodeRatio, forKey: .decodeRatio)
        if let memcpy {
            try container.encode(wire.encode.bytesPerSecond / memcpy.encode.bytesPerSecond, forKey: .encodeVsMemcpy)
            try container.encode(wire.decode.bytesPerSecond / memcpy.decode.bytesPerSecond, forKey: .decodeVsMemcpy)
        }
    }
}

public struct WireBenchReport: Encodable {
    var suite = "wire"
    var seconds: Double
    var runs: Int
    var results: [WireBenchResult]

    public init(seconds: Double, runs: Int, results: [WireBenchResult]) {
        self.seconds = seconds
        self.runs = runs
        self.results = results
    }

    /// Targets from issue 8: at least C++ libprotobuf's speed and 3x swift-protobuf's.
    static let cppTarget = 1.0
    static let swiftProtobufTarget = 3.0

    public func table() -> String {
        var table = TextTable([
            "case", "records", "bytes", "op", "wire msg/s", "wire MB/s", "sp msg/s", "sp MB/s",
            "c++ msg/s", "c++ MB/s", "wire/c++", "wire/sp", "wire/memcpy",
        ])
        for result in results {
            for (op, wire, peer, cpp, memcpy) in [
                ("encode", result.wire.encode, result.swiftProtobuf.encode, result.cpp.encode, result.memcpy?.encode),
                ("decode", result.wire.decode, result.swiftProtobuf.decode, result.cpp.decode, result.memcpy?.decode),
            ] {
                table.add([
                    result.title, String(result.records), String(result.totalBytes), op,
                    Format.si(wire.operationsPerSecond), Format.digits(wire.bytesPerSecond / 1e6),
                    Format.si(peer.operationsPerSecond), Format.digits(peer.bytesPerSecond / 1e6),
                    Format.si(cpp.operationsPerSecond), Format.digits(cpp.bytesPerSecond / 1e6),
                    Format.ratio(wire.operationsPerSecond / cpp.operationsPerSecond),
                    Format.ratio(wire.operationsPerSecond / peer.operationsPerSecond),
                    memcpy.map { Format.fixed(wire.bytesPerSecond / $0.bytesPerSecond, 2) } ?? "-",
                ])
            }
        }
        return table.render()
    }

    public func summary() -> String {
        var misses: [String] = []
        for result in results {
            for (op, cpp, swiftProtobuf) in [
                ("encode", result.encodeRatioCpp, result.encodeRatio), ("decode", result.decodeRatioCpp, result.decodeRatio),
            ] {
                if cpp < Self.cppTarget { misses.append("\(result.caseName) \(op) \(Format.ratio(cpp)) C++") }
                if swiftProtobuf < Self.swiftProtobufTarget {
                    misses.append("\(result.caseName) \(op) \(Format.ratio(swiftProtobuf)) swift-protobuf")
                }
            }
        }
        let header = "targets: >= \(Format.ratio(Self.cppTarget)) C++ libprotobuf and >= \(Format.ratio(Self.swiftProtobufTarget)) swift-protobuf"
        return header + (misses.isEmpty ? ": all met" : "; missed: " + misses.joined(separator: ", "))
    }
}
