import OracleMessages
import Wire

/// Seeded random oracle3 messages for the reverse direction (Swift builds, Python parses).
/// Every field of the schema is reachable; `density` is the chance that a field is set.
struct RandomProto3 {
    var random: SeededRandom

    mutating func color() -> Oracle3_Color {
        random.chance(0.85)
            ? [.unspecified, .red, .green, .blue].randomElement(using: &random)!
            : Oracle3_Color(rawValue: random.int32())!
    }

    mutating func nested(depth: Int, density: Double) -> Oracle3_AllTypes.Nested {
        var nested = Oracle3_AllTypes.Nested()
        if random.chance(density) { nested.a = random.int32() }
        if random.chance(density) { nested.b = random.string() }
        if random.chance(density) {
            var deeper = Oracle3_AllTypes.Nested.Deeper()
            if random.chance(density) { deeper.x = random.int64() }
            if random.chance(density) { deeper.y = random.bytes() }
            if random.chance(density) { deeper.color = color() }
            nested.deeper = deeper
        }
        if random.chance(density) { nested.r = list { $0.random.int32() } }
        return nested
    }

    /// `count` elements from `make`, with `count` drawn from the repeated-field distribution.
    mutating func list<T>(max: Int = 200, _ make: (inout RandomProto3) -> T) -> [T] {
        (0..<random.count(max: max)).map { _ in make(&self) }
    }

    mutating func map<K: Hashable, V>(max: Int = 20, _ key: (inout RandomProto3) -> K, _ value: (inout RandomProto3) -> V) -> [K: V] {
        var out: [K: V] = [:]
        for _ in 0..<random.count(max: max) { out[key(&self)] = value(&self) }
        return out
    }

