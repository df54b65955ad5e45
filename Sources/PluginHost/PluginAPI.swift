import Logging
import RPC

public typealias PluginPost = Mattermost_Pluginapi_V1_Post
public typealias PluginUser = Mattermost_Pluginapi_V1_User
public typealias PluginChannel = Mattermost_Pluginapi_V1_Channel
public typealias PluginRequestContext = Mattermost_Pluginapi_V1_RequestContext
public typealias PluginCommandArgs = Mattermost_Pluginapi_V1_CommandArgs
public typealias PluginCommandResponse = Mattermost_Pluginapi_V1_CommandResponse

public typealias PluginTeam = Mattermost_Pluginapi_V1_Team
public typealias PluginTeamMember = Mattermost_Pluginapi_V1_TeamMember
public typealias PluginChannelMember = Mattermost_Pluginapi_V1_ChannelMember
public typealias PluginReaction = Mattermost_Pluginapi_V1_Reaction
public typealias PluginFileInfo = Mattermost_Pluginapi_V1_FileInfo
public typealias PluginBot = Mattermost_Pluginapi_V1_Bot
public typealias PluginSlashCommand = Mattermost_Pluginapi_V1_Command
public typealias PluginPreference = Mattermost_Pluginapi_V1_Preference
public typealias PluginUserStatus = Mattermost_Pluginapi_V1_UserStatus
/// A plugin's request to another plugin's ServeHTTP hook, and its answer (`PluginHTTP`).
public typealias PluginToPluginRequest = Mattermost_Pluginapi_V1_PluginHTTPRequest
public typealias PluginToPluginResponse = Mattermost_Pluginapi_V1_PluginHTTPResponse

/// What a plugin may ask of the host. The host application implements it, one instance
/// per plugin (so it knows whose key-value namespace and configuration are meant);
/// PluginHost serves it to that plugin over gRPC. Application failures are thrown as
/// `PluginAppError` and reach the plugin as the structured error in the response.
///
/// Growing without breaking hosts: every requirement has a default implementation
/// (`PluginAPI+Defaults.swift`) that throws `PluginAppError.unimplemented(_:)`, which the
/// service answers with gRPC `UNIMPLEMENTED` (the Python SDK raises `Unimplemented`). A host
/// implements the methods it supports and lists them in `supportedMethods`; methods added
/// to the protocol later reach it as UNIMPLEMENTED until it implements them.
public protocol PluginAPI: Sendable {
    /// The methods this host serves. The service answers every other method with
    /// UNIMPLEMENTED without calling the implementation, and answers `GetSupportedMethods`
    /// from this set (`GetSupportedMethods` itself is always served). A listed method that
    /// still has the default implementation answers UNIMPLEMENTED too and is dropped from
    /// the answer from then on. Default: `PluginAPIMethod.original`.
    var supportedMethods: Set<PluginAPIMethod> { get }

    func log(level: Logger.Level, message: String, keyValues: [(key: String, value: String)]) async throws(PluginAppError)

    // Key-value store.
    func kvSet(key: String, value: [UInt8], expireInSeconds: Int64) async throws(PluginAppError)
    /// nil when the key does not exist or has expired.
    func kvGet(key: String) async throws(PluginAppError) -> [UInt8]?
    func kvDelete(key: String) async throws(PluginAppError)
    func kvList(page: Int, perPage: Int) async throws(PluginAppError) -> [String]
    /// Writes only if the current value is `expected` (nil: the key must be absent).
    func kvCompareAndSet(key: String, expected: [UInt8]?, newValue: [UInt8], expireInSeconds: Int64)
        async throws(PluginAppError) -> Bool
    func kvCompareAndDelete(key: String, expected: [UInt8]) async throws(PluginAppError) -> Bool
    func kvDeleteAll() async throws(PluginAppError)

    // Users.
    func user(id: String) async throws(PluginAppError) -> PluginUser
    func user(username: String) async throws(PluginAppError) -> PluginUser
    func user(email: String) async throws(PluginAppError) -> PluginUser
    /// One page of users, by username; `inTeam` (when not empty) keeps the team's members only.
    func users(page: Int, perPage: Int, inTeam: String, includeDeleted: Bool) async throws(PluginAppError) -> [PluginUser]
    func users(ids: [String]) async throws(PluginAppError) -> [PluginUser]
    func searchUsers(term: String, teamID: String, limit: Int, allowInactive: Bool)
        async throws(PluginAppError) -> [PluginUser]
    func createUser(_ user: PluginUser) async throws(PluginAppError) -> PluginUser
    func updateUser(_ user: PluginUser) async throws(PluginAppError) -> PluginUser
    /// Deactivates the user (`DeleteUser`).
    func deactivateUser(id: String) async throws(PluginAppError)
    func userStatus(userID: String) async throws(PluginAppError) -> PluginUserStatus
    func updateUserStatus(userID: String, status: String) async throws(PluginAppError) -> PluginUserStatus
    func profileImage(userID: String) async throws(PluginAppError) -> [UInt8]
    func setProfileImage(userID: String, image: [UInt8]) async throws(PluginAppError)

