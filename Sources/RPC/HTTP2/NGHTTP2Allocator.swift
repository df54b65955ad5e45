import CNGHTTP2
import Glibc

/// The memory functions of one nghttp2 session (`nghttp2_mem`). nghttp2 allocates and frees
/// several small blocks per stream (the stream, each queued frame, each copied header list);
/// through glibc each pair cost a few hundred instructions. Here blocks up to 512 bytes come
/// in four size classes, and a freed one is kept on its class's free list for the next
/// allocation of that class: a pop and a push instead of malloc and free.
///
/// Bounded: a class keeps at most `maxCachedPerClass` free blocks (about 33 KiB over all
/// classes), larger requests go straight to malloc, and everything cached is freed with the
/// allocator, which outlives its session (`NGHTTP2Bridge` owns it; the session is deleted
/// first). Used only by its session, so only by one thread at a time: no lock.
final class NGHTTP2Allocator {
    /// Size classes: class `i` holds `64 << i` payload bytes (64, 128, 256, 512).
    private static let classCount = 4
    /// Free blocks a class keeps at most.
    static let maxCachedPerClass = 32
    /// Every block starts with this header (its size class), so `free` and `realloc`, which are
    /// not told the size, know where the block goes. 16 bytes keep malloc's alignment.
    private static let headerSize = 16
    /// The header of a block too large for any class (malloc'ed and freed as is).
    private static let oversize = UInt64.max

    /// One size class's free blocks, linked through their first bytes.
    struct FreeList {
        var head: UnsafeMutableRawPointer?
        var count: Int
    }

    private let lists: UnsafeMutablePointer<FreeList>

    init() {
        lists = .allocate(capacity: Self.classCount)
        lists.initialize(repeating: FreeList(head: nil, count: 0), count: Self.classCount)
    }

    deinit {
        for index in 0..<Self.classCount {
            var next = lists[index].head
            while let block = next {
                next = block.load(as: UnsafeMutableRawPointer?.self)
                Glibc.free(block - Self.headerSize)
            }
        }
        lists.deinitialize(count: Self.classCount)
        lists.deallocate()
    }

    /// Free blocks kept for reuse over all classes (at most `maxCachedPerClass` each).
    var cachedBlockCount: Int {
        (0..<Self.classCount).reduce(0) { $0 + lists[$1].count }
    }

    /// The `nghttp2_mem` to create a session with; valid while this allocator lives. Its user
    /// data is the free lists themselves, not this object: reaching them costs no retain and
    /// release per call.
    func memoryFunctions() -> nghttp2_mem {
        var mem = nghttp2_mem()
        mem.mem_user_data = UnsafeMutableRawPointer(lists)
        mem.malloc = { size, user in NGHTTP2Allocator.allocate(size, lists: NGHTTP2Allocator.lists(user)) }
        mem.free = { pointer, user in NGHTTP2Allocator.free(pointer, lists: NGHTTP2Allocator.lists(user)) }
        mem.calloc = { count, size, user in NGHTTP2Allocator.allocateZeroed(count: count, size: size, lists: NGHTTP2Allocator.lists(user)) }
        mem.realloc = { pointer, size, user in NGHTTP2Allocator.reallocate(pointer, size: size, lists: NGHTTP2Allocator.lists(user)) }
        return mem
    }

    private static func lists(_ user: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<FreeList> {
        user!.assumingMemoryBound(to: FreeList.self)
    }

    /// The smallest class holding `size` bytes; nil when none does.
    private static func sizeClass(for size: Int) -> Int? {
        switch size {
        case ...64: 0
        case ...128: 1
        case ...256: 2
        case ...512: 3
        default: nil
        }
    }

    private static func capacity(ofClass index: Int) -> Int { 64 << index }

    /// The size class written in a block's header (`oversize` for none).
    private static func header(of pointer: UnsafeMutableRawPointer) -> UInt64 {
        (pointer - headerSize).load(as: UInt64.self)
    }

    /// A new block of at least `size` bytes, or nil when memory is out.
    static func allocate(_ size: Int, lists: UnsafeMutablePointer<FreeList>) -> UnsafeMutableRawPointer? {
        guard let index = sizeClass(for: size) else {
            guard size <= Int.max - headerSize, let base = Glibc.malloc(headerSize + size) else { return nil }
            base.storeBytes(of: oversize, as: UInt64.self)
            return base + headerSize
        }
        if let block = lists[index].head {
            lists[index].head = block.load(as: UnsafeMutableRawPointer?.self)
            lists[index].count -= 1
            return block
        }
        guard let base = Glibc.malloc(headerSize + capacity(ofClass: index)) else { return nil }
        base.storeBytes(of: UInt64(index), as: UInt64.self)
        return base + headerSize
    }

    static func allocateZeroed(count: Int, size: Int, lists: UnsafeMutablePointer<FreeList>) -> UnsafeMutableRawPointer? {
        let (total, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, let block = allocate(total, lists: lists) else { return nil }
        block.initializeMemory(as: UInt8.self, repeating: 0, count: total)
        return block
    }

    /// Takes back a block of this allocator (nil is allowed, as for `free`).
    static func free(_ pointer: UnsafeMutableRawPointer?, lists: UnsafeMutablePointer<FreeList>) {
        guard let pointer else { return }
        let tag = header(of: pointer)
        guard tag != oversize else {
            Glibc.free(pointer - headerSize)
            return
        }
        let index = Int(tag)
        precondition(index < classCount, "not a block of this allocator")
        guard lists[index].count < maxCachedPerClass else {
            Glibc.free(pointer - headerSize)
            return
        }
        pointer.storeBytes(of: lists[index].head, as: UnsafeMutableRawPointer?.self)
        lists[index].head = pointer
        lists[index].count += 1
    }

    /// `realloc`: the same block while it is big enough, else a new one with the old contents.
    static func reallocate(_ pointer: UnsafeMutableRawPointer?, size: Int, lists: UnsafeMutablePointer<FreeList>) -> UnsafeMutableRawPointer? {
        guard let pointer else { return allocate(size, lists: lists) }
        let tag = header(of: pointer)
        if tag == oversize {
            guard size <= Int.max - headerSize, let moved = Glibc.realloc(pointer - headerSize, headerSize + size) else { return nil }
            return moved + headerSize
        }
        let index = Int(tag)
        precondition(index < classCount, "not a block of this allocator")
        let capacity = capacity(ofClass: index)
        if size <= capacity { return pointer }
        guard let moved = allocate(size, lists: lists) else { return nil }
        moved.copyMemory(from: pointer, byteCount: capacity)
        free(pointer, lists: lists)
        return moved
    }
}
