import CRPCSystem
import Glibc
import Logging
import Synchronization
import Testing
@testable import RPC

/// Descriptor numbers are reused the moment they are closed. Nothing may act on a number it no
/// longer owns: no event of a closed descriptor may reach the handler that took its number
/// next, and no close may hit a number another connection holds by then.
@Suite struct DescriptorReuseTests {
    /// Two descriptors are ready in the same batch of events; the handler that runs first
    /// closes the other one and registers a new descriptor under its number (as a channel does
    /// when a connection ends and it connects again at once). The old descriptor's event,
    /// still in the batch, must not reach the new handler: the new pair is empty and its
    /// other end is open, so any event it gets is the old one's.
    @Test func anEventOfAClosedDescriptorDoesNotReachTheNextHolderOfItsNumber() async throws {
        let loop = try EventLoop(name: "reuse")
        defer { loop.shutdown() }
        let first = try Pipe(), second = try Pipe()
        first.fill()
        second.fill()
        let replacement = Locked<Pipe?>(nil)
        let newcomer = Recorder()
        let acted = Locked(false)
        let closers = [first, second].map { own in Closer(own: own) }
        closers[0].other = closers[1]
        closers[1].other = closers[0]
        for closer in closers {
            closer.onFirstEvent = { closer in
                guard acted.withLock({ done in
                    defer { done = true }
                    return !done
                }), let otherCloser = closer.other else { return }
                // Unregister and close the other one, then give its number to a new pipe.
                let other = otherCloser.own
                otherCloser.isClosed = true
                loop.unregister(fd: other.read)
                let fresh = try? Pipe()
                guard let fresh, dup2(fresh.read, other.read) == other.read else { return }
                Glibc.close(fresh.read)
                Glibc.close(other.write)
                replacement.withLock { $0 = Pipe(read: other.read, write: fresh.write) }
                try? loop.register(fd: other.read, handler: newcomer, readable: true, writable: false)
            }
        }
        try await loop.submit {
            // Both are readable already: the loop's next wait returns both in one batch.
            try loop.register(fd: first.read, handler: closers[0], readable: true, writable: false)
            try loop.register(fd: second.read, handler: closers[1], readable: true, writable: false)
        }
        #expect(await waitUntil { acted.withLock { $0 } && replacement.withLock { $0 } != nil })
        // Two more iterations of the loop: whatever the batch held has been delivered.
        try await loop.submit {}
        try await loop.submit {}
        #expect(newcomer.events.withLock { $0 } == 0, "the new holder of the number got the old descriptor's event")
        try await loop.submit {
            for closer in closers where !closer.isClosed { closer.closeOwn(loop) }
            if let fresh = replacement.withLock({ $0 }) {
                loop.unregister(fd: fresh.read)
                fresh.close()
            }
        }
    }

