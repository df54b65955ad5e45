import RPC

/// PluginAPI service methods: channels.
extension PluginAPIService {
    public func createChannel(
        _ request: Mattermost_Pluginapi_V1_CreateChannelRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_ChannelResponse {
        try await serve(.createChannel) { (response: inout Mattermost_Pluginapi_V1_ChannelResponse) async throws(PluginAppError) in
            response.channel = try await api.createChannel(request.channel)
        }
    }

    public func getChannel(
        _ request: Mattermost_Pluginapi_V1_GetChannelRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_ChannelResponse {
        try await serve(.getChannel) { (response: inout Mattermost_Pluginapi_V1_ChannelResponse) async throws(PluginAppError) in
            response.channel = try await api.channel(id: request.channelID)
        }
    }

    public func getChannelByName(
        _ request: Mattermost_Pluginapi_V1_GetChannelByNameRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_ChannelResponse {
        try await serve(.getChannelByName) { (response: inout Mattermost_Pluginapi_V1_ChannelResponse) async throws(PluginAppError) in
            response.channel = try await api.channel(teamID: request.teamID, name: request.name)
        }
    }

    public func updateChannel(
        _ request: Mattermost_Pluginapi_V1_UpdateChannelRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_ChannelResponse {
        try await serve(.updateChannel) { (response: inout Mattermost_Pluginapi_V1_ChannelResponse) async throws(PluginAppError) in
            response.channel = try await api.updateChannel(request.channel)
        }
    }

    public func deleteChannel(
        _ request: Mattermost_Pluginapi_V1_DeleteChannelRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_AppErrorResponse {
        try await serve(.deleteChannel) { (_: inout Mattermost_Pluginapi_V1_AppErrorResponse) async throws(PluginAppError) in
            try await api.deleteChannel(id: request.channelID)
        }
    }

    public func getDirectChannel(
        _ request: Mattermost_Pluginapi_V1_GetDirectChannelRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_ChannelResponse {
        try await serve(.getDirectChannel) { (response: inout Mattermost_Pluginapi_V1_ChannelResponse) async throws(PluginAppError) in
            response.channel = try await api.directChannel(userID1: request.userID1, userID2: request.userID2)
        }
    }

    public func getGroupChannel(
        _ request: Mattermost_Pluginapi_V1_GetGroupChannelRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_ChannelResponse {
        try await serve(.getGroupChannel) { (response: inout Mattermost_Pluginapi_V1_ChannelResponse) async throws(PluginAppError) in
            response.channel = try await api.groupChannel(userIDs: request.userIds)
        }
    }

    public func getPublicChannelsForTeam(
        _ request: Mattermost_Pluginapi_V1_GetPublicChannelsForTeamRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_ChannelsResponse {
        try await serve(.getPublicChannelsForTeam) { (response: inout Mattermost_Pluginapi_V1_ChannelsResponse) async throws(PluginAppError) in
            response.channels = try await api.publicChannels(
                teamID: request.teamID, page: request.page.pageIndex, perPage: request.page.pageSize)
        }
    }

    public func getChannelsForTeamForUser(
        _ request: Mattermost_Pluginapi_V1_GetChannelsForTeamForUserRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_ChannelsResponse {
        try await serve(.getChannelsForTeamForUser) { (response: inout Mattermost_Pluginapi_V1_ChannelsResponse) async throws(PluginAppError) in
            response.channels = try await api.channels(
                teamID: request.teamID, userID: request.userID, includeDeleted: request.includeDeleted)
        }
    }

    public func searchChannels(
        _ request: Mattermost_Pluginapi_V1_SearchChannelsRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_ChannelsResponse {
        try await serve(.searchChannels) { (response: inout Mattermost_Pluginapi_V1_ChannelsResponse) async throws(PluginAppError) in
            response.channels = try await api.searchChannels(teamID: request.teamID, term: request.term)
        }
    }

    public func getChannelMember(
        _ request: Mattermost_Pluginapi_V1_GetChannelMemberRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_ChannelMemberResponse {
        try await serve(.getChannelMember) { (response: inout Mattermost_Pluginapi_V1_ChannelMemberResponse) async throws(PluginAppError) in
            response.member = try await api.channelMember(channelID: request.channelID, userID: request.userID)
        }
    }

    public func getChannelMembers(
        _ request: Mattermost_Pluginapi_V1_GetChannelMembersRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_ChannelMembersResponse {
        try await serve(.getChannelMembers) { (response: inout Mattermost_Pluginapi_V1_ChannelMembersResponse) async throws(PluginAppError) in
            response.members = try await api.channelMembers(
                channelID: request.channelID, page: request.page.pageIndex, perPage: request.page.pageSize)
        }
    }

    public func addChannelMember(
        _ request: Mattermost_Pluginapi_V1_AddChannelMemberRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_ChannelMemberResponse {
        try await serve(.addChannelMember) { (response: inout Mattermost_Pluginapi_V1_ChannelMemberResponse) async throws(PluginAppError) in
            response.member = try await api.addChannelMember(channelID: request.channelID, userID: request.userID)
        }
    }

    public func deleteChannelMember(
        _ request: Mattermost_Pluginapi_V1_DeleteChannelMemberRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_AppErrorResponse {
        try await serve(.deleteChannelMember) { (_: inout Mattermost_Pluginapi_V1_AppErrorResponse) async throws(PluginAppError) in
            try await api.removeChannelMember(channelID: request.channelID, userID: request.userID)
        }
    }

    public func getUsersInChannel(
        _ request: Mattermost_Pluginapi_V1_GetUsersInChannelRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_UsersResponse {
        try await serve(.getUsersInChannel) { (response: inout Mattermost_Pluginapi_V1_UsersResponse) async throws(PluginAppError) in
            response.users = try await api.usersInChannel(
                channelID: request.channelID, page: request.page.pageIndex, perPage: request.page.pageSize)
        }
    }

}
