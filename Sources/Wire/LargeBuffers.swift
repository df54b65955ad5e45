#if canImport(Glibc)
import Glibc
#endif

/// Advice to the kernel for freshly allocated large buffers (encode output, `bytes` payloads,
/// and in RPC the body of a message arriving over many DATA frames).
///
/// A buffer of many MiB comes from its own fresh mapping (glibc maps large allocations and
/// unmaps them on free), so every 4 KiB page of it faults on first write. For a 64 MiB message
/// that is 16,384 faults per copy, and measured on loopback RPC the fault path (zeroing, memory
/// cgroup charging, LRU bookkeeping, then unmapping) cost more than the copies themselves.
/// Asking for transparent huge pages on the buffer's 2 MiB-aligned interior makes it one fault
/// per 2 MiB. Where THP is off (`never`) or the platform has none, this does nothing.
@usableFromInline
package enum LargeBuffers {
    /// Buffers at least this large are advised: from 4 MiB on, at least one whole 2 MiB-aligned
    /// range lies inside the buffer. Below that there is nothing to gain.
    /// (A computed constant: inlined callers compare without a global's lazy-init check.)
    @inlinable package static var hugePageAdviceThreshold: Int { 4 << 20 }

    /// Advises huge pages for the whole 2 MiB-aligned ranges inside `buffer`; call it before the
    /// first write. A buffer below the threshold is left alone (one comparison).
    @inlinable
    package static func prepareForWriting(_ buffer: UnsafeMutableRawBufferPointer) {
        guard buffer.count >= hugePageAdviceThreshold, let base = buffer.baseAddress else { return }
        adviseHugePages(base: base, count: buffer.count)
    }

    @usableFromInline
    package static func adviseHugePages(base: UnsafeMutableRawPointer, count: Int) {
        #if os(Linux)
        let hugePage = 2 << 20
        let start = (Int(bitPattern: base) + hugePage - 1) & ~(hugePage - 1)
        let end = (Int(bitPattern: base) + count) & ~(hugePage - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        // Advice only: a failure (THP disabled, an old kernel) leaves ordinary pages.
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)
        #endif
    }
}
