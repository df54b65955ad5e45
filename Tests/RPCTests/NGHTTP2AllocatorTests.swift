import CNGHTTP2
import Testing
@testable import RPC

/// The nghttp2 session allocator, through the same `nghttp2_mem` functions nghttp2 calls.
@Suite struct NGHTTP2AllocatorTests {
    /// Calls the functions as nghttp2 does (C function pointers with their user data).
    struct Memory {
        let allocator = NGHTTP2Allocator()
        let mem: nghttp2_mem
        init() { mem = allocator.memoryFunctions() }
        func malloc(_ size: Int) -> UnsafeMutableRawPointer? { mem.malloc(size, mem.mem_user_data) }
        func free(_ pointer: UnsafeMutableRawPointer?) { mem.free(pointer, mem.mem_user_data) }
        func calloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? { mem.calloc(count, size, mem.mem_user_data) }
        func realloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? { mem.realloc(pointer, size, mem.mem_user_data) }
    }

    @Test func blocksOfEverySizeHoldWhatIsWrittenAndAreAligned() throws {
        let memory = Memory()
        var blocks: [(UnsafeMutableRawPointer, Int)] = []
        for size in [0, 1, 63, 64, 65, 128, 200, 256, 511, 512, 513, 4096, 100_000] {
            let block = try #require(memory.malloc(size))
            #expect(Int(bitPattern: block) % 16 == 0)
            block.initializeMemory(as: UInt8.self, repeating: UInt8(truncatingIfNeeded: size), count: size)
            blocks.append((block, size))
        }
        for (block, size) in blocks {
            let bytes = UnsafeRawBufferPointer(start: block, count: size)
            #expect(bytes.allSatisfy { $0 == UInt8(truncatingIfNeeded: size) }, "block of \(size) bytes overwritten")
            memory.free(block)
        }
        memory.free(nil)
    }

    @Test func aFreedSmallBlockIsReusedForItsSizeClass() throws {
        let memory = Memory()
        let first = try #require(memory.malloc(100))
        memory.free(first)
        #expect(memory.allocator.cachedBlockCount == 1)
        let second = try #require(memory.malloc(120))
        #expect(second == first, "100 and 120 bytes share the 128-byte class")
        #expect(memory.allocator.cachedBlockCount == 0)
        let other = try #require(memory.malloc(300))
        #expect(other != first)
        memory.free(second)
        memory.free(other)
        // Oversize blocks go back to malloc, not to a list.
        let oversize = try #require(memory.malloc(10_000))
        memory.free(oversize)
        #expect(memory.allocator.cachedBlockCount == 2)
    }

    @Test func callocZeroesAReusedBlockAndRefusesAnOverflowingSize() throws {
        let memory = Memory()
        let dirty = try #require(memory.malloc(200))
        dirty.initializeMemory(as: UInt8.self, repeating: 0xFF, count: 200)
        memory.free(dirty)
        let zeroed = try #require(memory.calloc(10, 20))
        #expect(zeroed == dirty)
        #expect(UnsafeRawBufferPointer(start: zeroed, count: 200).allSatisfy { $0 == 0 })
        memory.free(zeroed)
        #expect(memory.calloc(Int.max / 2, 3) == nil)
    }

    @Test func reallocKeepsTheContentsAcrossClassesAndIntoOversize() throws {
        let memory = Memory()
        var block = try #require(memory.malloc(10))
        for index in 0..<10 { block.storeBytes(of: UInt8(index), toByteOffset: index, as: UInt8.self) }
        let same = try #require(memory.realloc(block, 60))
        #expect(same == block, "60 bytes still fit the 64-byte class")
        block = same
        for size in [100, 300, 600, 5000, 40, 2] {
            block = try #require(memory.realloc(block, size))
            let kept = min(size, 10)
            #expect((0..<kept).allSatisfy { block.load(fromByteOffset: $0, as: UInt8.self) == UInt8($0) }, "after realloc to \(size)")
        }
        memory.free(block)
        let fresh = try #require(memory.realloc(nil, 32))
        memory.free(fresh)
    }

    @Test func theCacheIsBoundedPerClass() throws {
        let memory = Memory()
        let count = NGHTTP2Allocator.maxCachedPerClass * 2
        let blocks = try (0..<count).map { _ in try #require(memory.malloc(64)) }
        for block in blocks { memory.free(block) }
        #expect(memory.allocator.cachedBlockCount == NGHTTP2Allocator.maxCachedPerClass)
    }
}
