/// A message ready to be emitted: fields classified, oneofs grouped, nested types listed.
struct MessageModel {
    let info: TypeRegistry.MessageInfo
    /// Fields in field-number order (the order they are written in).
    let fields: [FieldModel]
    let oneofs: [OneofModel]
    let nestedMessages: [MessageModel]
    let nestedEnums: [(info: TypeRegistry.EnumInfo, path: [Int32])]
    /// Descriptor path of this message (for comments).
    let path: [Int32]
    /// Doc-comment lines by field number.
    let fieldDocs: [Int: [String]]
    let docs: [String]

    var swiftName: String { info.swiftName }
    /// Unqualified name (the part after the last dot).
    var localName: String { String(info.swiftName.split(separator: ".").last!) }
    var usesStorage: Bool { info.usesStorage }

    struct UnsupportedField: Error, CustomStringConvertible {
        let description: String
    }

    init(_ info: TypeRegistry.MessageInfo, registry: TypeRegistry, path: [Int32], comments: SourceComments) throws {
        self.info = info
        self.path = path
        let descriptor = info.descriptor
        docs = comments.docLines(path)
        var fieldDocs: [Int: [String]] = [:]
        for (index, field) in descriptor.field.enumerated() {
            fieldDocs[Int(field.number)] = comments.docLines(path + [2, Int32(index)])
        }
        self.fieldDocs = fieldDocs

        // Real oneofs (proto3 `optional` creates synthetic ones, which are plain presence).
        var oneofsByIndex: [Int: OneofModel] = [:]
        var oneofs: [OneofModel] = []
        for (index, decl) in descriptor.oneofDecl.enumerated() {
            let isSynthetic = descriptor.field.contains { $0.hasOneofIndex && Int($0.oneofIndex) == index && $0.proto3Optional }
            if isSynthetic { continue }
            let oneof = OneofModel(name: Naming.fieldName(decl.name), typeName: "OneOf_" + Naming.upperCamel(decl.name))
            oneofsByIndex[index] = oneof
            oneofs.append(oneof)
        }

        // `hasFoo` / `clearFoo()` are generated for fields with presence; a field whose own
        // name is one of those gets the `_p` suffix instead of clashing.
        var accessorNames: Set<String> = []
        for field in descriptor.field {
            let name = Naming.capitalized(Naming.fieldName(field.name))
            accessorNames.insert("has" + name)
            accessorNames.insert("clear" + name)
        }

        var fields: [FieldModel] = []
        for field in descriptor.field.sorted(by: { $0.number < $1.number }) {
            var model = try MessageModel.classify(field, in: info, registry: registry, oneofs: oneofsByIndex)
            if accessorNames.contains(model.name) { model.name += "_p" }
            if case .oneofMember(let oneof) = model.cardinality { oneof.members.append(model) }
            fields.append(model)
        }
        self.fields = fields
        self.oneofs = oneofs

        let prefix = info.fullName + "."
        nestedMessages = try descriptor.nestedType.enumerated().compactMap { index, nested in
            guard let nestedInfo = registry.message(prefix + nested.name), !nestedInfo.isMapEntry else { return nil }
            return try MessageModel(nestedInfo, registry: registry, path: path + [3, Int32(index)], comments: comments)
        }
        nestedEnums = descriptor.enumType.enumerated().compactMap { index, nested in
            registry.enumInfo(prefix + nested.name).map { ($0, path + [4, Int32(index)]) }
        }
    }

