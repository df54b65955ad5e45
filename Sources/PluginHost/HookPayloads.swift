/// Names for the generated messages the hooks carry (the same style as `PluginPost`).
public typealias PluginPushNotification = Mattermost_Pluginapi_V1_PushNotification
public typealias PluginReaction = Mattermost_Pluginapi_V1_Reaction
public typealias PluginChannelMember = Mattermost_Pluginapi_V1_ChannelMember
public typealias PluginTeamMember = Mattermost_Pluginapi_V1_TeamMember
public typealias PluginFileInfo = Mattermost_Pluginapi_V1_FileInfo
public typealias PluginWebSocketRequest = Mattermost_Pluginapi_V1_WebSocketRequest

/// A file on its way into the server, as FileWillBeUploaded sees and may change it: its info
/// and its whole content (bounded by `SupervisorConfiguration.maximumUploadSize`).
public struct PluginUpload: Sendable, Equatable {
    public var info: PluginFileInfo
    public var content: [UInt8]

    public init(info: PluginFileInfo, content: [UInt8]) {
        self.info = info
        self.content = content
    }
}
