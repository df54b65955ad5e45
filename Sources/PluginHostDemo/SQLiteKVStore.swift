import Foundation

/// The demo host's persistent key-value store: one namespace per plugin, optional
/// expiry, compare-and-set and compare-and-delete, all in one SQLite file.
public final class SQLiteKVStore: Sendable {
    public enum StoreError: Error, Equatable, CustomStringConvertible {
        case invalidKey(String)
        case valueTooLarge(Int)
        case invalidPaging(page: Int, perPage: Int)
        case database(String)

        public var description: String {
            switch self {
            case .invalidKey(let key): "key \"\(key.prefix(40))\" must be 1-\(SQLiteKVStore.maximumKeyLength) characters"
            case .valueTooLarge(let size): "value of \(size) bytes exceeds \(SQLiteKVStore.maximumValueSize)"
            case .invalidPaging(let page, let perPage): "page \(page) / per_page \(perPage) out of range"
            case .database(let message): message
            }
        }
    }

    public static let maximumKeyLength = 150
    public static let maximumValueSize = 4 * 1024 * 1024
    public static let maximumPageSize = 1000

    private let database: SQLiteDatabase
    /// Milliseconds since the epoch; injectable so tests can move time forward.
    private let now: @Sendable () -> Int64

    /// Opens (or creates) the store at `path`; ":memory:" gives a private in-memory store.
    public init(
        path: String,
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
    ) throws(StoreError) {
        do {
            database = try SQLiteDatabase(path: path)
            try database.exclusive { session throws(SQLiteDatabase.Error) in
                if path != ":memory:" { try session.query("PRAGMA journal_mode=WAL") }
                try session.query("""
                    CREATE TABLE IF NOT EXISTS plugin_kv (
                        plugin_id TEXT NOT NULL,
                        key TEXT NOT NULL,
                        value BLOB NOT NULL,
                        expire_at INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (plugin_id, key)
                    ) WITHOUT ROWID
                    """)
            }
        } catch {
            throw .database(error.description)
        }
        self.now = now
    }

    public func set(plugin: String, key: String, value: [UInt8], expireInSeconds: Int64 = 0) throws(StoreError) {
        try validate(key: key, value: value)
        _ = try run { session, now throws(SQLiteDatabase.Error) in
            try session.query(
                "INSERT OR REPLACE INTO plugin_kv (plugin_id, key, value, expire_at) VALUES (?, ?, ?, ?)",
                [.text(plugin), .text(key), .blob(value), .integer(Self.expiry(expireInSeconds, now: now))])
        }
    }

    /// The value, or nil when absent or expired.
    public func get(plugin: String, key: String) throws(StoreError) -> [UInt8]? {
        try validate(key: key)
        return try run { session, now throws(SQLiteDatabase.Error) in
            try Self.current(session, plugin: plugin, key: key, now: now)
        }
    }

    public func delete(plugin: String, key: String) throws(StoreError) {
        try validate(key: key)
        _ = try run { session, _ throws(SQLiteDatabase.Error) in
            try session.query("DELETE FROM plugin_kv WHERE plugin_id = ? AND key = ?", [.text(plugin), .text(key)])
        }
    }

    /// Live keys in ascending order, `perPage` at a time.
    public func list(plugin: String, page: Int, perPage: Int) throws(StoreError) -> [String] {
        guard page >= 0, page <= 1_000_000, (1...Self.maximumPageSize).contains(perPage) else {
            throw .invalidPaging(page: page, perPage: perPage)
        }
        return try run { session, now throws(SQLiteDatabase.Error) in
            let rows = try session.query(
                """
                SELECT key FROM plugin_kv WHERE plugin_id = ? AND (expire_at = 0 OR expire_at > ?)
                ORDER BY key LIMIT ? OFFSET ?
                """,
                [.text(plugin), .integer(now), .integer(Int64(perPage)), .integer(Int64(page * perPage))])
            return rows.compactMap { row in
                if case .text(let key) = row.first { return key }
                return nil
            }
        }
    }

    /// Writes `newValue` only if the current value equals `expected` (nil: key must be
    /// absent or expired). Returns whether it wrote.
    public func compareAndSet(
        plugin: String, key: String, expected: [UInt8]?, newValue: [UInt8], expireInSeconds: Int64 = 0
    ) throws(StoreError) -> Bool {
        try validate(key: key, value: newValue)
        return try transaction { session, now throws(SQLiteDatabase.Error) in
            guard try Self.current(session, plugin: plugin, key: key, now: now) == expected else { return false }
            try session.query(
                "INSERT OR REPLACE INTO plugin_kv (plugin_id, key, value, expire_at) VALUES (?, ?, ?, ?)",
                [.text(plugin), .text(key), .blob(newValue), .integer(Self.expiry(expireInSeconds, now: now))])
            return true
        }
    }

    /// Deletes the key only if its current value equals `expected`. Returns whether it deleted.
    public func compareAndDelete(plugin: String, key: String, expected: [UInt8]) throws(StoreError) -> Bool {
        try validate(key: key)
        return try transaction { session, now throws(SQLiteDatabase.Error) in
            guard try Self.current(session, plugin: plugin, key: key, now: now) == expected else { return false }
            try session.query("DELETE FROM plugin_kv WHERE plugin_id = ? AND key = ?", [.text(plugin), .text(key)])
            return true
        }
    }

    public func deleteAll(plugin: String) throws(StoreError) {
        _ = try run { session, _ throws(SQLiteDatabase.Error) in
            try session.query("DELETE FROM plugin_kv WHERE plugin_id = ?", [.text(plugin)])
        }
    }

    // MARK: - Helpers

    private static func current(
        _ session: SQLiteDatabase.Session, plugin: String, key: String, now: Int64
    ) throws(SQLiteDatabase.Error) -> [UInt8]? {
        let rows = try session.query(
            "SELECT value FROM plugin_kv WHERE plugin_id = ? AND key = ? AND (expire_at = 0 OR expire_at > ?)",
            [.text(plugin), .text(key), .integer(now)])
        guard case .blob(let bytes)? = rows.first?.first else { return nil }
        return bytes
    }

    private static func expiry(_ seconds: Int64, now: Int64) -> Int64 {
        guard seconds > 0 else { return 0 }
        let (milliseconds, overflow) = min(seconds, Int64.max / 2000).multipliedReportingOverflow(by: 1000)
        return overflow ? Int64.max : now + milliseconds
    }

    private func validate(key: String, value: [UInt8] = []) throws(StoreError) {
        guard !key.isEmpty, key.count <= Self.maximumKeyLength else { throw .invalidKey(key) }
        guard value.count <= Self.maximumValueSize else { throw .valueTooLarge(value.count) }
    }

    private func run<R>(
        _ body: (SQLiteDatabase.Session, Int64) throws(SQLiteDatabase.Error) -> R
    ) throws(StoreError) -> R {
        let now = self.now()
        do {
            return try database.exclusive { session throws(SQLiteDatabase.Error) in try body(session, now) }
        } catch {
            throw .database(error.description)
        }
    }

    private func transaction<R>(
        _ body: (SQLiteDatabase.Session, Int64) throws(SQLiteDatabase.Error) -> R
    ) throws(StoreError) -> R {
        try run { session, now throws(SQLiteDatabase.Error) in
            try session.query("BEGIN IMMEDIATE")
            do throws(SQLiteDatabase.Error) {
                let result = try body(session, now)
                try session.query("COMMIT")
                return result
            } catch let failure {
                _ = try? session.query("ROLLBACK")
                throw failure
            }
        }
    }
}
