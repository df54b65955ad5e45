import RPC

/// The content of a file a plugin uploads (`UploadFile`), as it arrives: chunks of at most
/// `maximumChunkSize` bytes, read from the plugin's request stream one at a time (reading is
/// what lets the plugin send more, so a host that writes each chunk out holds one chunk at a
/// time). Iterate it once. Iteration throws `PluginAppError` when the plugin sends a chunk
/// that is too large or a second `info`, or when the stream fails.
public struct PluginFileChunks: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    /// The largest chunk a plugin may send in one message.
    public static let maximumChunkSize = 1 << 20
    /// The most messages one upload may have (empty chunks count too), so a plugin cannot
    /// keep the host reading forever.
    public static let maximumMessageCount = 1 << 20

    private let leading: [[UInt8]]
    private let rest: RequestStream<Mattermost_Pluginapi_V1_UploadFileRequest>?

    init(first: [UInt8], rest: RequestStream<Mattermost_Pluginapi_V1_UploadFileRequest>?) {
        self.leading = [first]
        self.rest = rest
    }

    /// Chunks from memory, for hosts that call their own implementation (tests, tools).
    public init(_ chunks: [[UInt8]]) {
        self.leading = chunks
        self.rest = nil
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var leading: ArraySlice<[UInt8]>
        var messagesRead = 0
        var rest: RequestStream<Mattermost_Pluginapi_V1_UploadFileRequest>.AsyncIterator?

        public mutating func next() async throws(PluginAppError) -> [UInt8]? {
            while let chunk = leading.popFirst() {
                if !chunk.isEmpty { return chunk }
            }
            guard var iterator = rest else { return nil }
            while messagesRead < PluginFileChunks.maximumMessageCount {
                messagesRead += 1
                let message: Mattermost_Pluginapi_V1_UploadFileRequest?
                do {
                    message = try await iterator.next()
                } catch {
                    rest = nil
                    throw PluginAppError(
                        id: "plugin_api.upload.stream", message: "the upload stream failed",
                        detailedError: "\(error)", statusCode: 400, location: "PluginAPI.UploadFile")
                }
                rest = iterator
                guard let message else {
                    rest = nil
                    return nil
                }
                if message.hasInfo {
                    throw PluginAppError(
                        id: "plugin_api.upload.info_twice", message: "only the first upload message may carry info",
                        statusCode: 400, location: "PluginAPI.UploadFile")
                }
                try Self.check(message.chunk)
                if !message.chunk.isEmpty { return message.chunk }
            }
            rest = nil
            throw PluginAppError(
                id: "plugin_api.upload.too_many_messages",
                message: "an upload may have at most \(PluginFileChunks.maximumMessageCount) messages",
                statusCode: 413, location: "PluginAPI.UploadFile")
        }

        static func check(_ chunk: [UInt8]) throws(PluginAppError) {
            guard chunk.count <= PluginFileChunks.maximumChunkSize else {
                throw PluginAppError(
                    id: "plugin_api.upload.chunk_too_large",
                    message: "an upload chunk holds \(chunk.count) bytes; at most \(PluginFileChunks.maximumChunkSize)",
                    statusCode: 413, location: "PluginAPI.UploadFile")
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(leading: leading[...], rest: rest?.makeAsyncIterator())
    }
}
