import InteropTesting
import RPC

/// One fuzz input for the server: the bytes a client sends on one connection (connection
/// preface, HTTP/2 frames, gRPC messages), written to a real `Server` in this process over a
/// Unix socket while the server's answers are read. The connection is then half-closed and
/// drained, so every input ends with the server closing the connection or a bounded wait.
public enum ServerConnectionHarness {
    /// How long the server gets to end the streams the input half-closed.
    static let answerWait: Duration = .milliseconds(500)
    /// How long the server gets to close the connection once the client's side is closed.
    static let closeWait: Duration = .seconds(1)

    /// The server every input talks to: TestService (all four call kinds), health and reflection.
    static let server: (server: Server, path: String) = {
        let path = SocketDirectory.socket("server")
        var configuration = Server.Configuration(address: .unix(path: path))
        configuration.loopCount = 1
        configuration.shutdownGracePeriod = .seconds(1)
        let health = HealthService()
        let reflection = ReflectionService(files: Grpc_Testing_TestService.reflectionFiles + HealthService.reflectionFiles)
        let server = Server(configuration: configuration, services: [FuzzTestService(), health, reflection])
        let started = runBlocking { () -> String? in
            do {
                _ = try await server.start()
                return nil
            } catch {
                return "\(error)"
            }
        }
        if let started { fatalError("the fuzz server did not start: \(started)") }
        return (server, path)
    }()

    public static func run(_ input: [UInt8]) {
        let socket: HarnessSocket
        do {
            socket = try HarnessSocket.connect(path: server.path)
        } catch {
            fatalError("cannot reach the fuzz server: \(error)")
        }
        // Streams the input half-closes: wait for their answers before closing our side.
        var awaited = Set<UInt32>()
        var requestScanner = FrameScanner(skippingClientPreface: true)
        requestScanner.feed(input) { frame in
            if frame.halfCloses { awaited.insert(frame.streamID) }
        }
        var answerScanner = FrameScanner(skippingClientPreface: false)
        var goneAway = false
        let answered = socket.pump(sending: input, until: .now + answerWait, received: { chunk in
            answerScanner.feed(chunk) { frame in
                if frame.type == FrameScanner.Frame.goAway { goneAway = true }
                if frame.endsStream { awaited.remove(frame.streamID) }
            }
        }, done: { goneAway || awaited.isEmpty })
        guard answered != .peerClosed else { return }
        socket.shutdownWrite()
        _ = socket.pump(until: .now + closeWait) { false }
    }
}
