/// gRPC metadata: an ordered multimap of lowercase ASCII keys to values. Keys ending in `-bin`
/// carry binary values (sent base64-encoded); all others carry printable ASCII strings.
///
/// ```swift
/// var metadata: Metadata = ["authorization": "Bearer abc"]
/// metadata.add("trace-bin", binary: [1, 2, 3])
/// let token = metadata.first("authorization")  // "Bearer abc"
/// ```
public struct Metadata: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// One key/value pair.
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var value: MetadataValue
    }

    private var entries: [Entry] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (key, value) in elements { add(key, value) }
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }

    /// Appends a text value. The key is lowercased.
    public mutating func add(_ key: String, _ value: String) {
        entries.append(Entry(key: key.lowercased(), value: .string(value)))
    }

    /// Appends a binary value; `key` should end in `-bin`.
    public mutating func add(_ key: String, binary value: [UInt8]) {
        entries.append(Entry(key: key.lowercased(), value: .binary(value)))
    }

    /// Appends an entry as is (key lowercased).
    public mutating func add(_ key: String, value: MetadataValue) {
        entries.append(Entry(key: key.lowercased(), value: value))
    }

    /// Replaces every value of `key` with `value`.
    public mutating func replace(_ key: String, _ value: String) {
        removeAll(key)
        add(key, value)
    }

    public mutating func removeAll(_ key: String) {
        let key = key.lowercased()
        entries.removeAll { $0.key == key }
    }

    /// Appends every entry of `other`.
    public mutating func merge(_ other: Metadata) {
        entries.append(contentsOf: other.entries)
    }

    /// All values of `key`, in order.
    public subscript(key: String) -> [MetadataValue] {
        let key = key.lowercased()
        return entries.filter { $0.key == key }.map(\.value)
    }

    /// The first text value of `key`.
    public func first(_ key: String) -> String? {
        for value in self[key] { if case .string(let text) = value { return text } }
        return nil
    }

    /// The first binary value of `key`.
    public func firstBinary(_ key: String) -> [UInt8]? {
        for value in self[key] { if case .binary(let bytes) = value { return bytes } }
        return nil
    }

    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }

    public var description: String {
        "[" + entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "]"
    }
}

/// A metadata value: text for ordinary keys, bytes for `-bin` keys.
public enum MetadataValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case binary([UInt8])

    public var description: String {
        switch self {
        case .string(let text): text
        case .binary(let bytes): "<\(bytes.count) bytes>"
        }
    }
}
