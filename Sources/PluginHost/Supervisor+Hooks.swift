import RPC

/// The hook calls the host makes through a running plugin's supervisor: only hooks the
/// plugin reported in `Implemented` are called, each within `configuration.timeout(for:)`.
/// A hook that may change or reject a value answers a `HookOutcome`; a failure or timeout
/// is logged and answered `.failed`, which lets the value through unchanged.
extension Supervisor {
    public typealias MessageHookOutcome = HookOutcome<PluginPost>

    /// Runs `body` when the plugin is active and implements `hook`; nil otherwise.
    func whenImplemented<Result>(
        _ hook: PluginHook, _ body: (HooksClient, Duration) async throws -> Result
    ) async rethrows -> Result? {
        guard let running, running.implemented.contains(hook) else { return nil }
        return try await body(running.hooks, configuration.timeout(for: hook))
    }

    /// A hook that may change or reject a value; failures are logged and let it through.
    func decide<Value>(
        _ hook: PluginHook, _ body: (HooksClient, Duration) async throws -> HookOutcome<Value>
    ) async -> HookOutcome<Value> {
        do {
            return try await whenImplemented(hook, body) ?? .notImplemented
        } catch {
            logger.warning(
                "\(hook.rawValue) failed; letting the value through unchanged",
                metadata: ["hook": "\(hook.rawValue)", "error": "\(error)"])
            return .failed("\(error)")
        }
    }

    /// A hook that only tells the plugin something; failures are logged. Returns whether
    /// the plugin implements the hook and handled the call.
    @discardableResult
    func notify(_ hook: PluginHook, _ body: (HooksClient, Duration) async throws -> Void) async -> Bool {
        do {
            return try await whenImplemented(hook, body) != nil
        } catch {
            logger.warning("\(hook.rawValue) failed", metadata: ["hook": "\(hook.rawValue)", "error": "\(error)"])
            return false
        }
    }

    // MARK: - Posts

    public func messageWillBePosted(_ post: PluginPost, context: PluginRequestContext = .init()) async
        -> MessageHookOutcome
    {
        await decide(.messageWillBePosted) { hooks, timeout in
            let response = try await hooks.messageWillBePosted(post, context: context, timeout: timeout)
            if !response.rejectionReason.isEmpty { return .rejected(reason: response.rejectionReason) }
            return response.hasPost ? .modified(response.post) : .unchanged
        }
    }

    public func messageHasBeenPosted(_ post: PluginPost, context: PluginRequestContext = .init()) async {
        await notify(.messageHasBeenPosted) { hooks, timeout in
            try await hooks.messageHasBeenPosted(post, context: context, timeout: timeout)
        }
    }

    /// An edit of `old` into `new`: the plugin may change `new` or reject the edit.
    public func messageWillBeUpdated(new: PluginPost, old: PluginPost, context: PluginRequestContext = .init()) async
        -> HookOutcome<PluginPost>
    {
        var request = Mattermost_Pluginapi_V1_MessageWillBeUpdatedRequest()
        request.context = context
        request.newPost = new
        request.oldPost = old
        return await decide(.messageWillBeUpdated) { hooks, timeout in
            let response = try await hooks.unary(timeout) { try await $0.messageWillBeUpdated(request, metadata: $1, options: $2) }
            if !response.rejectionReason.isEmpty { return .rejected(reason: response.rejectionReason) }
            return response.hasPost ? .modified(response.post) : .unchanged
        }
    }

    public func messageHasBeenUpdated(new: PluginPost, old: PluginPost, context: PluginRequestContext = .init()) async {
        var request = Mattermost_Pluginapi_V1_MessageHasBeenUpdatedRequest()
        request.context = context
        request.newPost = new
        request.oldPost = old
        await notify(.messageHasBeenUpdated) { hooks, timeout in
            _ = try await hooks.unary(timeout) { try await $0.messageHasBeenUpdated(request, metadata: $1, options: $2) }
        }
    }

    public func messageHasBeenDeleted(_ post: PluginPost, context: PluginRequestContext = .init()) async {
        var request = Mattermost_Pluginapi_V1_MessageHasBeenDeletedRequest()
        request.context = context
        request.post = post
        await notify(.messageHasBeenDeleted) { hooks, timeout in
            _ = try await hooks.unary(timeout) { try await $0.messageHasBeenDeleted(request, metadata: $1, options: $2) }
        }
    }

