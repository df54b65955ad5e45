import Testing
@testable import Wire
@Suite struct WireTypeTests {
    @Test func rawValuesMatchTheSpec() { #expect(WireType.fixed32.rawValue == 5) }
}
