/// One field of a message, classified for code generation.
struct FieldModel {
    enum Kind {
        case scalar(ScalarType)
        case enumeration(TypeRegistry.EnumInfo)
        case message(TypeRegistry.MessageInfo)
        case group(TypeRegistry.MessageInfo)
        case map(key: ScalarType, value: MapValue)
    }

    enum MapValue {
        case scalar(ScalarType)
        case enumeration(TypeRegistry.EnumInfo)
        case message(TypeRegistry.MessageInfo)
    }

    /// How the field is present in the struct.
    enum Cardinality {
        /// proto3 singular without `optional`: a plain value, written when not the default.
        case implicit
        /// Has presence (`hasX` / `clearX()`), stored as an Optional.
        case optional
        case required
        case repeated(packed: Bool)
        case map
        /// Member of a (real) oneof.
        case oneofMember(OneofModel)
    }

    let descriptor: Google_Protobuf_FieldDescriptorProto
    let number: Int
    /// Swift property name (already mangled, declare with `Naming.declared`).
    var name: String
    let kind: Kind
    let cardinality: Cardinality
    /// Swift expression of the default value (for implicit and optional fields).
    let defaultValue: String

    var tagSize: Int { varintSize(UInt64(number) << 3) }

    /// Raw tag for the wire type this field is written with.
    var tag: UInt32 {
        let wireType: UInt32
        switch kind {
        case .scalar(let scalar): wireType = UInt32(scalar.wireType)
        case .enumeration: wireType = 0
        case .message, .map: wireType = 2
        case .group: wireType = 3
        }
        return UInt32(number) << 3 | wireType
    }

    /// Tag of a packed run (wire type 2).
    var packedTag: UInt32 { UInt32(number) << 3 | 2 }

    var isPackable: Bool {
        switch kind {
        case .scalar(let scalar): return scalar.isPackable
        case .enumeration: return true
        default: return false
        }
    }

    var isClosedEnum: Bool {
        if case .enumeration(let info) = kind { return info.isClosed }
        return false
    }

    var hasPresence: Bool {
        switch cardinality {
        case .optional, .required: return true
        default: return false
        }
    }

    var isImplicit: Bool {
        if case .implicit = cardinality { return true }
        return false
    }

    var isRepeated: Bool {
        if case .repeated = cardinality { return true }
        return false
    }

    /// Swift type of one value.
    var valueType: String {
        switch kind {
        case .scalar(let scalar): return scalar.swiftType
        case .enumeration(let info): return info.swiftName
        case .message(let info), .group(let info): return info.swiftName
        case .map(let key, let value): return "[\(key.swiftType): \(FieldModel.swiftType(of: value))]"
        }
    }

    /// Swift type of the property users see.
    var propertyType: String {
        switch cardinality {
        case .repeated: return "[\(valueType)]"
        default: return valueType
        }
    }

    /// The `Wire` codec for scalar and enum values.
    var codec: String {
        switch kind {
        case .scalar(let scalar): return "Wire.\(scalar.codec)"
        case .enumeration(let info): return "Wire.ProtoEnum<\(info.swiftName)>"
        default: return "<no codec>"
        }
    }

    static func swiftType(of value: MapValue) -> String {
        switch value {
        case .scalar(let scalar): return scalar.swiftType
        case .enumeration(let info): return info.swiftName
        case .message(let info): return info.swiftName
        }
    }

    /// Condition under which an implicit (proto3) field is written: it differs from its default.
    func isSetCondition(_ reference: String) -> String {
        switch kind {
        case .scalar(let scalar):
            switch scalar {
            case .float, .double: return "\(reference).bitPattern != 0"
            case .bool: return reference
            case .string, .bytes: return "!\(reference).isEmpty"
            default: return "\(reference) != 0"
            }
        case .enumeration: return "\(reference).rawValue != 0"
        default: return "true"
        }
    }
}

func varintSize(_ value: UInt64) -> Int {
    var size = 1
    var value = value >> 7
    while value != 0 { size += 1; value >>= 7 }
    return size
}

/// The protobuf scalar types.
enum ScalarType {
    case double, float, int64, uint64, int32, fixed64, fixed32, bool, string, bytes, uint32, sfixed32, sfixed64, sint32, sint64

    init?(_ type: Google_Protobuf_FieldDescriptorProto.TypeEnum) {
        switch type {
        case .double: self = .double
        case .float: self = .float
        case .int64: self = .int64
        case .uint64: self = .uint64
        case .int32: self = .int32
        case .fixed64: self = .fixed64
        case .fixed32: self = .fixed32
        case .bool: self = .bool
        case .string: self = .string
        case .bytes: self = .bytes
        case .uint32: self = .uint32
        case .sfixed32: self = .sfixed32
        case .sfixed64: self = .sfixed64
        case .sint32: self = .sint32
        case .sint64: self = .sint64
        default: return nil
        }
    }

    var swiftType: String {
        switch self {
        case .double: return "Double"
        case .float: return "Float"
        case .int64, .sint64, .sfixed64: return "Int64"
        case .uint64, .fixed64: return "UInt64"
        case .int32, .sint32, .sfixed32: return "Int32"
        case .uint32, .fixed32: return "UInt32"
        case .bool: return "Bool"
        case .string: return "String"
        case .bytes: return "[UInt8]"
        }
    }

    var codec: String {
        switch self {
        case .double: return "ProtoDouble"
        case .float: return "ProtoFloat"
        case .int64: return "ProtoInt64"
        case .uint64: return "ProtoUInt64"
        case .int32: return "ProtoInt32"
        case .fixed64: return "ProtoFixed64"
        case .fixed32: return "ProtoFixed32"
        case .bool: return "ProtoBool"
        case .string: return "ProtoString"
        case .bytes: return "ProtoBytes"
        case .uint32: return "ProtoUInt32"
        case .sfixed32: return "ProtoSFixed32"
        case .sfixed64: return "ProtoSFixed64"
        case .sint32: return "ProtoSInt32"
        case .sint64: return "ProtoSInt64"
        }
    }

    var wireType: Int {
        switch self {
        case .double, .fixed64, .sfixed64: return 1
        case .float, .fixed32, .sfixed32: return 5
        case .string, .bytes: return 2
        default: return 0
        }
    }

    var isPackable: Bool { self != .string && self != .bytes }

    var zeroValue: String {
        switch self {
        case .bool: return "false"
        case .string: return "\"\""
        case .bytes: return "[]"
        default: return "0"
        }
    }
}

/// A real (not synthetic proto3-optional) oneof.
final class OneofModel {
    let name: String
    /// `OneOf_Kind`
    let typeName: String
    var members: [FieldModel] = []

    init(name: String, typeName: String) {
        self.name = name
        self.typeName = typeName
    }
}
