import RPC

/// PluginAPI service methods: slash commands, WebSocket events, plugin-to-plugin HTTP, configuration and preferences.
extension PluginAPIService {
    public func registerCommand(
        _ request: Mattermost_Pluginapi_V1_RegisterCommandRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_AppErrorResponse {
        try await serve(.registerCommand) { (_: inout Mattermost_Pluginapi_V1_AppErrorResponse) async throws(PluginAppError) in
            try await api.registerCommand(request.command)
        }
    }

    public func unregisterCommand(
        _ request: Mattermost_Pluginapi_V1_UnregisterCommandRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_AppErrorResponse {
        try await serve(.unregisterCommand) { (_: inout Mattermost_Pluginapi_V1_AppErrorResponse) async throws(PluginAppError) in
            try await api.unregisterCommand(teamID: request.teamID, trigger: request.trigger)
        }
    }

    public func listPluginCommands(
        _ request: Mattermost_Pluginapi_V1_ListPluginCommandsRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_CommandsResponse {
        try await serve(.listPluginCommands) { (response: inout Mattermost_Pluginapi_V1_CommandsResponse) async throws(PluginAppError) in
            response.commands = try await api.commands(teamID: request.teamID)
        }
    }

    public func publishWebSocketEvent(
        _ request: Mattermost_Pluginapi_V1_PublishWebSocketEventRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_AppErrorResponse {
        try await serve(.publishWebSocketEvent) { (_: inout Mattermost_Pluginapi_V1_AppErrorResponse) async throws(PluginAppError) in
            try await api.publishWebSocketEvent(request.event, payloadJSON: request.payloadJson, to: try request.broadcast)
        }
    }

    public func pluginHTTP(
        _ request: Mattermost_Pluginapi_V1_PluginHTTPRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_PluginHTTPResponse {
        try await serve(.pluginHTTP) { (response: inout Mattermost_Pluginapi_V1_PluginHTTPResponse) async throws(PluginAppError) in
            response = try await api.pluginHTTP(request)
        }
    }

    public func getConfig(
        _ request: Mattermost_Pluginapi_V1_GetConfigRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_GetConfigResponse {
        try await serve(.getConfig) { (response: inout Mattermost_Pluginapi_V1_GetConfigResponse) async throws(PluginAppError) in
            response.configJson = try await api.serverConfiguration()
        }
    }

    public func getPluginConfig(
        _ request: Mattermost_Pluginapi_V1_GetPluginConfigRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_GetPluginConfigResponse {
        try await serve(.getPluginConfig) { (response: inout Mattermost_Pluginapi_V1_GetPluginConfigResponse) async throws(PluginAppError) in
            response.configurationJson = try await api.pluginConfiguration()
        }
    }

    public func savePluginConfig(
        _ request: Mattermost_Pluginapi_V1_SavePluginConfigRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_SavePluginConfigResponse {
        try await serve(.savePluginConfig) { (_: inout Mattermost_Pluginapi_V1_SavePluginConfigResponse) async throws(PluginAppError) in
            try await api.savePluginConfiguration(request.configurationJson)
        }
    }

    public func getPreferencesForUser(
        _ request: Mattermost_Pluginapi_V1_GetPreferencesForUserRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_PreferencesResponse {
        try await serve(.getPreferencesForUser) { (response: inout Mattermost_Pluginapi_V1_PreferencesResponse) async throws(PluginAppError) in
            response.preferences = try await api.preferences(userID: request.userID)
        }
    }

    public func updatePreferencesForUser(
        _ request: Mattermost_Pluginapi_V1_PreferencesRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_AppErrorResponse {
        try await serve(.updatePreferencesForUser) { (_: inout Mattermost_Pluginapi_V1_AppErrorResponse) async throws(PluginAppError) in
            try await api.updatePreferences(userID: request.userID, request.preferences)
        }
    }

    public func deletePreferencesForUser(
        _ request: Mattermost_Pluginapi_V1_PreferencesRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_AppErrorResponse {
        try await serve(.deletePreferencesForUser) { (_: inout Mattermost_Pluginapi_V1_AppErrorResponse) async throws(PluginAppError) in
            try await api.deletePreferences(userID: request.userID, request.preferences)
        }
    }

}
