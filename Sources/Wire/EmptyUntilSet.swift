/// Fields that stay `nil` until they hold something.
///
/// Generated storage for a wide message keeps its repeated, map and `bytes` fields as
/// optionals, `nil` standing for empty: a fresh message then holds no empty arrays or
/// dictionaries, so creating and releasing one costs nothing for the collections it never
/// sets (an empty array or dictionary is a reference the runtime retains and releases). The
/// property users see is never optional (`get { storage._values ?? [] }`); decoding appends
/// in place through this subscript:
///
///     try Wire.ProtoInt32.readPacked(into: &storage._values[default: []], from: &reader)
extension Optional {
    /// The wrapped value, or `empty` when there is none. Modifying it stores the result,
    /// also when the modification throws halfway (what was merged so far is kept). The
    /// wrapped value is moved out for the modification, so an array grows in place.
    @inlinable
    public subscript(default empty: @autoclosure () -> Wrapped) -> Wrapped {
        get { self ?? empty() }
        _modify {
            var value = self.take() ?? empty()
            defer { self = value }
            yield &value
        }
    }
}
