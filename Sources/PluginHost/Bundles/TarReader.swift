/// One member of a tar archive, as far as installing a plugin needs it.
struct TarEntry: Equatable {
    enum Kind: Equatable {
        case file(size: Int, executable: Bool)
        case directory
        case symbolicLink(target: String)
    }

    var path: String
    var kind: Kind
}

/// Reads POSIX ustar archives with the pax (`x`) and GNU (`L`, `K`) long-name extensions,
/// from decompressed bytes. Entry types a plugin has no use for (hard links, devices, FIFOs)
/// are refused rather than skipped, so what is installed is exactly what was listed.
struct TarReader {
    static let blockSize = 512
    /// pax records and GNU long names larger than this are refused.
    static let maximumMetadataSize = 64 * 1024

    private let source: GzipFileReader
    /// File data of the current entry not yet consumed, and its padding.
    private var unreadData = 0
    private var unreadPadding = 0

    init(source: GzipFileReader) {
        self.source = source
    }

    /// The next entry, or nil after the end-of-archive marker. For a file, its data must be
    /// read with `readData` (or is skipped by the next call).
    mutating func next() throws(BundleError) -> TarEntry? {
        try skipUnread()
        var longName: String?
        var longLink: String?
        var paxOverrides: [String: String] = [:]
        while true {
            let block = try source.read(exactly: Self.blockSize)
            if block.allSatisfy({ $0 == 0 }) { return nil }
            let header = try TarHeader(block)
            switch header.type {
            case UInt8(ascii: "x"):
                paxOverrides.merge(try readPaxRecords(size: header.size)) { $1 }
            case UInt8(ascii: "g"):
                _ = try readMetadata(size: header.size)  // global defaults: nothing we use
            case UInt8(ascii: "L"):
                longName = Self.cString(try readMetadata(size: header.size))
            case UInt8(ascii: "K"):
                longLink = Self.cString(try readMetadata(size: header.size))
            default:
                let path = paxOverrides["path"] ?? longName ?? header.name
                let link = paxOverrides["linkpath"] ?? longLink ?? header.linkName
                var size = header.size
                if let paxSize = paxOverrides["size"] {
                    guard let parsed = Int(paxSize), parsed >= 0 else {
                        throw .corruptArchive("bad pax size \"\(paxSize)\"")
                    }
                    size = parsed
                }
                return try entry(type: header.type, path: path, link: link, size: size, mode: header.mode)
            }
        }
    }

    /// After `next()` returned nil: checks that only zero padding follows the end marker
    /// (tar writers pad the archive to a whole record).
    mutating func finish() throws(BundleError) {
        while try !source.isAtEnd() {
            try source.forEachPiece(of: Self.blockSize) { piece throws(BundleError) in
                guard piece.allSatisfy({ $0 == 0 }) else {
                    throw .corruptArchive("data after the end-of-archive marker")
                }
            }
        }
    }

    /// Passes the current file's data to `body` in pieces.
    mutating func readData(_ body: (ArraySlice<UInt8>) throws(BundleError) -> Void) throws(BundleError) {
        try source.forEachPiece(of: unreadData, body)
        unreadData = 0
        _ = try source.read(exactly: unreadPadding)
        unreadPadding = 0
    }

    private mutating func entry(type: UInt8, path: String, link: String, size: Int, mode: UInt32) throws(BundleError)
        -> TarEntry
    {
        switch type {
        case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
            unreadData = size
            unreadPadding = Self.padding(size)
            return TarEntry(path: path, kind: .file(size: size, executable: mode & 0o111 != 0))
        case UInt8(ascii: "5"):
            return TarEntry(path: path, kind: .directory)
        case UInt8(ascii: "2"):
            return TarEntry(path: path, kind: .symbolicLink(target: link))
        case UInt8(ascii: "1"): throw .unsupportedEntry(path: path, type: "hard link")
        case UInt8(ascii: "3"): throw .unsupportedEntry(path: path, type: "character device")
        case UInt8(ascii: "4"): throw .unsupportedEntry(path: path, type: "block device")
        case UInt8(ascii: "6"): throw .unsupportedEntry(path: path, type: "FIFO")
        default: throw .unsupportedEntry(path: path, type: "type \(Self.printable(type))")
        }
    }

