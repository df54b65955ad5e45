/// Emits one message: the struct (properties, nested types) and an extension with the
/// three coding functions generated code provides to `Wire.Message`.
struct MessageEmitter {
    let model: MessageModel
    let access: String
    let comments: SourceComments

    // MARK: Where fields live

    /// Name of the stored property behind a field (or oneof).
    private func storedName(_ field: FieldModel) -> String {
        model.usesStorage || field.hasPresence ? "_" + field.name : field.name
    }

    /// Expression for a field's storage inside the coding functions; `mutating` where it is
    /// written (decoding), which makes its cold fields' object unique first.
    private func ref(_ field: FieldModel, mutating: Bool = false) -> String {
        guard model.usesStorage else { return "self.\(storedName(field))" }
        return storedPath("storage", "_" + field.name, cold: isCold(.field(field)), mutating: mutating)
    }

    /// A stored property of the storage object `base` (`storage`, `self`, `other`): a cold
    /// one (see `usesColdFields`) is read through `cold?.`, which has the property's own
    /// optional type, and written through `uniqueCold()`.
    private func storedPath(_ base: String, _ name: String, cold: Bool, mutating: Bool) -> String {
        guard cold else { return "\(base).\(name)" }
        return mutating ? "\(base).uniqueCold().\(name)" : "\(base).cold?.\(name)"
    }

    /// Repeated, map and `bytes` fields of presence-bit storage are stored as optionals, `nil`
    /// for empty: a fresh storage object then holds no empty arrays or dictionaries, whose
    /// references it would store and release per message. Decoding moves the value out
    /// (`take()`), appends to it and stores it back, also when the read throws.
    private func isEmptyUntilSet(_ field: FieldModel) -> Bool {
        guard usesPresenceBits else { return false }
        switch (field.kind, field.cardinality) {
        case (_, .repeated), (_, .map), (.scalar(.bytes), .implicit): return true
        default: return false
        }
    }

    /// The empty value of a field `isEmptyUntilSet` keeps as `nil`.
    private func emptyValue(_ field: FieldModel) -> String {
        if case .map = field.cardinality { return "[:]" }
        return "[]"
    }

    /// A stored property's value read from `base` (`storage`, `self`, `other`), with the
    /// empty value for a `nil` that stands for it.
    private func storedValue(_ base: String, _ field: FieldModel) -> String {
        let stored = storedPath(base, "_" + field.name, cold: isCold(.field(field)), mutating: false)
        return isEmptyUntilSet(field) ? "\(stored) ?? \(emptyValue(field))" : stored
    }

    /// Expression for a field's value inside the coding functions.
    private func value(_ field: FieldModel) -> String {
        model.usesStorage ? storedValue("storage", field) : ref(field)
    }


    private func ref(_ oneof: OneofModel, mutating: Bool = false) -> String {
        guard model.usesStorage else { return "self.\(oneof.name)" }
        return storedPath("storage", "_" + oneof.name, cold: isCold(.oneof(oneof)), mutating: mutating)
    }

    /// Expression for a stored property in accessors (`self._x` or `self._storage._x`).
    private func accessorBase(_ name: String, mutating: Bool, cold: Bool = false) -> String {
        guard model.usesStorage else { return "self.\(name)" }
        return mutating
            ? storedPath("self._uniqueStorage()", name, cold: cold, mutating: true)
            : storedPath("self._storage", name, cold: cold, mutating: false)
    }

    // MARK: Cold fields

    /// Presence-bit messages with more than 64 fields (and oneofs) keep their map, message
    /// and oneof fields (the largest values: a message is stored inline) in a second object,
    /// `_ColdFields`, made at the first write of one of them. The storage object then stays
    /// under the largest block glibc's per-thread cache serves (1,032 bytes; every larger one
    /// takes malloc's slow path to allocate and to free), and a message that sets none of
    /// these fields does not allocate it. Repeated fields stay: in the storage they cost 8
    /// bytes each, and a second object for every message that sets one cost more than it saved.
    /// Each cold field is stored as an optional, so `cold?._x` has `_x`'s type.
    private var usesColdFields: Bool {
        usesPresenceBits && writeOrder.count > 64 && writeOrder.contains(where: isColdKind)
    }

    private func isColdKind(_ item: Either) -> Bool {
        switch item {
        case .oneof: return true
        case .field(let field):
            switch (field.kind, field.cardinality) {
            case (_, .map), (.message, _), (.group, _): return true
            default: return false
            }
        }
    }

