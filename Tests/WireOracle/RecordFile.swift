#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The record files exchanged with python/oracle.py (see python/records.py):
/// each record is `[u8 head] [u32 little-endian length] [bytes]`.
struct Record {
    var head: UInt8
    var bytes: [UInt8]
}

enum RecordFile {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func read(_ path: String) throws(Failure) -> [Record] {
        let data = try readAll(path)
        var records: [Record] = []
        var offset = 0
        while offset < data.count {
            guard offset + 5 <= data.count else { throw Failure(description: "\(path): truncated header at \(offset)") }
            let head = data[offset]
            var length = 0
            for index in 0..<4 { length |= Int(data[offset + 1 + index]) << (8 * index) }
            offset += 5
            guard length <= data.count - offset else { throw Failure(description: "\(path): truncated record at \(offset)") }
            records.append(Record(head: head, bytes: Array(data[offset..<offset + length])))
            offset += length
        }
        return records
    }

    static func write(_ records: [Record], to path: String) throws(Failure) {
        var out: [UInt8] = []
        out.reserveCapacity(records.reduce(0) { $0 + 5 + $1.bytes.count })
        for record in records {
            let length = UInt32(record.bytes.count)
            out.append(record.head)
            for index in 0..<4 { out.append(UInt8(truncatingIfNeeded: length >> (8 * UInt32(index)))) }
            out.append(contentsOf: record.bytes)
        }
        guard let file = fopen(path, "wb") else { throw Failure(description: "cannot create \(path)") }
        defer { fclose(file) }
        let written = out.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == out.count else { throw Failure(description: "short write to \(path)") }
    }

    private static func readAll(_ path: String) throws(Failure) -> [UInt8] {
        guard let file = fopen(path, "rb") else { throw Failure(description: "cannot open \(path)") }
        defer { fclose(file) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count == 0 { break }
            data.append(contentsOf: chunk[0..<count])
        }
        guard ferror(file) == 0 else { throw Failure(description: "read error on \(path)") }
        return data
    }
}