    /// Posts on their way to a client; the plugin may change them but not add or drop any
    /// (an answer with a different number of posts counts as a failure).
    public func messagesWillBeConsumed(_ posts: [PluginPost]) async -> HookOutcome<[PluginPost]> {
        var request = Mattermost_Pluginapi_V1_MessagesWillBeConsumedRequest()
        request.posts = posts
        return await decide(.messagesWillBeConsumed) { hooks, timeout in
            let response = try await hooks.unary(timeout) { try await $0.messagesWillBeConsumed(request, metadata: $1, options: $2) }
            guard response.changed else { return .unchanged }
            guard response.posts.count == posts.count else {
                throw RPCError(
                    code: .internalError,
                    message: "MessagesWillBeConsumed answered \(response.posts.count) posts for \(posts.count)")
            }
            return .modified(response.posts)
        }
    }

    public func reactionHasBeenAdded(_ reaction: PluginReaction, context: PluginRequestContext = .init()) async {
        var request = Mattermost_Pluginapi_V1_ReactionHasBeenAddedRequest()
        request.context = context
        request.reaction = reaction
        await notify(.reactionHasBeenAdded) { hooks, timeout in
            _ = try await hooks.unary(timeout) { try await $0.reactionHasBeenAdded(request, metadata: $1, options: $2) }
        }
    }

    public func reactionHasBeenRemoved(_ reaction: PluginReaction, context: PluginRequestContext = .init()) async {
        var request = Mattermost_Pluginapi_V1_ReactionHasBeenRemovedRequest()
        request.context = context
        request.reaction = reaction
        await notify(.reactionHasBeenRemoved) { hooks, timeout in
            _ = try await hooks.unary(timeout) { try await $0.reactionHasBeenRemoved(request, metadata: $1, options: $2) }
        }
    }

    // MARK: - Commands, HTTP, configuration

    /// A new configuration for the plugin (a JSON object): the settings schema's defaults are
    /// filled in and the result validated (a misfit is answered with a `plugin.settings.invalid`
    /// error and the plugin is not called); the plugin may refuse it with an error.
    public func configurationChanged(json: String) async throws -> PluginAppError? {
        let effective: String
        switch resolveConfiguration(json) {
        case .success(let resolved): effective = resolved
        case .failure(let problem): return problem
        }
        return try await whenImplemented(.onConfigurationChange) { hooks, timeout in
            try await hooks.onConfigurationChange(json: effective, timeout: timeout)
        } ?? nil
    }

    public func executeCommand(_ args: PluginCommandArgs, context: PluginRequestContext = .init()) async throws
        -> Mattermost_Pluginapi_V1_ExecuteCommandResponse
    {
        let response = try await whenImplemented(.executeCommand) { hooks, timeout in
            try await hooks.executeCommand(args, context: context, timeout: timeout)
        }
        guard let response else { throw RPCError(code: .unimplemented, message: "\(pluginID) does not implement ExecuteCommand") }
        return response
    }

    /// Forwards an HTTP request to the plugin, streaming: `body` is read only as fast as the
    /// plugin consumes it, and the answer comes back once the plugin sent its response head,
    /// with the body still streaming (`PluginHTTPResponseBody`). `httpTimeout` bounds the
    /// whole exchange. Throws UNIMPLEMENTED when the plugin has no ServeHTTP.
    public func serveHTTP<Body: AsyncSequence & Sendable>(
        head: PluginHTTPRequestHead, body: Body
    ) async throws -> PluginHTTPStreamingResponse where Body.Element == [UInt8] {
        guard let running, running.implemented.contains(.serveHTTP) else {
            throw RPCError(code: .unimplemented, message: "\(pluginID) does not implement ServeHTTP")
        }
        return try await running.hooks.serveHTTP(head: head, body: body, timeout: configuration.timeout(for: .serveHTTP))
    }