    private func isCold(_ item: Either) -> Bool { usesColdFields && isColdKind(item) }

    /// The write-order item a field's storage belongs to (its oneof, for a member).
    private func item(of field: FieldModel) -> Either { writeOrder[slot(of: field)] }

    // MARK: Presence bits

    /// Wide messages keep one presence bit per field (or oneof) in their storage class, so
    /// sizing, encoding, copying and comparing visit only the fields that were set, a word
    /// at a time (`Wire.SetBits`). Narrow ones (a recursive message with a few fields) keep
    /// straight-line code: their fields are mostly set, and a bit would cost more than it saves.
    private var usesPresenceBits: Bool { model.usesStorage && writeOrder.count > 16 }

    /// Word and bit of a write-order slot's presence bit (`presence<word>`, bit `bit`).
    private func presenceBit(_ slot: Int) -> (word: Int, bit: Int) { (slot / 64, slot % 64) }

    private var presenceWordCount: Int { (writeOrder.count + 63) / 64 }

    /// Position of a field (a oneof member: of its oneof) in `writeOrder`.
    private func slot(of field: FieldModel) -> Int {
        let oneofName: String?
        if case .oneofMember(let oneof) = field.cardinality { oneofName = oneof.name } else { oneofName = nil }
        let index = writeOrder.firstIndex { item in
            switch item {
            case .field(let other): return other.number == field.number
            case .oneof(let oneof): return oneof.name == oneofName
            }
        }
        return index!
    }

    /// One loop per presence word over the bits set in `owners` (in any of them), each with
    /// a `switch` whose cases `emitCase` writes, one per slot of that word.
    private func emitPresenceLoops(
        over owners: [String], into out: inout SourceWriter, _ emitCase: (Int, inout SourceWriter) -> Void
    ) {
        for word in 0..<presenceWordCount {
            let bits = owners.map { "\($0).presence\(word)" }.joined(separator: " | ")
            out.block("for field in Wire.SetBits(\(bits))") { out in
                out.switchBlock("field") { out in
                    for slot in (word * 64)..<min(writeOrder.count, word * 64 + 64) { emitCase(slot, &out) }
                    out.line("default: break")
                }
            }
        }
    }

    // MARK: Struct

    func emitStruct(into out: inout SourceWriter) {
        for line in model.docs { out.line(line) }
        out.block("\(access)struct \(model.localName): Wire.Message") { out in
            out.line("\(access)static let protoMessageName = \(Naming.stringLiteral(String(model.info.fullName.dropFirst())))")
            out.line()
            for field in model.fields { emitProperty(field, into: &out) }
            out.line("\(access)var unknownFields = Wire.UnknownFields()")
            for oneof in model.oneofs {
                out.line()
                emitOneofEnum(oneof, into: &out)
            }
            for nested in model.nestedEnums {
                out.line()
                EnumEmitter(info: nested.info, access: access, path: nested.path, comments: comments).emit(into: &out)
            }
            for nested in model.nestedMessages {
                out.line()
                MessageEmitter(model: nested, access: access, comments: comments).emitStruct(into: &out)
            }
            out.line()
            out.line("\(access)init() {}")
            if model.usesStorage {
                emitStorage(into: &out)
            } else {
                let stored = model.fields.filter(\.hasPresence)
                if !stored.isEmpty { out.line() }
                for field in stored {
                    out.line("private var \(storedName(field)): \(field.propertyType)? = nil")
                }
            }
        }
    }

