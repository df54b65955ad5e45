import Glibc
import Synchronization
import Testing
@testable import RPC

/// Records what each call's context says about its peer.
final class PeerRecorder: ServerInterceptor {
    let seen = Mutex<[(PeerCredentials?, Bool)]>([])

    func intercept(_ call: ServerCall, next: @Sendable (ServerCall) async throws -> Void) async throws {
        seen.withLock { $0.append((call.context.peerCredentials, call.context.peerAdmitted)) }
        try await next(call)
    }
}

/// SO_PEERCRED on Unix socket servers and the once-per-connection admission check.
@Suite struct PeerCredentialsTests {
    @Test func unixSocketCallsCarryTheCallersCredentialsCheckedOncePerConnection() async throws {
        let recorder = PeerRecorder()
        let checks = Mutex<[PeerCredentials?]>([])
        let harness = try await Harness.start(.unix, configure: { configuration in
            configuration.admitsPeer = { peer in
                checks.withLock { $0.append(peer) }
                return peer?.pid == getpid()
            }
        }, interceptors: [recorder])
        for index in 0..<3 { #expect(try await harness.get("\(index)") == "echo: \(index)") }
        await harness.stop()

        let expected = PeerCredentials(pid: getpid(), uid: getuid(), gid: getgid())
        #expect(checks.withLock { $0 } == [expected])
        let seen = recorder.seen.withLock { $0 }
        #expect(seen.count == 3)
        #expect(seen.allSatisfy { $0.0 == expected && $0.1 })
    }

    @Test func aRefusedPeerIsMarkedOnEveryCallAndTCPHasNoCredentials() async throws {
        let recorder = PeerRecorder()
        let unix = try await Harness.start(.unix, configure: { $0.admitsPeer = { _ in false } }, interceptors: [recorder])
        _ = try await unix.get("refused")
        await unix.stop()
        #expect(recorder.seen.withLock { $0.map(\.1) } == [false])

        let tcpRecorder = PeerRecorder()
        let checks = Mutex<[PeerCredentials?]>([])
        let tcp = try await Harness.start(.ipv4, configure: { configuration in
            configuration.admitsPeer = { peer in
                checks.withLock { $0.append(peer) }
                return true
            }
        }, interceptors: [tcpRecorder])
        _ = try await tcp.get("tcp")
        await tcp.stop()
        #expect(checks.withLock { $0 } == [nil])
        #expect(tcpRecorder.seen.withLock { $0.count } == 1)
        #expect(tcpRecorder.seen.withLock { $0.allSatisfy { $0.0 == nil && $0.1 } })
    }
}
