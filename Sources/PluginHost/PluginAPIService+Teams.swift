import RPC

/// PluginAPI service methods: teams.
extension PluginAPIService {
    public func createTeam(
        _ request: Mattermost_Pluginapi_V1_CreateTeamRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_TeamResponse {
        try await serve(.createTeam) { (response: inout Mattermost_Pluginapi_V1_TeamResponse) async throws(PluginAppError) in
            response.team = try await api.createTeam(request.team)
        }
    }

    public func getTeam(
        _ request: Mattermost_Pluginapi_V1_GetTeamRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_TeamResponse {
        try await serve(.getTeam) { (response: inout Mattermost_Pluginapi_V1_TeamResponse) async throws(PluginAppError) in
            response.team = try await api.team(id: request.teamID)
        }
    }

    public func getTeamByName(
        _ request: Mattermost_Pluginapi_V1_GetTeamByNameRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_TeamResponse {
        try await serve(.getTeamByName) { (response: inout Mattermost_Pluginapi_V1_TeamResponse) async throws(PluginAppError) in
            response.team = try await api.team(name: request.name)
        }
    }

    public func getTeams(
        _ request: Mattermost_Pluginapi_V1_GetTeamsRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_TeamsResponse {
        try await serve(.getTeams) { (response: inout Mattermost_Pluginapi_V1_TeamsResponse) async throws(PluginAppError) in
            response.teams = try await api.teams()
        }
    }

    public func getTeamsForUser(
        _ request: Mattermost_Pluginapi_V1_GetTeamsForUserRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_TeamsResponse {
        try await serve(.getTeamsForUser) { (response: inout Mattermost_Pluginapi_V1_TeamsResponse) async throws(PluginAppError) in
            response.teams = try await api.teams(forUser: request.userID)
        }
    }

    public func getTeamMember(
        _ request: Mattermost_Pluginapi_V1_GetTeamMemberRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_TeamMemberResponse {
        try await serve(.getTeamMember) { (response: inout Mattermost_Pluginapi_V1_TeamMemberResponse) async throws(PluginAppError) in
            response.member = try await api.teamMember(teamID: request.teamID, userID: request.userID)
        }
    }

    public func getTeamMembers(
        _ request: Mattermost_Pluginapi_V1_GetTeamMembersRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_TeamMembersResponse {
        try await serve(.getTeamMembers) { (response: inout Mattermost_Pluginapi_V1_TeamMembersResponse) async throws(PluginAppError) in
            response.members = try await api.teamMembers(
                teamID: request.teamID, page: request.page.pageIndex, perPage: request.page.pageSize)
        }
    }

    public func createTeamMember(
        _ request: Mattermost_Pluginapi_V1_CreateTeamMemberRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_TeamMemberResponse {
        try await serve(.createTeamMember) { (response: inout Mattermost_Pluginapi_V1_TeamMemberResponse) async throws(PluginAppError) in
            response.member = try await api.addTeamMember(teamID: request.teamID, userID: request.userID)
        }
    }

    public func deleteTeamMember(
        _ request: Mattermost_Pluginapi_V1_DeleteTeamMemberRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_AppErrorResponse {
        try await serve(.deleteTeamMember) { (_: inout Mattermost_Pluginapi_V1_AppErrorResponse) async throws(PluginAppError) in
            try await api.removeTeamMember(teamID: request.teamID, userID: request.userID, requestorID: request.requestorID)
        }
    }

}