    private func emitProperty(_ field: FieldModel, into out: inout SourceWriter) {
        let name = Naming.declared(field.name)
        let stored = "_" + field.name
        for line in model.fieldDocs[field.number] ?? [] { out.line(line) }
        switch field.cardinality {
        case .implicit, .repeated, .map:
            if model.usesStorage {
                out.block("\(access)var \(name): \(field.propertyType)") { out in
                    let empty = isEmptyUntilSet(field) ? " ?? \(emptyValue(field))" : ""
                    out.line("get { \(accessorBase(stored, mutating: false, cold: isCold(item(of: field))))\(empty) }")
                    emitSetter(stored, value: "newValue", slot: slot(of: field), into: &out)
                }
            } else {
                out.line("\(access)var \(name): \(field.propertyType) = \(initialValue(field))")
            }
        case .optional, .required:
            let capitalized = Naming.capitalized(field.name)
            out.block("\(access)var \(name): \(field.propertyType)") { out in
                out.line("get { \(accessorBase(stored, mutating: false, cold: isCold(item(of: field)))) ?? \(field.defaultValue) }")
                emitSetter(stored, value: "newValue", slot: slot(of: field), into: &out)
            }
            out.line("\(access)var has\(capitalized): Bool { \(accessorBase(stored, mutating: false, cold: isCold(item(of: field)))) != nil }")
            if usesPresenceBits {
                let (word, bit) = presenceBit(slot(of: field))
                out.block("\(access)mutating func clear\(capitalized)()") { out in
                    out.line("let storage = self._uniqueStorage()")
                    out.line("\(storedPath("storage", stored, cold: isCold(item(of: field)), mutating: true)) = nil")
                    out.line("storage.presence\(word) &= ~(1 << \(bit))")
                }
            } else {
                out.line("\(access)mutating func clear\(capitalized)() { \(accessorBase(stored, mutating: true)) = nil }")
            }
        case .oneofMember(let oneof):
            if !isFirstMember(field, of: oneof) {
                // The oneof property was declared with its first member.
            } else if model.usesStorage {
                out.block("\(access)var \(Naming.declared(oneof.name)): \(oneof.typeName)?") { out in
                    out.line("get { \(accessorBase("_" + oneof.name, mutating: false, cold: isCold(.oneof(oneof)))) }")
                    emitSetter("_" + oneof.name, value: "newValue", slot: slot(of: field), into: &out)
                }
            } else {
                out.line("\(access)var \(Naming.declared(oneof.name)): \(oneof.typeName)? = nil")
            }
            out.block("\(access)var \(name): \(field.propertyType)") { out in
                out.line("get { if case .\(field.name)(let value)? = self.\(oneof.name) { return value }; return \(field.defaultValue) }")
                out.line("set { self.\(oneof.name) = .\(field.name)(newValue) }")
            }
        }
    }

    /// `set` of a property kept in the storage class; with presence bits it also sets the
    /// field's bit.
    private func emitSetter(_ stored: String, value: String, slot: Int, into out: inout SourceWriter) {
        guard usesPresenceBits else {
            return out.line("set { \(accessorBase(stored, mutating: true)) = \(value) }")
        }
        let (word, bit) = presenceBit(slot)
        out.block("set") { out in
            out.line("let storage = self._uniqueStorage()")
            out.line("\(storedPath("storage", stored, cold: isCold(writeOrder[slot]), mutating: true)) = \(value)")
            out.line("storage.presence\(word) |= 1 << \(bit)")
        }
    }

    private func isFirstMember(_ field: FieldModel, of oneof: OneofModel) -> Bool {
        oneof.members.first?.number == field.number
    }

    private func initialValue(_ field: FieldModel) -> String {
        switch field.cardinality {
        case .repeated: return "[]"
        case .map: return "[:]"
        default: return field.defaultValue
        }
    }

    private func emitOneofEnum(_ oneof: OneofModel, into out: inout SourceWriter) {
        out.block("\(access)enum \(oneof.typeName): Hashable, Sendable") { out in
            for member in oneof.members {
                out.line("case \(Naming.declared(member.name))(\(member.valueType))")
            }
        }
    }