    // Teams.
    func createTeam(_ team: PluginTeam) async throws(PluginAppError) -> PluginTeam
    func team(id: String) async throws(PluginAppError) -> PluginTeam
    func team(name: String) async throws(PluginAppError) -> PluginTeam
    func teams() async throws(PluginAppError) -> [PluginTeam]
    func teams(forUser userID: String) async throws(PluginAppError) -> [PluginTeam]
    func teamMember(teamID: String, userID: String) async throws(PluginAppError) -> PluginTeamMember
    func teamMembers(teamID: String, page: Int, perPage: Int) async throws(PluginAppError) -> [PluginTeamMember]
    func addTeamMember(teamID: String, userID: String) async throws(PluginAppError) -> PluginTeamMember
    func removeTeamMember(teamID: String, userID: String, requestorID: String) async throws(PluginAppError)

    // Channels.
    func createChannel(_ channel: PluginChannel) async throws(PluginAppError) -> PluginChannel
    func channel(id: String) async throws(PluginAppError) -> PluginChannel
    func channel(teamID: String, name: String) async throws(PluginAppError) -> PluginChannel
    func updateChannel(_ channel: PluginChannel) async throws(PluginAppError) -> PluginChannel
    /// Archives the channel (`DeleteChannel`).
    func deleteChannel(id: String) async throws(PluginAppError)
    func directChannel(userID1: String, userID2: String) async throws(PluginAppError) -> PluginChannel
    func groupChannel(userIDs: [String]) async throws(PluginAppError) -> PluginChannel
    func publicChannels(teamID: String, page: Int, perPage: Int) async throws(PluginAppError) -> [PluginChannel]
    func channels(teamID: String, userID: String, includeDeleted: Bool) async throws(PluginAppError) -> [PluginChannel]
    func searchChannels(teamID: String, term: String) async throws(PluginAppError) -> [PluginChannel]
    func channelMember(channelID: String, userID: String) async throws(PluginAppError) -> PluginChannelMember
    func channelMembers(channelID: String, page: Int, perPage: Int) async throws(PluginAppError) -> [PluginChannelMember]
    func addChannelMember(channelID: String, userID: String) async throws(PluginAppError) -> PluginChannelMember
    func removeChannelMember(channelID: String, userID: String) async throws(PluginAppError)
    func usersInChannel(channelID: String, page: Int, perPage: Int) async throws(PluginAppError) -> [PluginUser]

    // Posts.
    func createPost(_ post: PluginPost) async throws(PluginAppError) -> PluginPost
    func post(id: String) async throws(PluginAppError) -> PluginPost
    func updatePost(_ post: PluginPost) async throws(PluginAppError) -> PluginPost
    func deletePost(id: String) async throws(PluginAppError)
    func sendEphemeralPost(userID: String, _ post: PluginPost) async throws(PluginAppError) -> PluginPost
    func updateEphemeralPost(userID: String, _ post: PluginPost) async throws(PluginAppError) -> PluginPost
    func deleteEphemeralPost(userID: String, postID: String) async throws(PluginAppError)
    /// The root post and its replies, oldest first.
    func postThread(postID: String) async throws(PluginAppError) -> [PluginPost]
    /// Newest first.
    func posts(channelID: String, page: Int, perPage: Int) async throws(PluginAppError) -> [PluginPost]
    func posts(channelID: String, since: Int64) async throws(PluginAppError) -> [PluginPost]
    func posts(channelID: String, before postID: String, page: Int, perPage: Int) async throws(PluginAppError) -> [PluginPost]
    func posts(channelID: String, after postID: String, page: Int, perPage: Int) async throws(PluginAppError) -> [PluginPost]
    func searchPosts(teamID: String, terms: String) async throws(PluginAppError) -> [PluginPost]
    func addReaction(_ reaction: PluginReaction) async throws(PluginAppError) -> PluginReaction
    func removeReaction(_ reaction: PluginReaction) async throws(PluginAppError)
    func reactions(postID: String) async throws(PluginAppError) -> [PluginReaction]

    // Files.
    /// Stores a file whose content arrives in `content`, chunk by chunk (each at most
    /// `PluginFileChunks.maximumChunkSize`); `info` carries channel_id, name and creator_id.
    func uploadFile(_ info: PluginFileInfo, content: PluginFileChunks) async throws(PluginAppError) -> PluginFileInfo
    /// Up to `maximumLength` bytes of the file from `offset`; fewer (or none) at its end. The
    /// service streams a file to the plugin by calling this repeatedly.
    func fileContent(id: String, offset: Int64, maximumLength: Int) async throws(PluginAppError) -> [UInt8]
    func fileInfo(id: String) async throws(PluginAppError) -> PluginFileInfo
    func fileLink(id: String) async throws(PluginAppError) -> String

