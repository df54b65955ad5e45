import Foundation
import Synchronization
import Testing

@testable import PluginHostDemo

@Suite struct SQLiteKVStoreTests {
    /// A clock the test moves by hand, to check expiry without waiting.
    final class ManualClock: Sendable {
        let milliseconds = Mutex<Int64>(1_000_000)
        func advance(seconds: Int64) { milliseconds.withLock { $0 += seconds * 1000 } }
        var now: @Sendable () -> Int64 { { self.milliseconds.withLock { $0 } } }
    }

    @Test func setGetDeleteAreNamespacedPerPlugin() throws {
        let store = try SQLiteKVStore(path: ":memory:")
        try store.set(plugin: "a", key: "k", value: Array("one".utf8))
        try store.set(plugin: "b", key: "k", value: Array("two".utf8))
        #expect(try store.get(plugin: "a", key: "k") == Array("one".utf8))
        #expect(try store.get(plugin: "b", key: "k") == Array("two".utf8))
        try store.delete(plugin: "a", key: "k")
        #expect(try store.get(plugin: "a", key: "k") == nil)
        #expect(try store.get(plugin: "b", key: "k") == Array("two".utf8))
        // Empty values are values, not absence.
        try store.set(plugin: "a", key: "empty", value: [])
        #expect(try store.get(plugin: "a", key: "empty") == [])
    }

    @Test func keysExpire() throws {
        let clock = ManualClock()
        let store = try SQLiteKVStore(path: ":memory:", now: clock.now)
        try store.set(plugin: "p", key: "short", value: [1], expireInSeconds: 10)
        try store.set(plugin: "p", key: "forever", value: [2])
        clock.advance(seconds: 9)
        #expect(try store.get(plugin: "p", key: "short") == [1])
        clock.advance(seconds: 2)
        #expect(try store.get(plugin: "p", key: "short") == nil)
        #expect(try store.list(plugin: "p", page: 0, perPage: 10) == ["forever"])
        // An expired key counts as absent for compare-and-set.
        #expect(try store.compareAndSet(plugin: "p", key: "short", expected: nil, newValue: [3]))
    }

    @Test func listPagesInKeyOrder() throws {
        let store = try SQLiteKVStore(path: ":memory:")
        for index in (0..<25).reversed() {
            try store.set(plugin: "p", key: String(format: "key-%02d", index), value: [UInt8(index)])
        }
        #expect(try store.list(plugin: "p", page: 0, perPage: 10).first == "key-00")
        #expect(try store.list(plugin: "p", page: 2, perPage: 10) == (20..<25).map { String(format: "key-%02d", $0) })
        #expect(try store.list(plugin: "p", page: 3, perPage: 10) == [])
        #expect(throws: SQLiteKVStore.StoreError.invalidPaging(page: 0, perPage: 0)) {
            try store.list(plugin: "p", page: 0, perPage: 0)
        }
    }

    @Test func compareAndSetAndCompareAndDelete() throws {
        let store = try SQLiteKVStore(path: ":memory:")
        #expect(try store.compareAndSet(plugin: "p", key: "k", expected: nil, newValue: [1]))
        #expect(try !store.compareAndSet(plugin: "p", key: "k", expected: nil, newValue: [2]))
        #expect(try !store.compareAndSet(plugin: "p", key: "k", expected: [9], newValue: [2]))
        #expect(try store.compareAndSet(plugin: "p", key: "k", expected: [1], newValue: [2]))
        #expect(try store.get(plugin: "p", key: "k") == [2])
        #expect(try !store.compareAndDelete(plugin: "p", key: "k", expected: [1]))
        #expect(try store.compareAndDelete(plugin: "p", key: "k", expected: [2]))
        #expect(try store.get(plugin: "p", key: "k") == nil)
    }

    @Test func deleteAllOnlyTouchesOnePlugin() throws {
        let store = try SQLiteKVStore(path: ":memory:")
        for key in ["a", "b", "c"] { try store.set(plugin: "one", key: key, value: [0]) }
        try store.set(plugin: "two", key: "a", value: [0])
        try store.deleteAll(plugin: "one")
        #expect(try store.list(plugin: "one", page: 0, perPage: 10) == [])
        #expect(try store.list(plugin: "two", page: 0, perPage: 10) == ["a"])
    }

    @Test func refusesBadKeysAndHugeValues() throws {
        let store = try SQLiteKVStore(path: ":memory:")
        #expect(throws: SQLiteKVStore.StoreError.invalidKey("")) { try store.set(plugin: "p", key: "", value: []) }
        let long = String(repeating: "k", count: 151)
        #expect(throws: SQLiteKVStore.StoreError.invalidKey(long)) { try store.get(plugin: "p", key: long) }
        let huge = [UInt8](repeating: 0, count: SQLiteKVStore.maximumValueSize + 1)
        #expect(throws: SQLiteKVStore.StoreError.valueTooLarge(huge.count)) {
            try store.set(plugin: "p", key: "k", value: huge)
        }
    }

    @Test func persistsAcrossReopen() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/kv.sqlite"
        do {
            let store = try SQLiteKVStore(path: path)
            try store.set(plugin: "p", key: "k", value: Array("kept".utf8))
        }
        let reopened = try SQLiteKVStore(path: path)
        #expect(try reopened.get(plugin: "p", key: "k") == Array("kept".utf8))
    }

    @Test func concurrentCompareAndSetNeverLosesAnIncrement() async throws {
        let store = try SQLiteKVStore(path: ":memory:")
        try store.set(plugin: "p", key: "counter", value: Array("0".utf8))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<25 {
                        for _ in 0..<1000 {
                            let current = (try? store.get(plugin: "p", key: "counter")) ?? nil
                            let next = Int(String(decoding: current ?? [], as: UTF8.self))! + 1
                            if (try? store.compareAndSet(
                                plugin: "p", key: "counter", expected: current, newValue: Array("\(next)".utf8))) == true
                            { break }
                        }
                    }
                }
            }
        }
        #expect(try store.get(plugin: "p", key: "counter") == Array("200".utf8))
    }
}
