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
    /// Each runtime's rates; nil for a runtime left out by `--runtime`.
    var wire: OperationRates?
    var swiftProtobuf: OperationRates?
    var cpp: OperationRates?
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

    /// Wire's rate over a peer's, in messages per second; nil unless both were measured.
    static func ratio(_ wire: Rate?, _ peer: Rate?) -> Double? {
        guard let wire, let peer else { return nil }
        return wire.operationsPerSecond / peer.operationsPerSecond
    }

    var encodeRatio: Double? { Self.ratio(wire?.encode, swiftProtobuf?.encode) }
    var decodeRatio: Double? { Self.ratio(wire?.decode, swiftProtobuf?.decode) }
    var encodeRatioCpp: Double? { Self.ratio(wire?.encode, cpp?.encode) }
    var decodeRatioCpp: Double? { Self.ratio(wire?.decode, cpp?.decode) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(caseName, forKey: .caseName)
        try container.encode(title, forKey: .title)
        try container.encode(records, forKey: .records)
        try container.encode(totalBytes, forKey: .totalBytes)
        try container.encodeIfPresent(wire, forKey: .wire)
        try container.encodeIfPresent(swiftProtobuf, forKey: .swiftProtobuf)
        try container.encodeIfPresent(cpp, forKey: .cpp)
        try container.encodeIfPresent(memcpy, forKey: .memcpy)
        try container.encode(checksum, forKey: .checksum)
        try container.encodeIfPresent(encodeRatioCpp, forKey: .encodeRatioCpp)
        try container.encodeIfPresent(decodeRatioCpp, forKey: .decodeRatioCpp)
        try container.encodeIfPresent(encodeRatio, forKey: .encodeRatio)
        try container.encodeIfPresent(decodeRatio, forKey: .decodeRatio)
        if let wire, let memcpy {
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
            for (op, rates) in [("encode", { (r: OperationRates?) in r?.encode }), ("decode", { (r: OperationRates?) in r?.decode })] {
                let (wire, peer, cpp, memcpy) = (rates(result.wire), rates(result.swiftProtobuf), rates(result.cpp), rates(result.memcpy))
                func cells(_ rate: Rate?) -> [String] {
                    guard let rate else { return ["-", "-"] }
                    return [Format.si(rate.operationsPerSecond), Format.digits(rate.bytesPerSecond / 1e6)]
                }
                let ratios = [
                    WireBenchResult.ratio(wire, cpp).map(Format.ratio) ?? "-",
                    WireBenchResult.ratio(wire, peer).map(Format.ratio) ?? "-",
                    wire.flatMap { wire in memcpy.map { Format.fixed(wire.bytesPerSecond / $0.bytesPerSecond, 2) } } ?? "-",
                ]
                table.add([result.title, String(result.records), String(result.totalBytes), op] + cells(wire) + cells(peer) + cells(cpp) + ratios)
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
                if let cpp, cpp < Self.cppTarget { misses.append("\(result.caseName) \(op) \(Format.ratio(cpp)) C++") }
                if let swiftProtobuf, swiftProtobuf < Self.swiftProtobufTarget {
                    misses.append("\(result.caseName) \(op) \(Format.ratio(swiftProtobuf)) swift-protobuf")
                }
            }
        }
        let header = "targets: >= \(Format.ratio(Self.cppTarget)) C++ libprotobuf and >= \(Format.ratio(Self.swiftProtobufTarget)) swift-protobuf"
        return header + (misses.isEmpty ? ": all met" : "; missed: " + misses.joined(separator: ", "))
    }
}
