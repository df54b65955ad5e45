import Testing
import Wire

/// Round trips through code generated from Protos/wiretest/proto2_features.proto.
@Suite struct Proto2RoundTripTests {
    @Test func defaultsAreReturnedUntilSet() throws {
        let message = WireTest_P2_Defaults()
        #expect(message.i32 == -42)
        #expect(message.text == "hi \"there\"\n\\ é")
        #expect(message.raw == [1, 0x61, 0x62, 0x7F, 0xFF])
        #expect(message.dbl == .infinity)
        #expect(message.flt == -1.5)
        #expect(message.yes == true)
        #expect(message.mood == .sad)
        #expect(message.big == .max)
        #expect(message.small == .min)
        #expect(message.notANumber.isNaN)
        #expect(message.negInf == -.infinity)
        #expect(message.plain == 0)
        #expect(message.firstMood == .happy)
        #expect(!message.hasI32 && !message.hasMood)
        #expect(try message.serializedBytes() == [])
    }

    @Test func settingTheDefaultValueStillWritesIt() throws {
        var message = WireTest_P2_Defaults()
        message.i32 = -42
        let decoded = try WireTest_P2_Defaults(serializedBytes: try message.serializedBytes())
        #expect(decoded.hasI32)
        #expect(decoded.i32 == -42)
    }

    func validRequired() -> WireTest_P2_Required {
        var message = WireTest_P2_Required()
        message.id = 1
        return message
    }

    @Test func missingRequiredFieldFailsDecodeAndEncodeUnlessPartial() throws {
        #expect(throws: WireError.missingRequiredFields) { try WireTest_P2_Required(serializedBytes: []) }
        #expect(throws: WireError.missingRequiredFields) { try WireTest_P2_Required().serializedBytes() }
        let partial = try WireTest_P2_Required(serializedBytes: [], partial: true)
        #expect(!partial.isInitialized)
        #expect(try partial.serializedBytes(partial: true) == [])
        #expect(validRequired().isInitialized)
    }

    @Test func requiredFieldsAreCheckedInNestedMessagesMapsAndOneofs() throws {
        var message = validRequired()
        message.child = WireTest_P2_Required()  // child lacks id
        #expect(!message.isInitialized)
        message.child.id = 2
        #expect(message.isInitialized)
        message.inner = [WireTest_P2_Required.Inner()]  // lacks name
        #expect(!message.isInitialized)
        message.inner[0].name = "n"
        message.byName = ["k": WireTest_P2_Required.Inner()]
        #expect(!message.isInitialized)
        message.byName["k"]?.name = "m"
        message.picked = WireTest_P2_Required.Inner()
        #expect(!message.isInitialized)
        message.picked.name = "p"
        #expect(message.isInitialized)
        #expect(try WireTest_P2_Required(serializedBytes: try message.serializedBytes()) == message)

        var container = WireTest_P2_Container()
        #expect(container.isInitialized)
        container.req = WireTest_P2_Required()
        #expect(!container.isInitialized)
        #expect(throws: WireError.missingRequiredFields) { try container.serializedBytes() }
        // The encoded partial container fails to decode without `partial`.
        let bytes = try container.serializedBytes(partial: true)
        #expect(throws: WireError.missingRequiredFields) { try WireTest_P2_Container(serializedBytes: bytes) }
    }

    @Test func groupsRoundTripWithTheRightTags() throws {
        var message = WireTest_P2_WithGroups()
        message.single.a = 1
        var multi = WireTest_P2_WithGroups.Multi()
        multi.c = 2
        message.multi = [multi, WireTest_P2_WithGroups.Multi()]
        message.after = 3
        let bytes = try message.serializedBytes()
        // Single: start tag 11, a (field 2) = 1, end tag 12; Multi twice: 35 ... 36; after: 48 3.
        #expect(bytes == [11, 16, 1, 12, 35, 40, 2, 36, 35, 36, 48, 3])
        #expect(try WireTest_P2_WithGroups(serializedBytes: bytes) == message)
    }

    @Test func groupWithWrongEndTagIsRejected() {
        #expect(throws: WireError.unbalancedGroup) { try WireTest_P2_WithGroups(serializedBytes: [11, 16, 1, 36]) }
        #expect(throws: WireError.truncated) { try WireTest_P2_WithGroups(serializedBytes: [11, 16, 1]) }
    }

    @Test func closedEnumUnknownNumbersGoToUnknownFields() throws {
        // mood = 9 (unknown), moods = [1, 9] unpacked, packed_moods = [2, 8] packed, one_mood = 7.
        let bytes: [UInt8] = [8, 9, 16, 1, 16, 9, 26, 2, 2, 8, 32, 7]
        let message = try WireTest_P2_Closed(serializedBytes: bytes)
        #expect(!message.hasMood)
        #expect(message.moods == [.happy])
        #expect(message.packedMoods == [.sad])
        #expect(message.o == nil)
        #expect(message.unknownFields.bytes == [8, 9, 16, 9, 24, 8, 32, 7])
        #expect(WireTest_P2_Mood(rawValue: 9) == nil)
        // Re-encoding keeps the unknown numbers.
        let again = try WireTest_P2_Closed(serializedBytes: try message.serializedBytes())
        #expect(again.unknownFields == message.unknownFields)
    }

    @Test func closedEnumMapEntryWithUnknownValueIsKeptWhole() throws {
        // level_by_name (6): {"a": HIGH}, {"b": 9 (unknown)}.
        let unknownEntry: [UInt8] = [50, 5, 10, 1, 0x62, 16, 9]
        let message = try WireTest_P2_Closed(serializedBytes: [50, 5, 10, 1, 0x61, 16, 1] + unknownEntry)
        #expect(message.levelByName == ["a": .high])
        #expect(message.unknownFields.bytes == unknownEntry)
    }

    @Test func proto2RepeatedIsUnpackedUnlessAsked() throws {
        var message = WireTest_P2_Packing()
        message.unpacked = [1, 2]
        message.packed = [3, 4]
        #expect(try message.serializedBytes() == [8, 1, 8, 2, 18, 2, 3, 4])
        // Both forms are accepted for both fields.
        let swapped = try WireTest_P2_Packing(serializedBytes: [10, 2, 1, 2, 16, 3, 16, 4])
        #expect(swapped.unpacked == [1, 2] && swapped.packed == [3, 4])
    }

    @Test func extensionsAreKeptAsUnknownFields() throws {
        let bytes: [UInt8] = [8, 1, 0xA0, 0x06, 5]  // a = 1, extension field 100 = 5
        let message = try WireTest_P2_Extendable(serializedBytes: bytes)
        #expect(message.a == 1)
        #expect(message.unknownFields.bytes == [0xA0, 0x06, 5])
        #expect(try message.serializedBytes() == bytes)
    }

    @Test func groupInsideAOneofMergesAndRoundTrips() throws {
        // inline {x: 1} then inline {y: 2}: merged into one group value; then written back.
        let message = try WireTest_P2_GroupChoice(serializedBytes: [11, 16, 1, 12, 11, 24, 2, 12])
        #expect(message.inline.x == 1 && message.inline.y == 2)
        #expect(try message.serializedBytes() == [11, 16, 1, 24, 2, 12])
        var other = message
        other.text = "t"
        #expect(try WireTest_P2_GroupChoice(serializedBytes: try other.serializedBytes()).pick == .text("t"))
    }
}
