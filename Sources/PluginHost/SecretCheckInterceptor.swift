import RPC

/// Lets a call through only when it carries this plugin's per-launch secret, so no plugin
/// (or anything else on the machine) can use another plugin's API server.
struct SecretCheckInterceptor: ServerInterceptor {
    let secret: [UInt8]

    init(secret: String) { self.secret = Array(secret.utf8) }

    func intercept(_ call: ServerCall, next: @Sendable (ServerCall) async throws -> Void) async throws {
        let presented = call.context.requestMetadata.first(PluginEnvironmentKeys.apiSecretMetadataKey)
        guard let presented, Self.constantTimeEquals(Array(presented.utf8), secret) else {
            throw RPCError(code: .unauthenticated, message: "missing or wrong plugin API secret")
        }
        try await next(call)
    }

    /// Compares without an early exit, so timing does not reveal how much of a guess matched.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

/// A fresh random secret for one launch: 32 bytes from the system CSPRNG, hex-encoded.
func makeLaunchSecret() -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<32).map { _ in
        let byte = UInt8.random(in: 0...255, using: &generator)
        return String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
    }.joined()
}
