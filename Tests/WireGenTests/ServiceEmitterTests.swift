import Testing
import Wire
@testable import WireGen

/// The text `ServiceEmitter` writes for a small service with one RPC of each kind.
@Suite struct ServiceEmitterTests {
    func method(_ name: String, client: Bool, server: Bool) -> Google_Protobuf_MethodDescriptorProto {
        var method = Google_Protobuf_MethodDescriptorProto()
        method.name = name
        method.inputType = ".my_co.chat.GetRequest"
        method.outputType = ".my_co.chat.Post"
        method.clientStreaming = client
        method.serverStreaming = server
        return method
    }

    func chatFile(services: Bool = true) -> Google_Protobuf_FileDescriptorProto {
        var file = Google_Protobuf_FileDescriptorProto()
        file.name = "chat/post.proto"
        file.package = "my_co.chat"
        file.syntax = "proto3"
        var post = Google_Protobuf_DescriptorProto()
        post.name = "Post"
        var request = Google_Protobuf_DescriptorProto()
        request.name = "GetRequest"
        file.messageType = [post, request]
        guard services else { return file }
        var service = Google_Protobuf_ServiceDescriptorProto()
        service.name = "PostService"
        service.method = [
            method("GetPost", client: false, server: false),
            method("Upload", client: true, server: false),
            method("ListPosts", client: false, server: true),
            method("Chat", client: true, server: true),
            method("Import", client: false, server: false),
        ]
        file.service = [service]
        return file
    }

    func generate(_ file: Google_Protobuf_FileDescriptorProto, _ options: GeneratorOptions = GeneratorOptions()) throws -> [GeneratedFile] {
        try Generator(options: options, additionalEmitters: [ServiceEmitter()]).generate(files: [file], toGenerate: [file.name])
    }

    func rpcSource(_ options: GeneratorOptions = GeneratorOptions()) throws -> String {
        let files = try generate(chatFile(), options)
        try #require(files.map(\.name) == ["chat/post.wire.swift", "chat/post.rpc.swift"])
        return files[1].content
    }

    @Test func namespaceAndDescriptorsFollowTheMessageNamingRule() throws {
        let source = try rpcSource()
        #expect(source.contains("import RPC\nimport Wire\n"))
        #expect(source.contains("public enum MyCo_Chat_PostService {"))
        #expect(source.contains("public static let serviceName = \"my_co.chat.PostService\""))
        #expect(source.contains("public static let getPost = MethodDescriptor(service: \"my_co.chat.PostService\", method: \"GetPost\")"))
        #expect(source.contains("public static let methodDescriptors: [MethodDescriptor] = [Method.getPost, Method.upload, Method.listPosts, Method.chat, Method.import]"))
    }

    @Test func serverProtocolHasOneAsyncThrowsRequirementPerKind() throws {
        let source = try rpcSource()
        #expect(source.contains("public protocol ServiceProtocol: RPCService {"))
        #expect(source.contains("func getPost(_ request: MyCo_Chat_GetRequest, context: ServerContext) async throws -> MyCo_Chat_Post\n"))
        #expect(source.contains("func upload(_ requests: RequestStream<MyCo_Chat_GetRequest>, context: ServerContext) async throws -> MyCo_Chat_Post\n"))
        #expect(source.contains("func listPosts(_ request: MyCo_Chat_GetRequest, responses: ResponseWriter<MyCo_Chat_Post>, context: ServerContext) async throws\n"))
        #expect(source.contains("func chat(_ requests: RequestStream<MyCo_Chat_GetRequest>, responses: ResponseWriter<MyCo_Chat_Post>, context: ServerContext) async throws\n"))
        // A Swift keyword is escaped where it is declared.
        #expect(source.contains("func `import`(_ request: MyCo_Chat_GetRequest, context: ServerContext)"))
    }

    @Test func methodTableUsesTheTypedFactories() throws {
        let source = try rpcSource()
        #expect(source.contains("extension MyCo_Chat_PostService.ServiceProtocol {"))
        #expect(source.contains("public var methods: [ServerMethod] {"))
        #expect(source.contains(".unary(MyCo_Chat_PostService.Method.getPost) { (request: MyCo_Chat_GetRequest, context: ServerContext) -> MyCo_Chat_Post in"))
        #expect(source.contains(".clientStreaming(MyCo_Chat_PostService.Method.upload) {"))
        #expect(source.contains(".serverStreaming(MyCo_Chat_PostService.Method.listPosts) {"))
        #expect(source.contains(".bidirectionalStreaming(MyCo_Chat_PostService.Method.chat) {"))
        #expect(source.contains("try await self.chat(requests, responses: responses, context: context)"))
        #expect(source.contains("try await self.import(request, context: context)"))
    }

    @Test func clientStubWrapsTheChannelCalls() throws {
        let source = try rpcSource()
        #expect(source.contains("public struct Client: Sendable {"))
        #expect(source.contains("public init(channel: Channel) {"))
        #expect(source.contains("public func getPost(_ request: MyCo_Chat_GetRequest, metadata: Metadata = [:], options: CallOptions = CallOptions()) async throws -> ClientResponse<MyCo_Chat_Post> {"))
        #expect(source.contains("try await channel.unary(Method.getPost, request: request, responseType: MyCo_Chat_Post.self, metadata: metadata, options: options)"))
        #expect(source.contains("public func upload(metadata: Metadata = [:], options: CallOptions = CallOptions(), requests: @Sendable (RequestWriter<MyCo_Chat_GetRequest>) async throws -> Void) async throws -> ClientResponse<MyCo_Chat_Post> {"))
        #expect(source.contains("public func listPosts<CallResult: Sendable>(_ request: MyCo_Chat_GetRequest, metadata: Metadata = [:], options: CallOptions = CallOptions(), onResponse: (ResponseStream<MyCo_Chat_Post>) async throws -> CallResult) async throws -> CallResult {"))
        #expect(source.contains("try await channel.bidirectionalStreaming(Method.chat, requestType: MyCo_Chat_GetRequest.self, responseType: MyCo_Chat_Post.self, metadata: metadata, options: options, requests: requests, onResponse: onResponse)"))
    }

    @Test func internalVisibilityAndImportOptionsApply() throws {
        var options = GeneratorOptions()
        options.visibility = .internal
        options.importRPC = false
        let source = try rpcSource(options)
        #expect(!source.contains("public "))
        #expect(!source.contains("import RPC"))
        #expect(source.contains("import Wire"))
        #expect(source.contains("enum MyCo_Chat_PostService {"))
    }

    @Test func filesWithoutServicesOrWithServicesOffGetNoRPCFile() throws {
        #expect(try generate(chatFile(services: false)).map(\.name) == ["chat/post.wire.swift"])
        let options = try GeneratorOptions(parameter: "Services=false")
        #expect(try generate(chatFile(), options).map(\.name) == ["chat/post.wire.swift"])
    }

    @Test func serviceOptionsParseAndRejectBadValues() throws {
        let options = try GeneratorOptions(parameter: "Services=false,ImportRPC=false")
        #expect(!options.services)
        #expect(!options.importRPC)
        #expect(throws: GeneratorOptions.InvalidOption.self) { try GeneratorOptions(parameter: "Services=maybe") }
        #expect(throws: GeneratorOptions.InvalidOption.self) { try GeneratorOptions(parameter: "ImportRPC=1") }
    }
}