    private static func classify(
        _ field: Google_Protobuf_FieldDescriptorProto, in message: TypeRegistry.MessageInfo,
        registry: TypeRegistry, oneofs: [Int: OneofModel]
    ) throws -> FieldModel {
        let where_ = "\(message.fullName).\(field.name)"
        var kind: FieldModel.Kind
        switch field.type {
        case .message, .group:
            guard let target = registry.message(field.typeName) else {
                throw UnsupportedField(description: "\(where_): unknown message type \(field.typeName)")
            }
            if target.isMapEntry {
                kind = try mapKind(target, registry: registry, context: where_)
            } else {
                kind = field.type == .group ? .group(target) : .message(target)
            }
        case .enum:
            guard let target = registry.enumInfo(field.typeName) else {
                throw UnsupportedField(description: "\(where_): unknown enum type \(field.typeName)")
            }
            kind = .enumeration(target)
        default:
            guard let scalar = ScalarType(field.type) else {
                throw UnsupportedField(description: "\(where_): unsupported type \(field.type)")
            }
            kind = .scalar(scalar)
        }

        let cardinality: FieldModel.Cardinality
        if case .map = kind {
            cardinality = .map
        } else if field.label == .repeated {
            let packable: Bool
            switch kind {
            case .scalar(let scalar): packable = scalar.isPackable
            case .enumeration: packable = true
            default: packable = false
            }
            // proto3 packs by default; proto2 only with [packed = true].
            let packed = packable && (field.options.hasPacked ? field.options.packed : message.syntax == .proto3)
            cardinality = .repeated(packed: packed)
        } else if field.label == .required {
            cardinality = .required
        } else if field.hasOneofIndex, let oneof = oneofs[Int(field.oneofIndex)] {
            cardinality = .oneofMember(oneof)
        } else if message.syntax == .proto2 || field.proto3Optional {
            cardinality = .optional
        } else {
            switch kind {
            case .message, .group: cardinality = .optional
            default: cardinality = .implicit
            }
        }

        return FieldModel(
            descriptor: field, number: Int(field.number), name: Naming.fieldName(field.name),
            kind: kind, cardinality: cardinality,
            defaultValue: try defaultValue(field, kind: kind, context: where_)
        )
    }

    private static func mapKind(_ entry: TypeRegistry.MessageInfo, registry: TypeRegistry, context: String) throws -> FieldModel.Kind {
        guard let keyField = entry.descriptor.field.first(where: { $0.number == 1 }),
              let valueField = entry.descriptor.field.first(where: { $0.number == 2 }),
              let key = ScalarType(keyField.type)
        else { throw UnsupportedField(description: "\(context): malformed map entry \(entry.fullName)") }
        let value: FieldModel.MapValue
        switch valueField.type {
        case .message:
            guard let target = registry.message(valueField.typeName) else {
                throw UnsupportedField(description: "\(context): unknown map value type \(valueField.typeName)")
            }
            value = .message(target)
        case .enum:
            guard let target = registry.enumInfo(valueField.typeName) else {
                throw UnsupportedField(description: "\(context): unknown map value type \(valueField.typeName)")
            }
            value = .enumeration(target)
        default:
            guard let scalar = ScalarType(valueField.type) else {
                throw UnsupportedField(description: "\(context): unsupported map value type")
            }
            value = .scalar(scalar)
        }
        return .map(key: key, value: value)
    }

    /// The Swift expression for a field's default (proto2 `[default = ...]` or the type's zero).
    private static func defaultValue(_ field: Google_Protobuf_FieldDescriptorProto, kind: FieldModel.Kind, context: String) throws -> String {
        switch kind {
        case .scalar(let scalar):
            guard field.hasDefaultValue else { return scalar.zeroValue }
            let text = field.defaultValue
            switch scalar {
            case .string: return Naming.stringLiteral(text)
            case .bytes: return "[" + unescapeCBytes(text).map { String($0) }.joined(separator: ", ") + "]"
            case .bool: return text == "true" ? "true" : "false"
            case .float, .double:
                switch text {
                case "inf": return ".infinity"
                case "-inf": return "-.infinity"
                case "nan": return ".nan"
                default: return text
                }
            default: return text
            }
        case .enumeration(let info):
            if field.hasDefaultValue {
                guard let name = info.caseNames[field.defaultValue] else {
                    throw UnsupportedField(description: "\(context): unknown enum default \(field.defaultValue)")
                }
                return "." + name
            }
            return "." + info.defaultCase
        case .message(let info), .group(let info):
            return "\(info.swiftName)()"
        case .map:
            return "[:]"
        }
    }

    /// protoc hands bytes defaults C-escaped (`\001`, `\n`, `\\`, `\x41`).
    static func unescapeCBytes(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            guard byte == UInt8(ascii: "\\"), let next = bytes.popFirst() else {
                out.append(byte)
                continue
            }
            switch next {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "a"): out.append(7)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "v"): out.append(11)
            case UInt8(ascii: "x"):
                var value = 0
                var digits = 0
                while digits < 2, let digit = bytes.first, let hex = Int(String(UnicodeScalar(digit)), radix: 16) {
                    value = value * 16 + hex
                    bytes.removeFirst()
                    digits += 1
                }
                out.append(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(next - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, let digit = bytes.first, digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") {
                    value = value * 8 + Int(digit - UInt8(ascii: "0"))
                    bytes.removeFirst()
                    digits += 1
                }
                out.append(UInt8(truncatingIfNeeded: value))
            default: out.append(next)
            }
        }
        return out
    }
}
