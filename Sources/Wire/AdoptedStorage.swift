#if canImport(Glibc)
import Glibc
#endif

/// Decoding that takes over its input: a large `bytes` field becomes the input array itself,
/// its content moved to the front in place, instead of a copy in freshly allocated memory.
///
/// Why: a buffer of many MiB comes from a fresh mapping whose every page the kernel must
/// zero on first write. Measured on a 64 MiB RPC message, the decode's copy into a fresh
/// array cost more in page zeroing than the copy itself (the receiver spent about half its
/// time there). A memmove inside the already-touched input costs the copy alone.
///
/// Only a field that fills most of the input adopts it (`minimumShare`), so the storage the
/// field keeps alive is at most a third larger than its content; a smaller field, a second
/// large field, or a field in another input (a nested decode of other bytes) is copied as
/// usual. The input's bytes after the adopted field stay in place until decoding ends: the
/// moved content only overwrites bytes before the field's end, which the reader has passed.
@usableFromInline
package enum AdoptedStorage {
    /// Fields below this are copied as usual (an allocation this small is cheap).
    @inlinable package static var minimumFieldSize: Int { 1 << 20 }

    /// A field adopts the input only when it is at least 3/4 of it.
    static func isLargeShare(field: Int, of input: Int) -> Bool {
        field >= input - input / 4
    }

    /// The input of the decode running on this thread, while it can still be adopted.
    @TaskLocal static var current: Donor?

    /// The input array and where its bytes are. Confined to the decode that created it: the
    /// task-local binding is only read by the synchronous decode inside `decode`.
    final class Donor: @unchecked Sendable {
        /// The input; emptied once a field has taken it.
        var input: [UInt8]
        let base: UnsafeRawPointer?
        let count: Int
        /// Keeps the adopted storage alive until the decode ends, whatever the decode does
        /// with the field's value meanwhile (a repeated occurrence of the field replaces it,
        /// while the reader still reads the bytes after it).
        var adopted: [UInt8] = []

        init(_ input: consuming [UInt8]) {
            self.input = input
            base = self.input.withUnsafeBytes { $0.baseAddress }
            count = self.input.count
        }
    }

    /// Runs `decode` over `input`'s bytes with `input` offered to large `bytes` fields.
    static func decode(_ input: consuming [UInt8], _ decode: (UnsafeRawBufferPointer) throws(WireError) -> Void) throws(WireError) {
        let donor = Donor(input)
        var failure: WireError?
        $current.withValue(donor) {
            do throws(WireError) {
                try decode(UnsafeRawBufferPointer(start: donor.base, count: donor.count))
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// `field`'s content as the input array itself, when the running decode offers an input
    /// that `field` lies in and fills most of; nil otherwise (the caller copies).
    @usableFromInline
    static func adopt(_ field: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let donor = current, let base = donor.base, let start = field.baseAddress,
              start >= base, start + field.count <= base + donor.count,
              isLargeShare(field: field.count, of: donor.count) else { return nil }
        var taken = donor.input
        donor.input = []
        // Unique unless the caller kept the input (then this copies it first, and the bytes
        // move within the copy: still correct, and the reader keeps reading the original).
        taken.withUnsafeMutableBytes { storage in
            // Overlapping ranges (the content moves towards the front of its own buffer).
            _ = memmove(storage.baseAddress!, start, field.count)
        }
        taken.removeLast(taken.count - field.count)
        donor.adopted = taken
        return taken
    }
}

extension Message {
    /// Decodes `bytes`, taking them over: a `bytes` field that fills most of the input (one of
    /// at least 1 MiB and 3/4 of the input) keeps the input's storage, its content moved to the
    /// front, instead of being copied into new memory. Pass an array nobody else holds (the
    /// storage is reused in place only then; otherwise it is copied first). Same result as
    /// `init(serializedBytes:)`.
    public init(adoptingSerializedBytes bytes: consuming [UInt8], partial: Bool = false) throws(WireError) {
        guard bytes.count >= AdoptedStorage.minimumFieldSize else {
            try self.init(serializedBytes: bytes, partial: partial)
            return
        }
        var message = Self()
        try AdoptedStorage.decode(bytes) { (raw) throws(WireError) in
            try message.merge(serializedBytes: raw, partial: partial)
        }
        self = message
    }
}
