/// Lends the elements of an array to the size and write passes without copying them.
///
/// Calling a method that is not inlined (`computeSize`, `encodeMessage`) on an element read
/// from an array, through its subscript, a span or an iterator, first copies the element: a
/// retain and a release of every reference it holds, because the optimizer cannot prove that
/// the call leaves the array's memory alone. An `inout` access is exclusive, so Swift passes
/// the element's address instead (measured on a tree of messages: a third of its encode
/// instructions were these retains and releases).
@usableFromInline
enum InPlace {
    /// Calls `body` with each element of `elements`, in order, lent `inout`. `body` must only
    /// read it: the array's storage may be shared with other arrays, and is never written.
    @inlinable @inline(__always)
    static func forEach<Element>(in elements: [Element], _ body: (inout Element) -> Void) {
        elements.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            // Never written through (see above); mutable only so the access can be `inout`.
            let elementsInPlace = UnsafeMutablePointer(mutating: base)
            for index in 0..<buffer.count { body(&elementsInPlace[index]) }
        }
    }
}