    mutating func allTypes(depth: Int, density: Double) -> Oracle3_AllTypes {
        var m = Oracle3_AllTypes()
        let child = density * 0.6
        func maybe(_ body: (inout RandomProto3) -> Void) {
            if random.chance(density) { body(&self) }
        }
        maybe { m.fInt32 = $0.random.int32() }
        maybe { m.fInt64 = $0.random.int64() }
        maybe { m.fUint32 = $0.random.uint32() }
        maybe { m.fUint64 = $0.random.uint64() }
        maybe { m.fSint32 = $0.random.int32() }
        maybe { m.fSint64 = $0.random.int64() }
        maybe { m.fFixed32 = $0.random.uint32() }
        maybe { m.fFixed64 = $0.random.uint64() }
        maybe { m.fSfixed32 = $0.random.int32() }
        maybe { m.fSfixed64 = $0.random.int64() }
        maybe { m.fFloat = $0.random.float() }
        maybe { m.fDouble = $0.random.double() }
        maybe { m.fBool = $0.random.bool() }
        maybe { m.fString = $0.random.string() }
        maybe { m.fBytes = $0.random.bytes() }
        maybe { m.fColor = $0.color() }
        if depth > 0 { maybe { m.fNested = $0.nested(depth: depth - 1, density: child) } }

        maybe { m.oInt32 = $0.random.int32() }
        maybe { m.oInt64 = $0.random.int64() }
        maybe { m.oUint32 = $0.random.uint32() }
        maybe { m.oUint64 = $0.random.uint64() }
        maybe { m.oSint32 = $0.random.int32() }
        maybe { m.oSint64 = $0.random.int64() }
        maybe { m.oFixed32 = $0.random.uint32() }
        maybe { m.oFixed64 = $0.random.uint64() }
        maybe { m.oSfixed32 = $0.random.int32() }
        maybe { m.oSfixed64 = $0.random.int64() }
        maybe { m.oFloat = $0.random.float() }
        maybe { m.oDouble = $0.random.double() }
        maybe { m.oBool = $0.random.bool() }
        maybe { m.oString = $0.random.string() }
        maybe { m.oBytes = $0.random.bytes() }
        maybe { m.oColor = $0.color() }

        maybe { m.rInt32 = $0.list { $0.random.int32() } }
        maybe { m.rInt64 = $0.list { $0.random.int64() } }
        maybe { m.rUint32 = $0.list { $0.random.uint32() } }
        maybe { m.rUint64 = $0.list { $0.random.uint64() } }
        maybe { m.rSint32 = $0.list { $0.random.int32() } }
        maybe { m.rSint64 = $0.list { $0.random.int64() } }
        maybe { m.rFixed32 = $0.list { $0.random.uint32() } }
        maybe { m.rFixed64 = $0.list { $0.random.uint64() } }
        maybe { m.rSfixed32 = $0.list { $0.random.int32() } }
        maybe { m.rSfixed64 = $0.list { $0.random.int64() } }
        maybe { m.rFloat = $0.list { $0.random.float() } }
        maybe { m.rDouble = $0.list { $0.random.double() } }
        maybe { m.rBool = $0.list { $0.random.bool() } }
        maybe { m.rString = $0.list(max: 20) { $0.random.string() } }
        maybe { m.rBytes = $0.list(max: 20) { $0.random.bytes() } }
        maybe { m.rColor = $0.list { $0.color() } }
        if depth > 0 { maybe { m.rNested = $0.list(max: 3) { $0.nested(depth: depth - 1, density: child) } } }

        maybe { m.uInt32 = $0.list { $0.random.int32() } }
        maybe { m.uSint64 = $0.list { $0.random.int64() } }
        maybe { m.uFixed32 = $0.list { $0.random.uint32() } }
        maybe { m.uDouble = $0.list { $0.random.double() } }
        maybe { m.uBool = $0.list { $0.random.bool() } }
        maybe { m.uColor = $0.list { $0.color() } }

        maybe { m.mInt32String = $0.map({ $0.random.int32() }, { $0.random.string() }) }
        if depth > 0 {
            maybe { m.mStringNested = $0.map(max: 3, { $0.random.string() }, { $0.nested(depth: depth - 1, density: child) }) }
            maybe { m.mUint64Self = $0.map(max: 2, { $0.random.uint64() }, { $0.allTypes(depth: depth - 1, density: child) }) }
        }
        maybe { m.mInt64Bytes = $0.map({ $0.random.int64() }, { $0.random.bytes() }) }
        maybe { m.mBoolColor = $0.map({ $0.random.bool() }, { $0.color() }) }
        maybe { m.mUint32Double = $0.map({ $0.random.uint32() }, { $0.random.double() }) }
        maybe { m.mSint64Sfixed32 = $0.map({ $0.random.int64() }, { $0.random.int32() }) }
        maybe { m.mFixed64Float = $0.map({ $0.random.uint64() }, { $0.random.float() }) }
        maybe { m.mStringString = $0.map({ $0.random.string() }, { $0.random.string() }) }
        maybe { m.mSfixed64Uint64 = $0.map({ $0.random.int64() }, { $0.random.uint64() }) }

        if random.chance(density) {
            switch Int.random(in: 0..<7, using: &random) {
            case 0: m.choice = .cInt32(random.int32())
            case 1: m.choice = .cString(random.string())
            case 2: m.choice = .cBytes(random.bytes())
            case 3: m.choice = .cColor(color())
            case 4: m.choice = .cNested(nested(depth: max(depth - 1, 0), density: child))
            case 5: m.choice = .cSelf(allTypes(depth: max(depth - 1, 0), density: child))
            default: m.choice = .cDouble(random.double())
            }
        }
        if depth > 0 {
            maybe { m.child = $0.allTypes(depth: depth - 1, density: child) }
            maybe { m.children = $0.list(max: 3) { $0.allTypes(depth: depth - 1, density: child) } }
            maybe { m.wellKnown = $0.wellKnown(depth: depth - 1, density: child) }
            maybe { m.keywords = $0.keywords(density: child) }
        }
        maybe { m.farField = $0.random.int32() }
        return m
    }

    mutating func timestamp() -> Google_Protobuf_Timestamp {
        var t = Google_Protobuf_Timestamp()
        t.seconds = random.int64()
        t.nanos = random.int32()
        return t
    }

    mutating func value(depth: Int) -> Google_Protobuf_Value {
        var v = Google_Protobuf_Value()
        switch Int.random(in: 0..<(depth > 0 ? 6 : 4), using: &random) {
        case 0: v.kind = .nullValue(.nullValue)
        case 1: v.kind = .numberValue(random.double())
        case 2: v.kind = .stringValue(random.string())
        case 3: v.kind = .boolValue(random.bool())
        case 4: v.kind = .structValue(structValue(depth: depth - 1))
        default:
            var list = Google_Protobuf_ListValue()
            list.values = self.list(max: 4) { $0.value(depth: depth - 1) }
            v.kind = .listValue(list)
        }
        return v
    }

    mutating func structValue(depth: Int) -> Google_Protobuf_Struct {
        var s = Google_Protobuf_Struct()
        s.fields = map(max: 4, { $0.random.string() }, { $0.value(depth: depth) })
        return s
    }

