import Glibc

/// Reading and writing corpus files (plain files of raw input bytes).
public enum CorpusFiles {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `path` itself if it is a file, else the files in it (not recursive), sorted by name.
    public static func list(_ path: String) throws(Failure) -> [String] {
        var status = stat()
        guard stat(path, &status) == 0 else { throw Failure(description: "no such file or folder: \(path)") }
        guard status.st_mode & S_IFMT == S_IFDIR else { return [path] }
        guard let folder = opendir(path) else { throw Failure(description: "cannot open \(path)") }
        defer { closedir(folder) }
        var names: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if entry.pointee.d_type == UInt8(DT_REG) { names.append(name) }
        }
        return names.sorted().map { "\(path)/\($0)" }
    }

    public static func read(_ path: String) throws(Failure) -> [UInt8] {
        guard let file = fopen(path, "rb") else { throw Failure(description: "cannot open \(path)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count == 0 { break }
            bytes += chunk[..<count]
            // Corpus inputs are small; this bounds a mistaken path to a huge file.
            guard bytes.count <= 16 << 20 else { throw Failure(description: "\(path) is over 16 MiB") }
        }
        guard ferror(file) == 0 else { throw Failure(description: "cannot read \(path)") }
        return bytes
    }

    static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        guard let file = fopen(path, "wb") else { throw Failure(description: "cannot create \(path)") }
        defer { fclose(file) }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == bytes.count else { throw Failure(description: "cannot write \(path)") }
    }
}
