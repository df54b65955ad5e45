import Testing
import Wire

/// Wide messages keep their repeated, map and `bytes` fields as `nil` until they hold
/// something (Protos/wiretest/wide.proto). A field that is `nil`, one set to empty and one
/// decoded empty must be the same field to every user: equal, hashed alike, never written.
@Suite struct EmptyUntilSetTests {
    typealias Wide = WireTest_Wide_Wide

    // Tags: repeated_int32 = 37 packed (0xAA 0x02), unpacked_int32 = 49 (0x88 0x03),
    // labels = 58 (0xD2 0x03), bytes_value = 10 (0x52).

    @Test func emptyDecodedOrAssignedCollectionsEqualUnsetOnes() throws {
        let decodedEmpty = try Wide(serializedBytes: [0xAA, 0x02, 0, 0xD2, 0x03, 0, 0x52, 0])
        #expect(decodedEmpty.repeatedInt32 == [])
        #expect(decodedEmpty.labels == ["": ""])  // an empty entry is a default key and value
        var assignedEmpty = Wide()
        assignedEmpty.repeatedInt32 = []
        assignedEmpty.bytesValue = []
        assignedEmpty.labels = ["": ""]
        var unset = Wide()
        unset.labels = ["": ""]
        for message in [decodedEmpty, assignedEmpty] {
            #expect(message == unset)
            #expect(unset == message)
            #expect(message.hashValue == unset.hashValue)
            #expect(try message.serializedBytes() == unset.serializedBytes())
        }
        #expect(try Wide(serializedBytes: [0xAA, 0x02, 0, 0x52, 0]) == Wide())
        #expect(try Wide(serializedBytes: [0xAA, 0x02, 0, 0x52, 0]).serializedBytes() == [])
    }

    @Test func decodingAppendsToWhatAFieldHolds() throws {
        var message = Wide()
        message.unpackedInt32 = [7]
        message.labels = ["a": "1"]
        try message.merge(serializedBytes: [0x88, 0x03, 8, 0xD2, 0x03, 6, 0x0A, 1, 0x62, 0x12, 1, 0x32])
        #expect(message.unpackedInt32 == [7, 8])
        #expect(message.labels == ["a": "1", "b": "2"])
    }

    @Test func aFailedDecodeKeepsTheElementsReadBeforeIt() throws {
        // Two elements, then a third whose varint is cut off.
        var message = Wide()
        let truncated: [UInt8] = [0x88, 0x03, 1, 0x88, 0x03, 2, 0x88, 0x03, 0x80]
        #expect(throws: WireError.self) { try message.merge(serializedBytes: truncated) }
        #expect(message.unpackedInt32 == [1, 2])
        #expect(try Wide(serializedBytes: message.serializedBytes()) == message)
    }

    @Test func copiesShareNothingTheyChange() throws {
        var original = Wide()
        original.repeatedInt32 = [1]
        original.blobs = [true: [1]]
        var appended = original
        appended.repeatedInt32.append(2)
        var merged = original
        try merged.merge(serializedBytes: [0xAA, 0x02, 1, 3])
        var fresh = Wide()
        let untouched = fresh
        try fresh.merge(serializedBytes: [0x88, 0x03, 4])
        #expect(original.repeatedInt32 == [1])
        #expect(appended.repeatedInt32 == [1, 2])
        #expect(merged.repeatedInt32 == [1, 3])
        #expect(merged.blobs == [true: [1]])
        #expect(fresh.unpackedInt32 == [4])
        #expect(untouched == Wide() && untouched.unpackedInt32 == [])
    }

    @Test func clearingACollectionForgetsIt() throws {
        var message = Wide()
        message.lateStrings = ["x"]
        message.innerByName = ["k": WireTest_Wide_Inner()]
        message.lateStrings.removeAll()
        message.innerByName = [:]
        #expect(message == Wide())
        #expect(message.hashValue == Wide().hashValue)
        #expect(try message.serializedBytes() == [])
    }
}
