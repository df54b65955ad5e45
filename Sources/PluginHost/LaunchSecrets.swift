#if canImport(Glibc)
import Glibc
#endif
import CPluginHostShims

/// The two secrets of one plugin launch, fresh each time: the plugin presents `api` on
/// every PluginAPI call, the host presents `hooks` on every call it makes to the plugin.
/// They reach the plugin only through its credentials socket (descriptor 3), never the
/// environment.
package struct LaunchSecrets: Sendable {
    package let api: String
    package let hooks: String

    static func make() -> LaunchSecrets { LaunchSecrets(api: makeSecret(), hooks: makeSecret()) }

    /// What the host writes on the credentials socket: exactly two lines.
    var credentialsText: String { "api_secret=\(api)\nhooks_secret=\(hooks)\n" }

    /// 32 bytes from the system CSPRNG as 64 lowercase hex digits.
    static func makeSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for _ in 0..<32 {
            let byte = UInt8.random(in: 0...255, using: &generator)
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// The credentials socketpair of one launch. An AF_UNIX stream socket rather than a pipe:
/// a socket cannot be reopened through /proc/PID/fd/3 by another process. The host writes
/// the secrets into its end before the child starts (they wait in the socket buffer), then
/// closes it, so the child reads the two lines and end of file.
struct CredentialsChannel: ~Copyable {
    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    /// The end that becomes descriptor 3 of the child (close-on-exec in the host).
    let childEnd: Int32

    /// Creates the pair and writes `secrets` into it.
    init(delivering secrets: LaunchSecrets) throws(SetupError) {
        var fds: [Int32] = [-1, -1]
        guard cplugin_socketpair_cloexec(&fds) == 0 else {
            throw SetupError(description: "socketpair: \(String(cString: strerror(errno)))")
        }
        let bytes = Array(secrets.credentialsText.utf8)
        let written = bytes.withUnsafeBytes { send(fds[0], $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        close(fds[0])
        guard written == bytes.count else {
            close(fds[1])
            throw SetupError(description: "writing the credentials: \(String(cString: strerror(errno)))")
        }
        childEnd = fds[1]
    }

    /// Closes the host's copy of the child's end (after the spawn, or when it failed).
    consuming func closeChildEnd() { _ = Glibc.close(childEnd) }
}
