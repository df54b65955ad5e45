/// Names inside a bundle, checked before anything touches the disk.
enum BundlePath {
    static let maximumLength = 1024
    static let maximumDepth = 32
    static let maximumComponentLength = 255

    /// The components of a member's name relative to the staging root. Refuses absolute
    /// names, `..`, NUL and overlong names; drops `.` and empty components (`./a//b`).
    static func components(of name: String) throws(BundleError) -> [Substring] {
        guard !name.hasPrefix("/"), name.utf8.count <= maximumLength, !name.utf8.contains(0) else {
            throw .unsafePath(name)
        }
        let parts = name.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        guard !parts.isEmpty, parts.count <= maximumDepth else { throw .unsafePath(name) }
        for part in parts where part == ".." || part.utf8.count > maximumComponentLength {
            throw .unsafePath(name)
        }
        return parts
    }

    /// Whether a link at `linkComponents` with `target` stays inside the root when read
    /// lexically (each `..` removing one component). This is a first filter: links through
    /// other links are checked again on disk, with realpath, once every link exists.
    static func linkStaysInside(linkComponents: [Substring], target: String) -> Bool {
        guard !target.isEmpty, !target.hasPrefix("/"), !target.utf8.contains(0),
            target.utf8.count <= maximumLength
        else { return false }
        var resolved = Array(linkComponents.dropLast())
        for part in target.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !resolved.isEmpty else { return false }
                resolved.removeLast()
            default: resolved.append(part)
            }
        }
        return true
    }
}
