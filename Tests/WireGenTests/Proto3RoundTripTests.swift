import Testing
import Wire

/// Round trips through code generated from Protos/wiretest/proto3_features.proto.
@Suite struct Proto3RoundTripTests {
    func roundTrip<M: Wire.Message>(_ message: M) throws -> M {
        let bytes = try message.serializedBytes()
        #expect(bytes.count == message.serializedSize())
        return try M(serializedBytes: bytes)
    }

    @Test func defaultMessageEncodesToNothing() throws {
        #expect(try WireTest_P3_Scalars().serializedBytes() == [])
        #expect(try WireTest_P3_Repeated().serializedBytes() == [])
        #expect(try WireTest_P3_Maps().serializedBytes() == [])
        #expect(try WireTest_P3_Tree().serializedBytes() == [])
        #expect(try WireTest_P3_Wide().serializedBytes() == [])
    }

    @Test func everyScalarRoundTripsAtItsExtremes() throws {
        var message = WireTest_P3_Scalars.atExtremes(string: "héllo, 世界 🌍", bytes: [0, 255, 128])
        message.fSint64 = .max
        #expect(try roundTrip(message) == message)
    }

    @Test func negativeZeroIsWrittenButPositiveZeroIsNot() throws {
        var message = WireTest_P3_Scalars()
        message.fDouble = -0.0
        #expect(try message.serializedBytes() == [9, 0, 0, 0, 0, 0, 0, 0, 0x80])
        message.fDouble = 0.0
        #expect(try message.serializedBytes() == [])
    }

    @Test func nanRoundTrips() throws {
        var message = WireTest_P3_Scalars()
        message.fFloat = .nan
        #expect(try roundTrip(message).fFloat.isNaN)
    }

    @Test func openEnumKeepsUnknownNumbers() throws {
        // f_color (14) = 7, which Color does not declare.
        let message = try WireTest_P3_Scalars(serializedBytes: [0x70, 7])
        #expect(message.fColor == .UNRECOGNIZED(7))
        #expect(message.unknownFields.isEmpty)
        #expect(try message.serializedBytes() == [0x70, 7])
        #expect(WireTest_P3_Color(rawValue: 1) == .red)
        #expect(WireTest_P3_Color.crimson == .red)
        #expect(WireTest_P3_Color.allCases == [.unspecified, .red, .green])
    }

    @Test func negativeEnumValueIsTenBytes() throws {
        var message = WireTest_P3_Scalars()
        message.fColor = .UNRECOGNIZED(-1)
        #expect(try message.serializedBytes().count == 11)
        #expect(try roundTrip(message).fColor == .UNRECOGNIZED(-1))
    }

    func filledRepeated() -> WireTest_P3_Repeated {
        var message = WireTest_P3_Repeated()
        message.rDouble = [1.5, -0.0, .infinity]
        message.rFloat = [2.5, .nan]
        message.rInt64 = [.min, 0, .max]
        message.rUint64 = [0, .max]
        message.rInt32 = [-1, 1, .max]
        message.rFixed64 = [1, .max]
        message.rFixed32 = [3]
        message.rBool = [true, false, true]
        message.rString = ["", "a", "ü"]
        message.rBytes = [[], [1]]
        message.rUint32 = [.max]
        message.rColor = [.red, .UNRECOGNIZED(9), .unspecified]
        message.rSfixed32 = [-5]
        message.rSfixed64 = [-6]
        message.rSint32 = [-7, .min]
        message.rSint64 = [-8, .max]
        message.rUnpacked = [1, 2, 3]
        var nested = WireTest_P3_Nested()
        nested.x = 4
        message.rNested = [nested, WireTest_P3_Nested()]
        return message
    }

    @Test func repeatedFieldsRoundTrip() throws {
        let message = filledRepeated()
        let decoded = try roundTrip(message)
        // NaN != NaN, so compare everything else and the NaN separately.
        #expect(decoded.rFloat[0] == 2.5 && decoded.rFloat[1].isNaN)
        var withoutNaN = message
        withoutNaN.rFloat = []
        var decodedWithoutNaN = decoded
        decodedWithoutNaN.rFloat = []
        #expect(decodedWithoutNaN == withoutNaN)
    }

