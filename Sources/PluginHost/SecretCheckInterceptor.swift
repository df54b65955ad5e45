import RPC

/// Lets a call through only when it carries this plugin's per-launch API secret and, on the
/// Unix transport, comes from the plugin process or one of its descendants (decided once
/// per connection by `PluginPeerCheck`), so no other plugin, and nothing else on the
/// machine, can use this plugin's API server even if it learned the secret.
struct SecretCheckInterceptor: ServerInterceptor {
    let secret: [UInt8]

    init(secret: String) { self.secret = Array(secret.utf8) }

    func intercept(_ call: ServerCall, next: @Sendable (ServerCall) async throws -> Void) async throws {
        guard call.context.peerAdmitted else {
            throw RPCError(code: .unauthenticated, message: "the caller is not this plugin's process")
        }
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
