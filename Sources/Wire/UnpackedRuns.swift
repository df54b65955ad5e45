/// Unpacked repeated scalars: each element is its own field, and an encoder writes them one
/// after the other, so the next field usually repeats the tag just read.
extension Reader {
    /// The tag just read when it took one byte (fields 1...15), else nil.
    @inlinable @inline(__always)
    func oneByteTagJustRead() -> UInt8? {
        guard position - tagStart == 1 else { return nil }
        return tagStart.load(as: UInt8.self)
    }

    /// When the next byte is `tag` again, steps past it (as `nextTag` would, which checked that
    /// very byte already) and returns true; otherwise reads nothing.
    @inlinable @inline(__always)
    mutating func skipTagIfNext(_ tag: UInt8) -> Bool {
        guard position < end, position.load(as: UInt8.self) == tag else { return false }
        tagStart = position
        position += 1
        return true
    }
}
