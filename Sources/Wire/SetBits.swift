/// The positions of the set bits of one word, lowest first.
///
/// Generated storage for a wide message keeps one presence bit per field (or oneof), set
/// whenever the field is assigned or decoded and cleared by `clearX()`. Sizing, encoding,
/// copying and comparing walk those bits a word at a time instead of testing every declared
/// field, so their cost follows the fields that are set:
///
///     for field in Wire.SetBits(storage.presence0) {
///         switch field { case 0: ...; case 1: ...; default: break }
///     }
///
/// A set bit only says the field may differ from its default; the code under it still
/// checks the value, so a field set back to its default is not written.
public struct SetBits: Sequence, IteratorProtocol {
    @usableFromInline var remaining: UInt64

    @inlinable
    public init(_ word: UInt64) { remaining = word }

    @inlinable @inline(__always)
    public mutating func next() -> Int? {
        if remaining == 0 { return nil }
        let bit = remaining.trailingZeroBitCount
        remaining &= remaining &- 1
        return bit
    }
}
