/// A protobuf message. Generated structs conform; the requirements below the public API
/// (`decodeMessage`, `computeSize`, `encodeMessage`) are what the generator writes, as a
/// `switch` on field tags and straight-line size/write code.
public protocol Message: Sendable, Hashable {
    /// Fully-qualified protobuf name, e.g. `google.protobuf.Timestamp`.
    static var protoMessageName: String { get }

    init()

    /// Fields this message's schema does not know, re-emitted when encoding.
    var unknownFields: UnknownFields { get set }

    /// True when every required field (here and in nested messages) is set.
    var isInitialized: Bool { get }

    /// Reads fields until the reader's current message or group ends, merging into `self`.
    mutating func decodeMessage(from reader: inout Reader) throws(WireError)

    /// Encoded size in bytes; records nested message sizes in `sizes` for `encodeMessage`.
    func computeSize(_ sizes: inout SizeCache) -> Int

    /// Writes every field; `sizes` must come from `computeSize` on the same value.
    func encodeMessage(to writer: inout Writer, _ sizes: inout SizeCache)

    /// An upper bound on the encoded size that costs less than `computeSize`, or nil. The
    /// generator writes one for messages whose fields are all singular scalars, enums, strings
    /// and bytes (a constant plus the payload lengths); `serializedBytes()` then skips the size
    /// pass and writes once into a buffer of this size.
    func encodedSizeBound() -> Int?
}

extension Message {
    /// Messages without required fields are always initialized.
    @inlinable
    public var isInitialized: Bool { true }

    /// No bound: encoding runs the size pass first.
    @inlinable
    public func encodedSizeBound() -> Int? { nil }
}

// MARK: Decoding

extension Message {
    @inlinable
    public init(serializedBytes bytes: [UInt8], partial: Bool = false) throws(WireError) {
        self.init()
        try merge(serializedBytes: bytes, partial: partial)
    }

    @inlinable
    public init(serializedBytes bytes: ArraySlice<UInt8>, partial: Bool = false) throws(WireError) {
        self.init()
        try merge(serializedBytes: bytes, partial: partial)
    }

    @inlinable
    public init(serializedBytes bytes: UnsafeRawBufferPointer, partial: Bool = false) throws(WireError) {
        self.init()
        try merge(serializedBytes: bytes, partial: partial)
    }

    /// Decodes from any collection of bytes: those with contiguous storage (`ContiguousArray`,
    /// `UnsafeBufferPointer<UInt8>`, Foundation's `Data`, ...) are read in place; others are
    /// copied into an array first.
    @inlinable
    public init<Bytes: Collection<UInt8>>(serializedBytes bytes: Bytes, partial: Bool = false) throws(WireError) {
        self.init()
        try merge(serializedBytes: bytes, partial: partial)
    }

