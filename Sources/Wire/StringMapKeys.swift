/// Map fields with `string` keys are Swift dictionaries keyed by `String`, and Swift compares
/// strings by Unicode canonical equivalence: "\u{E9}" and "e\u{301}" are one `String` key.
/// Protobuf compares keys by their bytes, so to every other runtime those are two entries.
///
/// Decoding keeps both. The first such key enters the dictionary; an entry whose key equals
/// one already there as a `String` but differs in its UTF-8 bytes is kept verbatim in the
/// message's unknown fields, which encoding writes back unchanged. So a decode and encode
/// loses nothing, and the dictionary keeps the fast, familiar `[String: V]` type (a key type
/// compared by bytes would change every string-keyed map's API, and the common case, keys
/// that differ as strings, costs nothing extra: only keys the dictionary finds equal are
/// compared by bytes).
extension WireCodec where Value: Hashable {
    /// Whether `map` holds a key equal to `key` as a Swift value but a different protobuf key
    /// (only `string` keys can be: other key types compare by value, as protobuf does).
    @inlinable
    static func holdsDistinctEqualKey<MapValue>(_ map: [Value: MapValue], _ key: Value) -> Bool {
        guard Self.self == ProtoString.self, let index = map.index(forKey: key),
              let held = map[index].key as? String, let new = key as? String else { return false }
        return !held.utf8.elementsEqual(new.utf8)
    }
}

extension MapEntryDecoder {
    /// Reads one entry (its tag was just read) into `map`; an entry whose key `map` holds as an
    /// equal `String` with other bytes goes to `unknownFields` instead.
    @inlinable
    static func readEntryKeepingDistinctKeys(
        into map: inout [EntryKey: EntryValue], from reader: inout Reader, unknownFields: inout UnknownFields
    ) throws(WireError) {
        if map.isEmpty {
            let runStart = reader
            let (run, repeatedKey) = try MapEntryRun<Self>.decode(from: &reader)
            // Keys the dictionary found equal may differ in bytes: read the run again, entry
            // by entry, so each such key is compared (the rest of the run comes back here one
            // entry at a time, with `map` no longer empty).
            guard repeatedKey else {
                map = run
                return
            }
            reader = runStart
        }
        let entryStart = reader.tagStart
        let (key, value) = try readEntry(from: &reader)
        if KeyCodec.holdsDistinctEqualKey(map, key) {
            unknownFields.append(UnsafeRawBufferPointer(start: entryStart, count: reader.position - entryStart))
        } else {
            map[key] = value
        }
    }
}