    private func emitStorage(into out: inout SourceWriter) {
        let name = model.localName
        out.line()
        // One stored property per write-order slot (a oneof is one slot), in that order.
        let storedFields: [(name: String, type: String, initial: String)] = writeOrder.map { item in
            switch item {
            case .oneof(let oneof):
                return ("_" + oneof.name, oneof.typeName + "?", "nil")
            case .field(let field) where field.hasPresence || isEmptyUntilSet(field):
                return ("_" + field.name, field.propertyType + "?", "nil")
            case .field(let field):
                return ("_" + field.name, field.propertyType, initialValue(field))
            }
        }
        /// A stored property read from `base`, `nil` read as empty where it stands for that.
        func storedRead(_ base: String, _ slot: Int) -> String {
            if case .field(let field) = writeOrder[slot] { return storedValue(base, field) }
            return storedPath(base, storedFields[slot].name, cold: isCold(writeOrder[slot]), mutating: false)
        }
        let coldSlots = Set(writeOrder.indices.filter { isCold(writeOrder[$0]) })
        out.line("private var _storage = _StorageClass.defaultInstance")
        out.line()
        out.line("/// Fields live in a class so the struct stays small (and may contain itself);")
        out.line("/// it is copied before the first mutation of a shared instance (copy-on-write).")
        out.line("/// Only this message's generated code touches its properties, never with overlapping")
        out.line("/// accesses, so they skip the runtime's exclusivity check (a call per access).")
        out.block("private final class _StorageClass: @unchecked Sendable") { out in
            if usesPresenceBits {
                out.line("/// Presence bits, one per field (or oneof) in write order: set when the field is")
                out.line("/// assigned or decoded; a clear bit means the field holds its default.")
                for word in 0..<presenceWordCount { out.line("@exclusivity(unchecked) var presence\(word): UInt64 = 0") }
            }
            for (slot, stored) in storedFields.enumerated() where !coldSlots.contains(slot) {
                out.line("@exclusivity(unchecked) var \(stored.name): \(stored.type) = \(stored.initial)")
            }
            if usesColdFields {
                out.line("/// Map, message and oneof fields, `nil` until one of them is written;")
                out.line("/// shared by copies until one of them writes there (`uniqueCold()`).")
                out.line("@exclusivity(unchecked) var cold: _ColdFields? = nil")
            }
            out.line()
            out.line("static let defaultInstance = _StorageClass()")
            out.line()
            out.line("init() {}")
            out.line()
            if usesPresenceBits {
                out.line("/// Copies only the fields whose bits are set; the others keep their defaults.")
                out.block("init(copying source: _StorageClass)") { out in
                    for word in 0..<presenceWordCount { out.line("self.presence\(word) = source.presence\(word)") }
                    if usesColdFields { out.line("self.cold = source.cold") }
                    emitPresenceLoops(over: ["source"], into: &out) { slot, out in
                        guard !coldSlots.contains(slot) else { return }
                        out.line("case \(slot % 64): self.\(storedFields[slot].name) = source.\(storedFields[slot].name)")
                    }
                }
                if usesColdFields {
                    out.line()
                    out.line("/// The cold fields, made, or copied when another storage object shares them, to be written.")
                    out.line("@inline(__always)")
                    out.block("func uniqueCold() -> _ColdFields") { out in
                        out.line("if isKnownUniquelyReferenced(&self.cold), let cold = self.cold { return cold }")
                        out.line("let cold = self.cold.map(_ColdFields.init(copying:)) ?? _ColdFields()")
                        out.line("self.cold = cold")
                        out.line("return cold")
                    }
                }
                out.line()
                out.line("/// Fields whose bits are clear on both sides hold their defaults on both sides.")
                out.block("func isEqual(to other: _StorageClass) -> Bool") { out in
                    emitPresenceLoops(over: ["self", "other"], into: &out) { slot, out in
                        func operand(_ base: String) -> String {
                            let read = storedRead(base, slot)
                            return read.contains(" ?? ") ? "(\(read))" : read
                        }
                        out.line("case \(slot % 64): if \(operand("self")) != \(operand("other")) { return false }")
                    }
                    out.line("return true")
                }
            } else {
                out.block("init(copying source: _StorageClass)") { out in
                    for stored in storedFields { out.line("self.\(stored.name) = source.\(stored.name)") }
                }
                out.line()
                out.block("func isEqual(to other: _StorageClass) -> Bool") { out in
                    let comparisons = storedFields.map { "self.\($0.name) == other.\($0.name)" }
                    guard let first = comparisons.first else { return out.line("return true") }
                    out.line("return " + first)
                    for comparison in comparisons.dropFirst() { out.line("    && " + comparison) }
                }
            }
            out.line()
            out.block("func hash(into hasher: inout Hasher)") { out in
                for slot in storedFields.indices { out.line("hasher.combine(\(storedRead("self", slot)))") }
            }
        }
        if usesColdFields {
            out.line()
            out.line("/// The storage's cold fields (see `_StorageClass.cold`).")
            out.block("private final class _ColdFields: @unchecked Sendable") { out in
                for slot in coldSlots.sorted() {
                    let stored = storedFields[slot]
                    out.line("@exclusivity(unchecked) var \(stored.name): \(stored.type) = \(stored.initial)")
                }
                out.line()
                out.line("init() {}")
                out.line()
                out.block("init(copying source: _ColdFields)") { out in
                    for slot in coldSlots.sorted() {
                        out.line("self.\(storedFields[slot].name) = source.\(storedFields[slot].name)")
                    }
                }
            }
        }
        out.line()
        out.block("private mutating func _uniqueStorage() -> _StorageClass") { out in
            out.block("if !isKnownUniquelyReferenced(&self._storage)") { out in
                out.line("self._storage = _StorageClass(copying: self._storage)")
            }
            out.line("return self._storage")
        }
        out.line()
        out.block("\(access)static func == (lhs: \(name), rhs: \(name)) -> Bool") { out in
            out.line("lhs.unknownFields == rhs.unknownFields")
            out.line("    && (lhs._storage === rhs._storage || lhs._storage.isEqual(to: rhs._storage))")
        }
        out.line()
        out.block("\(access)func hash(into hasher: inout Hasher)") { out in
            out.line("hasher.combine(self.unknownFields)")
            out.line("self._storage.hash(into: &hasher)")
        }
    }

