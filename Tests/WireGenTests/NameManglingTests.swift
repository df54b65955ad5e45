import Testing
import Wire

/// names.proto: fields named after keywords, generated members and stdlib types compile and work.
@Suite struct NameManglingTests {
    @Test func clashingNamesRoundTrip() throws {
        var message = Message()
        message.class = 1
        message.self_p = 2
        message.unknownFields_p = 3
        message.type = 4
        message.default = "d"
        message.isInitialized_p = 6
        message.hashValue_p = 7
        message.init_p = 8
        message.t.protocol = 9
        message.s = .self_p
        message.userID = 11
        message.typeURL = "u"
        message.reader = 13
        message.writer = 14
        message.sizes = 15
        message.tag = 16
        message.storage = 17
        message.value = 18
        message.hash = "h"  // a property may share a name with the method hash(into:)
        message.merge = 20
        let decoded = try Message(serializedBytes: try message.serializedBytes())
        #expect(decoded == message)
        #expect(decoded.unknownFields.isEmpty)

        var reader = Reader()
        reader.message = message
        reader.readers = [Reader()]
        #expect(try Reader(serializedBytes: try reader.serializedBytes()) == reader)
    }

    @Test func enumCasesThatWouldCollideKeepTheirFullNames() throws {
        #expect(WireTest_P2_Mode.allCases == [.modeFast, .fast, .modeSlow])
        var message = WireTest_P2_UsesMode()
        message.mode = .fast
        #expect(try WireTest_P2_UsesMode(serializedBytes: try message.serializedBytes()).mode == .fast)
    }

    @Test func fieldsNamedLikePresenceAccessorsAreSuffixed() throws {
        var message = Presence()
        #expect(!message.hasNote)
        message.hasNote_p = true
        message.clearNote_p = 4
        message.note = ""
        #expect(message.hasNote)
        let decoded = try Presence(serializedBytes: try message.serializedBytes())
        #expect(decoded == message)
        message.clearNote()
        #expect(!message.hasNote && message.hasNote_p)
    }
}
