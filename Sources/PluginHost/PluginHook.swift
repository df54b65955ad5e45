/// The hooks a plugin may implement, by the names `Implemented` reports
/// (docs/plugin-protocol.md). Names the host does not know are ignored.
public enum PluginHook: String, Sendable, CaseIterable, Comparable {
    case onActivate = "OnActivate"
    case onDeactivate = "OnDeactivate"
    case onConfigurationChange = "OnConfigurationChange"
    case messageWillBePosted = "MessageWillBePosted"
    case messageHasBeenPosted = "MessageHasBeenPosted"
    case executeCommand = "ExecuteCommand"
    case serveHTTP = "ServeHTTP"

    case messageWillBeUpdated = "MessageWillBeUpdated"
    case messageHasBeenUpdated = "MessageHasBeenUpdated"
    case messageHasBeenDeleted = "MessageHasBeenDeleted"
    case messagesWillBeConsumed = "MessagesWillBeConsumed"
    case reactionHasBeenAdded = "ReactionHasBeenAdded"
    case reactionHasBeenRemoved = "ReactionHasBeenRemoved"

    case userHasBeenCreated = "UserHasBeenCreated"
    case userWillLogIn = "UserWillLogIn"
    case userHasLoggedIn = "UserHasLoggedIn"
    case userHasBeenDeactivated = "UserHasBeenDeactivated"

    case channelHasBeenCreated = "ChannelHasBeenCreated"
    case userHasJoinedChannel = "UserHasJoinedChannel"
    case userHasLeftChannel = "UserHasLeftChannel"
    case userHasJoinedTeam = "UserHasJoinedTeam"
    case userHasLeftTeam = "UserHasLeftTeam"

    case fileWillBeUploaded = "FileWillBeUploaded"

    case onWebSocketConnect = "OnWebSocketConnect"
    case onWebSocketDisconnect = "OnWebSocketDisconnect"
    case webSocketMessageHasBeenPosted = "WebSocketMessageHasBeenPosted"

    case onInstall = "OnInstall"
    case configurationWillBeSaved = "ConfigurationWillBeSaved"
    case notificationWillBePushed = "NotificationWillBePushed"

    case onPluginEvent = "OnPluginEvent"

    public static func < (lhs: PluginHook, rhs: PluginHook) -> Bool { lhs.rawValue < rhs.rawValue }
}
