import Testing
import RPC
@Suite struct RPCSeed { @Test func builds() { #expect(Bool(true)) } }
