/// The comments protoc keeps for a file (`SourceCodeInfo`), looked up by descriptor path:
/// `[4, i]` is message i, `[4, i, 2, j]` its field j, `[4, i, 3, k]` its nested message k,
/// `[4, i, 4, e]` / `[5, e]` enums, `[5, e, 2, v]` enum values, `[6, s]` services,
/// `[6, s, 2, m]` methods.
struct SourceComments {
    private var byPath: [[Int32]: String] = [:]

    /// No comments at all.
    init() {}

    init(_ file: Google_Protobuf_FileDescriptorProto) {
        for location in file.sourceCodeInfo.location where location.hasLeadingComments || location.hasTrailingComments {
            let text = location.hasLeadingComments ? location.leadingComments : location.trailingComments
            byPath[location.path] = text
        }
    }

    /// Doc-comment lines (`/// ...`) for the element at `path`, empty when it has none.
    func docLines(_ path: [Int32]) -> [String] {
        guard let text = byPath[path] else { return [] }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var line = Substring(line)
            // protoc keeps the single space after `//`; drop it, keep deeper indentation.
            if line.first == " " { line = line.dropFirst() }
            while line.last == " " { line = line.dropLast() }
            return String(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        return lines.map { $0.isEmpty ? "///" : "/// " + $0 }
    }

    /// The comment as plain text (for models handed to other emitters).
    func text(_ path: [Int32]) -> String {
        docLines(path).map { $0 == "///" ? "" : String($0.dropFirst(4)) }.joined(separator: "\n")
    }
}
