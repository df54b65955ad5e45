/// The parts of a file's model that other emitters (such as service stubs in `Name.rpc.swift`)
/// build on. Messages and enums stay internal to the Wire emitter.
public struct FileModel: Sendable {
    /// Path of the .proto file as protoc names it (`chat/post.proto`).
    public let protoPath: String
    /// Proto package (`my_co.chat`), empty when none.
    public let package: String
    /// Services declared in the file, in declaration order.
    public let services: [ServiceModel]
    /// The file's own descriptor and every file of the request (imports come before the files
    /// that import them), for emitters that embed descriptors (server reflection).
    public var descriptor = Google_Protobuf_FileDescriptorProto()
    public var requestFiles: [Google_Protobuf_FileDescriptorProto] = []
}

public struct ServiceModel: Sendable {
    /// Fully-qualified proto name (`my_co.chat.PostService`).
    public let protoName: String
    /// Swift name following the type-naming convention (`MyCo_Chat_PostService`).
    public let swiftName: String
    /// The service's leading comment from the .proto file (plain text, may be empty).
    public let comments: String
    public let methods: [MethodModel]
}

public struct MethodModel: Sendable {
    /// Proto method name (`GetPost`).
    public let name: String
    /// gRPC path (`/my_co.chat.PostService/GetPost`).
    public let path: String
    /// Swift type names of the request and response messages.
    public let inputType: String
    public let outputType: String
    public let clientStreaming: Bool
    public let serverStreaming: Bool
    /// The method's leading comment from the .proto file (plain text, may be empty).
    public let comments: String
}

/// A file to write, relative to protoc's output directory.
public struct GeneratedFile: Sendable, Equatable {
    public var name: String
    public var content: String

    public init(name: String, content: String) {
        self.name = name
        self.content = content
    }
}

/// Something that turns a file's model into an extra output file (e.g. `Name.rpc.swift`).
/// Return nil when the file has nothing for this emitter (no services, say).
public protocol FileEmitter: Sendable {
    func emit(_ file: FileModel, options: GeneratorOptions) throws -> GeneratedFile?
}
