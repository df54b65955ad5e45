import Foundation

/// p50/p99 of a set of round-trip samples, in microseconds.
public struct Latency: Sendable, Codable, Equatable {
    public var p50: Double
    public var p99: Double
    public var samples: Int

    public init(_ durations: [Duration]) {
        let micros = durations.map {
            Double($0.components.seconds) * 1e6 + Double($0.components.attoseconds) / 1e12
        }.sorted()
        p50 = micros.isEmpty ? 0 : micros[micros.count / 2]
        p99 = micros.isEmpty ? 0 : micros[min(micros.count - 1, micros.count * 99 / 100)]
        samples = micros.count
    }

    /// Parses the last line the Python measuring helpers print: `{"p50_us": .., "p99_us": .., "count": ..}`.
    public init(json: String) throws(PluginBenchError) {
        guard let line = json.split(separator: "\n").last,
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let p50 = (object["p50_us"] as? NSNumber)?.doubleValue,
              let p99 = (object["p99_us"] as? NSNumber)?.doubleValue
        else { throw PluginBenchError("unexpected measurement output: \(json.suffix(300))") }
        self.p50 = p50
        self.p99 = p99
        self.samples = (object["count"] as? NSNumber)?.intValue ?? 0
    }

    /// Microseconds below 10 ms, milliseconds above.
    public static func text(_ micros: Double) -> String {
        micros >= 10_000 ? String(format: "%.1f ms", micros / 1000) : String(format: "%.0f µs", micros)
    }

    public var p50Text: String { Self.text(p50) }
    public var p99Text: String { Self.text(p99) }
}

/// Why a plugin benchmark could not run.
public struct PluginBenchError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
