import RPC

/// A case whose expectation did not hold.
public struct InteropFailure: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The 18 core interop cases of the gRPC interop test description, run by our client.
public enum InteropCase: String, CaseIterable, Sendable {
    case emptyUnary = "empty_unary"
    case largeUnary = "large_unary"
    case clientCompressedUnary = "client_compressed_unary"
    case serverCompressedUnary = "server_compressed_unary"
    case clientStreaming = "client_streaming"
    case clientCompressedStreaming = "client_compressed_streaming"
    case serverStreaming = "server_streaming"
    case serverCompressedStreaming = "server_compressed_streaming"
    case pingPong = "ping_pong"
    case emptyStream = "empty_stream"
    case cancelAfterBegin = "cancel_after_begin"
    case cancelAfterFirstResponse = "cancel_after_first_response"
    case timeoutOnSleepingServer = "timeout_on_sleeping_server"
    case customMetadata = "custom_metadata"
    case statusCodeAndMessage = "status_code_and_message"
    case specialStatusMessage = "special_status_message"
    case unimplementedMethod = "unimplemented_method"
    case unimplementedService = "unimplemented_service"

    /// Runs the case; returns normally only when every expectation held.
    public func run(on channel: Channel) async throws {
        let client = InteropClient(channel: channel)
        switch self {
        case .emptyUnary: try await client.emptyUnary()
        case .largeUnary: try await client.largeUnary()
        case .clientCompressedUnary: try await client.clientCompressedUnary()
        case .serverCompressedUnary: try await client.serverCompressedUnary()
        case .clientStreaming: try await client.clientStreaming()
        case .clientCompressedStreaming: try await client.clientCompressedStreaming()
        case .serverStreaming: try await client.serverStreaming()
        case .serverCompressedStreaming: try await client.serverCompressedStreaming()
        case .pingPong: try await client.pingPong()
        case .emptyStream: try await client.emptyStream()
        case .cancelAfterBegin: try await client.cancelAfterBegin()
        case .cancelAfterFirstResponse: try await client.cancelAfterFirstResponse()
        case .timeoutOnSleepingServer: try await client.timeoutOnSleepingServer()
        case .customMetadata: try await client.customMetadata()
        case .statusCodeAndMessage: try await client.statusCodeAndMessage()
        case .specialStatusMessage: try await client.specialStatusMessage()
        case .unimplementedMethod: try await client.unimplementedMethod()
        case .unimplementedService: try await client.unimplementedService()
        }
    }
}
