import Logging
import RPC
import Wire

/// The `mattermost.pluginapi.v1.PluginAPI` gRPC service, delegating every call to the
/// host's `PluginAPI`. It implements the generated `ServiceProtocol` (whose extension builds
/// the method table). Application errors become the response's `error` field; transport
/// failures stay gRPC statuses.
public struct PluginAPIService: Mattermost_Pluginapi_V1_PluginAPI.ServiceProtocol {
    public static let serviceName = Mattermost_Pluginapi_V1_PluginAPI.serviceName

    /// The default registrar: serves `api` as the PluginAPI service.
    public static let registrar: APIServerRegistrar = { server, api in server.register(PluginAPIService(api: api)) }

    private let api: any PluginAPI

    public init(api: any PluginAPI) { self.api = api }

    public func log(
        _ request: Mattermost_Pluginapi_V1_LogRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_LogResponse {
        await api.log(
            level: request.level.loggerLevel, message: request.message,
            keyValues: request.keyValues.map { (key: $0.key, value: $0.value) })
        return Mattermost_Pluginapi_V1_LogResponse()
    }

    public func kVSet(
        _ request: Mattermost_Pluginapi_V1_KVSetRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_KVSetResponse {
        await carryingAppError { () async throws(PluginAppError) in
            try await api.kvSet(key: request.key, value: request.value, expireInSeconds: request.expireInSeconds)
            return Mattermost_Pluginapi_V1_KVSetResponse()
        }
    }

    public func kVGet(
        _ request: Mattermost_Pluginapi_V1_KVGetRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_KVGetResponse {
        await carryingAppError { () async throws(PluginAppError) in
            var response = Mattermost_Pluginapi_V1_KVGetResponse()
            if let value = try await api.kvGet(key: request.key) {
                response.found = true
                response.value = value
            }
            return response
        }
    }

    public func kVDelete(
        _ request: Mattermost_Pluginapi_V1_KVDeleteRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_KVDeleteResponse {
        await carryingAppError { () async throws(PluginAppError) in
            try await api.kvDelete(key: request.key)
            return Mattermost_Pluginapi_V1_KVDeleteResponse()
        }
    }

    public func kVList(
        _ request: Mattermost_Pluginapi_V1_KVListRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_KVListResponse {
        await carryingAppError { () async throws(PluginAppError) in
            var response = Mattermost_Pluginapi_V1_KVListResponse()
            response.keys = try await api.kvList(page: Int(request.page), perPage: Int(request.perPage))
            return response
        }
    }

    public func kVCompareAndSet(
        _ request: Mattermost_Pluginapi_V1_KVCompareAndSetRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_KVCompareAndSetResponse {
        await carryingAppError { () async throws(PluginAppError) in
            var response = Mattermost_Pluginapi_V1_KVCompareAndSetResponse()
            response.swapped = try await api.kvCompareAndSet(
                key: request.key, expected: request.expectAbsent ? nil : request.oldValue,
                newValue: request.newValue, expireInSeconds: request.expireInSeconds)
            return response
        }
    }

    public func kVCompareAndDelete(
        _ request: Mattermost_Pluginapi_V1_KVCompareAndDeleteRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_KVCompareAndDeleteResponse {
        await carryingAppError { () async throws(PluginAppError) in
            var response = Mattermost_Pluginapi_V1_KVCompareAndDeleteResponse()
            response.deleted = try await api.kvCompareAndDelete(key: request.key, expected: request.oldValue)
            return response
        }
    }

    public func kVDeleteAll(
        _ request: Mattermost_Pluginapi_V1_KVDeleteAllRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_KVDeleteAllResponse {
        await carryingAppError { () async throws(PluginAppError) in
            try await api.kvDeleteAll()
            return Mattermost_Pluginapi_V1_KVDeleteAllResponse()
        }
    }

    public func getUser(
        _ request: Mattermost_Pluginapi_V1_GetUserRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_UserResponse {
        await carryingAppError { () async throws(PluginAppError) in
            var response = Mattermost_Pluginapi_V1_UserResponse()
            response.user = try await api.user(id: request.userID)
            return response
        }
    }

    public func getUserByUsername(
        _ request: Mattermost_Pluginapi_V1_GetUserByUsernameRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_UserResponse {
        await carryingAppError { () async throws(PluginAppError) in
            var response = Mattermost_Pluginapi_V1_UserResponse()
            response.user = try await api.user(username: request.username)
            return response
        }
    }

    public func getChannel(
        _ request: Mattermost_Pluginapi_V1_GetChannelRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_ChannelResponse {
        await carryingAppError { () async throws(PluginAppError) in
            var response = Mattermost_Pluginapi_V1_ChannelResponse()
            response.channel = try await api.channel(id: request.channelID)
            return response
        }
    }

    public func getChannelByName(
        _ request: Mattermost_Pluginapi_V1_GetChannelByNameRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_ChannelResponse {
        await carryingAppError { () async throws(PluginAppError) in
            var response = Mattermost_Pluginapi_V1_ChannelResponse()
            response.channel = try await api.channel(teamID: request.teamID, name: request.name)
            return response
        }
    }

    public func createPost(
        _ request: Mattermost_Pluginapi_V1_CreatePostRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_PostResponse {
        await carryingAppError { () async throws(PluginAppError) in
            var response = Mattermost_Pluginapi_V1_PostResponse()
            response.post = try await api.createPost(request.post)
            return response
        }
    }

    public func getPost(
        _ request: Mattermost_Pluginapi_V1_GetPostRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_PostResponse {
        await carryingAppError { () async throws(PluginAppError) in
            var response = Mattermost_Pluginapi_V1_PostResponse()
            response.post = try await api.post(id: request.postID)
            return response
        }
    }

    public func updatePost(
        _ request: Mattermost_Pluginapi_V1_UpdatePostRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_PostResponse {
        await carryingAppError { () async throws(PluginAppError) in
            var response = Mattermost_Pluginapi_V1_PostResponse()
            response.post = try await api.updatePost(request.post)
            return response
        }
    }

    public func deletePost(
        _ request: Mattermost_Pluginapi_V1_DeletePostRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_DeletePostResponse {
        await carryingAppError { () async throws(PluginAppError) in
            try await api.deletePost(id: request.postID)
            return Mattermost_Pluginapi_V1_DeletePostResponse()
        }
    }

    public func getPluginConfig(
        _ request: Mattermost_Pluginapi_V1_GetPluginConfigRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_GetPluginConfigResponse {
        await carryingAppError { () async throws(PluginAppError) in
            var response = Mattermost_Pluginapi_V1_GetPluginConfigResponse()
            response.configurationJson = try await api.pluginConfiguration()
            return response
        }
    }

    public func savePluginConfig(
        _ request: Mattermost_Pluginapi_V1_SavePluginConfigRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_SavePluginConfigResponse {
        await carryingAppError { () async throws(PluginAppError) in
            try await api.savePluginConfiguration(request.configurationJson)
            return Mattermost_Pluginapi_V1_SavePluginConfigResponse()
        }
    }

    public func getServerVersion(
        _ request: Mattermost_Pluginapi_V1_GetServerVersionRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_GetServerVersionResponse {
        var response = Mattermost_Pluginapi_V1_GetServerVersionResponse()
        response.version = await api.serverVersion()
        return response
    }

    /// Runs `body`; a thrown `PluginAppError` becomes the response's `error` field (an
    /// application error travels in the response, not as a gRPC status).
    private func carryingAppError<Response: AppErrorCarrying>(
        _ body: () async throws(PluginAppError) -> Response
    ) async -> Response {
        do throws(PluginAppError) {
            return try await body()
        } catch {
            var response = Response()
            response.error = error.proto
            return response
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
