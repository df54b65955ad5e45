import RPC

/// Hooks across plugins. A hook goes to every active plugin that implements it (its
/// `Implemented` answer):
///
/// - a hook that may change or reject a value runs plugin after plugin, in plugin id order
///   (byte-wise ascending, stable across restarts), each seeing the previous plugin's change;
///   the first rejection wins and later plugins are not asked; a plugin that fails or passes
///   its timeout lets the value through unchanged (logged with the plugin id and hook name);
/// - a hook that only tells plugins something goes to all of them in parallel; failures
///   are logged.
extension Environment {
    public typealias PostDecision = HookDecision<PluginPost>

    /// The active supervisors in chain order.
    var supervisorsInOrder: [(id: String, supervisor: Supervisor)] {
        supervisors.keys.sorted().compactMap { id in supervisors[id].map { (id, $0) } }
    }

    /// Runs a may-change-or-reject hook along the chain.
    func chain<Value>(
        _ value: Value, _ step: @Sendable (Supervisor, Value) async -> HookOutcome<Value>
    ) async -> HookDecision<Value> {
        var current = value
        for (id, supervisor) in supervisorsInOrder {
            switch await step(supervisor, current) {
            case .modified(let replacement): current = replacement
            case .rejected(let reason): return .rejected(reason: reason, by: id)
            case .unchanged, .notImplemented, .failed: continue
            }
        }
        return .allowed(current)
    }

    /// Runs a notification hook on every active plugin in parallel.
    func broadcast(_ call: @escaping @Sendable (Supervisor) async -> Void) async {
        let targets = supervisorsInOrder.map(\.supervisor)
        await withTaskGroup(of: Void.self) { tasks in
            for supervisor in targets { tasks.addTask { await call(supervisor) } }
        }
    }

    // MARK: - Posts

    /// Runs MessageWillBePosted along the chain.
    public func messageWillBePosted(_ post: PluginPost, context: PluginRequestContext = .init()) async -> PostDecision {
        await chain(post) { await $0.messageWillBePosted($1, context: context) }
    }

    public func messageHasBeenPosted(_ post: PluginPost, context: PluginRequestContext = .init()) async {
        await broadcast { await $0.messageHasBeenPosted(post, context: context) }
    }

    /// Runs MessageWillBeUpdated along the chain: the edited post as the plugins leave it, or
    /// the first rejection.
    public func messageWillBeUpdated(new: PluginPost, old: PluginPost, context: PluginRequestContext = .init()) async
        -> PostDecision
    {
        await chain(new) { await $0.messageWillBeUpdated(new: $1, old: old, context: context) }
    }

    public func messageHasBeenUpdated(new: PluginPost, old: PluginPost, context: PluginRequestContext = .init()) async {
        await broadcast { await $0.messageHasBeenUpdated(new: new, old: old, context: context) }
    }

    public func messageHasBeenDeleted(_ post: PluginPost, context: PluginRequestContext = .init()) async {
        await broadcast { await $0.messageHasBeenDeleted(post, context: context) }
    }

    /// Runs MessagesWillBeConsumed along the chain; returns the posts as the plugins leave them.
    public func messagesWillBeConsumed(_ posts: [PluginPost]) async -> [PluginPost] {
        switch await chain(posts, { await $0.messagesWillBeConsumed($1) }) {
        case .allowed(let result): return result
        case .rejected: return posts  // this hook cannot reject
        }
    }

    public func reactionHasBeenAdded(_ reaction: PluginReaction, context: PluginRequestContext = .init()) async {
        await broadcast { await $0.reactionHasBeenAdded(reaction, context: context) }
    }

    public func reactionHasBeenRemoved(_ reaction: PluginReaction, context: PluginRequestContext = .init()) async {
        await broadcast { await $0.reactionHasBeenRemoved(reaction, context: context) }
    }

    // MARK: - Users

    public func userHasBeenCreated(_ user: PluginUser, context: PluginRequestContext = .init()) async {
        await broadcast { await $0.userHasBeenCreated(user, context: context) }
    }

    /// Runs UserWillLogIn along the chain: `.allowed(user)` or the first refusal.
    public func userWillLogIn(_ user: PluginUser, context: PluginRequestContext = .init()) async
        -> HookDecision<PluginUser>
    {
        await chain(user) { await $0.userWillLogIn($1, context: context) }
    }

    public func userHasLoggedIn(_ user: PluginUser, context: PluginRequestContext = .init()) async {
        await broadcast { await $0.userHasLoggedIn(user, context: context) }
    }

