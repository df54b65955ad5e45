import Wire

/// Response messages with an `AppError error = 1` field.
protocol AppErrorCarrying: Wire.Message {
    var error: Mattermost_Pluginapi_V1_AppError { get set }
}

extension Mattermost_Pluginapi_V1_AppErrorResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_BotResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_BotsResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_ChannelMemberResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_ChannelMembersResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_ChannelResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_ChannelsResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_CommandsResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_DeletePostResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_FileInfoResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_GetConfigResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_GetFileLinkResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_GetPluginConfigResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_GetProfileImageResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_KVCompareAndDeleteResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_KVCompareAndSetResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_KVDeleteAllResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_KVDeleteResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_KVGetResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_KVListResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_KVSetResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_PluginHTTPResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_PostListResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_PostResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_PreferencesResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_PublishPluginEventResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_ReactionResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_ReactionsResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_SavePluginConfigResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_TeamMemberResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_TeamMembersResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_TeamResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_TeamsResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_UserResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_UserStatusResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_UsersResponse: AppErrorCarrying {}
