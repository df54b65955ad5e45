import Testing

@testable import PluginHost

@Suite struct HandshakeTests {
    @Test func parsesTCPAndUnixAddresses() throws {
        #expect(try Handshake.parse("1|2|tcp|127.0.0.1:5000|grpc").address == .tcp(host: "127.0.0.1", port: 5000))
        #expect(try Handshake.parse("1|2|tcp|[::1]:6000|grpc").address == .tcp(host: "::1", port: 6000))
        #expect(try Handshake.parse("1|2|tcp|[::1]:6000|grpc").address.target == "[::1]:6000")
        #expect(try Handshake.parse("1|2|unix|/tmp/p.sock|grpc").address.target == "unix:/tmp/p.sock")
    }

    @Test func refusesWrongVersionsAndProtocols() {
        #expect(throws: HandshakeError.unsupportedCoreVersion(2)) { try Handshake.parse("2|1|tcp|127.0.0.1:1|grpc") }
        #expect(throws: HandshakeError.unsupportedAppVersion(7)) { try Handshake.parse("1|7|tcp|127.0.0.1:1|grpc") }
        #expect(throws: HandshakeError.unsupportedProtocol("netrpc")) {
            try Handshake.parse("1|2|tcp|127.0.0.1:1|netrpc")
        }
        #expect(throws: HandshakeError.unsupportedNetwork("udp")) { try Handshake.parse("1|2|udp|127.0.0.1:1|grpc") }
    }

    @Test func refusesJunkBadAddressesAndRemoteHosts() {
        #expect(throws: HandshakeError.notAHandshake(line: "hello")) { try Handshake.parse("hello") }
        #expect(throws: HandshakeError.notAHandshake(line: "1|2|tcp|grpc")) { try Handshake.parse("1|2|tcp|grpc") }
        #expect(throws: HandshakeError.invalidAddress("127.0.0.1:0")) { try Handshake.parse("1|2|tcp|127.0.0.1:0|grpc") }
        #expect(throws: HandshakeError.invalidAddress("127.0.0.1:99999")) {
            try Handshake.parse("1|2|tcp|127.0.0.1:99999|grpc")
        }
        #expect(throws: HandshakeError.invalidAddress("nocolon")) { try Handshake.parse("1|2|tcp|nocolon|grpc") }
        #expect(throws: HandshakeError.invalidAddress("relative.sock")) {
            try Handshake.parse("1|2|unix|relative.sock|grpc")
        }
        #expect(throws: HandshakeError.notLoopback("10.0.0.1")) { try Handshake.parse("1|2|tcp|10.0.0.1:80|grpc") }
        let long = String(repeating: "x", count: 10_000)
        #expect(throws: HandshakeError.self) { try Handshake.parse(long) }
    }
}

@Suite struct StderrParsingTests {
    @Test func mapsLevelPrefixes() {
        #expect(StderrForwarder.parse("[DEBUG] a") == (.debug, "a"))
        #expect(StderrForwarder.parse("[INFO] b c") == (.info, "b c"))
        #expect(StderrForwarder.parse("[WARN] d") == (.warning, "d"))
        #expect(StderrForwarder.parse("[ERROR] e") == (.error, "e"))
        #expect(StderrForwarder.parse("Traceback (most recent call last):") == (.warning, "Traceback (most recent call last):"))
    }
}