    /// Hundreds of short connections, closed by the client (FIN or RST, some before the
    /// server even adopted them) and by the server (handshake timeout, protocol error), while
    /// channels in the same process connect and close and the server keeps accepting. Every
    /// accepted connection starts (no "could not start an accepted connection"), every one
    /// ends, and descriptors that stay open (long-lived connections on both sides) keep
    /// working: a close of a number that had been reused would end one of them.
    @Test func shortConnectionsClosedByEitherSideWhileAcceptingLeaveEveryOtherDescriptorAlone() async throws {
        let errors = ErrorLog()
        var configuration = Server.Configuration(address: .ipv4(host: "127.0.0.1", port: 0))
        configuration.loopCount = 2
        // Long enough for a loaded machine to get a preface out right after connecting.
        configuration.handshakeTimeout = .seconds(1)
        configuration.shutdownGracePeriod = .seconds(2)
        let observations = Observations()
        let server = Server(configuration: configuration, services: [EchoService(observations: observations)],
                            logger: Logger(label: "reuse") { _ in errors })
        let address = try await server.start()
        let bystander = try Channel(configuration: .init(target: address))
        #expect(try await echo(bystander, "before") == "echo: before")
        // Long-lived raw connections: their descriptors (ours and the server's) must outlive the churn.
        let longLived = try await offPool {
            try (0..<8).map { _ in
                let socket = try RawFrameSocket(address: address)
                try socket.sendPrefaceAndSettings()
                return socket
            }
        }

        let waves = 8, perWave = 20
        for wave in 0..<waves {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<perWave {
                    let kind = (wave * perWave + index) % 5
                    group.addTask {
                        switch kind {
                        case 4:
                            // A channel: connect, one call, close (client registrations and
                            // closes in this process, taking numbers the server just freed).
                            let channel = try Channel(configuration: .init(target: address))
                            _ = try await echo(channel, "churn")
                            await channel.close()
                        default:
                            try await offPool { try Self.shortConnection(kind, to: address) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            // The long-lived ones still work both ways after every wave.
            #expect(try await echo(bystander, "wave \(wave)") == "echo: wave \(wave)")
        }
        #expect(await waitUntil { server.openConnectionCount == 9 }, "open: \(server.openConnectionCount)")
        for socket in longLived {
            try await offPool { try socket.send(RawFrameSocket.frame(type: 6, flags: 0, streamID: 0, payload: Array(repeating: 7, count: 8))) }
            let ack = try await offPool { socket.readFrame(timeout: .seconds(10)) { $0.type == 6 && $0.flags & 1 == 1 } }
            #expect(ack != nil, "a long-lived connection lost its descriptor")
        }
        #expect(errors.messages.isEmpty, "\(errors.messages)")
        for socket in longLived { socket.closeNow() }
        #expect(await waitUntil { server.openConnectionCount == 1 })
        await bystander.close()
        await server.shutdown()
    }

    /// One short connection of `kind`: 0 closes at once, 1 resets (SO_LINGER 0), 2 sends the
    /// preface then a frame the server answers with a connection error, 3 says nothing (the
    /// handshake timeout closes it).
    private static func shortConnection(_ kind: Int, to address: SocketAddress) throws {
        let socket = try RawFrameSocket(address: address)
        switch kind {
        case 0:
            socket.closeNow()
        case 1:
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(socket.fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            socket.closeNow()
        case 2:
            try socket.sendPrefaceAndSettings()
            // DATA on stream 0 is a connection error (PROTOCOL_ERROR).
            try socket.send(RawFrameSocket.frame(type: 0, flags: 0, streamID: 0, payload: [1, 2, 3]))
            _ = socket.waitForClose(timeout: .seconds(10))
            socket.closeNow()
        default:
            _ = socket.waitForClose(timeout: .seconds(10))
            socket.closeNow()
        }
    }
}

private func echo(_ channel: Channel, _ text: String) async throws -> String {
    try await channel.unary(Echo.get, request: text, options: CallOptions(timeout: .seconds(20)),
                            serializer: StringSerializer(), deserializer: StringDeserializer()).message
}

/// Two connected descriptors (a socket pair): bytes written to `write` make `read` readable.
private struct Pipe: Sendable {
    let read: Int32
    let write: Int32

    init(read: Int32, write: Int32) {
        self.read = read
        self.write = write
    }

    init() throws {
        var fds: [Int32] = [0, 0]
        let type = Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, type, 0, &fds) == 0 else { throw EventLoopError(operation: "socketpair", errno: errno) }
        read = fds[0]
        write = fds[1]
    }

    /// Makes the read end readable.
    func fill() {
        var byte: UInt8 = 1
        _ = Glibc.write(write, &byte, 1)
    }

    func close() {
        Glibc.close(read)
        Glibc.close(write)
    }
}

/// Counts the events it is given.
private final class Recorder: EventHandler, Sendable {
    let events = Mutex(0)
    func handleEvents(_ events: UInt32) { self.events.withLock { $0 += 1 } }
}

/// Drains its pipe; on its first event runs `onFirstEvent`. Loop-confined.
private final class Closer: EventHandler, @unchecked Sendable {
    let own: Pipe
    weak var other: Closer?
    var onFirstEvent: ((Closer) -> Void)?
    /// Set when its pipe is closed (by itself, or by the other closer, which then gave the
    /// read end's number to another pipe).
    var isClosed = false

    init(own: Pipe) { self.own = own }

    func handleEvents(_ events: UInt32) {
        var byte: UInt8 = 0
        _ = Glibc.read(own.read, &byte, 1)
        guard let action = onFirstEvent else { return }
        onFirstEvent = nil
        action(self)
    }

    /// Unregisters and closes its pipe.
    func closeOwn(_ loop: EventLoop) {
        isClosed = true
        loop.unregister(fd: own.read)
        own.close()
    }
}
