import RPC

/// The user, channel, team and WebSocket hooks of one plugin (see `Supervisor+Hooks.swift`
/// for how calls are made and failures handled).
extension Supervisor {
    // MARK: - Users

    public func userHasBeenCreated(_ user: PluginUser, context: PluginRequestContext = .init()) async {
        var request = Mattermost_Pluginapi_V1_UserHasBeenCreatedRequest()
        request.context = context
        request.user = user
        await notify(.userHasBeenCreated) { hooks, timeout in
            _ = try await hooks.unary(timeout) { try await $0.userHasBeenCreated(request, metadata: $1, options: $2) }
        }
    }

    /// A user is about to log in: the plugin may refuse the login (`.rejected`); otherwise
    /// the outcome is `.unchanged` (a login cannot be changed).
    public func userWillLogIn(_ user: PluginUser, context: PluginRequestContext = .init()) async
        -> HookOutcome<PluginUser>
    {
        var request = Mattermost_Pluginapi_V1_UserWillLogInRequest()
        request.context = context
        request.user = user
        return await decide(.userWillLogIn) { hooks, timeout in
            let response = try await hooks.unary(timeout) { try await $0.userWillLogIn(request, metadata: $1, options: $2) }
            return response.rejectionReason.isEmpty ? .unchanged : .rejected(reason: response.rejectionReason)
        }
    }

    public func userHasLoggedIn(_ user: PluginUser, context: PluginRequestContext = .init()) async {
        var request = Mattermost_Pluginapi_V1_UserHasLoggedInRequest()
        request.context = context
        request.user = user
        await notify(.userHasLoggedIn) { hooks, timeout in
            _ = try await hooks.unary(timeout) { try await $0.userHasLoggedIn(request, metadata: $1, options: $2) }
        }
    }

    public func userHasBeenDeactivated(_ user: PluginUser, context: PluginRequestContext = .init()) async {
        var request = Mattermost_Pluginapi_V1_UserHasBeenDeactivatedRequest()
        request.context = context
        request.user = user
        await notify(.userHasBeenDeactivated) { hooks, timeout in
            _ = try await hooks.unary(timeout) { try await $0.userHasBeenDeactivated(request, metadata: $1, options: $2) }
        }
    }

    // MARK: - Channels and teams

    public func channelHasBeenCreated(_ channel: PluginChannel, context: PluginRequestContext = .init()) async {
        var request = Mattermost_Pluginapi_V1_ChannelHasBeenCreatedRequest()
        request.context = context
        request.channel = channel
        await notify(.channelHasBeenCreated) { hooks, timeout in
            _ = try await hooks.unary(timeout) { try await $0.channelHasBeenCreated(request, metadata: $1, options: $2) }
        }
    }

    /// `actor`: who added the user (nil: the user joined on their own).
    public func userHasJoinedChannel(
        _ member: PluginChannelMember, actor: PluginUser? = nil, context: PluginRequestContext = .init()
    ) async {
        let request = Self.membership(member, actor: actor, context: context)
        await notify(.userHasJoinedChannel) { hooks, timeout in
            _ = try await hooks.unary(timeout) { try await $0.userHasJoinedChannel(request, metadata: $1, options: $2) }
        }
    }

    /// `actor`: who removed the user (nil: the user left on their own).
    public func userHasLeftChannel(
        _ member: PluginChannelMember, actor: PluginUser? = nil, context: PluginRequestContext = .init()
    ) async {
        let request = Self.membership(member, actor: actor, context: context)
        await notify(.userHasLeftChannel) { hooks, timeout in
            _ = try await hooks.unary(timeout) { try await $0.userHasLeftChannel(request, metadata: $1, options: $2) }
        }
    }

    /// `actor`: who added the user (nil: the user joined on their own).
    public func userHasJoinedTeam(
        _ member: PluginTeamMember, actor: PluginUser? = nil, context: PluginRequestContext = .init()
    ) async {
        let request = Self.membership(member, actor: actor, context: context)
        await notify(.userHasJoinedTeam) { hooks, timeout in
            _ = try await hooks.unary(timeout) { try await $0.userHasJoinedTeam(request, metadata: $1, options: $2) }
        }
    }

    /// `actor`: who removed the user (nil: the user left on their own).
    public func userHasLeftTeam(
        _ member: PluginTeamMember, actor: PluginUser? = nil, context: PluginRequestContext = .init()
    ) async {
        let request = Self.membership(member, actor: actor, context: context)
        await notify(.userHasLeftTeam) { hooks, timeout in
            _ = try await hooks.unary(timeout) { try await $0.userHasLeftTeam(request, metadata: $1, options: $2) }
        }
    }

    private static func membership(
        _ member: PluginChannelMember, actor: PluginUser?, context: PluginRequestContext
    ) -> Mattermost_Pluginapi_V1_ChannelMembershipRequest {
        var request = Mattermost_Pluginapi_V1_ChannelMembershipRequest()
        request.context = context
        request.member = member
        if let actor { request.actor = actor }
        return request
    }

    private static func membership(
        _ member: PluginTeamMember, actor: PluginUser?, context: PluginRequestContext
    ) -> Mattermost_Pluginapi_V1_TeamMembershipRequest {
        var request = Mattermost_Pluginapi_V1_TeamMembershipRequest()
        request.context = context
        request.member = member
        if let actor { request.actor = actor }
        return request
    }

    // MARK: - WebSocket

    public func onWebSocketConnect(connectionID: String, userID: String) async {
        let request = Self.connection(connectionID, userID: userID)
        await notify(.onWebSocketConnect) { hooks, timeout in
            _ = try await hooks.unary(timeout) { try await $0.onWebSocketConnect(request, metadata: $1, options: $2) }
        }
    }

    public func onWebSocketDisconnect(connectionID: String, userID: String) async {
        let request = Self.connection(connectionID, userID: userID)
        await notify(.onWebSocketDisconnect) { hooks, timeout in
            _ = try await hooks.unary(timeout) { try await $0.onWebSocketDisconnect(request, metadata: $1, options: $2) }
        }
    }

    private static func connection(_ id: String, userID: String) -> Mattermost_Pluginapi_V1_WebSocketConnectionRequest {
        var request = Mattermost_Pluginapi_V1_WebSocketConnectionRequest()
        request.webConnID = id
        request.userID = userID
        return request
    }

    public func webSocketMessageHasBeenPosted(
        connectionID: String, userID: String, _ message: PluginWebSocketRequest
    ) async {
        var request = Mattermost_Pluginapi_V1_WebSocketMessageHasBeenPostedRequest()
        request.webConnID = connectionID
        request.userID = userID
        request.request = message
        await notify(.webSocketMessageHasBeenPosted) { hooks, timeout in
            _ = try await hooks.unary(timeout) {
                try await $0.webSocketMessageHasBeenPosted(request, metadata: $1, options: $2)
            }
        }
    }
}
