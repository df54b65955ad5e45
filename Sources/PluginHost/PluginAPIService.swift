import Logging
import RPC
import Wire

/// The `mattermost.pluginapi.v1.PluginAPI` gRPC service, delegating every call to the
/// host's `PluginAPI`. Application errors become the response's `error` field.
public struct PluginAPIService: RPCService {
    public static let serviceName = "mattermost.pluginapi.v1.PluginAPI"

    /// The default registrar: serves `api` as the PluginAPI service.
    public static let registrar: APIServerRegistrar = { server, api in server.register(PluginAPIService(api: api)) }

    private let api: any PluginAPI

    public init(api: any PluginAPI) { self.api = api }

    public var methods: [ServerMethod] {
        let api = self.api
        return [
            Self.unary("Log") { (request: Mattermost_Pluginapi_V1_LogRequest) in
                await api.log(
                    level: request.level.loggerLevel, message: request.message,
                    keyValues: request.keyValues.map { (key: $0.key, value: $0.value) })
                return Mattermost_Pluginapi_V1_LogResponse()
            },
            Self.unaryWithError("KVSet") { (request: Mattermost_Pluginapi_V1_KVSetRequest) throws(PluginAppError) in
                try await api.kvSet(key: request.key, value: request.value, expireInSeconds: request.expireInSeconds)
                return Mattermost_Pluginapi_V1_KVSetResponse()
            },
            Self.unaryWithError("KVGet") { (request: Mattermost_Pluginapi_V1_KVGetRequest) throws(PluginAppError) in
                var response = Mattermost_Pluginapi_V1_KVGetResponse()
                if let value = try await api.kvGet(key: request.key) {
                    response.found = true
                    response.value = value
                }
                return response
            },
            Self.unaryWithError("KVDelete") { (request: Mattermost_Pluginapi_V1_KVDeleteRequest) throws(PluginAppError) in
                try await api.kvDelete(key: request.key)
                return Mattermost_Pluginapi_V1_KVDeleteResponse()
            },
            Self.unaryWithError("KVList") { (request: Mattermost_Pluginapi_V1_KVListRequest) throws(PluginAppError) in
                var response = Mattermost_Pluginapi_V1_KVListResponse()
                response.keys = try await api.kvList(page: Int(request.page), perPage: Int(request.perPage))
                return response
            },
            Self.unaryWithError("KVCompareAndSet") {
                (request: Mattermost_Pluginapi_V1_KVCompareAndSetRequest) throws(PluginAppError) in
                var response = Mattermost_Pluginapi_V1_KVCompareAndSetResponse()
                response.swapped = try await api.kvCompareAndSet(
                    key: request.key, expected: request.expectAbsent ? nil : request.oldValue,
                    newValue: request.newValue, expireInSeconds: request.expireInSeconds)
                return response
            },
            Self.unaryWithError("KVCompareAndDelete") {
                (request: Mattermost_Pluginapi_V1_KVCompareAndDeleteRequest) throws(PluginAppError) in
                var response = Mattermost_Pluginapi_V1_KVCompareAndDeleteResponse()
                response.deleted = try await api.kvCompareAndDelete(key: request.key, expected: request.oldValue)
                return response
            },
            Self.unaryWithError("KVDeleteAll") { (_: Mattermost_Pluginapi_V1_KVDeleteAllRequest) throws(PluginAppError) in
                try await api.kvDeleteAll()
                return Mattermost_Pluginapi_V1_KVDeleteAllResponse()
            },
            Self.unaryWithError("GetUser") { (request: Mattermost_Pluginapi_V1_GetUserRequest) throws(PluginAppError) in
                var response = Mattermost_Pluginapi_V1_UserResponse()
                response.user = try await api.user(id: request.userID)
                return response
            },
            Self.unaryWithError("GetUserByUsername") {
                (request: Mattermost_Pluginapi_V1_GetUserByUsernameRequest) throws(PluginAppError) in
                var response = Mattermost_Pluginapi_V1_UserResponse()
                response.user = try await api.user(username: request.username)
                return response
            },
            Self.unaryWithError("GetChannel") { (request: Mattermost_Pluginapi_V1_GetChannelRequest) throws(PluginAppError) in
                var response = Mattermost_Pluginapi_V1_ChannelResponse()
                response.channel = try await api.channel(id: request.channelID)
                return response
            },
            Self.unaryWithError("GetChannelByName") {
                (request: Mattermost_Pluginapi_V1_GetChannelByNameRequest) throws(PluginAppError) in
                var response = Mattermost_Pluginapi_V1_ChannelResponse()
                response.channel = try await api.channel(teamID: request.teamID, name: request.name)
                return response
            },
            Self.unaryWithError("CreatePost") { (request: Mattermost_Pluginapi_V1_CreatePostRequest) throws(PluginAppError) in
                var response = Mattermost_Pluginapi_V1_PostResponse()
                response.post = try await api.createPost(request.post)
                return response
            },
            Self.unaryWithError("GetPost") { (request: Mattermost_Pluginapi_V1_GetPostRequest) throws(PluginAppError) in
                var response = Mattermost_Pluginapi_V1_PostResponse()
                response.post = try await api.post(id: request.postID)
                return response
            },
            Self.unaryWithError("UpdatePost") { (request: Mattermost_Pluginapi_V1_UpdatePostRequest) throws(PluginAppError) in
                var response = Mattermost_Pluginapi_V1_PostResponse()
                response.post = try await api.updatePost(request.post)
                return response
            },
            Self.unaryWithError("DeletePost") { (request: Mattermost_Pluginapi_V1_DeletePostRequest) throws(PluginAppError) in
                try await api.deletePost(id: request.postID)
                return Mattermost_Pluginapi_V1_DeletePostResponse()
            },
            Self.unaryWithError("GetPluginConfig") {
                (_: Mattermost_Pluginapi_V1_GetPluginConfigRequest) throws(PluginAppError) in
                var response = Mattermost_Pluginapi_V1_GetPluginConfigResponse()
                response.configurationJson = try await api.pluginConfiguration()
                return response
            },
            Self.unaryWithError("SavePluginConfig") {
                (request: Mattermost_Pluginapi_V1_SavePluginConfigRequest) throws(PluginAppError) in
                try await api.savePluginConfiguration(request.configurationJson)
                return Mattermost_Pluginapi_V1_SavePluginConfigResponse()
            },
            Self.unary("GetServerVersion") { (_: Mattermost_Pluginapi_V1_GetServerVersionRequest) in
                var response = Mattermost_Pluginapi_V1_GetServerVersionResponse()
                response.version = await api.serverVersion()
                return response
            },
        ]
    }

