import CNGHTTP2

/// A list of header fields about to be submitted to nghttp2. nghttp2 copies names and values
/// on submit (unless told not to), so the C view only has to live for the duration of `withNV`.
/// A block made from `PrebuiltHeaders` (the constant blocks every call sends) hands nghttp2
/// their ready array instead, until something is added to it.
struct HeaderBlock {
    private var added: [(name: String, value: String)] = []
    private var prebuilt: PrebuiltHeaders?

    init() {}

    init(_ fields: [(String, String)]) {
        self.added = fields.map { (name: $0.0, value: $0.1) }
    }

    /// The constant fields of `prebuilt`, followed by whatever is added later.
    init(_ prebuilt: PrebuiltHeaders) {
        self.prebuilt = prebuilt
    }

    /// Every field, in order.
    var fields: [(name: String, value: String)] { (prebuilt?.fields ?? []) + added }

    mutating func add(_ name: String, _ value: String) {
        added.append((name, value))
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

    /// Calls `body` with an nghttp2_nv array viewing the fields. A prebuilt block with nothing
    /// added is its own array; otherwise names, values and the array live in temporary
    /// (usually stack) storage: no heap allocation per header block.
    func withNV<T>(_ body: (UnsafePointer<nghttp2_nv>, Int) -> T) -> T {
        if let prebuilt, added.isEmpty { return body(UnsafePointer(prebuilt.nva), prebuilt.fields.count) }
        let fields = self.fields
        var total = 1
        for field in fields { total += field.name.utf8.count + field.value.utf8.count }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: total) { storage in
            withUnsafeTemporaryAllocation(of: nghttp2_nv.self, capacity: max(1, fields.count)) { nva in
                let base = storage.baseAddress!
                var offset = 0
                for (index, field) in fields.enumerated() {
                    let nameStart = offset
                    offset = Self.copy(field.name, to: storage, at: offset)
                    let valueStart = offset
                    offset = Self.copy(field.value, to: storage, at: offset)
                    nva.initializeElement(at: index, to: nghttp2_nv(
                        name: base + nameStart, value: base + valueStart,
                        namelen: valueStart - nameStart, valuelen: offset - valueStart,
                        flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)))
                }
                defer { nva.baseAddress!.deinitialize(count: fields.count) }
                return body(UnsafePointer(nva.baseAddress!), fields.count)
            }
        }
    }

    /// Copies the UTF-8 of `text` into `storage` at `offset` (bounds were sized by the caller);
    /// returns the offset after it.
    static func copy(_ text: String, to storage: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
        var text = text
        return text.withUTF8 { utf8 in
            precondition(offset + utf8.count <= storage.count, "header storage sized too small")
            _ = UnsafeMutableBufferPointer(rebasing: storage[offset..<(offset + utf8.count)]).initialize(fromContentsOf: utf8)
            return offset + utf8.count
        }
    }
}

/// Header fields every call sends the same (`:status 200` and gRPC's content-type, an OK
/// status), laid out once as an nghttp2_nv array over bytes of their own. Submitted with
/// NGHTTP2_NV_FLAG_NO_COPY_NAME/VALUE: nghttp2 keeps pointers into the bytes, which live as
/// long as this object, and the blocks that use it are static (they live as long as the process).
final class PrebuiltHeaders: @unchecked Sendable {
    let fields: [(name: String, value: String)]
    let nva: UnsafeMutablePointer<nghttp2_nv>
    private let storage: UnsafeMutableBufferPointer<UInt8>

    init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
        var total = 0
        for (name, value) in fields { total += name.utf8.count + value.utf8.count }
        storage = .allocate(capacity: max(1, total))
        nva = .allocate(capacity: max(1, fields.count))
        let base = storage.baseAddress!
        var offset = 0
        for (index, (name, value)) in fields.enumerated() {
            let nameStart = offset
            offset = HeaderBlock.copy(name, to: storage, at: offset)
            let valueStart = offset
            offset = HeaderBlock.copy(value, to: storage, at: offset)
            (nva + index).initialize(to: nghttp2_nv(
                name: base + nameStart, value: base + valueStart,
                namelen: valueStart - nameStart, valuelen: offset - valueStart,
                flags: UInt8(NGHTTP2_NV_FLAG_NO_COPY_NAME.rawValue | NGHTTP2_NV_FLAG_NO_COPY_VALUE.rawValue)))
        }
    }

    deinit {
        nva.deinitialize(count: fields.count)
        nva.deallocate()
        storage.deallocate()
    }
}
