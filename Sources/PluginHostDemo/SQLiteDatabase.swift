import CSQLite
import Synchronization

/// A SQLite connection used from any thread: every use goes through one mutex, so
/// statements never interleave. Small and synchronous on purpose; the demo's key-value
/// calls take microseconds.
final class SQLiteDatabase: Sendable {
    struct Error: Swift.Error, CustomStringConvertible {
        var code: Int32
        var message: String

        var description: String { "SQLite error \(code): \(message)" }
    }

    enum Value: Sendable, Equatable {
        case integer(Int64)
        case text(String)
        case blob([UInt8])
        case null

        /// The value as text ("" for anything else), integer (0) or bytes ([]).
        var string: String { if case .text(let value) = self { value } else { "" } }
        var int: Int64 { if case .integer(let value) = self { value } else { 0 } }
        var bytes: [UInt8] { if case .blob(let value) = self { value } else { [] } }
    }

    /// The raw handle; only touched while `connection` is locked.
    private struct Handle: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    private let connection: Mutex<Handle>

    init(path: String) throws(Error) {
        var pointer: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let status = sqlite3_open_v2(path, &pointer, flags, nil)
        guard status == SQLITE_OK, let pointer else {
            let message = pointer.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open \(path)"
            sqlite3_close(pointer)
            throw Error(code: status, message: message)
        }
        sqlite3_busy_timeout(pointer, 2000)
        connection = Mutex(Handle(pointer: pointer))
    }

    deinit {
        connection.withLock { _ = sqlite3_close($0.pointer) }
    }

    /// Runs `body` with exclusive use of the connection (e.g. for a transaction).
    func exclusive<R>(_ body: (Session) throws(Error) -> R) throws(Error) -> R {
        try connection.withLock { (handle: inout Handle) throws(Error) -> R in
            try body(Session(pointer: handle.pointer))
        }
    }

    /// Runs `body` with exclusive use of the connection, for callers with their own error type.
    func withSession<R, E: Swift.Error>(_ body: (Session) throws(E) -> R) throws(E) -> R {
        try connection.withLock { (handle: inout Handle) throws(E) -> R in
            try body(Session(pointer: handle.pointer))
        }
    }

    /// One locked use of the connection.
    struct Session {
        fileprivate let pointer: OpaquePointer

        /// Runs one statement, returning all rows.
        @discardableResult
        func query(_ sql: String, _ parameters: [Value] = []) throws(Error) -> [[Value]] {
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(pointer, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
                throw currentError()
            }
            defer { sqlite3_finalize(statement) }
            for (offset, parameter) in parameters.enumerated() {
                let index = Int32(offset + 1)
                let status: Int32
                switch parameter {
                case .integer(let value): status = sqlite3_bind_int64(statement, index, value)
                case .text(let value): status = sqlite3_bind_text(statement, index, value, -1, csqlite_transient())
                case .blob(let bytes):
                    status = bytes.withUnsafeBytes { raw in
                        // A zero-length blob must still be a blob, not NULL.
                        raw.baseAddress == nil
                            ? sqlite3_bind_zeroblob(statement, index, 0)
                            : sqlite3_bind_blob(statement, index, raw.baseAddress, Int32(raw.count), csqlite_transient())
                    }
                case .null: status = sqlite3_bind_null(statement, index)
                }
                guard status == SQLITE_OK else { throw currentError() }
            }
            var rows: [[Value]] = []
            while true {
                let step = sqlite3_step(statement)
                if step == SQLITE_DONE { break }
                guard step == SQLITE_ROW else { throw currentError() }
                rows.append((0..<sqlite3_column_count(statement)).map { column(statement, $0) })
            }
            return rows
        }

        /// Whether `error` is a constraint violation (a UNIQUE or PRIMARY KEY conflict).
        static func isConstraintViolation(_ error: Error) -> Bool { error.code & 0xff == SQLITE_CONSTRAINT }

        /// Rows changed by the last statement.
        var changes: Int { Int(sqlite3_changes(pointer)) }

        private func column(_ statement: OpaquePointer, _ index: Int32) -> Value {
            switch sqlite3_column_type(statement, index) {
            case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, index))
            case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(statement, index)))
            case SQLITE_BLOB:
                let count = Int(sqlite3_column_bytes(statement, index))
                guard count > 0, let base = sqlite3_column_blob(statement, index) else { return .blob([]) }
                return .blob(Array(UnsafeRawBufferPointer(start: base, count: count)))
            default: return .null
            }
        }

        private func currentError() -> Error {
            Error(code: sqlite3_errcode(pointer), message: String(cString: sqlite3_errmsg(pointer)))
        }
    }
}
