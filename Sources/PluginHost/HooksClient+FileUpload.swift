import RPC

/// FileWillBeUploaded over its bidirectional stream: the info and the content go to the
/// plugin in bounded chunks; the plugin's decision comes back first, then (when it replaces
/// the content) the new content in chunks, each chunk and the total bounded.
extension HooksClient {
    /// Content chunks in both directions are at most this large.
    static let fileChunkSize = 256 * 1024
    /// The largest chunk a plugin may send back (the protocol's bound, docs/plugin-protocol.md).
    static let maximumFileChunkFromPlugin = 1024 * 1024

    func fileWillBeUploaded(
        _ upload: PluginUpload, context: PluginRequestContext, timeout: Duration, maximumContent: Int
    ) async throws -> HookOutcome<PluginUpload> {
        try await hooks.fileWillBeUploaded(
            metadata: credential, options: Self.options(timeout),
            requests: { writer in
                var first = Mattermost_Pluginapi_V1_FileWillBeUploadedRequest()
                first.context = context
                first.fileInfo = upload.info
                let content = upload.content
                first.contentChunk = Array(content.prefix(Self.fileChunkSize))
                try await writer.write(first)
                var offset = first.contentChunk.count
                while offset < content.count {
                    let end = min(content.count, offset + Self.fileChunkSize)
                    var chunk = Mattermost_Pluginapi_V1_FileWillBeUploadedRequest()
                    chunk.contentChunk = Array(content[offset..<end])
                    try await writer.write(chunk)
                    offset = end
                }
            },
            onResponse: { responses in
                var iterator = responses.makeAsyncIterator()
                guard let first = try await iterator.next(), first.hasDecision else {
                    throw RPCError(code: .internalError, message: "FileWillBeUploaded answered without a decision")
                }
                let decision = first.decision
                if !decision.rejectionReason.isEmpty { return .rejected(reason: decision.rejectionReason) }
                guard decision.contentReplaced || decision.hasFileInfo else { return .unchanged }
                var result = upload
                if decision.hasFileInfo { result.info = decision.fileInfo }
                if decision.contentReplaced {
                    result.content = []
                    var chunk = first.contentChunk
                    while true {
                        guard chunk.count <= Self.maximumFileChunkFromPlugin else {
                            throw RPCError(
                                code: .resourceExhausted,
                                message: "FileWillBeUploaded content chunk of \(chunk.count) bytes is over the 1 MiB bound")
                        }
                        guard result.content.count + chunk.count <= maximumContent else {
                            throw RPCError(
                                code: .resourceExhausted,
                                message: "FileWillBeUploaded content is over \(maximumContent) bytes")
                        }
                        result.content.append(contentsOf: chunk)
                        guard let next = try await iterator.next() else { break }
                        chunk = next.contentChunk
                    }
                } else {
                    while let extra = try await iterator.next() {
                        guard extra.contentChunk.isEmpty else {
                            throw RPCError(
                                code: .internalError, message: "FileWillBeUploaded sent content without content_replaced")
                        }
                    }
                }
                result.info.size = Int64(result.content.count)
                return .modified(result)
            })
    }
}