    mutating func wellKnown(depth: Int, density: Double) -> Oracle3_WellKnown {
        var m = Oracle3_WellKnown()
        func maybe(_ body: (inout RandomProto3) -> Void) {
            if random.chance(density) { body(&self) }
        }
        maybe { m.timestamp = $0.timestamp() }
        maybe {
            var d = Google_Protobuf_Duration()
            d.seconds = $0.random.int64()
            d.nanos = $0.random.int32()
            m.duration = d
        }
        maybe {
            var any = Google_Protobuf_Any()
            any.typeURL = "type.googleapis.com/" + $0.random.string()
            any.value = $0.random.bytes()
            m.any = any
        }
        maybe { m.struct = $0.structValue(depth: min(depth, 2)) }
        maybe { m.value = $0.value(depth: min(depth, 2)) }
        maybe {
            var list = Google_Protobuf_ListValue()
            list.values = $0.list(max: 4) { $0.value(depth: 1) }
            m.listValue = list
        }
        maybe { _ in m.empty = Google_Protobuf_Empty() }
        maybe {
            var mask = Google_Protobuf_FieldMask()
            mask.paths = $0.list(max: 5) { $0.random.string() }
            m.fieldMask = mask
        }
        maybe { var w = Google_Protobuf_Int32Value(); w.value = $0.random.int32(); m.int32Value = w }
        maybe { var w = Google_Protobuf_Int64Value(); w.value = $0.random.int64(); m.int64Value = w }
        maybe { var w = Google_Protobuf_UInt32Value(); w.value = $0.random.uint32(); m.uint32Value = w }
        maybe { var w = Google_Protobuf_UInt64Value(); w.value = $0.random.uint64(); m.uint64Value = w }
        maybe { var w = Google_Protobuf_FloatValue(); w.value = $0.random.float(); m.floatValue = w }
        maybe { var w = Google_Protobuf_DoubleValue(); w.value = $0.random.double(); m.doubleValue = w }
        maybe { var w = Google_Protobuf_BoolValue(); w.value = $0.random.bool(); m.boolValue = w }
        maybe { var w = Google_Protobuf_StringValue(); w.value = $0.random.string(); m.stringValue = w }
        maybe { var w = Google_Protobuf_BytesValue(); w.value = $0.random.bytes(); m.bytesValue = w }
        maybe { m.timestamps = $0.list(max: 5) { $0.timestamp() } }
        maybe { m.values = $0.map(max: 4, { $0.random.string() }, { $0.value(depth: 1) }) }
        maybe { _ in m.nullValue = .nullValue }
        return m
    }

    mutating func keywords(density: Double) -> Oracle3_Keywords {
        var m = Oracle3_Keywords()
        func maybe(_ body: (inout RandomProto3) -> Void) {
            if random.chance(density) { body(&self) }
        }
        maybe { m.class = $0.random.int32() }
        maybe { m.struct = $0.random.string() }
        maybe { m.func = $0.random.bool() }
        maybe { m.self_p = $0.random.int64() }
        maybe { m.protocol = $0.random.string() }
        maybe { m.default = $0.random.int32() }
        maybe { m.in = $0.random.bool() }
        maybe { m.return = $0.random.int32() }
        maybe { m.init_p = $0.random.int32() }
        maybe { m.type = $0.random.string() }
        maybe { m.is = $0.random.bool() }
        maybe { m.where = $0.random.int32() }
        maybe { m.var = $0.random.int32() }
        maybe { m.let = $0.random.int32() }
        maybe { m.throws = $0.random.int32() }
        maybe { m.extension = $0.random.int32() }
        maybe { m.import = $0.random.int32() }
        maybe { m.case = $0.random.int32() }
        maybe { m.switch = $0.list { $0.random.int32() } }
        maybe { m.inout = $0.map({ $0.random.string() }, { $0.random.int32() }) }
        maybe {
            var t = Oracle3_Keywords.TypeMessage()
            t.self_p = $0.random.int32()
            t.any = $0.random.int32()
            m.associatedtype = t
        }
        maybe { m.operator = [.default, .class, .self_p, .type, .nil].randomElement(using: &$0.random)! }
        maybe { m.unknownFields_p = $0.random.int32() }
        maybe { m.hashValue_p = $0.random.int32() }
        maybe { m.description = $0.random.string() }
        maybe { m.serializedSize_p = $0.random.int32() }
        if random.chance(density) {
            m.enum = random.bool() ? .if(random.int32()) : .else(random.string())
        }
        return m
    }
}