    public func userHasBeenDeactivated(_ user: PluginUser, context: PluginRequestContext = .init()) async {
        await broadcast { await $0.userHasBeenDeactivated(user, context: context) }
    }

    // MARK: - Channels and teams

    public func channelHasBeenCreated(_ channel: PluginChannel, context: PluginRequestContext = .init()) async {
        await broadcast { await $0.channelHasBeenCreated(channel, context: context) }
    }

    /// `actor`: who added the user (nil: the user joined on their own).
    public func userHasJoinedChannel(
        _ member: PluginChannelMember, actor: PluginUser? = nil, context: PluginRequestContext = .init()
    ) async {
        await broadcast { await $0.userHasJoinedChannel(member, actor: actor, context: context) }
    }

    /// `actor`: who removed the user (nil: the user left on their own).
    public func userHasLeftChannel(
        _ member: PluginChannelMember, actor: PluginUser? = nil, context: PluginRequestContext = .init()
    ) async {
        await broadcast { await $0.userHasLeftChannel(member, actor: actor, context: context) }
    }

    public func userHasJoinedTeam(
        _ member: PluginTeamMember, actor: PluginUser? = nil, context: PluginRequestContext = .init()
    ) async {
        await broadcast { await $0.userHasJoinedTeam(member, actor: actor, context: context) }
    }

    public func userHasLeftTeam(
        _ member: PluginTeamMember, actor: PluginUser? = nil, context: PluginRequestContext = .init()
    ) async {
        await broadcast { await $0.userHasLeftTeam(member, actor: actor, context: context) }
    }

    // MARK: - Files

    /// Runs FileWillBeUploaded along the chain: the file (info and content) as the plugins
    /// leave it, or the first rejection.
    public func fileWillBeUploaded(_ upload: PluginUpload, context: PluginRequestContext = .init()) async
        -> HookDecision<PluginUpload>
    {
        await chain(upload) { await $0.fileWillBeUploaded($1, context: context) }
    }

    // MARK: - WebSocket

    public func onWebSocketConnect(connectionID: String, userID: String) async {
        await broadcast { await $0.onWebSocketConnect(connectionID: connectionID, userID: userID) }
    }

    public func onWebSocketDisconnect(connectionID: String, userID: String) async {
        await broadcast { await $0.onWebSocketDisconnect(connectionID: connectionID, userID: userID) }
    }

    public func webSocketMessageHasBeenPosted(connectionID: String, userID: String, _ message: PluginWebSocketRequest) async {
        await broadcast { await $0.webSocketMessageHasBeenPosted(connectionID: connectionID, userID: userID, message) }
    }

    // MARK: - Server

    /// Tells a plugin it was installed by `userID`; returns the error it reported, if any.
    public func onInstall(pluginID: String, userID: String, context: PluginRequestContext = .init()) async throws
        -> PluginAppError?
    {
        guard let supervisor = supervisors[pluginID] else {
            throw RPCError(code: .notFound, message: "plugin \(pluginID) is not active")
        }
        return try await supervisor.onInstall(userID: userID, context: context)
    }

    /// Runs ConfigurationWillBeSaved along the chain over the server configuration (a JSON
    /// object): the configuration to save, or the first rejection.
    public func configurationWillBeSaved(json: String) async -> HookDecision<String> {
        await chain(json) { await $0.configurationWillBeSaved(json: $1) }
    }

    /// Runs NotificationWillBePushed along the chain: the notification to send, or the first
    /// plugin that stopped it.
    public func notificationWillBePushed(_ notification: PluginPushNotification, userID: String) async
        -> HookDecision<PluginPushNotification>
    {
        await chain(notification) { await $0.notificationWillBePushed($1, userID: userID) }
    }

    // MARK: - Between plugins

    /// Delivers an event from `source` to every other active plugin that implements
    /// OnPluginEvent, in parallel; returns how many handled it. (Plugins publish with the
    /// PluginAPI's PublishPluginEvent; a host may publish too, e.g. as its own source id.)
    public func deliverPluginEvent(from source: String, topic: String, payload: [UInt8]) async -> Int {
        let targets = supervisorsInOrder.filter { $0.id != source }.map(\.supervisor)
        return await withTaskGroup(of: Bool.self) { tasks in
            for supervisor in targets {
                tasks.addTask { await supervisor.onPluginEvent(from: source, topic: topic, payload: payload) }
            }
            var delivered = 0
            for await handled in tasks where handled { delivered += 1 }
            return delivered
        }
    }
}
