import Logging

/// The default of every `PluginAPI` requirement: the method is not implemented. The service
/// answers such a call with gRPC UNIMPLEMENTED, so a host implements only what it supports and
/// keeps compiling when the protocol grows.
extension PluginAPI {
    public var supportedMethods: Set<PluginAPIMethod> { PluginAPIMethod.original }

    public func log(level: Logger.Level, message: String, keyValues: [(key: String, value: String)]) async throws(PluginAppError) {
        throw .unimplemented(.log)
    }

    public func kvSet(key: String, value: [UInt8], expireInSeconds: Int64) async throws(PluginAppError) {
        throw .unimplemented(.kVSet)
    }

    public func kvGet(key: String) async throws(PluginAppError) -> [UInt8]? {
        throw .unimplemented(.kVGet)
    }

    public func kvDelete(key: String) async throws(PluginAppError) {
        throw .unimplemented(.kVDelete)
    }

    public func kvList(page: Int, perPage: Int) async throws(PluginAppError) -> [String] {
        throw .unimplemented(.kVList)
    }

    public func kvCompareAndSet(key: String, expected: [UInt8]?, newValue: [UInt8], expireInSeconds: Int64) async throws(PluginAppError) -> Bool {
        throw .unimplemented(.kVCompareAndSet)
    }

    public func kvCompareAndDelete(key: String, expected: [UInt8]) async throws(PluginAppError) -> Bool {
        throw .unimplemented(.kVCompareAndDelete)
    }

    public func kvDeleteAll() async throws(PluginAppError) {
        throw .unimplemented(.kVDeleteAll)
    }

    public func user(id: String) async throws(PluginAppError) -> PluginUser {
        throw .unimplemented(.getUser)
    }

    public func user(username: String) async throws(PluginAppError) -> PluginUser {
        throw .unimplemented(.getUserByUsername)
    }

    public func user(email: String) async throws(PluginAppError) -> PluginUser {
        throw .unimplemented(.getUserByEmail)
    }

    public func users(page: Int, perPage: Int, inTeam: String, includeDeleted: Bool) async throws(PluginAppError) -> [PluginUser] {
        throw .unimplemented(.getUsers)
    }

    public func users(ids: [String]) async throws(PluginAppError) -> [PluginUser] {
        throw .unimplemented(.getUsersByIds)
    }

    public func searchUsers(term: String, teamID: String, limit: Int, allowInactive: Bool) async throws(PluginAppError) -> [PluginUser] {
        throw .unimplemented(.searchUsers)
    }

    public func createUser(_ user: PluginUser) async throws(PluginAppError) -> PluginUser {
        throw .unimplemented(.createUser)
    }

    public func updateUser(_ user: PluginUser) async throws(PluginAppError) -> PluginUser {
        throw .unimplemented(.updateUser)
    }

    public func deactivateUser(id: String) async throws(PluginAppError) {
        throw .unimplemented(.deleteUser)
    }

    public func userStatus(userID: String) async throws(PluginAppError) -> PluginUserStatus {
        throw .unimplemented(.getUserStatus)
    }

    public func updateUserStatus(userID: String, status: String) async throws(PluginAppError) -> PluginUserStatus {
        throw .unimplemented(.updateUserStatus)
    }

    public func profileImage(userID: String) async throws(PluginAppError) -> [UInt8] {
        throw .unimplemented(.getProfileImage)
    }

    public func setProfileImage(userID: String, image: [UInt8]) async throws(PluginAppError) {
        throw .unimplemented(.setProfileImage)
    }

    public func createTeam(_ team: PluginTeam) async throws(PluginAppError) -> PluginTeam {
        throw .unimplemented(.createTeam)
    }

    public func team(id: String) async throws(PluginAppError) -> PluginTeam {
        throw .unimplemented(.getTeam)
    }

    public func team(name: String) async throws(PluginAppError) -> PluginTeam {
        throw .unimplemented(.getTeamByName)
    }

    public func teams() async throws(PluginAppError) -> [PluginTeam] {
        throw .unimplemented(.getTeams)
    }

    public func teams(forUser userID: String) async throws(PluginAppError) -> [PluginTeam] {
        throw .unimplemented(.getTeamsForUser)
    }

    public func teamMember(teamID: String, userID: String) async throws(PluginAppError) -> PluginTeamMember {
        throw .unimplemented(.getTeamMember)
    }

