import BenchSupport

/// Results of `bench wire`, as a table and as JSON.
public struct OperationRates: Encodable {
    var encode: Rate
    var decode: Rate
}

public struct WireBenchResult: Encodable {
    var caseName: String
    var title: String
    var encodedSize: Int
    var wire: OperationRates
    var swiftProtobuf: OperationRates
    var memcpy: OperationRates?
    /// Sum of the loops' checksums: written to the JSON so the measured work is observable.
    var checksum: Int

    enum CodingKeys: String, CodingKey {
        case caseName = "case", title, encodedSize = "encoded_size", wire, swiftProtobuf = "swift_protobuf", memcpy, checksum
        case encodeRatio = "encode_ratio_vs_swift_protobuf", decodeRatio = "decode_ratio_vs_swift_protobuf"
        case encodeVsMemcpy = "encode_fraction_of_memcpy", decodeVsMemcpy = "decode_fraction_of_memcpy"
    }

    var encodeRatio: Double { wire.encode.operationsPerSecond / swiftProtobuf.encode.operationsPerSecond }
    var decodeRatio: Double { wire.decode.operationsPerSecond / swiftProtobuf.decode.operationsPerSecond }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(caseName, forKey: .caseName)
        try container.encode(title, forKey: .title)
        try container.encode(encodedSize, forKey: .encodedSize)
        try container.encode(wire, forKey: .wire)
        try container.encode(swiftProtobuf, forKey: .swiftProtobuf)
        try container.encodeIfPresent(memcpy, forKey: .memcpy)
        try container.encode(checksum, forKey: .checksum)
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

    /// Targets from the Wire issue: 3x swift-protobuf; payloads within 2x of memcpy.
    static let ratioTarget = 3.0
    static let memcpyTarget = 0.5

    public func table() -> String {
        var table = TextTable([
            "case", "bytes", "op", "wire msg/s", "wire MB/s", "swift-protobuf msg/s", "swift-protobuf MB/s",
            "wire/sp", "memcpy MB/s", "wire/memcpy",
        ])
        for result in results {
            for (op, wire, peer, memcpy) in [
                ("encode", result.wire.encode, result.swiftProtobuf.encode, result.memcpy?.encode),
                ("decode", result.wire.decode, result.swiftProtobuf.decode, result.memcpy?.decode),
            ] {
                table.add([
                    result.title, String(result.encodedSize), op,
                    Format.si(wire.operationsPerSecond), Format.digits(wire.bytesPerSecond / 1e6),
                    Format.si(peer.operationsPerSecond), Format.digits(peer.bytesPerSecond / 1e6),
                    Format.ratio(wire.operationsPerSecond / peer.operationsPerSecond),
                    memcpy.map { Format.digits($0.bytesPerSecond / 1e6) } ?? "-",
                    memcpy.map { Format.fixed(wire.bytesPerSecond / $0.bytesPerSecond, 2) } ?? "-",
                ])
            }
        }
        return table.render()
    }

    public func summary() -> String {
        var misses: [String] = []
        for result in results {
            if result.encodeRatio < Self.ratioTarget { misses.append("\(result.caseName) encode \(Format.ratio(result.encodeRatio))") }
            if result.decodeRatio < Self.ratioTarget { misses.append("\(result.caseName) decode \(Format.ratio(result.decodeRatio))") }
            if let memcpy = result.memcpy {
                for (op, wire, floor) in [("encode", result.wire.encode, memcpy.encode), ("decode", result.wire.decode, memcpy.decode)]
                where wire.bytesPerSecond / floor.bytesPerSecond < Self.memcpyTarget {
                    misses.append("\(result.caseName) \(op) at \(Format.fixed(wire.bytesPerSecond / floor.bytesPerSecond, 2)) of memcpy")
                }
            }
        }
        let header = "targets: >= \(Format.ratio(Self.ratioTarget)) swift-protobuf; payloads >= \(Self.memcpyTarget) of memcpy"
        return header + (misses.isEmpty ? ": all met" : ": missed by " + misses.joined(separator: ", "))
    }
}
