import RPC

/// PluginAPI service methods: users.
extension PluginAPIService {
    public func getUser(
        _ request: Mattermost_Pluginapi_V1_GetUserRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_UserResponse {
        try await serve(.getUser) { (response: inout Mattermost_Pluginapi_V1_UserResponse) async throws(PluginAppError) in
            response.user = try await api.user(id: request.userID)
        }
    }

    public func getUserByUsername(
        _ request: Mattermost_Pluginapi_V1_GetUserByUsernameRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_UserResponse {
        try await serve(.getUserByUsername) { (response: inout Mattermost_Pluginapi_V1_UserResponse) async throws(PluginAppError) in
            response.user = try await api.user(username: request.username)
        }
    }

    public func getUserByEmail(
        _ request: Mattermost_Pluginapi_V1_GetUserByEmailRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_UserResponse {
        try await serve(.getUserByEmail) { (response: inout Mattermost_Pluginapi_V1_UserResponse) async throws(PluginAppError) in
            response.user = try await api.user(email: request.email)
        }
    }

    public func getUsers(
        _ request: Mattermost_Pluginapi_V1_GetUsersRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_UsersResponse {
        try await serve(.getUsers) { (response: inout Mattermost_Pluginapi_V1_UsersResponse) async throws(PluginAppError) in
            response.users = try await api.users(
                page: request.page.pageIndex, perPage: request.page.pageSize, inTeam: request.inTeam,
                includeDeleted: request.includeDeleted)
        }
    }

    public func getUsersByIds(
        _ request: Mattermost_Pluginapi_V1_GetUsersByIdsRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_UsersResponse {
        try await serve(.getUsersByIds) { (response: inout Mattermost_Pluginapi_V1_UsersResponse) async throws(PluginAppError) in
            response.users = try await api.users(ids: request.userIds)
        }
    }

    public func searchUsers(
        _ request: Mattermost_Pluginapi_V1_SearchUsersRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_UsersResponse {
        try await serve(.searchUsers) { (response: inout Mattermost_Pluginapi_V1_UsersResponse) async throws(PluginAppError) in
            response.users = try await api.searchUsers(
                term: request.term, teamID: request.teamID, limit: Int(request.limit), allowInactive: request.allowInactive)
        }
    }

    public func createUser(
        _ request: Mattermost_Pluginapi_V1_CreateUserRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_UserResponse {
        try await serve(.createUser) { (response: inout Mattermost_Pluginapi_V1_UserResponse) async throws(PluginAppError) in
            response.user = try await api.createUser(request.user)
        }
    }

    public func updateUser(
        _ request: Mattermost_Pluginapi_V1_UpdateUserRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_UserResponse {
        try await serve(.updateUser) { (response: inout Mattermost_Pluginapi_V1_UserResponse) async throws(PluginAppError) in
            response.user = try await api.updateUser(request.user)
        }
    }

    public func deleteUser(
        _ request: Mattermost_Pluginapi_V1_DeleteUserRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_AppErrorResponse {
        try await serve(.deleteUser) { (_: inout Mattermost_Pluginapi_V1_AppErrorResponse) async throws(PluginAppError) in
            try await api.deactivateUser(id: request.userID)
        }
    }

    public func getUserStatus(
        _ request: Mattermost_Pluginapi_V1_GetUserStatusRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_UserStatusResponse {
        try await serve(.getUserStatus) { (response: inout Mattermost_Pluginapi_V1_UserStatusResponse) async throws(PluginAppError) in
            response.status = try await api.userStatus(userID: request.userID)
        }
    }

    public func updateUserStatus(
        _ request: Mattermost_Pluginapi_V1_UpdateUserStatusRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_UserStatusResponse {
        try await serve(.updateUserStatus) { (response: inout Mattermost_Pluginapi_V1_UserStatusResponse) async throws(PluginAppError) in
            response.status = try await api.updateUserStatus(userID: request.userID, status: request.status)
        }
    }

    public func getProfileImage(
        _ request: Mattermost_Pluginapi_V1_GetProfileImageRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_GetProfileImageResponse {
        try await serve(.getProfileImage) { (response: inout Mattermost_Pluginapi_V1_GetProfileImageResponse) async throws(PluginAppError) in
            response.image = try await api.profileImage(userID: request.userID)
        }
    }

    public func setProfileImage(
        _ request: Mattermost_Pluginapi_V1_SetProfileImageRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_AppErrorResponse {
        try await serve(.setProfileImage) { (_: inout Mattermost_Pluginapi_V1_AppErrorResponse) async throws(PluginAppError) in
            try await api.setProfileImage(userID: request.userID, image: request.image)
        }
    }

}