    public func teamMembers(teamID: String, page: Int, perPage: Int) async throws(PluginAppError) -> [PluginTeamMember] {
        throw .unimplemented(.getTeamMembers)
    }

    public func addTeamMember(teamID: String, userID: String) async throws(PluginAppError) -> PluginTeamMember {
        throw .unimplemented(.createTeamMember)
    }

    public func removeTeamMember(teamID: String, userID: String, requestorID: String) async throws(PluginAppError) {
        throw .unimplemented(.deleteTeamMember)
    }

    public func createChannel(_ channel: PluginChannel) async throws(PluginAppError) -> PluginChannel {
        throw .unimplemented(.createChannel)
    }

    public func channel(id: String) async throws(PluginAppError) -> PluginChannel {
        throw .unimplemented(.getChannel)
    }

    public func channel(teamID: String, name: String) async throws(PluginAppError) -> PluginChannel {
        throw .unimplemented(.getChannelByName)
    }

    public func updateChannel(_ channel: PluginChannel) async throws(PluginAppError) -> PluginChannel {
        throw .unimplemented(.updateChannel)
    }

    public func deleteChannel(id: String) async throws(PluginAppError) {
        throw .unimplemented(.deleteChannel)
    }

    public func directChannel(userID1: String, userID2: String) async throws(PluginAppError) -> PluginChannel {
        throw .unimplemented(.getDirectChannel)
    }

    public func groupChannel(userIDs: [String]) async throws(PluginAppError) -> PluginChannel {
        throw .unimplemented(.getGroupChannel)
    }

    public func publicChannels(teamID: String, page: Int, perPage: Int) async throws(PluginAppError) -> [PluginChannel] {
        throw .unimplemented(.getPublicChannelsForTeam)
    }

    public func channels(teamID: String, userID: String, includeDeleted: Bool) async throws(PluginAppError) -> [PluginChannel] {
        throw .unimplemented(.getChannelsForTeamForUser)
    }

    public func searchChannels(teamID: String, term: String) async throws(PluginAppError) -> [PluginChannel] {
        throw .unimplemented(.searchChannels)
    }

    public func channelMember(channelID: String, userID: String) async throws(PluginAppError) -> PluginChannelMember {
        throw .unimplemented(.getChannelMember)
    }

    public func channelMembers(channelID: String, page: Int, perPage: Int) async throws(PluginAppError) -> [PluginChannelMember] {
        throw .unimplemented(.getChannelMembers)
    }

    public func addChannelMember(channelID: String, userID: String) async throws(PluginAppError) -> PluginChannelMember {
        throw .unimplemented(.addChannelMember)
    }

    public func removeChannelMember(channelID: String, userID: String) async throws(PluginAppError) {
        throw .unimplemented(.deleteChannelMember)
    }

    public func usersInChannel(channelID: String, page: Int, perPage: Int) async throws(PluginAppError) -> [PluginUser] {
        throw .unimplemented(.getUsersInChannel)
    }

    public func createPost(_ post: PluginPost) async throws(PluginAppError) -> PluginPost {
        throw .unimplemented(.createPost)
    }

    public func post(id: String) async throws(PluginAppError) -> PluginPost {
        throw .unimplemented(.getPost)
    }

    public func updatePost(_ post: PluginPost) async throws(PluginAppError) -> PluginPost {
        throw .unimplemented(.updatePost)
    }

    public func deletePost(id: String) async throws(PluginAppError) {
        throw .unimplemented(.deletePost)
    }

    public func sendEphemeralPost(userID: String, _ post: PluginPost) async throws(PluginAppError) -> PluginPost {
        throw .unimplemented(.sendEphemeralPost)
    }

    public func updateEphemeralPost(userID: String, _ post: PluginPost) async throws(PluginAppError) -> PluginPost {
        throw .unimplemented(.updateEphemeralPost)
    }

    public func deleteEphemeralPost(userID: String, postID: String) async throws(PluginAppError) {
        throw .unimplemented(.deleteEphemeralPost)
    }

    public func postThread(postID: String) async throws(PluginAppError) -> [PluginPost] {
        throw .unimplemented(.getPostThread)
    }

    public func posts(channelID: String, page: Int, perPage: Int) async throws(PluginAppError) -> [PluginPost] {
        throw .unimplemented(.getPostsForChannel)
    }

    public func posts(channelID: String, since: Int64) async throws(PluginAppError) -> [PluginPost] {
        throw .unimplemented(.getPostsSince)
    }