    private mutating func skipUnread() throws(BundleError) {
        if unreadData > 0 { try source.forEachPiece(of: unreadData) { _ in } }
        if unreadPadding > 0 { _ = try source.read(exactly: unreadPadding) }
        unreadData = 0
        unreadPadding = 0
    }

    private func readMetadata(size: Int) throws(BundleError) -> [UInt8] {
        guard size <= Self.maximumMetadataSize else { throw .corruptArchive("a metadata record of \(size) bytes") }
        let bytes = try source.read(exactly: size)
        _ = try source.read(exactly: Self.padding(size))
        return bytes
    }

    /// pax extended header records: "LENGTH KEY=VALUE\n", LENGTH counting the whole record.
    private func readPaxRecords(size: Int) throws(BundleError) -> [String: String] {
        let bytes = try readMetadata(size: size)
        var records: [String: String] = [:]
        var index = 0
        while index < bytes.count {
            guard let space = bytes[index...].firstIndex(of: UInt8(ascii: " ")),
                let length = Int(String(decoding: bytes[index..<space], as: UTF8.self)),
                length > space - index + 1, index + length <= bytes.count, bytes[index + length - 1] == UInt8(ascii: "\n")
            else { throw .corruptArchive("malformed pax record") }
            let record = bytes[(space + 1)..<(index + length - 1)]
            guard let equals = record.firstIndex(of: UInt8(ascii: "=")) else {
                throw .corruptArchive("malformed pax record")
            }
            let key = String(decoding: record[record.startIndex..<equals], as: UTF8.self)
            records[key] = String(decoding: record[(equals + 1)...], as: UTF8.self)
            index += length
        }
        return records
    }

    static func padding(_ size: Int) -> Int { (blockSize - size % blockSize) % blockSize }

    static func cString(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    static func printable(_ byte: UInt8) -> String {
        (0x21...0x7e).contains(byte) ? String(UnicodeScalar(byte)) : "0x" + String(byte, radix: 16)
    }
}

/// The fields of one 512-byte ustar header that we use, validated.
struct TarHeader {
    var name: String
    var mode: UInt32
    var size: Int
    var type: UInt8
    var linkName: String

    init(_ block: [UInt8]) throws(BundleError) {
        precondition(block.count == TarReader.blockSize)
        // The checksum is the byte sum of the header with its own field read as spaces.
        let stored = try Self.number(block[148..<156], field: "checksum")
        var sum = 0
        for (offset, byte) in block.enumerated() { sum += (148..<156).contains(offset) ? 0x20 : Int(byte) }
        guard stored == sum else { throw .corruptArchive("header checksum mismatch") }

        var name = TarReader.cString(block[0..<100])
        let isUstar = block[257..<262].elementsEqual("ustar".utf8)
        let prefix = isUstar ? TarReader.cString(block[345..<500]) : ""
        if !prefix.isEmpty { name = prefix + "/" + name }
        self.name = name
        self.mode = UInt32(truncatingIfNeeded: try Self.number(block[100..<108], field: "mode"))
        self.size = try Self.number(block[124..<136], field: "size")
        self.type = block[156]
        self.linkName = TarReader.cString(block[157..<257])
    }

    /// Octal, NUL- or space-terminated; or GNU base-256 (high bit of the first byte set).
    static func number(_ field: ArraySlice<UInt8>, field name: String) throws(BundleError) -> Int {
        if let first = field.first, first & 0x80 != 0 {
            guard first == 0x80 else { throw .corruptArchive("negative or oversized \(name)") }
            var value = 0
            for byte in field.dropFirst() {
                guard value <= (Int.max >> 8) else { throw .corruptArchive("oversized \(name)") }
                value = value << 8 | Int(byte)
            }
            return value
        }
        var value = 0
        var seenDigit = false
        for byte in field {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard value <= (Int.max >> 3) else { throw .corruptArchive("oversized \(name)") }
                value = value << 3 | Int(byte - UInt8(ascii: "0"))
                seenDigit = true
            case UInt8(ascii: " ") where !seenDigit: continue
            case 0, UInt8(ascii: " "): return value
            default: throw .corruptArchive("bad \(name) field")
            }
        }
        return value
    }
}
