import Foundation
import Glibc
import Testing
@testable import RPC

/// Connection limits, handshake timeout, max idle and max age, over real sockets, each
/// while another client is still served.
@Suite struct ConnectionManagementTests {
    @Test func connectionsThatNeverSendThePrefaceAreClosedAfterTheHandshakeTimeout() async throws {
        let harness = try await Harness.start(configure: { $0.handshakeTimeout = .milliseconds(300) })
        defer { Task { await harness.stop() } }
        let silent = try await offPool { try (0..<50).map { _ in try RawFrameSocket(address: harness.address) } }
        #expect(await waitUntil { harness.server.acceptedConnectionCount >= 50 })
        // Another client is served meanwhile (and keeps its connection: it sent SETTINGS).
        #expect(try await harness.get("bystander") == "echo: bystander")
        for socket in silent {
            #expect(try await offPool { socket.waitForClose(timeout: .seconds(10)) })
        }
        #expect(await waitUntil { harness.server.openConnectionCount == 1 }, "open: \(harness.server.openConnectionCount)")
        #expect(try await harness.get("still") == "echo: still")
        for socket in silent { socket.closeNow() }
        #expect(harness.server.heldMemoryBytes == 0)
    }

    @Test func connectionsOverTheLimitAreRefusedWithAGoAwaySayingWhy() async throws {
        let harness = try await Harness.start(configure: { $0.maxConnections = 21 })  // 20 + the bystander
        defer { Task { await harness.stop() } }
        #expect(try await harness.get("first") == "echo: first")
        var flood: [RawFrameSocket] = []
        for _ in 0..<20 {
            let socket = try await offPool { try RawFrameSocket(address: harness.address) }
            try await offPool { try socket.sendPrefaceAndSettings() }
            flood.append(socket)
        }
        #expect(await waitUntil { harness.server.openConnectionCount == 21 })
        let refused = try await offPool { try RawFrameSocket(address: harness.address) }
        let goAway = try await offPool { refused.readFrame(timeout: .seconds(10)) { $0.type == 7 } }
        #expect(goAway?.goAwayErrorCode == 7)
        #expect(goAway.map { String(decoding: $0.payload.dropFirst(8), as: UTF8.self) } == "too many connections")
        #expect(try await offPool { refused.waitForClose(timeout: .seconds(10)) })
        // The bystander, connected before the flood, is still served.
        #expect(try await harness.get("during") == "echo: during")
        // Slots free up as the flood leaves.
        for socket in flood { socket.closeNow() }
        #expect(await waitUntil { harness.server.openConnectionCount == 1 })
        let later = try await offPool { try RawFrameSocket(address: harness.address) }
        try await offPool { try later.sendPrefaceAndSettings() }
        #expect(await waitUntil { harness.server.openConnectionCount == 2 })
    }

    @Test func idleConnectionsAreSentGoAwayAndClosed() async throws {
        let harness = try await Harness.start(configure: { $0.maxConnectionIdle = .milliseconds(300) })
        defer { Task { await harness.stop() } }
        // The bystander keeps a call in flight, so its connection is not idle.
        let held = Task {
            try await harness.channel.unary(Echo.hold, request: "busy", options: CallOptions(timeout: .seconds(30)),
                                            serializer: StringSerializer(), deserializer: StringDeserializer()).message
        }
        #expect(await harness.observations.waitForCount("holding", atLeast: 1))
        var flood: [RawFrameSocket] = []
        for _ in 0..<20 {
            let socket = try await offPool { try RawFrameSocket(address: harness.address) }
            try await offPool { try socket.sendPrefaceAndSettings() }
            flood.append(socket)
        }
        for socket in flood {
            let frame = try await offPool { socket.readFrame(timeout: .seconds(10)) { $0.type == 7 } }
            #expect(frame?.goAwayErrorCode == 0)
            #expect(try await offPool { socket.waitForClose(timeout: .seconds(10)) })
        }
        #expect(await waitUntil { harness.server.openConnectionCount == 1 })
        harness.observations.gate.open()
        #expect(try await held.value == "released busy")
    }

    @Test func maxConnectionAgeDrainsWithGoAwayAndLetsTheCallFinish() async throws {
        let harness = try await Harness.start(configure: {
            $0.maxConnectionAge = .milliseconds(300)
            $0.maxConnectionAgeGrace = .seconds(10)
        })
        defer { Task { await harness.stop() } }
        let held = Task {
            try await harness.channel.unary(Echo.hold, request: "old", options: CallOptions(timeout: .seconds(30)),
                                            serializer: StringSerializer(), deserializer: StringDeserializer()).message
        }
        #expect(await harness.observations.waitForCount("holding", atLeast: 1))
        // Past the age, the connection is draining: a new call goes to a new connection.
        try await Task.sleep(for: .milliseconds(600))
        #expect(try await harness.get("new") == "echo: new")
        #expect(harness.server.acceptedConnectionCount == 2)
        // The call on the old connection still completes within the grace period.
        harness.observations.gate.open()
        #expect(try await held.value == "released old")
        // Then the old connection closes; the new one too once it is past its age and idle.
        #expect(await waitUntil { harness.server.openConnectionCount == 0 })
    }

    @Test func maxConnectionAgeGraceCancelsCallsThatRunTooLong() async throws {
        let harness = try await Harness.start(configure: {
            $0.maxConnectionAge = .milliseconds(200)
            $0.maxConnectionAgeGrace = .milliseconds(300)
        })
        defer { Task { await harness.stop() } }
        do {
            _ = try await harness.channel.unary(Echo.hold, request: "stuck", options: CallOptions(timeout: .seconds(30)),
                                                serializer: StringSerializer(), deserializer: StringDeserializer())
            Issue.record("the call outlived the grace period")
        } catch let error as RPCError {
            #expect(error.code == .unavailable || error.code == .cancelled, "\(error)")
        }
        #expect(await harness.observations.waitFor("hold-cancelled"))
    }
}
