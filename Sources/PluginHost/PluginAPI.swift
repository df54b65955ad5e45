import Logging
import RPC

public typealias PluginPost = Mattermost_Pluginapi_V1_Post
public typealias PluginUser = Mattermost_Pluginapi_V1_User
public typealias PluginChannel = Mattermost_Pluginapi_V1_Channel
public typealias PluginRequestContext = Mattermost_Pluginapi_V1_RequestContext
public typealias PluginCommandArgs = Mattermost_Pluginapi_V1_CommandArgs
public typealias PluginCommandResponse = Mattermost_Pluginapi_V1_CommandResponse

/// What a plugin may ask of the host. The host application implements it, one instance
/// per plugin (so it knows whose key-value namespace and configuration are meant);
/// PluginHost serves it to that plugin over gRPC. Application failures are thrown as
/// `PluginAppError` and reach the plugin as the structured error in the response.
public protocol PluginAPI: Sendable {
    func log(level: Logger.Level, message: String, keyValues: [(key: String, value: String)]) async

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

    func user(id: String) async throws(PluginAppError) -> PluginUser
    func user(username: String) async throws(PluginAppError) -> PluginUser
    func channel(id: String) async throws(PluginAppError) -> PluginChannel
    func channel(teamID: String, name: String) async throws(PluginAppError) -> PluginChannel

    func createPost(_ post: PluginPost) async throws(PluginAppError) -> PluginPost
    func post(id: String) async throws(PluginAppError) -> PluginPost
    func updatePost(_ post: PluginPost) async throws(PluginAppError) -> PluginPost
    func deletePost(id: String) async throws(PluginAppError)

    /// The plugin's configuration as a JSON object.
    func pluginConfiguration() async throws(PluginAppError) -> String
    func savePluginConfiguration(_ json: String) async throws(PluginAppError)

    func serverVersion() async -> String
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
}

/// Registers what serves `api` on a plugin's API server. For every launch the supervisor
/// creates a fresh `RPC.Server` (the per-plugin secret check already installed as a server
/// interceptor, so it guards whatever is registered), calls the registrar, then starts the
/// server on a fresh port and hands its address to the plugin. Register only: the server is
/// started and stopped by the supervisor. The default is `PluginAPIService.registrar`, which
/// registers `PluginAPIService(api:)`; a host can add its own services next to it.
public typealias APIServerRegistrar = @Sendable (_ server: RPC.Server, _ api: any PluginAPI) -> Void
