import Wire

/// Hand-written messages shaped exactly like generated code, so the runtime can be tested
/// without the generator:
///   message Node { int32 id = 1; string name = 2; Node child = 3 (recursive via box);
///                  repeated sint64 values = 4 (packed); map<string,int32> counts = 5;
///                  repeated bytes blobs = 6; }
struct Node: Message {
    static let protoMessageName = "test.Node"
    var id: Int32 = 0
    var name = ""
    var children: [Node] = []
    var values: [Int64] = []
    var counts: [String: Int32] = [:]
    var blobs: [[UInt8]] = []
    var unknownFields = UnknownFields()

    mutating func decodeMessage(from reader: inout Reader) throws(WireError) {
        while let tag = try reader.nextTag() {
            switch tag {
            case 8: id = try ProtoInt32.read(from: &reader)
            case 18: name = try ProtoString.read(from: &reader)
            case 26: try reader.readRepeatedMessage(into: &children)
            case 34: try ProtoSInt64.readPacked(into: &values, from: &reader)
            case 32: try ProtoSInt64.readElement(into: &values, from: &reader)
            case 42: try ProtoMap<ProtoString, ProtoInt32>.readEntry(into: &counts, from: &reader)
            case 50: try ProtoBytes.readElement(into: &blobs, from: &reader)
            default: try reader.skipField(tag, into: &unknownFields)
            }
        }
    }

    func computeSize(_ sizes: inout SizeCache) -> Int {
        var size = 0
        if id != 0 { size += ProtoInt32.fieldSize(tagSize: 1, id) }
        if !name.isEmpty { size += ProtoString.fieldSize(tagSize: 1, name) }
        size += sizes.repeatedMessageFieldSize(tagSize: 1, children)
        size += ProtoSInt64.packedFieldSize(tagSize: 1, values)
        size += ProtoMap<ProtoString, ProtoInt32>.fieldSize(tagSize: 1, counts)
        size += ProtoBytes.repeatedFieldSize(tagSize: 1, blobs)
        return size + unknownFields.size
    }

    func encodeMessage(to writer: inout Writer, _ sizes: inout SizeCache) {
        if id != 0 { ProtoInt32.writeField(id, tag: 8, to: &writer) }
        if !name.isEmpty { ProtoString.writeField(name, tag: 18, to: &writer) }
        writer.writeRepeatedMessageField(children, tag: 26, sizes: &sizes)
        ProtoSInt64.writePackedField(values, tag: 34, to: &writer)
        ProtoMap<ProtoString, ProtoInt32>.writeField(counts, tag: 42, to: &writer)
        ProtoBytes.writeRepeatedField(blobs, tag: 50, to: &writer)
        writer.writeUnknownFields(unknownFields)
    }
}

/// proto2-style: `required int32 a = 1; optional group G = 2 { optional int32 b = 3; }`
/// `optional Color color = 4` (closed enum with RED = 1, GREEN = 2).
struct Legacy: Message {
    static let protoMessageName = "test.Legacy"
    enum Color: Int32, WireEnum {
        case red = 1, green = 2
        init() { self = .red }
    }
    struct G: Message {
        static let protoMessageName = "test.Legacy.G"
        var b: Int32? = nil
        var unknownFields = UnknownFields()
        mutating func decodeMessage(from reader: inout Reader) throws(WireError) {
            while let tag = try reader.nextTag() {
                switch tag {
                case 24: b = try ProtoInt32.read(from: &reader)
                default: try reader.skipField(tag, into: &unknownFields)
                }
            }
        }
        func computeSize(_ sizes: inout SizeCache) -> Int {
            var size = 0
            if let b { size += ProtoInt32.fieldSize(tagSize: 1, b) }
            return size + unknownFields.size
        }
        func encodeMessage(to writer: inout Writer, _ sizes: inout SizeCache) {
            if let b { ProtoInt32.writeField(b, tag: 24, to: &writer) }
            writer.writeUnknownFields(unknownFields)
        }
    }
    var a: Int32? = nil
    var g: G? = nil
    var color: Color? = nil
    var unknownFields = UnknownFields()
    var isInitialized: Bool { a != nil }

    mutating func decodeMessage(from reader: inout Reader) throws(WireError) {
        while let tag = try reader.nextTag() {
            switch tag {
            case 8: a = try ProtoInt32.read(from: &reader)
            case 19: try reader.readGroup(into: &g, fieldNumber: 2)
            case 32: try reader.readClosedEnum(into: &color, fieldNumber: 4, unknownFields: &unknownFields)
            default: try reader.skipField(tag, into: &unknownFields)
            }
        }
    }
    func computeSize(_ sizes: inout SizeCache) -> Int {
        var size = 0
        if let a { size += ProtoInt32.fieldSize(tagSize: 1, a) }
        if let g { size += sizes.groupFieldSize(tagSize: 1, g) }
        if let color { size += ProtoEnum<Color>.fieldSize(tagSize: 1, color) }
        return size + unknownFields.size
    }
    func encodeMessage(to writer: inout Writer, _ sizes: inout SizeCache) {
        if let a { ProtoInt32.writeField(a, tag: 8, to: &writer) }
        if let g { writer.writeGroupField(g, fieldNumber: 2, sizes: &sizes) }
        if let color { ProtoEnum<Color>.writeField(color, tag: 32, to: &writer) }
        writer.writeUnknownFields(unknownFields)
    }
}

/// Encodes a single value with a codec (for byte-level checks).
func encoded<C: WireCodec>(_ codec: C.Type, _ value: C.Value) -> [UInt8] {
    let size = C.size(of: value)
    return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
        var writer = Writer(UnsafeMutableRawBufferPointer(buffer))
        C.write(value, to: &writer)
        count = size
    }
}