    @inlinable
    public mutating func merge<Bytes: Collection<UInt8>>(serializedBytes bytes: Bytes, partial: Bool = false) throws(WireError) {
        // withContiguousStorageIfAvailable is not typed-throws: the error is carried out.
        var failure: WireError? = nil
        let done: Void? = bytes.withContiguousStorageIfAvailable { elements in
            do throws(WireError) {
                try self.merge(serializedBytes: UnsafeRawBufferPointer(elements), partial: partial)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        if done == nil { try merge(serializedBytes: Array(bytes), partial: partial) }
    }

    /// Merges encoded fields into this message: scalars are replaced (last one wins),
    /// repeated fields appended, embedded messages merged.
    @inlinable
    public mutating func merge(serializedBytes bytes: UnsafeRawBufferPointer, partial: Bool = false) throws(WireError) {
        var reader = Reader(bytes)
        try decodeMessage(from: &reader)
        if !partial && !isInitialized { throw .missingRequiredFields }
    }

    @inlinable
    public mutating func merge(serializedBytes bytes: [UInt8], partial: Bool = false) throws(WireError) {
        // withUnsafeBytes is not typed-throws, so the error is carried out of the closure.
        // Decoding in place (no copy of self) keeps copy-on-write storage uniquely owned.
        var failure: WireError? = nil
        bytes.withUnsafeBytes { raw in
            do throws(WireError) {
                try self.merge(serializedBytes: raw, partial: partial)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    @inlinable
    public mutating func merge(serializedBytes bytes: ArraySlice<UInt8>, partial: Bool = false) throws(WireError) {
        // withUnsafeBytes is not typed-throws, so the error is carried out of the closure.
        // Decoding in place (no copy of self) keeps copy-on-write storage uniquely owned.
        var failure: WireError? = nil
        bytes.withUnsafeBytes { raw in
            do throws(WireError) {
                try self.merge(serializedBytes: raw, partial: partial)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }
}

// MARK: Encoding

extension Message {
    /// Encoded size in bytes.
    @inlinable
    public func serializedSize() -> Int {
        var sizes = SizeCache()
        return computeSize(&sizes)
    }

    /// Encodes the message: one size pass, then one write pass into an exactly sized array (for
    /// a message with an `encodedSizeBound()`, the write pass alone, into an array with room
    /// for the bound).
    @inlinable
    public func serializedBytes(partial: Bool = false) throws(WireError) -> [UInt8] {
        if !partial && !isInitialized { throw .missingRequiredFields }
        var bytes: [UInt8] = []
        appendEncoding(to: &bytes)
        return bytes
    }

    /// Appends the encoded message to `buffer`. A buffer the caller keeps and empties with
    /// `removeAll(keepingCapacity: true)` between messages is written in place: no
    /// allocation once its capacity fits the largest message.
    @inlinable
    public func serialize(appendingTo buffer: inout [UInt8], partial: Bool = false) throws(WireError) {
        if !partial && !isInitialized { throw .missingRequiredFields }
        appendEncoding(to: &buffer)
    }

    /// One size pass, then one write pass into the array's new tail (never zero-filled first).
    /// With a size bound, only the write pass: for a small flat message the size pass is about
    /// an eighth of encoding it into a new array (measured with callgrind).
    @inlinable
    func appendEncoding(to bytes: inout [UInt8]) {
        var sizes = SizeCache()
        if let bound = encodedSizeBound() {
            // The array keeps what was written; a wrong bound traps in the writer (which
            // checks every write) instead of writing past the buffer.
            bytes.append(addingCapacity: bound &+ Writer.fieldSlack) { span in
                span.withUnsafeMutableBufferPointer { buffer, initialized in
                    LargeBuffers.prepareForWriting(UnsafeMutableRawBufferPointer(buffer))
                    var writer = Writer(UnsafeMutableRawBufferPointer(buffer))
                    encodeMessage(to: &writer, &sizes)
                    initialized = buffer.count &- writer.remaining
                }
            }
            return
        }
        let size = computeSize(&sizes)
        // `append(addingCapacity:)` allocates through code specialized in this module;
        // `[UInt8](unsafeUninitializedCapacity:)` calls the stdlib's unspecialized allocator,
        // which looks up the array storage's generic metadata on every call (a third of the
        // cost of encoding a small message).
        // `fieldSlack` spare bytes at the end let the last fields take the writer's
        // one-check paths too (word stores may touch them); they stay out of the result.
        bytes.append(addingCapacity: size &+ Writer.fieldSlack) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                LargeBuffers.prepareForWriting(UnsafeMutableRawBufferPointer(buffer))
                var writer = Writer(UnsafeMutableRawBufferPointer(buffer))
                encodeMessage(to: &writer, &sizes)
                precondition(writer.remaining == buffer.count &- size, "Wire: size pass and encode pass disagree")
                initialized = size
            }
        }
    }

    /// Encodes into a caller's buffer and returns the bytes written.
    @inlinable
    public func serialize(into buffer: UnsafeMutableRawBufferPointer, partial: Bool = false) throws(WireError) -> Int {
        if !partial && !isInitialized { throw .missingRequiredFields }
        var sizes = SizeCache()
        let size = computeSize(&sizes)
        guard size <= buffer.count else { throw .bufferTooSmall }
        var writer = Writer(UnsafeMutableRawBufferPointer(rebasing: buffer[..<size]))
        encodeMessage(to: &writer, &sizes)
        precondition(writer.remaining == 0, "Wire: size pass and encode pass disagree")
        return size
    }
}