    @Test func proto3PacksByDefaultAndHonoursPackedFalse() throws {
        var message = WireTest_P3_Repeated()
        message.rInt32 = [1, 2]
        #expect(try message.serializedBytes() == [0x2A, 2, 1, 2])
        message = WireTest_P3_Repeated()
        message.rUnpacked = [1, 2]
        #expect(try message.serializedBytes() == [0x98, 0x01, 1, 0x98, 0x01, 2])
    }

    @Test func packedAndUnpackedAreAcceptedForEveryPackableField() throws {
        // r_int32 (5) unpacked, then packed; r_unpacked (19) packed.
        let message = try WireTest_P3_Repeated(serializedBytes: [0x28, 7, 0x2A, 2, 8, 9, 0x9A, 0x01, 2, 1, 2])
        #expect(message.rInt32 == [7, 8, 9])
        #expect(message.rUnpacked == [1, 2])
        // r_fixed32 (7) packed and unpacked.
        let fixed = try WireTest_P3_Repeated(serializedBytes: [0x3D, 1, 0, 0, 0, 0x3A, 4, 2, 0, 0, 0])
        #expect(fixed.rFixed32 == [1, 2])
    }

    @Test func repeatedEmbeddedMessagesAppendOnMerge() throws {
        var message = filledRepeated()
        let bytes = try message.serializedBytes()
        try message.merge(serializedBytes: bytes)
        #expect(message.rNested.count == 4)
        #expect(message.rInt32 == [-1, 1, .max, -1, 1, .max])
    }

    @Test func singularEmbeddedMessagesMerge() throws {
        // o_nested (6) twice: {x: 1} then {y: "b"} -> {x: 1, y: "b"}.
        let message = try WireTest_P3_Optionals(serializedBytes: [0x32, 2, 8, 1, 0x32, 3, 0x12, 1, 0x62])
        #expect(message.oNested.x == 1)
        #expect(message.oNested.y == "b")
    }

    @Test func proto3OptionalTracksPresence() throws {
        var message = WireTest_P3_Optionals()
        #expect(!message.hasOInt32)
        #expect(message.oInt32 == 0)
        message.oInt32 = 0
        message.oString = ""
        message.oColor = .unspecified
        #expect(message.hasOInt32)
        // Zero values are written when present.
        #expect(try message.serializedBytes() == [8, 0, 0x12, 0, 0x18, 0])
        let decoded = try roundTrip(message)
        #expect(decoded.hasOInt32 && decoded.hasOString && decoded.hasOColor && !decoded.hasODouble)
        message.clearOInt32()
        #expect(!message.hasOInt32)
        #expect(!message.hasONested)
        message.oNested.x = 3
        #expect(message.hasONested)
    }

    @Test func mapsRoundTrip() throws {
        var message = WireTest_P3_Maps()
        message.stringToInt32 = ["a": 1, "": -1]
        message.int64ToString = [.min: "min", 0: ""]
        message.boolToBytes = [true: [1, 2], false: []]
        var nested = WireTest_P3_Nested()
        nested.y = "deep"
        nested.deeper.z = true
        message.uint32ToNested = [0: WireTest_P3_Nested(), 7: nested]
        message.stringToColor = ["g": .green, "u": .UNRECOGNIZED(42)]
        message.sint32ToDouble = [-3: 0.5]
        message.fixed64ToFloat = [.max: -2]
        message.sfixed32ToSint64 = [-1: .min]
        #expect(try roundTrip(message) == message)
    }

    @Test func oneofLastMemberWins() throws {
        // a = 1, then b = "x": b wins.
        let message = try WireTest_P3_Choice(serializedBytes: [8, 1, 0x12, 1, 0x78])
        #expect(message.pick == .b("x"))
        #expect(message.a == 0)
    }

    @Test func oneofMessageMemberMerges() throws {
        // c = {x: 1}, then c = {y: "z"}: merged.
        let message = try WireTest_P3_Choice(serializedBytes: [0x1A, 2, 8, 1, 0x1A, 3, 0x12, 1, 0x7A])
        #expect(message.c.x == 1)
        #expect(message.c.y == "z")
    }

