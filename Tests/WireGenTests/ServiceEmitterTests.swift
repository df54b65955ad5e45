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
        #expect(source.contains("public nonisolated(nonsending) func getPost(_ request: MyCo_Chat_GetRequest, metadata: Metadata = [:], options: CallOptions = CallOptions()) async throws -> ClientResponse<MyCo_Chat_Post> {"))
        #expect(source.contains("try await channel.unary(Method.getPost, request: request, responseType: MyCo_Chat_Post.self, metadata: metadata, options: options)"))
        #expect(source.contains("public nonisolated(nonsending) func upload(metadata: Metadata = [:], options: CallOptions = CallOptions(), requests: @Sendable (RequestWriter<MyCo_Chat_GetRequest>) async throws -> Void) async throws -> ClientResponse<MyCo_Chat_Post> {"))
        #expect(source.contains("public nonisolated(nonsending) func listPosts<CallResult: Sendable>(_ request: MyCo_Chat_GetRequest, metadata: Metadata = [:], options: CallOptions = CallOptions(), onResponse: (ResponseStream<MyCo_Chat_Post>) async throws -> CallResult) async throws -> CallResult {"))
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

    @Test func emptyServiceFilesGiveEveryFileAnRPCFile() throws {
        let options = try GeneratorOptions(parameter: "EmptyServiceFiles=true")
        let files = try generate(chatFile(services: false), options)
        #expect(files.map(\.name) == ["chat/post.wire.swift", "chat/post.rpc.swift"])
        // Only the header: no import, so a target without module RPC still compiles it.
        #expect(!files[1].content.contains("import"))
        #expect(files[1].content.contains("chat/post.proto declares no services."))
        // With Services=false there are no service files at all.
        let off = try GeneratorOptions(parameter: "EmptyServiceFiles=true,Services=false")
        #expect(try generate(chatFile(services: false), off).map(\.name) == ["chat/post.wire.swift"])
    }

    @Test func serviceOptionsParseAndRejectBadValues() throws {
        let options = try GeneratorOptions(parameter: "Services=false,ImportRPC=false")
        #expect(!options.services)
        #expect(!options.importRPC)
        #expect(throws: GeneratorOptions.InvalidOption.self) { try GeneratorOptions(parameter: "Services=maybe") }
        #expect(throws: GeneratorOptions.InvalidOption.self) { try GeneratorOptions(parameter: "ImportRPC=1") }
    }

    @Test func reflectionFilesEmbedTheFileAndItsImportsWithoutComments() throws {
        var common = Google_Protobuf_FileDescriptorProto()
        common.name = "chat/common.proto"
        common.package = "my_co.chat"
        var shared = Google_Protobuf_DescriptorProto()
        shared.name = "Shared"
        var inner = Google_Protobuf_DescriptorProto()
        inner.name = "Inner"
        shared.nestedType = [inner]
        common.messageType = [shared]
        var file = chatFile()
        file.dependency = ["chat/common.proto"]
        var location = Google_Protobuf_SourceCodeInfo.Location()
        location.path = [4, 0]
        location.leadingComments = " A post.\n"
        file.sourceCodeInfo.location = [location]
        let files = try Generator(additionalEmitters: [ServiceEmitter()]).generate(files: [common, file], toGenerate: [file.name])
        let source = files[1].content
        #expect(source.contains("public static var reflectionFiles: [ReflectionFile] { reflectionFiles_chat_post_proto }"))
        #expect(source.contains("private let reflectionFiles_chat_post_proto: [ReflectionFile] = ["))
        // Imports first, each with the symbols it defines.
        let common_ = try #require(source.range(of: "name: \"chat/common.proto\","))
        let post = try #require(source.range(of: "name: \"chat/post.proto\","))
        #expect(common_.lowerBound < post.lowerBound)
        #expect(source.contains("symbols: [\"my_co.chat.Shared\", \"my_co.chat.Shared.Inner\"],"))
        #expect(source.contains("services: [\"my_co.chat.PostService\"],"))
        #expect(source.contains("\"my_co.chat.PostService.GetPost\""))
        #expect(source.contains("dependencies: [\"chat/common.proto\"],"))

        // The embedded base64 decodes to the descriptor minus its comments.
        let start = try #require(source.range(of: "descriptorBase64: \"\"\"\n", range: post.upperBound..<source.endIndex))
        let end = try #require(source.range(of: "\"\"\"", range: start.upperBound..<source.endIndex))
        let base64 = source[start.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
        let decoded = try Google_Protobuf_FileDescriptorProto(serializedBytes: Self.decodeBase64(String(base64)))
        var expected = file
        expected.clearSourceCodeInfo()
        #expect(decoded == expected)
    }

    @Test func methodNamesThatCannotBeMembersGetASuffix() throws {
        var file = chatFile()
        file.service[0].method = ["Init", "Channel", "Methods", "Self", "Type"].map { method($0, client: false, server: false) }
        let source = try generate(file)[1].content
        #expect(source.contains("static let init_p = MethodDescriptor(service: \"my_co.chat.PostService\", method: \"Init\")"))
        #expect(source.contains("func channel_p(_ request: MyCo_Chat_GetRequest, context: ServerContext)"))
        #expect(source.contains("func methods_p(_ request: MyCo_Chat_GetRequest, metadata: Metadata = [:]"))
        #expect(source.contains("try await self.self_p(request, context: context)"))
        // `type` is an ordinary identifier once lowercased.
        #expect(source.contains("static let type = MethodDescriptor("))
    }

    @Test func serviceNamesThatWouldShadowSwiftTypesGetASuffix() throws {
        var file = chatFile()
        file.package = ""
        file.service[0].name = "String"
        file.service[0].method = [method("Get", client: false, server: false)]
        let source = try generate(file)[1].content
        #expect(source.contains("public enum StringService {"))
        #expect(source.contains("extension StringService.ServiceProtocol {"))
        #expect(source.contains(".unary(StringService.Method.get)"))
        #expect(source.contains("public static let serviceName = \"String\""))
    }

    @Test func reflectionCanBeTurnedOff() throws {
        let source = try rpcSource(try GeneratorOptions(parameter: "Reflection=false"))
        #expect(!source.contains("reflectionFiles"))
        #expect(!source.contains("ReflectionFile"))
    }

    @Test func base64MatchesKnownVectors() {
        #expect(ReflectionEmitter.base64(Array("".utf8)) == "")
        #expect(ReflectionEmitter.base64(Array("f".utf8)) == "Zg==")
        #expect(ReflectionEmitter.base64(Array("fo".utf8)) == "Zm8=")
        #expect(ReflectionEmitter.base64(Array("foo".utf8)) == "Zm9v")
        #expect(ReflectionEmitter.base64(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(ReflectionEmitter.base64([0xFF, 0xFE, 0x00, 0x01]) == "//4AAQ==")
    }

    /// Test-side decoder (independent of the emitter's encoder).
    static func decodeBase64(_ text: String) throws -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var bits: UInt32 = 0, count = 0
        var out: [UInt8] = []
        for character in text where character != "=" {
            let value = try #require(alphabet.firstIndex(of: character))
            bits = bits << 6 | UInt32(value)
            count += 6
            if count >= 8 {
                count -= 8
                out.append(UInt8(truncatingIfNeeded: bits >> UInt32(count)))
            }
        }
        return out
    }
}
