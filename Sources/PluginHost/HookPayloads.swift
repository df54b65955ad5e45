/// Names for the generated messages only the hooks carry (the same style as `PluginPost`; the
/// types the API shares with the hooks, such as `PluginReaction`, are named in `PluginAPI.swift`).
public typealias PluginPushNotification = Mattermost_Pluginapi_V1_PushNotification
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
