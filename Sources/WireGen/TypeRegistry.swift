/// Every message and enum of every file in a request (dependencies included), by
/// fully-qualified proto name (`.pkg.Outer.Inner`), with the Swift names the generator uses.
final class TypeRegistry {
    final class MessageInfo {
        let fullName: String
        let swiftName: String
        let descriptor: Google_Protobuf_DescriptorProto
        let syntax: Syntax
        /// True for the synthetic `XEntry` message protoc creates for a `map<K, V>` field.
        var isMapEntry: Bool { descriptor.options.mapEntry }
        /// Set by `analyze()`: whether the message (transitively) contains required fields.
        var needsInitializationCheck = false
        /// Set by `analyze()`: whether the message keeps its fields in a copy-on-write class.
        var usesStorage = false

        init(fullName: String, swiftName: String, descriptor: Google_Protobuf_DescriptorProto, syntax: Syntax) {
            self.fullName = fullName
            self.swiftName = swiftName
            self.descriptor = descriptor
            self.syntax = syntax
        }
    }

    struct EnumInfo {
        let fullName: String
        let swiftName: String
        let descriptor: Google_Protobuf_EnumDescriptorProto
        /// proto2 enums are closed: numbers they do not declare are kept as unknown fields.
        let isClosed: Bool
        /// Swift case name by proto value name.
        let caseNames: [String: String]
        /// Case of the first declared value (the default).
        let defaultCase: String
    }

    enum Syntax { case proto2, proto3 }

    private(set) var messages: [String: MessageInfo] = [:]
    private(set) var enums: [String: EnumInfo] = [:]

    init(files: [Google_Protobuf_FileDescriptorProto]) {
        for file in files {
            let syntax: Syntax = file.syntax == "proto3" ? .proto3 : .proto2
            let protoPrefix = file.package.isEmpty ? "." : ".\(file.package)."
            let swiftPrefix = file.options.hasSwiftPrefix ? file.options.swiftPrefix : Naming.packagePrefix(file.package)
            for message in file.messageType {
                let swiftName = swiftPrefix.isEmpty
                    ? Naming.typeName(message.name, isEnum: false) : swiftPrefix + message.name
                register(message, fullName: protoPrefix + message.name, swiftName: swiftName, syntax: syntax)
            }
            for enumType in file.enumType {
                let swiftName = swiftPrefix.isEmpty
                    ? Naming.typeName(enumType.name, isEnum: true) : swiftPrefix + enumType.name
                register(enumType, fullName: protoPrefix + enumType.name, swiftName: swiftName, syntax: syntax)
            }
        }
        analyze()
    }

    private func register(_ message: Google_Protobuf_DescriptorProto, fullName: String, swiftName: String, syntax: Syntax) {
        messages[fullName] = MessageInfo(fullName: fullName, swiftName: swiftName, descriptor: message, syntax: syntax)
        for nested in message.nestedType {
            register(nested, fullName: fullName + "." + nested.name,
                     swiftName: swiftName + "." + Naming.typeName(nested.name, isEnum: false), syntax: syntax)
        }
        for nested in message.enumType {
            register(nested, fullName: fullName + "." + nested.name,
                     swiftName: swiftName + "." + Naming.typeName(nested.name, isEnum: true), syntax: syntax)
        }
    }

    private func register(_ enumType: Google_Protobuf_EnumDescriptorProto, fullName: String, swiftName: String, syntax: Syntax) {
        var caseNames: [String: String] = [:]
        for value in enumType.value {
            caseNames[value.name] = Naming.enumCaseName(value.name, enumName: enumType.name)
        }
        // Stripping the enum-name prefix can make two values collide (`FOO_BAR` and `BAR` in
        // `Foo`): then keep the full names, and number whatever still collides.
        if Set(caseNames.values).count < caseNames.count {
            var used: Set<String> = []
            for value in enumType.value {
                var name = Naming.enumCaseName(value.name, enumName: "")
                if used.contains(name) { name += "_\(value.number < 0 ? "m\(-Int(value.number))" : "\(value.number)")" }
                while used.contains(name) { name += "_" }
                used.insert(name)
                caseNames[value.name] = name
            }
        }
        let first = enumType.value.first.map { caseNames[$0.name]! } ?? "UNRECOGNIZED"
        enums[fullName] = EnumInfo(fullName: fullName, swiftName: swiftName, descriptor: enumType,
                                   isClosed: syntax == .proto2, caseNames: caseNames, defaultCase: first)
    }

    func message(_ typeName: String) -> MessageInfo? { messages[typeName] }
    func enumInfo(_ typeName: String) -> EnumInfo? { enums[typeName] }

    /// Decides copy-on-write storage and required-field checks for every message.
    private func analyze() {
        // Required fields, propagated to every message that can contain such a message.
        for info in messages.values {
            info.needsInitializationCheck = info.descriptor.field.contains { $0.label == .required }
        }
        var changed = true
        while changed {
            changed = false
            for info in messages.values where !info.needsInitializationCheck {
                let contained = info.descriptor.field.contains { field in
                    guard let target = messageTarget(of: field) else { return false }
                    return target.needsInitializationCheck
                }
                if contained {
                    info.needsInitializationCheck = true
                    changed = true
                }
            }
        }
        // A struct cannot contain itself inline: a message on a cycle of singular message
        // fields (oneof members included) keeps its fields in a class. Very large messages
        // do too, so copying them stays cheap.
        for info in messages.values {
            info.usesStorage = info.descriptor.field.count > 24 || reachesItself(info)
        }
    }

    /// The message a field refers to (for maps: the map's value message), if any.
    func messageTarget(of field: Google_Protobuf_FieldDescriptorProto) -> MessageInfo? {
        guard field.type == .message || field.type == .group, let target = messages[field.typeName] else { return nil }
        if target.isMapEntry {
            guard let value = target.descriptor.field.first(where: { $0.number == 2 }) else { return nil }
            return messageTarget(of: value)
        }
        return target
    }

    private func reachesItself(_ start: MessageInfo) -> Bool {
        var stack = inlineChildren(of: start)
        var seen: Set<String> = []
        while let next = stack.popLast() {
            if next.fullName == start.fullName { return true }
            guard seen.insert(next.fullName).inserted else { continue }
            stack += inlineChildren(of: next)
        }
        return false
    }

    /// Messages stored inline (singular, not behind an Array or Dictionary).
    private func inlineChildren(of info: MessageInfo) -> [MessageInfo] {
        info.descriptor.field.compactMap { field in
            guard field.label != .repeated, field.type == .message || field.type == .group else { return nil }
            return messages[field.typeName]
        }
    }
}
