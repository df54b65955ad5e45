import Foundation

/// The target's `wire-config.json`: every key is optional; a missing file or key takes
/// protoc-gen-wire's default. Unknown keys are an error, so a typo does not go unnoticed.
///
/// ```json
/// {
///   "visibility": "Public",
///   "fileNaming": "FullPath",
///   "comments": true,
///   "services": true,
///   "reflection": true,
///   "importPaths": ["../../Protos"],
///   "protocPath": "/usr/bin/protoc"
/// }
/// ```
struct WireConfiguration: Decodable {
    static let fileName = "wire-config.json"

    /// `Public` or `Internal` (`--wire_opt=Visibility`).
    var visibility: String?
    /// `FullPath`, `PathToUnderscores` or `DropPath` (`--wire_opt=FileNaming`).
    var fileNaming: String?
    /// `.proto` comments become doc comments (`--wire_opt=Comments`).
    var comments: Bool?
    /// Files with services also get `Name.rpc.swift`; the target then needs product `RPC`.
    var services: Bool?
    /// `Name.rpc.swift` embeds descriptors for server reflection (`--wire_opt=Reflection`).
    var reflection: Bool?
    /// More `-I` folders for imports, relative to the target's folder (the target's folder
    /// itself always comes first). Their .proto files are imported, not generated.
    var importPaths: [String]?
    /// protoc to run; default: `protoc` on PATH.
    var protocPath: String?

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case visibility, fileNaming, comments, services, reflection, importPaths, protocPath
    }

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads the file at `url`, or the defaults when there is none.
    static func load(from url: URL) throws -> WireConfiguration {
        guard FileManager.default.fileExists(atPath: url.path) else { return WireConfiguration() }
        let data = try Data(contentsOf: url)
        let object = try JSONSerialization.jsonObject(with: data)
        guard let keys = (object as? [String: Any])?.keys else {
            throw Invalid(description: "\(url.path): expected a JSON object")
        }
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = keys.sorted().first(where: { !known.contains($0) }) {
            throw Invalid(description: "\(url.path): unknown key '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        do {
            return try JSONDecoder().decode(WireConfiguration.self, from: data)
        } catch {
            throw Invalid(description: "\(url.path): \(error)")
        }
    }

    init() {}

    /// The `--wire_opt` value. `EmptyServiceFiles=true`: a build tool plugin must name every
    /// output before protoc runs, so every .proto file gets its `Name.rpc.swift`.
    var wireOptions: String {
        var options: [String] = []
        if let visibility { options.append("Visibility=\(visibility)") }
        if let fileNaming { options.append("FileNaming=\(fileNaming)") }
        if let comments { options.append("Comments=\(comments)") }
        if let services { options.append("Services=\(services)") }
        if let reflection { options.append("Reflection=\(reflection)") }
        if generatesServiceFiles { options.append("EmptyServiceFiles=true") }
        return options.joined(separator: ",")
    }

    var generatesServiceFiles: Bool { services ?? true }

    /// Where protoc-gen-wire writes the Swift for `protoPath` (relative to the output folder),
    /// following the same rule as the generator's FileNaming option.
    func outputPath(forProto protoPath: String, suffix: String) throws -> String {
        var base = protoPath
        if base.hasSuffix(".proto") { base.removeLast(".proto".count) }
        switch fileNaming ?? "FullPath" {
        case "FullPath": break
        case "PathToUnderscores": base = base.replacingOccurrences(of: "/", with: "_")
        case "DropPath": base = String(base.split(separator: "/").last ?? Substring(base))
        case let other:
            throw Invalid(description: "fileNaming must be FullPath, PathToUnderscores or DropPath, got '\(other)'")
        }
        return base + suffix
    }
}
