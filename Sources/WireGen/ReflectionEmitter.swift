/// The server-reflection part of `Name.rpc.swift`: the serialized `FileDescriptorProto` of the
/// file and of everything it imports (transitively, imports first), with the symbols each file
/// defines, so RPC's `ReflectionService` can answer `grpc.reflection` requests without parsing
/// descriptors at run time. Source comments are stripped (smaller, and no .proto prose copied).
struct ReflectionEmitter {
    let file: FileModel
    let access: String

    /// Swift name of the file-level constant holding the descriptors (one per generated file,
    /// shared by all of its services).
    var constantName: String {
        "reflectionFiles_" + String(file.protoPath.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// The file and its transitive imports, each once, imports before importers.
    func closure() -> [Google_Protobuf_FileDescriptorProto] {
        var byName: [String: Google_Protobuf_FileDescriptorProto] = [:]
        for candidate in file.requestFiles { byName[candidate.name] = candidate }
        byName[file.descriptor.name] = file.descriptor
        var ordered: [Google_Protobuf_FileDescriptorProto] = []
        var visited: Set<String> = []
        // Iterative post-order walk (bounded by the number of files; import cycles are rejected by protoc).
        var stack: [(name: String, expanded: Bool)] = [(file.descriptor.name, false)]
        while let (name, expanded) = stack.popLast() {
            guard let descriptor = byName[name] else { continue }
            if expanded {
                if visited.insert(name).inserted { ordered.append(descriptor) }
                continue
            }
            guard !visited.contains(name) else { continue }
            stack.append((name, true))
            for dependency in descriptor.dependency.reversed() where !visited.contains(dependency) {
                stack.append((dependency, false))
            }
        }
        return ordered
    }

    /// Fully-qualified names (no leading dot) of the messages, enums, services and methods a
    /// file defines, as `file_containing_symbol` asks for them.
    static func symbols(of descriptor: Google_Protobuf_FileDescriptorProto) -> [String] {
        let prefix = descriptor.package.isEmpty ? "" : descriptor.package + "."
        var symbols: [String] = []
        func addMessage(_ message: Google_Protobuf_DescriptorProto, scope: String) {
            let name = scope + message.name
            symbols.append(name)
            for nested in message.nestedType { addMessage(nested, scope: name + ".") }
            for nested in message.enumType { symbols.append(name + "." + nested.name) }
        }
        for message in descriptor.messageType { addMessage(message, scope: prefix) }
        for enumType in descriptor.enumType { symbols.append(prefix + enumType.name) }
        for service in descriptor.service {
            symbols.append(prefix + service.name)
            for method in service.method { symbols.append(prefix + service.name + "." + method.name) }
        }
        return symbols
    }

    func emit(into out: inout SourceWriter) throws {
        out.line("/// Descriptors of \(file.protoPath) and its imports for server reflection (`ReflectionService`).")
        out.line("private let \(constantName): [ReflectionFile] = [")
        out.indent()
        for descriptor in closure() {
            var stripped = descriptor
            stripped.clearSourceCodeInfo()
            let encoded = Self.base64(try stripped.serializedBytes())
            out.line("ReflectionFile(")
            out.indent()
            out.line("name: \(Naming.stringLiteral(descriptor.name)),")
            out.line("dependencies: [\(descriptor.dependency.map(Naming.stringLiteral).joined(separator: ", "))],")
            let services = descriptor.service.map { (descriptor.package.isEmpty ? "" : descriptor.package + ".") + $0.name }
            out.line("services: [\(services.map(Naming.stringLiteral).joined(separator: ", "))],")
            out.line("symbols: [\(Self.symbols(of: descriptor).map(Naming.stringLiteral).joined(separator: ", "))],")
            out.line("descriptorBase64: \"\"\"")
            out.indent()
            var rest = Substring(encoded)
            while !rest.isEmpty {
                out.line(String(rest.prefix(100)))
                rest = rest.dropFirst(100)
            }
            out.line("\"\"\"")
            out.outdent()
            out.outdent()
            out.line("),")
        }
        out.outdent()
        out.line("]")
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    /// Padded standard base64.
    static func base64(_ bytes: [UInt8]) -> String {
        var out = ""
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            var group = UInt32(bytes[index]) << 16
            if count > 1 { group |= UInt32(bytes[index + 1]) << 8 }
            if count > 2 { group |= UInt32(bytes[index + 2]) }
            for position in 0..<4 {
                if position <= count {
                    out.append(alphabet[Int(group >> UInt32(18 - 6 * position) & 0x3F)])
                } else {
                    out.append("=")
                }
            }
            index += 3
        }
        return out
    }
}