    // MARK: Coding extension

    func emitCoding(into out: inout SourceWriter) {
        out.block("extension \(model.swiftName)") { out in
            if model.info.needsInitializationCheck {
                emitIsInitialized(into: &out)
                out.line()
            }
            emitDecode(into: &out)
            out.line()
            emitSize(into: &out)
            out.line()
            if emitSizeBound(into: &out) { out.line() }
            emitEncode(into: &out)
        }
        for nested in model.nestedMessages {
            out.line()
            MessageEmitter(model: nested, access: access, comments: comments).emitCoding(into: &out)
        }
    }

    private func emitIsInitialized(into out: inout SourceWriter) {
        out.block("\(access)var isInitialized: Bool") { out in
            if model.usesStorage { out.line("let storage = self._storage") }
            for field in model.fields {
                let value = self.value(field)
                if case .required = field.cardinality {
                    out.line("if \(value) == nil { return false }")
                }
                switch field.kind {
                case .message(let info), .group(let info):
                    guard info.needsInitializationCheck else { break }
                    switch field.cardinality {
                    case .repeated:
                        out.line("for value in \(value) where !value.isInitialized { return false }")
                    case .oneofMember(let oneof):
                        out.line("if case .\(field.name)(let value)? = \(ref(oneof)), !value.isInitialized { return false }")
                    default:
                        out.line("if let value = \(value), !value.isInitialized { return false }")
                    }
                case .map(_, .message(let info)) where info.needsInitializationCheck:
                    let map = value.contains(" ?? ") ? "(\(value))" : value
                    out.line("for value in \(map).values where !value.isInitialized { return false }")
                default:
                    break
                }
            }
            out.line("return true")
        }
    }

    private func emitDecode(into out: inout SourceWriter) {
        out.block("\(access)mutating func decodeMessage(from reader: inout Wire.Reader) throws(Wire.WireError)") { out in
            if model.fields.isEmpty {
                out.block("while let tag = try reader.nextTag()") { out in
                    out.line("try reader.skipField(tag, into: &self.unknownFields)")
                }
                return
            }
            if model.usesStorage { out.line("let storage = self._uniqueStorage()") }
            out.block("while let tag = try reader.nextTag()") { out in
                out.line("switch tag {")
                for field in model.fields { emitDecodeCases(field, into: &out) }
                out.line("default:")
                out.line("    try reader.skipField(tag, into: &self.unknownFields)")
                out.line("}")
            }
        }
    }