    public func posts(channelID: String, before postID: String, page: Int, perPage: Int) async throws(PluginAppError) -> [PluginPost] {
        throw .unimplemented(.getPostsBefore)
    }

    public func posts(channelID: String, after postID: String, page: Int, perPage: Int) async throws(PluginAppError) -> [PluginPost] {
        throw .unimplemented(.getPostsAfter)
    }

    public func searchPosts(teamID: String, terms: String) async throws(PluginAppError) -> [PluginPost] {
        throw .unimplemented(.searchPostsInTeam)
    }

    public func addReaction(_ reaction: PluginReaction) async throws(PluginAppError) -> PluginReaction {
        throw .unimplemented(.addReaction)
    }

    public func removeReaction(_ reaction: PluginReaction) async throws(PluginAppError) {
        throw .unimplemented(.removeReaction)
    }

    public func reactions(postID: String) async throws(PluginAppError) -> [PluginReaction] {
        throw .unimplemented(.getReactions)
    }

    public func uploadFile(_ info: PluginFileInfo, content: PluginFileChunks) async throws(PluginAppError) -> PluginFileInfo {
        throw .unimplemented(.uploadFile)
    }

    public func fileContent(id: String, offset: Int64, maximumLength: Int) async throws(PluginAppError) -> [UInt8] {
        throw .unimplemented(.getFile)
    }

    public func fileInfo(id: String) async throws(PluginAppError) -> PluginFileInfo {
        throw .unimplemented(.getFileInfo)
    }

    public func fileLink(id: String) async throws(PluginAppError) -> String {
        throw .unimplemented(.getFileLink)
    }

    public func createBot(_ bot: PluginBot) async throws(PluginAppError) -> PluginBot {
        throw .unimplemented(.createBot)
    }

    public func bot(userID: String, includeDeleted: Bool) async throws(PluginAppError) -> PluginBot {
        throw .unimplemented(.getBot)
    }

    public func ensureBot(_ bot: PluginBot) async throws(PluginAppError) -> PluginBot {
        throw .unimplemented(.ensureBotUser)
    }

    public func patchBot(userID: String, username: String, displayName: String, description: String) async throws(PluginAppError) -> PluginBot {
        throw .unimplemented(.patchBot)
    }

    public func setBotActive(userID: String, active: Bool) async throws(PluginAppError) -> PluginBot {
        throw .unimplemented(.updateBotActive)
    }

    public func bots(page: Int, perPage: Int, ownerID: String, includeDeleted: Bool) async throws(PluginAppError) -> [PluginBot] {
        throw .unimplemented(.getBots)
    }

    public func registerCommand(_ command: PluginSlashCommand) async throws(PluginAppError) {
        throw .unimplemented(.registerCommand)
    }

    public func unregisterCommand(teamID: String, trigger: String) async throws(PluginAppError) {
        throw .unimplemented(.unregisterCommand)
    }

    public func commands(teamID: String) async throws(PluginAppError) -> [PluginSlashCommand] {
        throw .unimplemented(.listPluginCommands)
    }

    public func publishWebSocketEvent(_ event: String, payloadJSON: String, to broadcast: PluginBroadcast) async throws(PluginAppError) {
        throw .unimplemented(.publishWebSocketEvent)
    }

    public func pluginHTTP(_ request: PluginToPluginRequest) async throws(PluginAppError) -> PluginToPluginResponse {
        throw .unimplemented(.pluginHTTP)
    }

    public func serverConfiguration() async throws(PluginAppError) -> String {
        throw .unimplemented(.getConfig)
    }

    public func pluginConfiguration() async throws(PluginAppError) -> String {
        throw .unimplemented(.getPluginConfig)
    }

    public func savePluginConfiguration(_ json: String) async throws(PluginAppError) {
        throw .unimplemented(.savePluginConfig)
    }

    public func serverVersion() async throws(PluginAppError) -> String {
        throw .unimplemented(.getServerVersion)
    }

    public func preferences(userID: String) async throws(PluginAppError) -> [PluginPreference] {
        throw .unimplemented(.getPreferencesForUser)
    }

    public func updatePreferences(userID: String, _ preferences: [PluginPreference]) async throws(PluginAppError) {
        throw .unimplemented(.updatePreferencesForUser)
    }

    public func deletePreferences(userID: String, _ preferences: [PluginPreference]) async throws(PluginAppError) {
        throw .unimplemented(.deletePreferencesForUser)
    }

}
