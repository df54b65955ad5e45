import RPC

/// PluginAPI service methods: bots.
extension PluginAPIService {
    public func createBot(
        _ request: Mattermost_Pluginapi_V1_CreateBotRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_BotResponse {
        try await serve(.createBot) { (response: inout Mattermost_Pluginapi_V1_BotResponse) async throws(PluginAppError) in
            response.bot = try await api.createBot(request.bot)
        }
    }

    public func getBot(
        _ request: Mattermost_Pluginapi_V1_GetBotRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_BotResponse {
        try await serve(.getBot) { (response: inout Mattermost_Pluginapi_V1_BotResponse) async throws(PluginAppError) in
            response.bot = try await api.bot(userID: request.botUserID, includeDeleted: request.includeDeleted)
        }
    }

    public func ensureBotUser(
        _ request: Mattermost_Pluginapi_V1_EnsureBotUserRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_BotResponse {
        try await serve(.ensureBotUser) { (response: inout Mattermost_Pluginapi_V1_BotResponse) async throws(PluginAppError) in
            response.bot = try await api.ensureBot(request.bot)
        }
    }

    public func patchBot(
        _ request: Mattermost_Pluginapi_V1_PatchBotRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_BotResponse {
        try await serve(.patchBot) { (response: inout Mattermost_Pluginapi_V1_BotResponse) async throws(PluginAppError) in
            response.bot = try await api.patchBot(
                userID: request.botUserID, username: request.username, displayName: request.displayName,
                description: request.description)
        }
    }

    public func updateBotActive(
        _ request: Mattermost_Pluginapi_V1_UpdateBotActiveRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_BotResponse {
        try await serve(.updateBotActive) { (response: inout Mattermost_Pluginapi_V1_BotResponse) async throws(PluginAppError) in
            response.bot = try await api.setBotActive(userID: request.botUserID, active: request.active)
        }
    }

    public func getBots(
        _ request: Mattermost_Pluginapi_V1_GetBotsRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_BotsResponse {
        try await serve(.getBots) { (response: inout Mattermost_Pluginapi_V1_BotsResponse) async throws(PluginAppError) in
            response.bots = try await api.bots(
                page: request.page.pageIndex, perPage: request.page.pageSize, ownerID: request.ownerID,
                includeDeleted: request.includeDeleted)
        }
    }

}
