import RPC

/// PluginAPI service methods: posts and reactions.
extension PluginAPIService {
    public func createPost(
        _ request: Mattermost_Pluginapi_V1_CreatePostRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_PostResponse {
        try await serve(.createPost) { (response: inout Mattermost_Pluginapi_V1_PostResponse) async throws(PluginAppError) in
            response.post = try await api.createPost(request.post)
        }
    }

    public func getPost(
        _ request: Mattermost_Pluginapi_V1_GetPostRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_PostResponse {
        try await serve(.getPost) { (response: inout Mattermost_Pluginapi_V1_PostResponse) async throws(PluginAppError) in
            response.post = try await api.post(id: request.postID)
        }
    }

    public func updatePost(
        _ request: Mattermost_Pluginapi_V1_UpdatePostRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_PostResponse {
        try await serve(.updatePost) { (response: inout Mattermost_Pluginapi_V1_PostResponse) async throws(PluginAppError) in
            response.post = try await api.updatePost(request.post)
        }
    }

    public func deletePost(
        _ request: Mattermost_Pluginapi_V1_DeletePostRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_DeletePostResponse {
        try await serve(.deletePost) { (_: inout Mattermost_Pluginapi_V1_DeletePostResponse) async throws(PluginAppError) in
            try await api.deletePost(id: request.postID)
        }
    }

    public func sendEphemeralPost(
        _ request: Mattermost_Pluginapi_V1_EphemeralPostRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_PostResponse {
        try await serve(.sendEphemeralPost) { (response: inout Mattermost_Pluginapi_V1_PostResponse) async throws(PluginAppError) in
            response.post = try await api.sendEphemeralPost(userID: request.userID, request.post)
        }
    }

    public func updateEphemeralPost(
        _ request: Mattermost_Pluginapi_V1_EphemeralPostRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_PostResponse {
        try await serve(.updateEphemeralPost) { (response: inout Mattermost_Pluginapi_V1_PostResponse) async throws(PluginAppError) in
            response.post = try await api.updateEphemeralPost(userID: request.userID, request.post)
        }
    }

    public func deleteEphemeralPost(
        _ request: Mattermost_Pluginapi_V1_DeleteEphemeralPostRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_AppErrorResponse {
        try await serve(.deleteEphemeralPost) { (_: inout Mattermost_Pluginapi_V1_AppErrorResponse) async throws(PluginAppError) in
            try await api.deleteEphemeralPost(userID: request.userID, postID: request.postID)
        }
    }

    public func getPostThread(
        _ request: Mattermost_Pluginapi_V1_GetPostThreadRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_PostListResponse {
        try await serve(.getPostThread) { (response: inout Mattermost_Pluginapi_V1_PostListResponse) async throws(PluginAppError) in
            response.posts = try await api.postThread(postID: request.postID)
        }
    }

    public func getPostsForChannel(
        _ request: Mattermost_Pluginapi_V1_GetPostsForChannelRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_PostListResponse {
        try await serve(.getPostsForChannel) { (response: inout Mattermost_Pluginapi_V1_PostListResponse) async throws(PluginAppError) in
            response.posts = try await api.posts(
                channelID: request.channelID, page: request.page.pageIndex, perPage: request.page.pageSize)
        }
    }

    public func getPostsSince(
        _ request: Mattermost_Pluginapi_V1_GetPostsSinceRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_PostListResponse {
        try await serve(.getPostsSince) { (response: inout Mattermost_Pluginapi_V1_PostListResponse) async throws(PluginAppError) in
            response.posts = try await api.posts(channelID: request.channelID, since: request.time)
        }
    }

    public func getPostsBefore(
        _ request: Mattermost_Pluginapi_V1_GetPostsAroundRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_PostListResponse {
        try await serve(.getPostsBefore) { (response: inout Mattermost_Pluginapi_V1_PostListResponse) async throws(PluginAppError) in
            response.posts = try await api.posts(
                channelID: request.channelID, before: request.postID, page: request.page.pageIndex,
                perPage: request.page.pageSize)
        }
    }

    public func getPostsAfter(
        _ request: Mattermost_Pluginapi_V1_GetPostsAroundRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_PostListResponse {
        try await serve(.getPostsAfter) { (response: inout Mattermost_Pluginapi_V1_PostListResponse) async throws(PluginAppError) in
            response.posts = try await api.posts(
                channelID: request.channelID, after: request.postID, page: request.page.pageIndex,
                perPage: request.page.pageSize)
        }
    }

    public func searchPostsInTeam(
        _ request: Mattermost_Pluginapi_V1_SearchPostsInTeamRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_PostListResponse {
        try await serve(.searchPostsInTeam) { (response: inout Mattermost_Pluginapi_V1_PostListResponse) async throws(PluginAppError) in
            response.posts = try await api.searchPosts(teamID: request.teamID, terms: request.terms)
        }
    }

    public func addReaction(
        _ request: Mattermost_Pluginapi_V1_ReactionRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_ReactionResponse {
        try await serve(.addReaction) { (response: inout Mattermost_Pluginapi_V1_ReactionResponse) async throws(PluginAppError) in
            response.reaction = try await api.addReaction(request.reaction)
        }
    }

    public func removeReaction(
        _ request: Mattermost_Pluginapi_V1_ReactionRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_AppErrorResponse {
        try await serve(.removeReaction) { (_: inout Mattermost_Pluginapi_V1_AppErrorResponse) async throws(PluginAppError) in
            try await api.removeReaction(request.reaction)
        }
    }

    public func getReactions(
        _ request: Mattermost_Pluginapi_V1_GetReactionsRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_ReactionsResponse {
        try await serve(.getReactions) { (response: inout Mattermost_Pluginapi_V1_ReactionsResponse) async throws(PluginAppError) in
            response.reactions = try await api.reactions(postID: request.postID)
        }
    }

}
