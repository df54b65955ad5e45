/// Unpacked repeated scalars: each element is its own field, and an encoder writes them one
/// after the other, so the next field usually repeats the tag just read.
extension Reader {
    /// A tag of one or two bytes (fields 1...2047) as it sits in the input: `raw` holds its
    /// first byte in the low eight bits and, for two bytes, its second in the high eight.
    @usableFromInline
    struct ShortTag {
        @usableFromInline let raw: UInt16
        @usableFromInline let length: Int

        @inlinable
        init(raw: UInt16, length: Int) {
            self.raw = raw
            self.length = length
        }
    }

    /// The tag just read when it took one or two bytes, else nil.
    @inlinable @inline(__always)
    func shortTagJustRead() -> ShortTag? {
        switch position - tagStart {
        case 1: ShortTag(raw: UInt16(tagStart.load(as: UInt8.self)), length: 1)
        case 2: ShortTag(raw: UInt16(littleEndian: tagStart.loadUnaligned(as: UInt16.self)), length: 2)
        default: nil
        }
    }

    /// Whether the bytes at `cursor` (before `end`) are `tag`.
    @inlinable @inline(__always)
    func isTag(_ tag: ShortTag, at cursor: UnsafeRawPointer) -> Bool {
        guard end - cursor >= tag.length else { return false }
        if tag.length == 1 { return UInt16(cursor.load(as: UInt8.self)) == tag.raw }
        return UInt16(littleEndian: cursor.loadUnaligned(as: UInt16.self)) == tag.raw
    }

    /// When the next bytes are `tag` again, steps past them (as `nextTag` would, which
    /// accepted that very tag already) and returns true; otherwise reads nothing.
    @inlinable @inline(__always)
    mutating func skipTagIfNext(_ tag: ShortTag) -> Bool {
        guard isTag(tag, at: position) else { return false }
        tagStart = position
        position += tag.length
        return true
    }

    /// How many elements of an unpacked run of scalars start at the reader: the value after
    /// the `tag` just read, then one more for each repeat of `tag` right after a value (up to
    /// `limit`). Values are only stepped over: `fixedWidth` bytes, or (0) a varint's bytes up
    /// to the first below 0x80. Malformed or cut-off bytes only end the count early: the real
    /// read reports them.
    @usableFromInline
    func countScalarRun(tag: ShortTag, fixedWidth: Int, limit: Int) -> Int {
        var cursor = position
        var count = 0
        while count < limit {
            if fixedWidth > 0 {
                guard end - cursor >= fixedWidth else { return count }
                cursor += fixedWidth
            } else {
                var length = 0
                while true {
                    guard length < 10, end - cursor > length else { return count }
                    let byte = cursor.load(fromByteOffset: length, as: UInt8.self)
                    length &+= 1
                    if byte < 0x80 { break }
                }
                cursor += length
            }
            count &+= 1
            guard isTag(tag, at: cursor) else { return count }
            cursor += tag.length
        }
        return count
    }
}
