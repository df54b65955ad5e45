import Foundation

/// Writes any suite's results as pretty-printed JSON (keys sorted, so diffs stay readable).
public enum JSONReport {
    public static func write<T: Encodable>(_ value: T, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(value)
        try data.write(to: URL(fileURLWithPath: path))
    }
}
