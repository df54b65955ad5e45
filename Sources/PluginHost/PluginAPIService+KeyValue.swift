import RPC

/// PluginAPI service methods: key-value store.
extension PluginAPIService {
    public func kVSet(
        _ request: Mattermost_Pluginapi_V1_KVSetRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_KVSetResponse {
        try await serve(.kVSet) { (_: inout Mattermost_Pluginapi_V1_KVSetResponse) async throws(PluginAppError) in
            try await api.kvSet(key: request.key, value: request.value, expireInSeconds: request.expireInSeconds)
        }
    }

    public func kVGet(
        _ request: Mattermost_Pluginapi_V1_KVGetRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_KVGetResponse {
        try await serve(.kVGet) { (response: inout Mattermost_Pluginapi_V1_KVGetResponse) async throws(PluginAppError) in
            if let value = try await api.kvGet(key: request.key) {
                response.found = true
                response.value = value
            }
        }
    }

    public func kVDelete(
        _ request: Mattermost_Pluginapi_V1_KVDeleteRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_KVDeleteResponse {
        try await serve(.kVDelete) { (_: inout Mattermost_Pluginapi_V1_KVDeleteResponse) async throws(PluginAppError) in
            try await api.kvDelete(key: request.key)
        }
    }

    public func kVList(
        _ request: Mattermost_Pluginapi_V1_KVListRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_KVListResponse {
        try await serve(.kVList) { (response: inout Mattermost_Pluginapi_V1_KVListResponse) async throws(PluginAppError) in
            response.keys = try await api.kvList(page: Int(request.page), perPage: Int(request.perPage))
        }
    }

    public func kVCompareAndSet(
        _ request: Mattermost_Pluginapi_V1_KVCompareAndSetRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_KVCompareAndSetResponse {
        try await serve(.kVCompareAndSet) { (response: inout Mattermost_Pluginapi_V1_KVCompareAndSetResponse) async throws(PluginAppError) in
            response.swapped = try await api.kvCompareAndSet(
                key: request.key, expected: request.expectAbsent ? nil : request.oldValue,
                newValue: request.newValue, expireInSeconds: request.expireInSeconds)
        }
    }

    public func kVCompareAndDelete(
        _ request: Mattermost_Pluginapi_V1_KVCompareAndDeleteRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_KVCompareAndDeleteResponse {
        try await serve(.kVCompareAndDelete) { (response: inout Mattermost_Pluginapi_V1_KVCompareAndDeleteResponse) async throws(PluginAppError) in
            response.deleted = try await api.kvCompareAndDelete(key: request.key, expected: request.oldValue)
        }
    }

    public func kVDeleteAll(
        _ request: Mattermost_Pluginapi_V1_KVDeleteAllRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_KVDeleteAllResponse {
        try await serve(.kVDeleteAll) { (_: inout Mattermost_Pluginapi_V1_KVDeleteAllResponse) async throws(PluginAppError) in
            try await api.kvDeleteAll()
        }
    }

}
