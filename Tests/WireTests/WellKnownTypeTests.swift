import Testing
import Wire

@Suite struct WellKnownTypeTests {
    @Test func durationsConvertBothWaysKeepingSignsConsistent() {
        let positive = Google_Protobuf_Duration(.milliseconds(1500))
        #expect(positive.seconds == 1 && positive.nanos == 500_000_000)
        let negative = Google_Protobuf_Duration(.milliseconds(-1500))
        #expect(negative.seconds == -1 && negative.nanos == -500_000_000)
        #expect(negative.swiftDuration == .milliseconds(-1500))
        #expect(Google_Protobuf_Duration(seconds: 2, nanos: 3).swiftDuration == .seconds(2) + .nanoseconds(3))
    }

    @Test func timestampsConvertFromAndToSecondsSince1970() {
        let stamp = Google_Protobuf_Timestamp(secondsSince1970: 1_700_000_000.25)
        #expect(stamp.seconds == 1_700_000_000 && stamp.nanos == 250_000_000)
        let before1970 = Google_Protobuf_Timestamp(secondsSince1970: -0.5)
        #expect(before1970.seconds == -1 && before1970.nanos == 500_000_000)
        #expect(before1970.secondsSince1970 == -0.5)
    }

    @Test func wellKnownTypesEncodeLikeAnyMessage() throws {
        let wrapped = Google_Protobuf_StringValue("hi")
        #expect(try wrapped.serializedBytes() == [10, 2, 0x68, 0x69])
        let stamp = Google_Protobuf_Timestamp(seconds: 1, nanos: 2)
        #expect(try Google_Protobuf_Timestamp(serializedBytes: try stamp.serializedBytes()) == stamp)
        var value = Google_Protobuf_Value()
        value.nullValue = .nullValue
        #expect(try value.serializedBytes() == [8, 0])  // a set oneof member is written even at 0
    }

    @Test func anyPacksAndUnpacksByTypeName() throws {
        let any = try Google_Protobuf_Any(packing: Google_Protobuf_Int32Value(7))
        #expect(any.typeURL == "type.googleapis.com/google.protobuf.Int32Value")
        #expect(any.isA(Google_Protobuf_Int32Value.self))
        #expect(try any.unpack(Google_Protobuf_Int32Value.self)?.value == 7)
        #expect(try any.unpack(Google_Protobuf_StringValue.self) == nil)
    }
}
