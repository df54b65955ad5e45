/// Options passed as `--wire_opt=Key=Value,Key=Value`.
public struct GeneratorOptions: Sendable, Equatable {
    public enum Visibility: String, Sendable { case `public` = "Public", `internal` = "Internal" }

    /// How a proto path becomes an output path: `a/b/c.proto` ->
    /// `a/b/c.wire.swift` (FullPath), `a_b_c.wire.swift` (PathToUnderscores), `c.wire.swift` (DropPath).
    public enum FileNaming: String, Sendable { case fullPath = "FullPath", pathToUnderscores = "PathToUnderscores", dropPath = "DropPath" }

    public var visibility: Visibility = .public
    public var fileNaming: FileNaming = .fullPath
    /// False when the output is compiled into module Wire itself (the well-known types).
    public var importWire = true
    /// Whether comments from the .proto file become doc comments.
    public var comments = true
    /// Whether files with services also get `Name.rpc.swift` (service stubs, see `ServiceEmitter`).
    public var services = true
    /// False when service stubs are compiled into module RPC itself (its standard services).
    public var importRPC = true
    /// Whether `Name.rpc.swift` embeds the descriptors server reflection serves.
    public var reflection = true
    /// Whether files without services get a `Name.rpc.swift` too (a header only), so every
    /// .proto file has one: for build systems that must name every output in advance.
    public var emptyServiceFiles = false

    public init() {}

    public struct InvalidOption: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses the plugin parameter string protoc passes (`--wire_opt` values joined by commas).
    public init(parameter: String) throws {
        for item in parameter.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: " ") }
            guard parts.count == 2 else { throw InvalidOption(description: "expected Key=Value, got '\(item)'") }
            // `documentation` is the list of options: a key missing there is not accepted.
            guard Self.documentation.contains(where: { $0.key == parts[0] }) else {
                let known = Self.documentation.map(\.key).joined(separator: ", ")
                throw InvalidOption(description: "unknown option '\(parts[0])' (options: \(known))")
            }
            switch parts[0] {
            case "Visibility":
                guard let value = Visibility(rawValue: parts[1]) else {
                    throw InvalidOption(description: "Visibility must be Public or Internal, got '\(parts[1])'")
                }
                visibility = value
            case "FileNaming":
                guard let value = FileNaming(rawValue: parts[1]) else {
                    throw InvalidOption(description: "FileNaming must be FullPath, PathToUnderscores or DropPath, got '\(parts[1])'")
                }
                fileNaming = value
            case "ImportWire":
                guard parts[1] == "true" || parts[1] == "false" else {
                    throw InvalidOption(description: "ImportWire must be true or false, got '\(parts[1])'")
                }
                importWire = parts[1] == "true"
            case "Comments":
                guard parts[1] == "true" || parts[1] == "false" else {
                    throw InvalidOption(description: "Comments must be true or false, got '\(parts[1])'")
                }
                comments = parts[1] == "true"
            case "Services":
                services = try Self.bool(parts[0], parts[1])
            case "ImportRPC":
                importRPC = try Self.bool(parts[0], parts[1])
            case "Reflection":
                reflection = try Self.bool(parts[0], parts[1])
            case "EmptyServiceFiles":
                emptyServiceFiles = try Self.bool(parts[0], parts[1])
            default:
                throw InvalidOption(description: "option '\(parts[0])' is documented but not handled")
            }
        }
    }

    /// One `--wire_opt` key, for `protoc-gen-wire --help` (and the README's table).
    public struct Documentation: Sendable {
        public let key: String
        /// Every accepted value; the first is the default.
        public let values: [String]
        public let meaning: String
    }

    /// Every key `init(parameter:)` accepts.
    public static let documentation: [Documentation] = [
        Documentation(key: "Visibility", values: ["Public", "Internal"],
                      meaning: "access level of the generated types and their members"),
        Documentation(key: "FileNaming", values: ["FullPath", "PathToUnderscores", "DropPath"],
                      meaning: "a/b/c.proto becomes a/b/c.wire.swift, a_b_c.wire.swift or c.wire.swift"),
        Documentation(key: "Comments", values: ["true", "false"],
                      meaning: "comments in the .proto file become /// doc comments"),
        Documentation(key: "Services", values: ["true", "false"],
                      meaning: "files with services also get Name.rpc.swift (server protocol and client; needs module RPC)"),
        Documentation(key: "Reflection", values: ["true", "false"],
                      meaning: "Name.rpc.swift embeds the descriptors that server reflection serves"),
        Documentation(key: "EmptyServiceFiles", values: ["false", "true"],
                      meaning: "files without services get a Name.rpc.swift too (a header only), for build systems that name every output in advance"),
        Documentation(key: "ImportWire", values: ["true", "false"],
                      meaning: "false only for code compiled into module Wire itself (no `import Wire`)"),
        Documentation(key: "ImportRPC", values: ["true", "false"],
                      meaning: "false only for service stubs compiled into module RPC itself (no `import RPC`)"),
    ]

    private static func bool(_ key: String, _ value: String) throws -> Bool {
        guard value == "true" || value == "false" else {
            throw InvalidOption(description: "\(key) must be true or false, got '\(value)'")
        }
        return value == "true"
    }

    /// `a/b/c.proto` -> output path for a given suffix (`.wire.swift`, `.rpc.swift`).
    public func outputPath(forProto protoPath: String, suffix: String) -> String {
        var base = protoPath
        if base.hasSuffix(".proto") { base.removeLast(6) }
        switch fileNaming {
        case .fullPath: break
        case .pathToUnderscores: base = base.replacingAll("/", with: "_")
        case .dropPath: base = String(base.split(separator: "/").last ?? Substring(base))
        }
        return base + suffix
    }

    var accessPrefix: String { visibility == .public ? "public " : "" }
}

extension StringProtocol {
    func trimmingCharacters(in character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return String(text)
    }

    func replacingAll(_ target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
