import Testing
import PluginHost
@Suite struct PluginHostSeed { @Test func builds() { #expect(Bool(true)) } }
