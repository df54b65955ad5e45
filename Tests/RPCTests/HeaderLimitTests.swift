import CRPCSystem
import CNGHTTP2
import Glibc
import Testing
@testable import RPC

@Suite struct HeaderLimitTests {
    @Test func oversizedRequestHeadersResetOnlyThatStream() async throws {
        let harness = try await Harness.start(configure: { $0.maxHeaderListSize = 4096 })
        defer { Task { await harness.stop() } }
        let raw = try await offPool { try RawHTTP2Client(address: harness.address) }
        defer { raw.close() }
        let big = String(repeating: "v", count: 8000)
        let stream = try raw.request(path: Echo.get.path, extraHeaders: [("x-big", big)], body: grpcFrame(Array("b".utf8)))
        let response = try await offPool { try raw.waitForEnd(stream: stream, timeout: .seconds(30)) }
        #expect(response.resetCode != nil)
        #expect(response.grpcStatus == nil)
        // Same connection, normal request: still served.
        let ok = try raw.request(path: Echo.get.path, body: grpcFrame(Array("ok".utf8)))
        let okResponse = try await offPool { try raw.waitForEnd(stream: ok, timeout: .seconds(30)) }
        #expect(okResponse.grpcStatus == "0")
    }

    @Test func continuationFloodClosesTheConnection() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let (socket, inProgress) = try Socket.connect(to: harness.address)
        defer { socket.close() }
        if inProgress {
            var pfd = pollfd(fd: socket.fd, events: Int16(POLLOUT), revents: 0)
            _ = poll(&pfd, 1, 2000)
        }
        func frame(_ type: UInt8, _ flags: UInt8, _ stream: UInt32, _ payload: [UInt8]) -> [UInt8] {
            let n = payload.count
            return [UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF), type, flags,
                    UInt8(stream >> 24 & 0x7F), UInt8(stream >> 16 & 0xFF), UInt8(stream >> 8 & 0xFF), UInt8(stream & 0xFF)] + payload
        }
        var bytes = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + frame(0x4, 0, 0, [])
        // HEADERS without END_HEADERS, then CONTINUATION after CONTINUATION (indexed fields
        // keep the HPACK stream valid) and never an end.
        bytes += frame(0x1, 0, 1, [0x83])
        for _ in 0..<200 { bytes += frame(0x9, 0, 1, [0x86]) }
        _ = bytes.withUnsafeBytes { send(socket.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        let received = try await offPool { () -> [UInt8] in
            var all: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            while ContinuousClock.now < deadline {
                var pfd = pollfd(fd: socket.fd, events: Int16(POLLIN), revents: 0)
                guard poll(&pfd, 1, 100) == 1 else { continue }
                let count = buffer.withUnsafeMutableBytes { recv(socket.fd, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                all += buffer[0..<count]
            }
            return all
        }
        // Walk the frames the server sent: one must be GOAWAY with ENHANCE_YOUR_CALM.
        var index = 0
        var goAwayCode: UInt32?
        while index + 9 <= received.count {
            let length = Int(received[index]) << 16 | Int(received[index + 1]) << 8 | Int(received[index + 2])
            if received[index + 3] == 0x7, index + 9 + 8 <= received.count {
                let p = index + 9 + 4
                goAwayCode = UInt32(received[p]) << 24 | UInt32(received[p + 1]) << 16 | UInt32(received[p + 2]) << 8 | UInt32(received[p + 3])
            }
            index += 9 + length
        }
        #expect(goAwayCode == NGHTTP2_ENHANCE_YOUR_CALM.rawValue, "received \(received.count) bytes: \(received.prefix(80))")
        #expect(try await harness.get("after") == "echo: after")
    }
}