    private func emitDecodeCases(_ field: FieldModel, into out: inout SourceWriter) {
        let emptyUntilSet = isEmptyUntilSet(field)
        let value = emptyUntilSet ? "values" : ref(field, mutating: true)
        let label = "// \(field.number): \(field.descriptor.name)"
        // The bit is set before reading, so it covers a field a failed read left half merged.
        let presenceMark = usesPresenceBits ? presenceBit(slot(of: field)) : nil
        /// `modifiesValue`: the lines modify `value` in place (else they assign the field).
        func caseBlock(_ tag: UInt32, _ lines: [String], modifiesValue: Bool = true) {
            out.line("case \(tag): \(label)")
            out.indent()
            if let (word, bit) = presenceMark { out.line("storage.presence\(word) |= 1 << \(bit)") }
            if emptyUntilSet && modifiesValue {
                out.line("var values = \(ref(field, mutating: true)).take() ?? \(emptyValue(field))")
                out.line("defer { \(ref(field, mutating: true)) = values }")
            }
            for line in lines { out.line(line) }
            out.outdent()
        }
        let fieldNumber = field.number
        switch (field.kind, field.cardinality) {
        case (.map(let key, .enumeration(let info)), _) where info.isClosed:
            caseBlock(field.tag, ["try \(mapCodec(key, .enumeration(info))).readClosedEnumEntry(into: &\(value), from: &reader, unknownFields: &self.unknownFields)"])
        case (.map(.string, let mapValue), _):
            // A key equal to one in the map as a `String` but not in bytes is another
            // protobuf key: that entry is kept in unknown fields (Wire's StringMapKeys.swift).
            caseBlock(field.tag, ["try \(mapCodec(.string, mapValue)).readEntry(into: &\(value), from: &reader, unknownFields: &self.unknownFields)"])
        case (.map(let key, let mapValue), _):
            caseBlock(field.tag, ["try \(mapCodec(key, mapValue)).readEntry(into: &\(value), from: &reader)"])
        case (.message, .oneofMember(let oneof)), (.group, .oneofMember(let oneof)):
            let read = field.kind.isGroup
                ? "try reader.readGroup(into: &value, fieldNumber: \(fieldNumber))"
                : "try reader.readMessage(into: &value)"
            // The oneof lets go of the value before the merge: a second reference would make
            // the merge copy everything merged so far (quadratic in the number of occurrences).
            caseBlock(field.tag, [
                "var value = \(field.valueType)()",
                "if case .\(field.name)(let existing)? = \(ref(oneof, mutating: true)) { value = existing; \(ref(oneof, mutating: true)) = nil }",
                read,
                "\(ref(oneof, mutating: true)) = .\(field.name)(value)",
            ])
        case (_, .oneofMember(let oneof)) where field.isClosedEnum:
            caseBlock(field.tag, [
                "var value: \(field.valueType)? = nil",
                "try reader.readClosedEnum(into: &value, fieldNumber: \(fieldNumber), unknownFields: &self.unknownFields)",
                "if let value { \(ref(oneof, mutating: true)) = .\(field.name)(value) }",
            ])
        case (_, .oneofMember(let oneof)):
            caseBlock(field.tag, ["\(ref(oneof, mutating: true)) = .\(field.name)(try \(field.codec).read(from: &reader))"])
        case (.message, .repeated):
            caseBlock(field.tag, ["try reader.readRepeatedMessage(into: &\(value))"])
        case (.group, .repeated):
            caseBlock(field.tag, ["try reader.readRepeatedGroup(into: &\(value), fieldNumber: \(fieldNumber))"])
        case (.message, _):
            caseBlock(field.tag, ["try reader.readMessage(into: &\(value))"])
        case (.group, _):
            caseBlock(field.tag, ["try reader.readGroup(into: &\(value), fieldNumber: \(fieldNumber))"])
        case (_, .repeated) where field.isClosedEnum:
            caseBlock(field.tag, ["try reader.readClosedEnumElement(into: &\(value), fieldNumber: \(fieldNumber), unknownFields: &self.unknownFields)"])
            caseBlock(field.packedTag, ["try reader.readClosedEnumPacked(into: &\(value), fieldNumber: \(fieldNumber), unknownFields: &self.unknownFields)"])
        case (_, .repeated):
            caseBlock(field.tag, ["try \(field.codec).readElement(into: &\(value), from: &reader)"])
            if field.isPackable {
                caseBlock(field.packedTag, ["try \(field.codec).readPacked(into: &\(value), from: &reader)"])
            }
        case (_, _) where field.isClosedEnum:
            caseBlock(field.tag, ["try reader.readClosedEnum(into: &\(value), fieldNumber: \(fieldNumber), unknownFields: &self.unknownFields)"])
        default:
            caseBlock(field.tag, ["\(ref(field, mutating: true)) = try \(field.codec).read(from: &reader)"], modifiesValue: false)
        }
    }

    private func mapCodec(_ key: ScalarType, _ value: FieldModel.MapValue) -> String {
        switch value {
        case .scalar(let scalar): return "Wire.ProtoMap<Wire.\(key.codec), Wire.\(scalar.codec)>"
        case .enumeration(let info): return "Wire.ProtoMap<Wire.\(key.codec), Wire.ProtoEnum<\(info.swiftName)>>"
        case .message(let info): return "Wire.ProtoMessageMap<Wire.\(key.codec), \(info.swiftName)>"
        }
    }

    private func isMessageMap(_ field: FieldModel) -> Bool {
        if case .map(_, .message) = field.kind { return true }
        return false
    }

    /// Fields and oneofs in number order; a oneof appears once, at its first member.
    private var writeOrder: [Either] {
        var items: [Either] = []
        var seen: Set<String> = []
        for field in model.fields {
            if case .oneofMember(let oneof) = field.cardinality {
                if seen.insert(oneof.name).inserted { items.append(.oneof(oneof)) }
            } else {
                items.append(.field(field))
            }
        }
        return items
    }

    private enum Either {
        case field(FieldModel)
        case oneof(OneofModel)
    }