    // Bots.
    func createBot(_ bot: PluginBot) async throws(PluginAppError) -> PluginBot
    func bot(userID: String, includeDeleted: Bool) async throws(PluginAppError) -> PluginBot
    /// The bot with `bot.username`, created if missing.
    func ensureBot(_ bot: PluginBot) async throws(PluginAppError) -> PluginBot
    /// Empty arguments keep their value.
    func patchBot(userID: String, username: String, displayName: String, description: String)
        async throws(PluginAppError) -> PluginBot
    func setBotActive(userID: String, active: Bool) async throws(PluginAppError) -> PluginBot
    func bots(page: Int, perPage: Int, ownerID: String, includeDeleted: Bool) async throws(PluginAppError) -> [PluginBot]

    // Slash commands.
    func registerCommand(_ command: PluginSlashCommand) async throws(PluginAppError)
    func unregisterCommand(teamID: String, trigger: String) async throws(PluginAppError)
    func commands(teamID: String) async throws(PluginAppError) -> [PluginSlashCommand]

    // WebSocket events, HTTP to other plugins.
    func publishWebSocketEvent(_ event: String, payloadJSON: String, to broadcast: PluginBroadcast)
        async throws(PluginAppError)
    func pluginHTTP(_ request: PluginToPluginRequest) async throws(PluginAppError) -> PluginToPluginResponse

    // Configuration and server.
    /// The server's configuration as a JSON object, secrets removed.
    func serverConfiguration() async throws(PluginAppError) -> String
    /// The plugin's configuration as a JSON object.
    func pluginConfiguration() async throws(PluginAppError) -> String
    func savePluginConfiguration(_ json: String) async throws(PluginAppError)
    func serverVersion() async throws(PluginAppError) -> String

    // Preferences.
    func preferences(userID: String) async throws(PluginAppError) -> [PluginPreference]
    func updatePreferences(userID: String, _ preferences: [PluginPreference]) async throws(PluginAppError)
    func deletePreferences(userID: String, _ preferences: [PluginPreference]) async throws(PluginAppError)
}

/// Who receives a WebSocket event.
public enum PluginBroadcast: Sendable, Equatable {
    case user(String)
    case channel(String)
    case everyone
}

/// An application-level failure (not found, invalid input, conflict), as opposed to a
/// transport failure. Travels to the plugin as `AppError` inside the response.
public struct PluginAppError: Error, Sendable, Equatable, CustomStringConvertible {
    public var id: String
    public var message: String
    public var detailedError: String
    public var statusCode: Int32
    public var location: String

    public init(id: String, message: String, detailedError: String = "", statusCode: Int32 = 500, location: String = "") {
        self.id = id
        self.message = message
        self.detailedError = detailedError
        self.statusCode = statusCode
        self.location = location
    }

    public init(_ proto: Mattermost_Pluginapi_V1_AppError) {
        self.init(
            id: proto.id, message: proto.message, detailedError: proto.detailedError, statusCode: proto.statusCode,
            location: proto.where)
    }

    public var proto: Mattermost_Pluginapi_V1_AppError {
        var proto = Mattermost_Pluginapi_V1_AppError()
        proto.id = id
        proto.message = message
        proto.detailedError = detailedError
        proto.statusCode = statusCode
        proto.where = location
        return proto
    }

    public var description: String { "\(id): \(message) (\(statusCode))" }

    /// The `id` of the error the default implementations throw.
    public static let unimplementedID = "plugin_api.unimplemented"

    /// What a method the host does not implement throws; the service answers the plugin's
    /// call with gRPC UNIMPLEMENTED instead of an AppError.
    public static func unimplemented(_ method: PluginAPIMethod) -> PluginAppError {
        PluginAppError(
            id: unimplementedID, message: "the host does not implement \(method.rawValue)", statusCode: 501,
            location: "PluginAPI.\(method.rawValue)")
    }

    /// Whether this is the error of a default (unimplemented) method.
    public var isUnimplemented: Bool { id == Self.unimplementedID }
}

/// Registers what serves `api` on a plugin's API server. For every launch the supervisor
/// creates a fresh `RPC.Server` (the per-plugin secret check already installed as a server
/// interceptor, so it guards whatever is registered), calls the registrar, then starts the
/// server on a fresh port and hands its address to the plugin. Register only: the server is
/// started and stopped by the supervisor. The default is `PluginAPIService.registrar`, which
/// registers `PluginAPIService(api:)`; a host can add its own services next to it.
public typealias APIServerRegistrar = @Sendable (_ server: RPC.Server, _ api: any PluginAPI) -> Void
