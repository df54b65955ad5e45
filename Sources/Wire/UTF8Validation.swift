/// UTF-8 validation for string fields. The stdlib's `String(validating:as:)` is generic over
/// the encoding and looks up type metadata on every call, which dominated decoding of
/// string-heavy messages; this checks 8 ASCII bytes at a time inline and walks text with
/// multi-byte sequences through a small state machine (no overlongs, no surrogates, nothing
/// above U+10FFFF: the Unicode table of well-formed byte sequences).
public enum UTF8Validation {
    /// What `check` found: building a `String` from bytes known valid (and known ASCII or
    /// not) skips the stdlib's own validation and ASCII scan.
    public enum Result: Sendable {
        case invalid, ascii, nonASCII
    }

    @inlinable
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        check(bytes) != .invalid
    }

    @inlinable @inline(__always)
    public static func check(_ bytes: UnsafeRawBufferPointer) -> Result {
        guard let base = bytes.baseAddress else { return .ascii }
        let count = bytes.count
        // Most map keys and labels are shorter than a word: two overlapping loads cover all
        // their bytes, so an ASCII one costs one test instead of a trip through the loop per byte.
        if count < 8 {
            return isShortASCII(base, count) ? .ascii : checkShortNonASCII(base, count)
        }
        if count <= shortLimit {
            let covered = base.loadUnaligned(as: UInt64.self) | base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            return covered & 0x8080_8080_8080_8080 == 0 ? .ascii : checkShortNonASCII(base, count)
        }
        var index = 0
        while count &- index >= 8 {
            if base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
                return checkNonASCII(base, count, from: index)
            }
            index &+= 8
        }
        // An ASCII tail shorter than a word: one overlapping load of the last eight bytes
        // (those before `index` are ASCII, so a high bit is in the tail).
        if index < count
            && base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
            return checkNonASCII(base, count, from: index)
        }
        return .ascii
    }

    /// Whether `count` (below 8) bytes are all ASCII: the first and last four (or two, or the one
    /// byte) overlap to cover them all.
    @inlinable @inline(__always)
    static func isShortASCII(_ base: UnsafeRawPointer, _ count: Int) -> Bool {
        let covered: UInt32
        if count >= 4 {
            covered = base.loadUnaligned(as: UInt32.self) | base.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        } else if count >= 2 {
            covered = UInt32(base.loadUnaligned(as: UInt16.self) | base.loadUnaligned(fromByteOffset: count &- 2, as: UInt16.self))
        } else if count == 1 {
            covered = UInt32(base.load(as: UInt8.self))
        } else {
            return true
        }
        return covered & 0x8080_8080 == 0
    }

    // MARK: Text with multi-byte sequences

    /// Checks `count` (at most `shortLimit`) bytes that hold one above 0x7F, a character at a
    /// time: for a map key or a label (a few characters) the branches cost less than the
    /// automaton below, which goes through its table byte by byte.
    @usableFromInline
    static func checkShortNonASCII(_ base: UnsafeRawPointer, _ count: Int) -> Result {
        @inline(__always) func byte(_ index: Int) -> UInt8 { base.load(fromByteOffset: index, as: UInt8.self) }
        @inline(__always) func isContinuation(_ index: Int) -> Bool { byte(index) & 0xC0 == 0x80 }
        var index = 0
        while index < count {
            let lead = byte(index)
            if lead < 0x80 {
                index &+= 1
            } else if lead < 0xE0 {
                // C2...DF and one continuation (C0 and C1 would be overlong).
                guard lead >= 0xC2, count &- index >= 2, isContinuation(index &+ 1) else { return .invalid }
                index &+= 2
            } else if lead < 0xF0 {
                // The second byte's range: A0...BF after E0 (no overlongs), 80...9F after ED
                // (no surrogates), else 80...BF.
                guard count &- index >= 3, isContinuation(index &+ 2) else { return .invalid }
                let second = byte(index &+ 1)
                let low: UInt8 = lead == 0xE0 ? 0xA0 : 0x80
                let high: UInt8 = lead == 0xED ? 0x9F : 0xBF
                guard second >= low, second <= high else { return .invalid }
                index &+= 3
            } else {
                // F0...F4; the second byte's range: 90...BF after F0 (no overlongs), 80...8F
                // after F4 (nothing above U+10FFFF), else 80...BF.
                guard lead <= 0xF4, count &- index >= 4, isContinuation(index &+ 2), isContinuation(index &+ 3) else {
                    return .invalid
                }
                let second = byte(index &+ 1)
                let low: UInt8 = lead == 0xF0 ? 0x90 : 0x80
                let high: UInt8 = lead == 0xF4 ? 0x8F : 0xBF
                guard second >= low, second <= high else { return .invalid }
                index &+= 4
            }
        }
        return .nonASCII
    }

    /// The longest text `checkShortNonASCII` is used for: what fits a small string.
    @inlinable static var shortLimit: Int { 15 }

    /// The states of the validating automaton. Each is a bit offset into a row of
    /// `transitions`: the next state after byte `b` in state `s` is `(rows[b] >> s) & 63`, one
    /// load, shift and mask per byte, no branch on the byte. `error` is 0, so a byte with no
    /// valid transition leads there, and every row keeps it there.
    enum State {
        static let error: UInt64 = 0
        static let accept: UInt64 = 6
        /// Continuation bytes (80...BF) still expected: 1, 2 or 3.
        static let tail1: UInt64 = 12
        static let tail2: UInt64 = 18
        static let tail3: UInt64 = 24
        /// After a lead byte whose first continuation has a narrower range.
        static let afterE0: UInt64 = 30  // A0...BF (no overlong 3-byte forms)
        static let afterED: UInt64 = 36  // 80...9F (no surrogates)
        static let afterF0: UInt64 = 42  // 90...BF (no overlong 4-byte forms)
        static let afterF4: UInt64 = 48  // 80...8F (nothing above U+10FFFF)
    }

    /// One row per byte value: for each state, the state after that byte.
    static let transitions: [UInt64] = {
        var rows = [UInt64](repeating: 0, count: 256)
        func on(_ bytes: ClosedRange<Int>, from state: UInt64, to next: UInt64) {
            for byte in bytes { rows[byte] |= next << state }
        }
        on(0x00...0x7F, from: State.accept, to: State.accept)
        on(0xC2...0xDF, from: State.accept, to: State.tail1)
        on(0xE0...0xE0, from: State.accept, to: State.afterE0)
        on(0xE1...0xEC, from: State.accept, to: State.tail2)
        on(0xED...0xED, from: State.accept, to: State.afterED)
        on(0xEE...0xEF, from: State.accept, to: State.tail2)
        on(0xF0...0xF0, from: State.accept, to: State.afterF0)
        on(0xF1...0xF3, from: State.accept, to: State.tail3)
        on(0xF4...0xF4, from: State.accept, to: State.afterF4)
        on(0x80...0xBF, from: State.tail1, to: State.accept)
        on(0x80...0xBF, from: State.tail2, to: State.tail1)
        on(0x80...0xBF, from: State.tail3, to: State.tail2)
        on(0xA0...0xBF, from: State.afterE0, to: State.tail1)
        on(0x80...0x9F, from: State.afterED, to: State.tail1)
        on(0x90...0xBF, from: State.afterF0, to: State.tail2)
        on(0x80...0x8F, from: State.afterF4, to: State.tail2)
        return rows
    }()

    /// Checks `base[start..<count]`, which holds a byte above 0x7F and starts at a character
    /// boundary (everything before it was ASCII). Words of ASCII between sequences are still
    /// skipped eight bytes at a time; the others go byte by byte through the automaton, which
    /// is checked for an error once per word (the error state never leaves).
    @usableFromInline
    static func checkNonASCII(_ base: UnsafeRawPointer, _ count: Int, from start: Int) -> Result {
        transitions.withUnsafeBufferPointer { rows in
            var state = State.accept
            var index = start
            while count &- index >= 8 {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                if word & 0x8080_8080_8080_8080 != 0 || state != State.accept {
                    for lane in 0..<8 {
                        let byte = Int(truncatingIfNeeded: (word &>> (UInt64(lane) &* 8)) & 0xFF)
                        state = (rows[byte] &>> state) & 63
                    }
                    if state == State.error { return .invalid }
                }
                index &+= 8
            }
            while index < count {
                state = (rows[Int(base.load(fromByteOffset: index, as: UInt8.self))] &>> state) & 63
                index &+= 1
            }
            return state == State.accept ? .nonASCII : .invalid
        }
    }
}
