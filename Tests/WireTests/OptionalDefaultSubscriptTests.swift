import Testing
import Wire

/// `Optional[default:]`, through which generated code decodes into repeated, map and `bytes`
/// fields that wide messages keep as `nil` until they hold something.
@Suite struct OptionalDefaultSubscriptTests {
    struct Stop: Error {}

    @Test func readingNilGivesTheDefaultAndLeavesNil() {
        let values: [Int]? = nil
        #expect(values[default: []] == [])
        #expect(values == nil)
    }

    @Test func modifyingNilStoresTheResult() {
        var values: [Int]? = nil
        values[default: []].append(1)
        values[default: []].append(2)
        #expect(values == [1, 2])
        var map: [String: Int]? = nil
        map[default: [:]]["a"] = 1
        #expect(map == ["a": 1])
    }

    @Test func aThrowingModificationKeepsWhatItChangedBeforeThrowing() {
        var values: [Int]? = [1]
        func appendThenThrow(_ array: inout [Int]) throws(Stop) {
            array.append(2)
            throw Stop()
        }
        #expect(throws: Stop.self) { try appendThenThrow(&values[default: []]) }
        #expect(values == [1, 2])
    }

    @Test func theWrappedArrayGrowsInPlace() {
        // Moved out for the modification: a second reference would force a copy of the buffer.
        var values: [Int]? = []
        values?.reserveCapacity(64)
        values[default: []].append(0)
        let start = values!.withUnsafeBufferPointer { $0.baseAddress }
        for value in 1..<64 { values[default: []].append(value) }
        #expect(values!.withUnsafeBufferPointer { $0.baseAddress } == start)
        #expect(values == Array(0..<64))
    }
}
