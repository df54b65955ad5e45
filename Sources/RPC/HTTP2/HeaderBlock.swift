import CNGHTTP2

/// A list of header fields about to be submitted to nghttp2. nghttp2 copies names and values
/// on submit, so the C view only has to live for the duration of `withNV`.
struct HeaderBlock {
    private(set) var fields: [(name: String, value: String)] = []

    init() {}

    init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    mutating func add(_ name: String, _ value: String) {
        fields.append((name, value))
    }

    /// Appends custom metadata: `-bin` values base64-encoded, reserved keys skipped.
    mutating func add(_ metadata: Metadata) {
        for entry in metadata where !HeaderBlock.isReserved(entry.key) {
            switch entry.value {
            case .string(let text): add(entry.key, text)
            case .binary(let bytes): add(entry.key, Base64.encode(bytes, padded: true))
            }
        }
    }

    /// Keys the transport sets itself; user metadata may not override them.
    static func isReserved(_ key: String) -> Bool {
        key.hasPrefix(":") || key == "content-type" || key == "te" || key == "grpc-status" || key == "grpc-message"
            || key == "grpc-timeout" || key == "grpc-encoding" || key == "grpc-accept-encoding" || key == "content-length"
            || key == "connection" || key == "transfer-encoding"
    }

    /// Calls `body` with an nghttp2_nv array viewing the fields.
    func withNV<T>(_ body: (UnsafePointer<nghttp2_nv>, Int) -> T) -> T {
        var storage: [UInt8] = []
        var offsets: [(Int, Int, Int, Int)] = []
        offsets.reserveCapacity(fields.count)
        for field in fields {
            let nameStart = storage.count
            storage.append(contentsOf: field.name.utf8)
            let valueStart = storage.count
            storage.append(contentsOf: field.value.utf8)
            offsets.append((nameStart, valueStart - nameStart, valueStart, storage.count - valueStart))
        }
        storage.append(0)  // never empty, so the base address exists
        return storage.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            let nva = offsets.map { nameStart, nameLength, valueStart, valueLength in
                nghttp2_nv(name: base + nameStart, value: base + valueStart, namelen: nameLength, valuelen: valueLength,
                           flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue))
            }
            return nva.withUnsafeBufferPointer { body($0.baseAddress ?? UnsafePointer(bitPattern: 8)!, $0.count) }
        }
    }
}
