/// Swift names for protobuf names, following swift-protobuf's conventions where users see them:
/// `package my_co.chat; message PostList` -> `MyCo_Chat_PostList`; fields become lowerCamelCase;
/// enum values drop their enum-name prefix (`COLOR_RED` in `Color` -> `red`).
enum Naming {
    /// Words that cannot be a Swift identifier without backticks.
    static let swiftKeywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
        "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public",
        "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue",
        "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return",
        "throw", "switch", "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self",
        "super", "throws", "true", "try", "_", "package", "consume", "borrowing", "consuming", "some", "any",
    ]

    /// Member names that stay unusable even with backticks, or clash with members every
    /// generated message has: these get a `_p` suffix.
    static let reservedMemberNames: Set<String> = [
        "self", "Self", "Type", "Protocol", "init", "deinit", "subscript", "_",
        "unknownFields", "isInitialized", "protoMessageName", "hashValue", "computeSize",
        "encodedSizeBound", "encodeMessage", "decodeMessage", "serializedBytes", "serializedSize",
        "rawValue", "allCases", "UNRECOGNIZED",
    ]

    /// Type names that would shadow Swift types used by generated code (a nested message
    /// called `String` would break `var x: String`): these get a `Message`/`Enum` suffix.
    static let reservedTypeNames: Set<String> = [
        "Type", "Protocol", "String", "Bool", "Int", "Int32", "Int64", "UInt", "UInt8", "UInt32", "UInt64",
        "Float", "Double", "Array", "Dictionary", "Optional", "Set", "Error", "Equatable", "Hashable",
        "Sendable", "Never", "Void", "Any", "Self", "Wire",
    ]

    /// `my_co` -> `MyCo`, `chat` -> `Chat`.
    static func upperCamel(_ name: String) -> String {
        name.split(separator: "_").map { part in part.prefix(1).uppercased() + part.dropFirst() }.joined()
    }

    /// `my_co.chat` -> `MyCo_Chat_`; empty package -> empty prefix.
    static func packagePrefix(_ package: String) -> String {
        guard !package.isEmpty else { return "" }
        return package.split(separator: ".").map { upperCamel(String($0)) }.joined(separator: "_") + "_"
    }

    /// A message or enum's own (unqualified) Swift name.
    static func typeName(_ protoName: String, isEnum: Bool) -> String {
        reservedTypeNames.contains(protoName) || swiftKeywords.contains(protoName)
            ? protoName + (isEnum ? "Enum" : "Message") : protoName
    }

    /// Words spelled all-caps when they are not the first word (`type_url` -> `typeURL`),
    /// as swift-protobuf does.
    static let acronyms: Set<String> = ["id", "url", "uri", "http", "https"]

    /// `user_id` -> `userID`, `post_kind` -> `postKind`, `FooBar` -> `fooBar`, `_x` -> `x`.
    static func lowerCamel(_ name: String) -> String {
        var out = ""
        for word in name.split(separator: "_") {
            if out.isEmpty {
                out = word.prefix(1).lowercased() + word.dropFirst()
            } else if acronyms.contains(word.lowercased()) {
                out += word.uppercased()
            } else {
                out += word.prefix(1).uppercased() + word.dropFirst()
            }
        }
        if out.isEmpty { out = "field" }
        if let first = out.first, first.isNumber { out = "_" + out }
        return out
    }

    /// A field (or oneof) property name, safe to declare and to use after `self.`.
    static func fieldName(_ protoName: String) -> String {
        let name = lowerCamel(protoName)
        return reservedMemberNames.contains(name) ? name + "_p" : name
    }

    /// Spelling for a declaration: keywords need backticks there (member access after `.` does not).
    static func declared(_ name: String) -> String {
        swiftKeywords.contains(name) ? "`\(name)`" : name
    }

    /// `COLOR_RED` in enum `Color` -> `red`; `FOO` -> `foo`; `1X` -> `_1X`.
    static func enumCaseName(_ valueName: String, enumName: String) -> String {
        var name = valueName
        let prefix = screamingSnake(enumName) + "_"
        if name.uppercased().hasPrefix(prefix), name.count > prefix.count {
            name = String(name.dropFirst(prefix.count))
        }
        let lowered = name.contains(where: \.isLowercase) ? name : name.lowercased()
        var result = lowerCamel(lowered)
        if reservedMemberNames.contains(result) { result += "_p" }
        return result
    }

    /// `FooBar` -> `FOO_BAR` (how enum value prefixes are usually spelled).
    static func screamingSnake(_ name: String) -> String {
        var out = ""
        for (index, character) in name.enumerated() {
            if character.isUppercase && index > 0 && !out.hasSuffix("_") { out += "_" }
            out += character.uppercased()
        }
        return out
    }

    /// `foo` -> `Foo` for `hasFoo` / `clearFoo`.
    static func capitalized(_ name: String) -> String {
        if acronyms.contains(name) { return name.uppercased() }
        return name.prefix(1).uppercased() + name.dropFirst()
    }

    /// A Swift string literal for arbitrary text.
    static func stringLiteral(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\0": out += "\\0"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