    private static func unary<Request: Wire.Message, Response: Wire.Message>(
        _ method: String, _ handler: @escaping @Sendable (Request) async -> Response
    ) -> ServerMethod {
        .unary(
            MethodDescriptor(service: serviceName, method: method),
            deserializer: WireDeserializer<Request>(), serializer: WireSerializer<Response>()
        ) { request, _ in await handler(request) }
    }

    /// A method whose response carries an `AppError`: a thrown PluginAppError fills it.
    private static func unaryWithError<Request: Wire.Message, Response: AppErrorCarrying>(
        _ method: String, _ handler: @escaping @Sendable (Request) async throws(PluginAppError) -> Response
    ) -> ServerMethod {
        unary(method) { (request: Request) -> Response in
            do throws(PluginAppError) {
                return try await handler(request)
            } catch {
                var response = Response()
                response.error = error.proto
                return response
            }
        }
    }
}

/// Response messages with an `AppError error = 1` field.
protocol AppErrorCarrying: Wire.Message {
    var error: Mattermost_Pluginapi_V1_AppError { get set }
}

extension Mattermost_Pluginapi_V1_KVSetResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_KVGetResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_KVDeleteResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_KVListResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_KVCompareAndSetResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_KVCompareAndDeleteResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_KVDeleteAllResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_UserResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_ChannelResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_PostResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_DeletePostResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_GetPluginConfigResponse: AppErrorCarrying {}
extension Mattermost_Pluginapi_V1_SavePluginConfigResponse: AppErrorCarrying {}

extension Mattermost_Pluginapi_V1_LogLevel {
    var loggerLevel: Logger.Level {
        switch self {
        case .debug: .debug
        case .info, .unspecified, .UNRECOGNIZED: .info
        case .warn: .warning
        case .error: .error
        }
    }
}
