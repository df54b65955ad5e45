import OracleMessages
import Wire

/// Seeded random oracle2 messages for the reverse direction: presence, defaults, groups,
/// closed enums (known values only: Swift cannot even represent the others) and required
/// fields (always set, so the messages are initialized).
struct RandomProto2 {
    var base: RandomProto3

    var random: SeededRandom {
        get { base.random }
        set { base.random = newValue }
    }

    mutating func size() -> Oracle2_Size {
        [.small, .medium, .large, .negative].randomElement(using: &base.random)!
    }

    mutating func level() -> Oracle2_Level {
        [.zero, .one, .five].randomElement(using: &base.random)!
    }

    mutating func leaf(density: Double) -> Oracle2_AllTypes2.Leaf {
        var leaf = Oracle2_AllTypes2.Leaf()
        if base.random.chance(density) { leaf.id = base.random.int32() }
        if base.random.chance(density) { leaf.name = base.random.string() }
        if base.random.chance(density) { leaf.size = size() }
        return leaf
    }

    mutating func list<T>(max: Int = 200, _ make: (inout RandomProto2) -> T) -> [T] {
        (0..<base.random.count(max: max)).map { _ in make(&self) }
    }

    mutating func withRequired(depth: Int, density: Double) -> Oracle2_WithRequired {
        var m = Oracle2_WithRequired()
        m.id = base.random.int32()
        m.name = base.random.string()
        m.leaf = leaf(density: density)
        if depth > 0 && base.random.chance(density) { m.next = withRequired(depth: depth - 1, density: density * 0.6) }
        if base.random.chance(density) { m.extra = base.random.int32() }
        return m
    }

    mutating func allTypes2(depth: Int, density: Double) -> Oracle2_AllTypes2 {
        var m = Oracle2_AllTypes2()
        let child = density * 0.6
        func maybe(_ body: (inout RandomProto2) -> Void) {
            if base.random.chance(density) { body(&self) }
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
        maybe { m.fSize = $0.size() }
        maybe { m.fLeaf = $0.leaf(density: child) }

        maybe { m.dInt32 = $0.random.int32() }
        maybe { m.dInt64 = $0.random.int64() }
        maybe { m.dUint32 = $0.random.uint32() }
        maybe { m.dUint64 = $0.random.uint64() }
        maybe { m.dSint32 = $0.random.int32() }
        maybe { m.dSint64 = $0.random.int64() }
        maybe { m.dFixed32 = $0.random.uint32() }
        maybe { m.dFixed64 = $0.random.uint64() }
        maybe { m.dSfixed32 = $0.random.int32() }
        maybe { m.dSfixed64 = $0.random.int64() }
        maybe { m.dFloat = $0.random.float() }
        maybe { m.dDouble = $0.random.double() }
        maybe { m.dBool = $0.random.bool() }
        maybe { m.dString = $0.random.string() }
        maybe { m.dBytes = $0.random.bytes() }
        maybe { m.dSize = $0.size() }
        maybe { m.dInf = $0.random.double() }
        maybe { m.dNegInf = $0.random.float() }
        maybe { m.dNan = $0.random.double() }

        maybe { m.rInt32 = $0.list { $0.random.int32() } }
        maybe { m.rUint64 = $0.list { $0.random.uint64() } }
        maybe { m.rSint32 = $0.list { $0.random.int32() } }
        maybe { m.rFixed64 = $0.list { $0.random.uint64() } }
        maybe { m.rFloat = $0.list { $0.random.float() } }
        maybe { m.rBool = $0.list { $0.random.bool() } }
        maybe { m.rString = $0.list(max: 20) { $0.random.string() } }
        maybe { m.rBytes = $0.list(max: 20) { $0.random.bytes() } }
        maybe { m.rSize = $0.list { $0.size() } }
        maybe { m.rLeaf = $0.list(max: 5) { $0.leaf(density: child) } }
        maybe { m.pInt64 = $0.list { $0.random.int64() } }
        maybe { m.pSint64 = $0.list { $0.random.int64() } }
        maybe { m.pSfixed32 = $0.list { $0.random.int32() } }
        maybe { m.pDouble = $0.list { $0.random.double() } }
        maybe { m.pSize = $0.list { $0.size() } }

        maybe { m.optionalgroup = $0.optionalGroup(depth: depth, density: child) }
        maybe {
            m.repeatedgroup = $0.list(max: 4) { r in
                var group = Oracle2_AllTypes2.RepeatedGroup()
                if r.base.random.chance(child) { group.a = r.random.int32() }
                if r.base.random.chance(child) { group.leaves = r.list(max: 3) { $0.leaf(density: child) } }
                return group
            }
        }

        maybe {
            var entries: [String: Oracle2_Level] = [:]
            for _ in 0..<$0.random.count(max: 10) { entries[$0.random.string()] = $0.level() }
            m.mStringLevel = entries
        }
        maybe {
            var entries: [Int32: Oracle2_AllTypes2.Leaf] = [:]
            for _ in 0..<$0.random.count(max: 5) { entries[$0.random.int32()] = $0.leaf(density: child) }
            m.mInt32Leaf = entries
        }
        maybe {
            var entries: [UInt64: [UInt8]] = [:]
            for _ in 0..<$0.random.count(max: 10) { entries[$0.random.uint64()] = $0.random.bytes() }
            m.mUint64Bytes = entries
        }

        if base.random.chance(density) {
            switch Int.random(in: 0..<5, using: &base.random) {
            case 0: m.pick = .pInt32(base.random.int32())
            case 1: m.pick = .pString(base.random.string())
            case 2: m.pick = .pSizeOne(size())
            case 3: m.pick = .pLeaf(leaf(density: child))
            default:
                var group = Oracle2_AllTypes2.PickGroup()
                if base.random.chance(0.7) { group.z = base.random.int32() }
                m.pick = .pickgroup(group)
            }
        }

        if depth > 0 {
            maybe { m.child = $0.allTypes2(depth: depth - 1, density: child) }
            maybe { m.children = $0.list(max: 3) { $0.allTypes2(depth: depth - 1, density: child) } }
            maybe { m.proto3Message = $0.base.allTypes(depth: depth - 1, density: child) }
            maybe { m.withRequired = $0.withRequired(depth: depth - 1, density: child) }
            maybe { m.withRequiredList = $0.list(max: 3) { $0.withRequired(depth: depth - 1, density: child) } }
        }
        maybe { m.when = $0.base.timestamp() }
        return m
    }

    mutating func optionalGroup(depth: Int, density: Double) -> Oracle2_AllTypes2.OptionalGroup {
        var group = Oracle2_AllTypes2.OptionalGroup()
        if base.random.chance(density) { group.a = base.random.int32() }
        if base.random.chance(density) { group.b = base.random.string() }
        if depth > 0 && base.random.chance(density) { group.inner = optionalGroup(depth: depth - 1, density: density * 0.6) }
        return group
    }
}
