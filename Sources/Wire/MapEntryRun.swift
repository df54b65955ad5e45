/// Map codecs that decode one entry, after its tag, to a key and a value.
@usableFromInline
protocol MapEntryDecoder {
    associatedtype EntryKey: Hashable
    associatedtype EntryValue
    associatedtype KeyCodec: WireCodec where KeyCodec.Value == EntryKey
    static func readEntry(from reader: inout Reader) throws(WireError) -> (EntryKey, EntryValue)
}

/// The first entries of a map field, decoded straight into a new dictionary.
///
/// An empty map's first entry starts a run of consecutive entries of the same field (how every
/// encoder writes a map). The run is counted ahead in the input and the dictionary is built by
/// `Dictionary(_:uniquingKeysWith:)` from this sequence, which decodes the entries as it is
/// iterated: that initializer allocates the storage for the whole run at once in code
/// specialized for the key and value types. `Dictionary(minimumCapacity:)` is not inlinable:
/// the standard library's generic code looks up the storage class's metadata on every call
/// (about half the cost of creating a small map). A repeated key keeps its last value, as
/// protobuf requires, and is reported: for `String` keys, "repeated" may mean two different
/// keys that Swift finds canonically equivalent (see `StringMapKeys.swift`).
@usableFromInline
struct MapEntryRun<Decoder: MapEntryDecoder>: Sequence, IteratorProtocol {
    /// The reader while the dictionary iterates the run, and the error that ended it early.
    @usableFromInline
    struct State {
        @usableFromInline var reader: Reader
        @usableFromInline var failure: WireError?
        /// Set when two entries of the run had keys the dictionary found equal.
        @usableFromInline var repeatedKey: Bool

        @inlinable
        init(reader: Reader) {
            self.reader = reader
            self.failure = nil
            self.repeatedKey = false
        }
    }

    /// Valid only inside `decode`, which the dictionary's initializer does not outlive.
    @usableFromInline let state: UnsafeMutablePointer<State>
    /// Entries counted ahead: the first is at the reader, the others follow, each behind its tag.
    @usableFromInline let count: Int
    /// The entries to make room for (see `capacity(forEntries:)`).
    @usableFromInline let capacity: Int
    @usableFromInline var decoded = 0

    @inlinable
    init(state: UnsafeMutablePointer<State>, count: Int) {
        self.state = state
        self.count = count
        self.capacity = Self.capacity(forEntries: count)
    }

    /// The capacity to allocate: `Dictionary(_:uniquingKeysWith:)` reads this once, before the
    /// first entry, and uses it only for that, so the dictionary is allocated once. It is more
    /// than the run holds for `String` keys (this sequence is handed to nothing else).
    @inlinable
    var underestimatedCount: Int { capacity }

    /// Room for `count` entries, or for twice as many with `String` keys from 8 entries on. A
    /// `Dictionary` keeps no hash values in its buckets: each occupied bucket a lookup probes
    /// is compared with `==`, which for non-ASCII strings normalizes them (about 250
    /// instructions a compare). Sized for the exact count a table is up to 3/4 full; at twice,
    /// up to 3/8, and inserts meet a third as many occupied buckets (callgrind, `bench wire`
    /// maps decode: compares 2.6M to 0.8M instructions a pass, the larger tables' allocation
    /// and teardown 0.4M more). Smaller maps meet few collisions and the larger allocation
    /// costs more than it saves (tree decode's 14,400 small maps: 1.5 % more instructions).
    /// Other keys compare in an instruction or two and keep the tighter table.
    @inlinable
    static func capacity(forEntries count: Int) -> Int {
        Decoder.KeyCodec.self == ProtoString.self && count >= 8 ? count &* 2 : count
    }

    @inlinable
    mutating func next() -> (Decoder.EntryKey, Decoder.EntryValue)? {
        guard decoded < count else { return nil }
        do throws(WireError) {
            // The run was counted over identical tags, so this is the same field's.
            if decoded != 0 { _ = try state.pointee.reader.nextTag() }
            decoded &+= 1
            return try Decoder.readEntry(from: &state.pointee.reader)
        } catch {
            state.pointee.failure = error
            decoded = count
            return nil
        }
    }

    /// Decodes the run of entries that starts at the reader (the first entry's tag was just
    /// read) into a new dictionary, and tells whether two of its keys were equal.
    @inlinable
    static func decode(from reader: inout Reader) throws(WireError) -> (map: [Decoder.EntryKey: Decoder.EntryValue], repeatedKey: Bool) {
        // At least the entry at the reader: a malformed one is then read, and throws.
        let count = Swift.max(1, reader.countLengthDelimitedRun(limit: Reader.runReservationLimit))
        var state = State(reader: reader)
        let map = withUnsafeMutablePointer(to: &state) { state in
            [Decoder.EntryKey: Decoder.EntryValue](
                MapEntryRun(state: state, count: count),
                uniquingKeysWith: { _, last in
                    state.pointee.repeatedKey = true
                    return last
                })
        }
        reader = state.reader
        if let failure = state.failure { throw failure }
        return (map, state.repeatedKey)
    }
}
