import RPC

/// PluginAPI service methods: files.
extension PluginAPIService {
    public func getFileInfo(
        _ request: Mattermost_Pluginapi_V1_GetFileInfoRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_FileInfoResponse {
        try await serve(.getFileInfo) { (response: inout Mattermost_Pluginapi_V1_FileInfoResponse) async throws(PluginAppError) in
            response.info = try await api.fileInfo(id: request.fileID)
        }
    }

    public func getFileLink(
        _ request: Mattermost_Pluginapi_V1_GetFileLinkRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_GetFileLinkResponse {
        try await serve(.getFileLink) { (response: inout Mattermost_Pluginapi_V1_GetFileLinkResponse) async throws(PluginAppError) in
            response.link = try await api.fileLink(id: request.fileID)
        }
    }


    /// How much of a file one `GetFile` response message carries.
    static let fileStreamChunkSize = 256 * 1024
    /// Bounds the streaming loop of `GetFile` (16 GiB).
    static let maximumStreamedFileSize: Int64 = 1 << 34

    public func uploadFile(
        _ requests: RequestStream<Mattermost_Pluginapi_V1_UploadFileRequest>, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_FileInfoResponse {
        try await serve(.uploadFile) { (response: inout Mattermost_Pluginapi_V1_FileInfoResponse) async throws(PluginAppError) in
            var iterator = requests.makeAsyncIterator()
            let first: Mattermost_Pluginapi_V1_UploadFileRequest?
            do {
                first = try await iterator.next()
            } catch {
                throw PluginAppError(
                    id: "plugin_api.upload.stream", message: "the upload stream failed", detailedError: "\(error)",
                    statusCode: 400, location: "PluginAPI.UploadFile")
            }
            guard let first, first.hasInfo else {
                throw PluginAppError(
                    id: "plugin_api.upload.no_info", message: "the first upload message must carry info",
                    statusCode: 400, location: "PluginAPI.UploadFile")
            }
            try PluginFileChunks.AsyncIterator.check(first.chunk)
            // RequestStream's iterators share the call: a fresh one goes on after `first`.
            let content = PluginFileChunks(first: first.chunk, rest: requests)
            response.info = try await api.uploadFile(first.info, content: content)
        }
    }

    /// Streams the file in `fileStreamChunkSize` pieces read from the host one at a time, so
    /// neither side holds the whole file. A failure before the first piece is one message with
    /// `error`; a later one ends the stream with INTERNAL.
    public func getFile(
        _ request: Mattermost_Pluginapi_V1_GetFileRequest,
        responses: ResponseWriter<Mattermost_Pluginapi_V1_GetFileResponse>, context: ServerContext
    ) async throws {
        try admit(.getFile)
        var offset: Int64 = 0
        while offset <= Self.maximumStreamedFileSize {
            let chunk: [UInt8]
            do throws(PluginAppError) {
                chunk = try await api.fileContent(id: request.fileID, offset: offset, maximumLength: Self.fileStreamChunkSize)
            } catch {
                try rethrowIfUnimplemented(error, .getFile)
                guard offset == 0 else { throw RPCError(code: .internalError, message: error.description) }
                var failed = Mattermost_Pluginapi_V1_GetFileResponse()
                failed.error = error.proto
                try await responses.write(failed)
                return
            }
            guard chunk.count <= Self.fileStreamChunkSize else {
                throw RPCError(code: .internalError, message: "the host returned more than it was asked for")
            }
            if !chunk.isEmpty || offset == 0 {
                var message = Mattermost_Pluginapi_V1_GetFileResponse()
                message.chunk = chunk
                try await responses.write(message)
            }
            if chunk.count < Self.fileStreamChunkSize { return }
            offset += Int64(chunk.count)
        }
        throw RPCError(code: .internalError, message: "the file is larger than \(Self.maximumStreamedFileSize) bytes")
    }
}

extension Mattermost_Pluginapi_V1_PublishWebSocketEventRequest {
    /// Who receives the event; both a user and a channel is an error.
    var broadcast: PluginBroadcast {
        get throws(PluginAppError) {
            switch (userID.isEmpty, channelID.isEmpty) {
            case (true, true): return .everyone
            case (false, true): return .user(userID)
            case (true, false): return .channel(channelID)
            case (false, false):
                throw PluginAppError(
                    id: "plugin_api.websocket.broadcast", message: "give a user_id or a channel_id, not both",
                    statusCode: 400, location: "PluginAPI.PublishWebSocketEvent")
            }
        }
    }
}
