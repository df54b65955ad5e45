import Foundation
@testable import RPC

/// Certificates made for one test by `scripts/make-test-certificates.sh` (the `openssl`
/// command) in a fresh temporary directory, removed by `remove()`.
struct TestCertificates {
    let directory: URL

    static func make() throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-test-\(UUID().uuidString)")
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/make-test-certificates.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path, directory.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TLSError("make-test-certificates.sh failed with status \(process.terminationStatus)")
        }
        return TestCertificates(directory: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// The server's TLS configuration with `name`.pem / `name`.key.
    func server(_ name: String = "server", requireClientCertificates: Bool = false) -> ServerTLSConfiguration {
        ServerTLSConfiguration(certificateChainFile: path("\(name).pem"), privateKeyFile: path("\(name).key"),
                               clientCertificateTrustRoots: requireClientCertificates ? .file(path("ca.pem")) : nil)
    }

    /// A client trusting the test CA, optionally presenting the client certificate.
    func client(serverName: String? = nil, withCertificate: Bool = false, trusting ca: String = "ca.pem") -> ClientTLSConfiguration {
        ClientTLSConfiguration(trustRoots: .file(path(ca)), serverNameOverride: serverName,
                               certificateChainFile: withCertificate ? path("client.pem") : nil,
                               privateKeyFile: withCertificate ? path("client.key") : nil)
    }
}
