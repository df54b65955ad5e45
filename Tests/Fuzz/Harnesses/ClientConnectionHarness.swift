import InteropTesting
import RPC

/// One fuzz input for the client: the bytes a server sends on one connection (SETTINGS,
/// HEADERS, DATA with gRPC messages, trailers, ...), written to a real `Channel` in this
/// process over a Unix socket: the first frame (a server's SETTINGS) at once, the rest once the
/// client has sent the requests of `ClientCallSequence`. Then the server's side closes at once
/// (all the input is read first), and every call must end within a bounded time.
public enum ClientConnectionHarness {
    static let requestWait: Duration = .milliseconds(300)
    static let answerWait: Duration = .seconds(1)
    /// A call still running this long after its connection closed is a bug (it would hang forever).
    static let endWait: Duration = .seconds(10)

    static let listener: (socket: HarnessSocket, path: String) = {
        let path = SocketDirectory.socket("client-peer")
        do {
            return (try HarnessSocket.listen(path: path), path)
        } catch {
            fatalError("cannot listen for the fuzzed client: \(error)")
        }
    }()

    static let group: EventLoopGroup = {
        do {
            return try EventLoopGroup(loopCount: 1, name: "fuzz-client")
        } catch {
            fatalError("no event loop for the fuzzed client: \(error)")
        }
    }()

    public static func run(_ input: [UInt8]) {
        let channel: Channel
        do {
            channel = try Channel(configuration: .init(target: .unix(path: listener.path)), group: group)
        } catch {
            fatalError("cannot create the fuzzed channel: \(error)")
        }
        let client = Grpc_Testing_TestService.Client(channel: channel)
        let sequence = ClientCallSequence.fuzzing
        let finished = FinishedCalls()
        var peer: HarnessSocket?
        var requestScanner = FrameScanner(skippingClientPreface: true)
        var halfClosed = Set<UInt32>()
        var started = 0
        // Start the calls one at a time, each once the previous one's request is complete on the
        // wire, so they get streams 1, 3 and 5 as in the recorded seeds.
        for index in 0..<ClientCallSequence.callCount {
            Task {
                await sequence.call(index, on: client)
                finished.add()
            }
            started += 1
            if peer == nil {
                peer = listener.socket.accept(before: .now + requestWait)
                // The client starts streams once the server's first frame (its SETTINGS) is in.
                peer?.sendAll(Array(input.prefix(firstFrameLength(input))), before: .now + requestWait)
            }
            guard let peer else { break }
            let sent = peer.pump(until: .now + requestWait, received: { chunk in
                requestScanner.feed(chunk) { frame in
                    if frame.halfCloses { halfClosed.insert(frame.streamID) }
                }
            }, done: { halfClosed.count > index })
            // Without a usable first frame the client sends no requests; the rest follows anyway.
            guard sent == .stopped else { break }
        }
        if let peer {
            // Then the end of the connection: the client reads all of the input before it sees EOF.
            _ = peer.pump(sending: Array(input.dropFirst(firstFrameLength(input))), until: .now + answerWait) { true }
            peer.shutdownWrite()
        }
        // Every call has a 5 s timeout, so all must end well within `endWait`, whatever the server sent.
        let deadline = ContinuousClock.now + endWait
        while finished.value < started {
            guard ContinuousClock.now < deadline else {
                fatalError("a client call was still running \(endWait) after its server closed the connection")
            }
            _ = peer?.pump(until: .now + .milliseconds(5)) { false }
            // A call retried on a new connection gets it closed at once.
            _ = listener.socket.accept(before: .now + .milliseconds(1))
        }
        runBlocking { await channel.close() }
    }

    /// The length of the input's first HTTP/2 frame (all of it when it is shorter).
    static func firstFrameLength(_ input: [UInt8]) -> Int {
        guard input.count >= 9 else { return input.count }
        return min(input.count, 9 + (Int(input[0]) << 16 | Int(input[1]) << 8 | Int(input[2])))
    }
}