    /// The buffered convenience over `serveHTTP(head:body:)`: the whole request body goes in,
    /// the whole response body comes back, at most `maximumHTTPResponseBody` bytes.
    public func serveHTTP(_ request: PluginHTTPRequest) async throws -> PluginHTTPResponse {
        let body = request.body
        let response = try await serveHTTP(head: request.head, body: AsyncStream<[UInt8]> { continuation in
            if !body.isEmpty { continuation.yield(body) }
            continuation.finish()
        })
        return try await response.collect(upTo: configuration.maximumHTTPResponseBody)
    }

    /// The plugin was installed by `userID` (called on the installed plugin after its activation).
    /// Returns the plugin's error, if it reported one; throws when the call failed.
    public func onInstall(userID: String, context: PluginRequestContext = .init()) async throws -> PluginAppError? {
        var request = Mattermost_Pluginapi_V1_OnInstallRequest()
        request.context = context
        request.userID = userID
        return try await whenImplemented(.onInstall) { hooks, timeout in
            let response = try await hooks.unary(timeout) { try await $0.onInstall(request, metadata: $1, options: $2) }
            return response.hasError ? PluginAppError(response.error) : nil
        } ?? nil
    }

    /// The server configuration (a JSON object) is about to be saved: the plugin may replace
    /// it (with another JSON object) or reject it.
    public func configurationWillBeSaved(json: String) async -> HookOutcome<String> {
        var request = Mattermost_Pluginapi_V1_ConfigurationWillBeSavedRequest()
        request.configurationJson = json
        return await decide(.configurationWillBeSaved) { hooks, timeout in
            let response = try await hooks.unary(timeout) { try await $0.configurationWillBeSaved(request, metadata: $1, options: $2) }
            if response.hasError {
                let error = PluginAppError(response.error)
                return .rejected(reason: error.message.isEmpty ? error.id : error.message)
            }
            if response.configurationJson.isEmpty { return .unchanged }
            guard JSONObjectCheck.isObject(response.configurationJson) else {
                throw RPCError(code: .internalError, message: "ConfigurationWillBeSaved answered something other than a JSON object")
            }
            return .modified(response.configurationJson)
        }
    }

    /// A push notification for `userID` is about to be sent: the plugin may replace it or stop it.
    public func notificationWillBePushed(_ notification: PluginPushNotification, userID: String) async
        -> HookOutcome<PluginPushNotification>
    {
        var request = Mattermost_Pluginapi_V1_NotificationWillBePushedRequest()
        request.notification = notification
        request.userID = userID
        return await decide(.notificationWillBePushed) { hooks, timeout in
            let response = try await hooks.unary(timeout) { try await $0.notificationWillBePushed(request, metadata: $1, options: $2) }
            if !response.rejectionReason.isEmpty { return .rejected(reason: response.rejectionReason) }
            return response.hasNotification ? .modified(response.notification) : .unchanged
        }
    }

    // MARK: - Files

    /// A file about to be stored: its info and content are streamed to the plugin, which
    /// may replace either or reject the upload. A file larger than
    /// `configuration.maximumUploadSize` is not sent (answered `.failed`).
    public func fileWillBeUploaded(_ upload: PluginUpload, context: PluginRequestContext = .init()) async
        -> HookOutcome<PluginUpload>
    {
        let maximum = configuration.maximumUploadSize
        return await decide(.fileWillBeUploaded) { hooks, timeout in
            guard upload.content.count <= maximum else {
                throw RPCError(code: .resourceExhausted, message: "the file is larger than \(maximum) bytes")
            }
            return try await hooks.fileWillBeUploaded(upload, context: context, timeout: timeout, maximumContent: maximum)
        }
    }

    // MARK: - Between plugins

    /// Delivers an event another plugin published. Returns whether the plugin handled it.
    public func onPluginEvent(from sourcePluginID: String, topic: String, payload: [UInt8]) async -> Bool {
        var request = Mattermost_Pluginapi_V1_OnPluginEventRequest()
        request.sourcePluginID = sourcePluginID
        request.topic = topic
        request.payload = payload
        return await notify(.onPluginEvent) { hooks, timeout in
            _ = try await hooks.unary(timeout) { try await $0.onPluginEvent(request, metadata: $1, options: $2) }
        }
    }
}
