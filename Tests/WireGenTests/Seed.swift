import Testing
import Wire
@Suite struct WireGenSeed {
    @Test func rawValuesMatchTheSpec() { #expect(WireType.fixed32.rawValue == 5) }
}
