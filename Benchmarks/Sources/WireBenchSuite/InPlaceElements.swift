/// Lends the elements of an array to an encode loop without copying them, as the C++ loop
/// serializes each message through a `const&`.
///
/// A message read out of an array (subscript, span or `for`-`in`) and passed to a function the
/// optimizer cannot see into is first copied (a retain and a release of every reference it
/// holds), because nothing proves the call leaves the array alone; an exclusive (`inout`)
/// access passes the element's address instead. Both Swift runtimes' encode loops use this,
/// identically.
enum InPlaceElements {
    /// Calls `body` with each element of `elements`, in order, lent `inout`. `body` must only
    /// read it: the storage may be shared with other arrays and is never written.
    @inline(__always)
    static func forEach<Element, Failure: Error>(
        in elements: [Element], _ body: (inout Element) throws(Failure) -> Void
    ) throws(Failure) {
        // withUnsafeBufferPointer is not typed-throws: the error is carried out.
        var failure: Failure? = nil
        elements.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            // Never written through (see above); mutable only so the access can be `inout`.
            let inPlace = UnsafeMutablePointer(mutating: base)
            for index in 0..<buffer.count {
                do throws(Failure) {
                    try body(&inPlace[index])
                } catch {
                    failure = error
                    return
                }
            }
        }
        if let failure { throw failure }
    }
}