    private func emitSize(into out: inout SourceWriter) {
        out.block("\(access)func computeSize(_ sizes: inout Wire.SizeCache) -> Int") { out in
            if model.fields.isEmpty {
                out.line("return self.unknownFields.size")
                return
            }
            if model.usesStorage { out.line("let storage = self._storage") }
            out.line("var size = 0")
            emitEachSetItem(into: &out) { item, out in
                switch item {
                case .field(let field): emitSizeLine(field, into: &out)
                case .oneof(let oneof):
                    out.switchBlock(ref(oneof)) { out in
                        for member in oneof.members {
                            out.line("case .\(member.name)(let value)?:")
                            out.line("    size += \(sizeExpression(member, value: "value"))")
                        }
                        out.line("case nil:")
                        out.line("    break")
                    }
                }
            }
            out.line("return size + self.unknownFields.size")
        }
    }

    /// Largest constant part of an `encodedSizeBound()`: the bound is also the capacity of the
    /// array `serializedBytes()` returns, so a message of many scalar fields, which would leave
    /// most of that unused, keeps the size pass.
    static let sizeBoundConstantLimit = 256

    /// Emits `encodedSizeBound()` for a message whose fields are all singular scalars, enums,
    /// strings and bytes held in the struct itself: each field's tag plus the largest encoding
    /// of its value (for strings and bytes, the largest length prefix plus the payload's
    /// length). Returns whether it emitted one.
    private func emitSizeBound(into out: inout SourceWriter) -> Bool {
        guard !model.usesStorage, !model.fields.isEmpty else { return false }
        var constant = 0
        var lengths: [String] = []
        for field in model.fields {
            switch field.cardinality {
            case .implicit, .optional, .required: break
            default: return false
            }
            let valueBound: Int
            switch field.kind {
            case .enumeration: valueBound = 10
            case .scalar(let scalar):
                switch scalar {
                case .double, .fixed64, .sfixed64: valueBound = 8
                case .float, .fixed32, .sfixed32: valueBound = 4
                case .bool: valueBound = 1
                case .uint32, .sint32: valueBound = 5
                case .int32, .int64, .uint64, .sint64: valueBound = 10
                case .string, .bytes:
                    valueBound = 10
                    let count = scalar == .string ? "utf8.count" : "count"
                    let reference = "self.\(storedName(field))"
                    lengths.append(field.hasPresence ? "(\(reference)?.\(count) ?? 0)" : "\(reference).\(count)")
                }
            default: return false
            }
            constant += field.tagSize + valueBound
        }
        guard constant <= MessageEmitter.sizeBoundConstantLimit else { return false }
        out.block("\(access)func encodedSizeBound() -> Int?") { out in
            out.line((["\(constant)"] + lengths + ["self.unknownFields.size"]).joined(separator: " + "))
        }
        return true
    }

    /// Code for every field and oneof in write order: straight-line, or with presence bits
    /// one `case` per slot under a loop over the bits that are set.
    private func emitEachSetItem(into out: inout SourceWriter, _ emitItem: (Either, inout SourceWriter) -> Void) {
        guard usesPresenceBits else {
            for item in writeOrder { emitItem(item, &out) }
            return
        }
        let items = writeOrder
        emitPresenceLoops(over: ["storage"], into: &out) { slot, out in
            switch items[slot] {
            case .field(let field): out.line("case \(slot % 64): // \(field.number): \(field.descriptor.name)")
            case .oneof(let oneof): out.line("case \(slot % 64): // oneof \(oneof.name)")
            }
            out.indent()
            emitItem(items[slot], &out)
            out.outdent()
        }
    }

    /// Size of one present singular value.
    private func sizeExpression(_ field: FieldModel, value: String) -> String {
        switch field.kind {
        case .message: return "sizes.messageFieldSize(tagSize: \(field.tagSize), \(value))"
        case .group: return "sizes.groupFieldSize(tagSize: \(field.tagSize), \(value))"
        default: return "\(field.codec).fieldSize(tagSize: \(field.tagSize), \(value))"
        }
    }

