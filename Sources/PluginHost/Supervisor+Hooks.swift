import RPC

/// The hook calls the host makes through a running plugin's supervisor: only hooks the
/// plugin reported in `Implemented` are called, each with its timeout.
extension Supervisor {
    public enum MessageHookOutcome: Sendable, Equatable {
        case notImplemented
        case unchanged
        case modified(PluginPost)
        case rejected(reason: String)
        /// The hook failed or timed out; the post goes through unchanged.
        case failed(String)
    }

    public func messageWillBePosted(_ post: PluginPost, context: PluginRequestContext = .init()) async
        -> MessageHookOutcome
    {
        guard let running, running.implemented.contains(.messageWillBePosted) else { return .notImplemented }
        do {
            let response = try await running.hooks.messageWillBePosted(
                post, context: context, timeout: configuration.messageHookTimeout)
            if !response.rejectionReason.isEmpty { return .rejected(reason: response.rejectionReason) }
            return response.hasPost ? .modified(response.post) : .unchanged
        } catch {
            logger.warning("MessageWillBePosted failed; letting the post through", metadata: ["error": "\(error)"])
            return .failed("\(error)")
        }
    }

    public func messageHasBeenPosted(_ post: PluginPost, context: PluginRequestContext = .init()) async {
        guard let running, running.implemented.contains(.messageHasBeenPosted) else { return }
        do {
            try await running.hooks.messageHasBeenPosted(post, context: context, timeout: configuration.messageHookTimeout)
        } catch {
            logger.warning("MessageHasBeenPosted failed", metadata: ["error": "\(error)"])
        }
    }

    public func configurationChanged(json: String) async throws -> PluginAppError? {
        guard let running, running.implemented.contains(.onConfigurationChange) else { return nil }
        return try await running.hooks.onConfigurationChange(json: json, timeout: configuration.callTimeout)
    }

    public func executeCommand(_ args: PluginCommandArgs, context: PluginRequestContext = .init()) async throws
        -> Mattermost_Pluginapi_V1_ExecuteCommandResponse
    {
        guard let running, running.implemented.contains(.executeCommand) else {
            throw RPCError(code: .unimplemented, message: "\(pluginID) does not implement ExecuteCommand")
        }
        return try await running.hooks.executeCommand(args, context: context, timeout: configuration.callTimeout)
    }

    public func serveHTTP(_ request: PluginHTTPRequest) async throws -> PluginHTTPResponse {
        guard let running, running.implemented.contains(.serveHTTP) else {
            throw RPCError(code: .unimplemented, message: "\(pluginID) does not implement ServeHTTP")
        }
        return try await running.hooks.serveHTTP(
            request, timeout: configuration.httpTimeout, maximumResponseBody: configuration.maximumHTTPResponseBody)
    }
}
