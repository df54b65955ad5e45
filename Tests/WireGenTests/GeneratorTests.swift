import Testing
import Wire
@testable import WireGen

/// The generator as a library: descriptors built in code, no protoc involved.
@Suite struct GeneratorTests {
    func field(_ name: String, _ number: Int32, _ type: Google_Protobuf_FieldDescriptorProto.TypeEnum,
               label: Google_Protobuf_FieldDescriptorProto.Label = .optional, typeName: String? = nil) -> Google_Protobuf_FieldDescriptorProto {
        var field = Google_Protobuf_FieldDescriptorProto()
        field.name = name
        field.number = number
        field.type = type
        field.label = label
        if let typeName { field.typeName = typeName }
        return field
    }

    func chatFile() -> Google_Protobuf_FileDescriptorProto {
        var file = Google_Protobuf_FileDescriptorProto()
        file.name = "chat/post.proto"
        file.package = "my_co.chat"
        file.syntax = "proto3"
        var post = Google_Protobuf_DescriptorProto()
        post.name = "PostList"
        post.field = [field("post_id", 1, .int64), field("titles", 2, .string, label: .repeated)]
        var request = Google_Protobuf_DescriptorProto()
        request.name = "GetRequest"
        file.messageType = [post, request]
        var service = Google_Protobuf_ServiceDescriptorProto()
        service.name = "PostService"
        var method = Google_Protobuf_MethodDescriptorProto()
        method.name = "List"
        method.inputType = ".my_co.chat.GetRequest"
        method.outputType = ".my_co.chat.PostList"
        method.serverStreaming = true
        service.method = [method]
        file.service = [service]
        return file
    }

    @Test func generatesSwiftProtobufStyleNamesAndOutputPath() throws {
        let files = try Generator().generate(files: [chatFile()], toGenerate: ["chat/post.proto"])
        #expect(files.map(\.name) == ["chat/post.wire.swift"])
        let source = files[0].content
        #expect(source.contains("public struct MyCo_Chat_PostList: Wire.Message {"))
        #expect(source.contains("public var postID: Int64 = 0"))
        #expect(source.contains("public var titles: [String] = []"))
        #expect(source.contains("case 8: // 1: post_id"))
        #expect(source.contains("import Wire"))
    }

    /// A proto3 file with one message of `count` int32 fields named f1, f2, ...
    func flatFile(fields count: Int32) -> Google_Protobuf_FileDescriptorProto {
        var file = Google_Protobuf_FileDescriptorProto()
        file.name = "flat.proto"
        file.syntax = "proto3"
        var message = Google_Protobuf_DescriptorProto()
        message.name = "Flat"
        message.field = (1...count).map { field("f\($0)", $0, .int32) }
        file.messageType = [message]
        return file
    }

    @Test func presenceBitsOnlyForWideStorageMessages() throws {
        func source(_ count: Int32) throws -> String {
            try Generator().generate(files: [flatFile(fields: count)], toGenerate: ["flat.proto"])[0].content
        }
        // 24 fields: stored inline, no storage class, no bits.
        #expect(try !source(24).contains("presence0"))
        // 65 fields: a storage class with two words; field 65 is bit 0 of the second.
        let wide = try source(65)
        #expect(wide.contains("@exclusivity(unchecked) var presence1: UInt64 = 0"))
        #expect(!wide.contains("presence2"))
        #expect(wide.contains("storage._f65 = newValue\n            storage.presence1 |= 1 << 0"))
        #expect(wide.contains("for field in Wire.SetBits(storage.presence1) {"))
        #expect(wide.contains("case 8: // 1: f1\n                storage.presence0 |= 1 << 0"))
    }

    @Test func internalVisibilityEmitsNoPublicDeclarations() throws {
        var options = GeneratorOptions()
        options.visibility = .internal
        options.importWire = false
        let source = try Generator(options: options).generate(files: [chatFile()], toGenerate: ["chat/post.proto"])[0].content
        #expect(!source.contains("public "))
        #expect(!source.contains("import Wire"))
        #expect(source.contains("struct MyCo_Chat_PostList: Wire.Message {"))
    }

    struct RecordingEmitter: FileEmitter {
        func emit(_ file: FileModel, options: GeneratorOptions) throws -> GeneratedFile? {
            guard !file.services.isEmpty else { return nil }
            let lines = file.services.flatMap { service in
                service.methods.map { "\(service.swiftName) \($0.path) \($0.inputType)->\($0.outputType) \($0.clientStreaming) \($0.serverStreaming)" }
            }
            return GeneratedFile(name: options.outputPath(forProto: file.protoPath, suffix: ".rpc.swift"), content: lines.joined(separator: "\n"))
        }
    }

    @Test func servicesReachAdditionalEmitters() throws {
        let files = try Generator(additionalEmitters: [RecordingEmitter()]).generate(files: [chatFile()], toGenerate: ["chat/post.proto"])
        #expect(files.map(\.name) == ["chat/post.wire.swift", "chat/post.rpc.swift"])
        #expect(files[1].content == "MyCo_Chat_PostService /my_co.chat.PostService/List MyCo_Chat_GetRequest->MyCo_Chat_PostList false true")
    }

    @Test func pluginRequestRoundTripsThroughTheGeneratedDescriptorTypes() throws {
        var request = Google_Protobuf_Compiler_CodeGeneratorRequest()
        request.fileToGenerate = ["chat/post.proto"]
        request.parameter = "FileNaming=DropPath"
        request.protoFile = [chatFile()]
        // What protoc sends, decoded by the self-generated types.
        let decoded = try Google_Protobuf_Compiler_CodeGeneratorRequest(serializedBytes: try request.serializedBytes())
        #expect(decoded == request)
        let response = Generator().generate(request: decoded)
        #expect(!response.hasError)
        #expect(response.supportedFeatures == 1)
        #expect(response.file.map(\.name) == ["post.wire.swift"])
    }

    @Test func protoCommentsBecomeDocCommentsUnlessDisabled() throws {
        var file = chatFile()
        var messageComment = Google_Protobuf_SourceCodeInfo.Location()
        messageComment.path = [4, 0]
        messageComment.leadingComments = " A page of posts.\n\n Newest first.\n"
        var fieldComment = Google_Protobuf_SourceCodeInfo.Location()
        fieldComment.path = [4, 0, 2, 1]
        fieldComment.leadingComments = " One title per post.\n"
        file.sourceCodeInfo.location = [messageComment, fieldComment]
        let source = try Generator().generate(files: [file], toGenerate: ["chat/post.proto"])[0].content
        #expect(source.contains("/// A page of posts.\n///\n/// Newest first.\npublic struct MyCo_Chat_PostList"))
        #expect(source.contains("    /// One title per post.\n    public var titles: [String] = []"))
        var options = GeneratorOptions()
        options.comments = false
        let bare = try Generator(options: options).generate(files: [file], toGenerate: ["chat/post.proto"])[0].content
        #expect(!bare.contains("///"))
    }

    @Test func badOptionsBecomeAResponseError() {
        var request = Google_Protobuf_Compiler_CodeGeneratorRequest()
        request.parameter = "Visibility=Secret"
        let response = Generator().generate(request: request)
        #expect(response.hasError)
        #expect(response.error.contains("Visibility"))
    }

    @Test func unknownTypeReferenceIsAnError() {
        var file = chatFile()
        file.messageType[0].field.append(field("author", 3, .message, typeName: ".my_co.chat.Missing"))
        #expect(throws: MessageModel.UnsupportedField.self) {
            try Generator().generate(files: [file], toGenerate: ["chat/post.proto"])
        }
    }
}