    private func emitSizeLine(_ field: FieldModel, into out: inout SourceWriter) {
        // A collection kept nil until set is read through `if let`: `?? []` would copy it.
        let bound = isEmptyUntilSet(field) && !field.isImplicit
        let value = bound ? "values" : self.value(field)
        func emit(_ line: String) {
            out.line(bound ? "if let values = \(ref(field)) { \(line) }" : line)
        }
        let tagSize = field.tagSize
        switch (field.kind, field.cardinality) {
        case (.map(let key, let mapValue), _):
            let sizesArgument = isMessageMap(field) ? ", sizes: &sizes" : ""
            emit("size += \(mapCodec(key, mapValue)).fieldSize(tagSize: \(tagSize), \(value)\(sizesArgument))")
        case (.message, .repeated):
            emit("size += sizes.repeatedMessageFieldSize(tagSize: \(tagSize), \(value))")
        case (.group, .repeated):
            emit("size += sizes.repeatedGroupFieldSize(tagSize: \(tagSize), \(value))")
        case (_, .repeated(let packed)):
            if packed {
                emit("size += \(field.codec).packedFieldSize(tagSize: \(tagSize), \(value), sizes: &sizes)")
            } else {
                emit("size += \(field.codec).repeatedFieldSize(tagSize: \(tagSize), \(value))")
            }
        case (_, .implicit) where isEmptyUntilSet(field):
            out.line("if let value = \(ref(field)), \(field.isSetCondition("value")) { size += \(sizeExpression(field, value: "value")) }")
        case (_, .implicit):
            emit("if \(field.isSetCondition(value)) { size += \(sizeExpression(field, value: value)) }")
        default:
            emit("if let value = \(value) { size += \(sizeExpression(field, value: "value")) }")
        }
    }

    private func emitEncode(into out: inout SourceWriter) {
        out.block("\(access)func encodeMessage(to writer: inout Wire.Writer, _ sizes: inout Wire.SizeCache)") { out in
            if model.usesStorage && !model.fields.isEmpty { out.line("let storage = self._storage") }
            emitEachSetItem(into: &out) { item, out in
                switch item {
                case .field(let field): emitWriteLine(field, into: &out)
                case .oneof(let oneof):
                    out.switchBlock(ref(oneof)) { out in
                        for member in oneof.members {
                            out.line("case .\(member.name)(let value)?:")
                            out.line("    \(writeStatement(member, value: "value"))")
                        }
                        out.line("case nil:")
                        out.line("    break")
                    }
                }
            }
            out.line("writer.writeUnknownFields(self.unknownFields)")
        }
    }

    /// Writes one present singular value with its tag.
    private func writeStatement(_ field: FieldModel, value: String) -> String {
        switch field.kind {
        case .message: return "writer.writeMessageField(\(value), tag: \(field.tag), sizes: &sizes)"
        case .group: return "writer.writeGroupField(\(value), fieldNumber: \(field.number), sizes: &sizes)"
        default: return "\(field.codec).writeField(\(value), tag: \(field.tag), to: &writer)"
        }
    }

    private func emitWriteLine(_ field: FieldModel, into out: inout SourceWriter) {
        // A collection kept nil until set is read through `if let`: `?? []` would copy it.
        let bound = isEmptyUntilSet(field) && !field.isImplicit
        let value = bound ? "values" : self.value(field)
        func emit(_ line: String) {
            out.line(bound ? "if let values = \(ref(field)) { \(line) }" : line)
        }
        switch (field.kind, field.cardinality) {
        case (.map(let key, let mapValue), _):
            let sizesArgument = isMessageMap(field) ? ", sizes: &sizes" : ""
            emit("\(mapCodec(key, mapValue)).writeField(\(value), tag: \(field.tag), to: &writer\(sizesArgument))")
        case (.message, .repeated):
            emit("writer.writeRepeatedMessageField(\(value), tag: \(field.tag), sizes: &sizes)")
        case (.group, .repeated):
            emit("writer.writeRepeatedGroupField(\(value), fieldNumber: \(field.number), sizes: &sizes)")
        case (_, .repeated(let packed)):
            if packed {
                emit("\(field.codec).writePackedField(\(value), tag: \(field.packedTag), to: &writer, sizes: &sizes)")
            } else {
                emit("\(field.codec).writeRepeatedField(\(value), tag: \(field.tag), to: &writer)")
            }
        case (_, .implicit) where isEmptyUntilSet(field):
            out.line("if let value = \(ref(field)), \(field.isSetCondition("value")) { \(writeStatement(field, value: "value")) }")
        case (_, .implicit):
            emit("if \(field.isSetCondition(value)) { \(writeStatement(field, value: value)) }")
        default:
            emit("if let value = \(value) { \(writeStatement(field, value: "value")) }")
        }
    }
}

extension FieldModel.Kind {
    var isGroup: Bool {
        if case .group = self { return true }
        return false
    }
}