    @Test func oneofMembersRoundTripIncludingDefaults() throws {
        var message = WireTest_P3_Choice()
        for pick: WireTest_P3_Choice.OneOf_Pick in [.a(0), .b(""), .c(WireTest_P3_Nested()), .d(.unspecified), .e([])] {
            message.pick = pick
            message.after = 5
            let bytes = try message.serializedBytes()
            #expect(bytes.count > 2)  // a set member is written even when it holds its default
            #expect(try WireTest_P3_Choice(serializedBytes: bytes) == message)
        }
    }

    @Test func recursiveMessagesRoundTrip() throws {
        var tree = WireTest_P3_Tree()
        tree.value = 1
        tree.left.value = 2
        tree.left.left.value = 3
        tree.right.children = [WireTest_P3_Tree(), tree.left]
        tree.alt.label = "x"
        #expect(try roundTrip(tree) == tree)
        #expect(tree.left.left.value == 3)
        #expect(!tree.left.left.hasLeft)
    }

    @Test func storageIsCopiedOnWrite() {
        var original = WireTest_P3_Tree()
        original.value = 1
        var copy = original
        copy.value = 2
        copy.left.value = 3
        #expect(original.value == 1)
        #expect(!original.hasLeft)
        #expect(copy != original)
        var same = original
        same.value = 1
        #expect(same == original)
        #expect(Set([original, same, copy]).count == 2)
    }

    @Test func mutualRecursionThroughAOneof() throws {
        var sum = WireTest_P3_BinOp()
        sum.op = "+"
        sum.lhs.literal = 1
        var inner = WireTest_P3_BinOp()
        inner.op = "*"
        inner.lhs.literal = 2
        inner.rhs.literal = -3
        sum.rhs.binop = inner
        var expr = WireTest_P3_Expr()
        expr.binop = sum
        #expect(try roundTrip(expr) == expr)
    }

    @Test func wideMessageUsesStorageAndTheLargestFieldNumber() throws {
        var wide = WireTest_P3_Wide()
        wide.f1 = 1
        wide.f25 = "z"
        wide.f26 = 0
        wide.f27 = ["k": "v"]
        wide.f536870911 = 9
        let bytes = try wide.serializedBytes()
        #expect(bytes.suffix(6) == [0xF8, 0xFF, 0xFF, 0xFF, 0x0F, 9])
        #expect(try WireTest_P3_Wide(serializedBytes: bytes) == wide)
    }

    @Test func unknownFieldsSurviveAnOlderSchema() throws {
        // Encode a full Scalars, decode it as Empty (knows nothing), re-encode: same bytes.
        var scalars = WireTest_P3_Scalars()
        scalars.fInt32 = -5
        scalars.fString = "kept"
        scalars.fFixed64 = 1
        scalars.fFloat = 1
        let bytes = try scalars.serializedBytes()
        let empty = try WireTest_P3_Empty(serializedBytes: bytes)
        #expect(empty.unknownFields.bytes == bytes)
        #expect(try empty.serializedBytes() == bytes)
        #expect(try WireTest_P3_Scalars(serializedBytes: try empty.serializedBytes()) == scalars)
    }

    @Test func wellKnownTypesAreUsable() throws {
        var message = WireTest_P3_WellKnown()
        message.ts.seconds = 1_700_000_000
        message.ts.nanos = 5
        message.dur.seconds = -1
        var payload = WireTest_P3_Nested()
        payload.x = 42
        message.any = try Google_Protobuf_Any(packing: payload)
        var value = Google_Protobuf_Value()
        value.stringValue = "s"
        message.st.fields = ["k": value]
        message.i32.value = 0
        message.str.value = "w"
        message.empty = Google_Protobuf_Empty()
        message.mask.paths = ["a.b", "c"]
        var list = Google_Protobuf_ListValue()
        list.values = [value]
        message.val.listValue = list
        message.flags = [Google_Protobuf_BoolValue()]
        let decoded = try roundTrip(message)
        #expect(decoded == message)
        #expect(decoded.hasI32 && decoded.hasEmpty)
        #expect(decoded.any.typeURL == "type.googleapis.com/wire_test.p3.Nested")
        #expect(try decoded.any.unpack(WireTest_P3_Nested.self)?.x == 42)
        #expect(try decoded.any.unpack(WireTest_P3_Tree.self) == nil)
    }
}
