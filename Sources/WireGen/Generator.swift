/// The code generator: descriptors in, Swift source out. protoc-gen-wire is a thin wrapper
/// around `generate(request:)`; tests call `generate(files:toGenerate:)` directly.
public struct Generator: Sendable {
    public var options: GeneratorOptions
    /// Emitters for additional per-file outputs (service stubs), run after the `.wire.swift` one.
    public var additionalEmitters: [any FileEmitter]

    public init(options: GeneratorOptions = GeneratorOptions(), additionalEmitters: [any FileEmitter] = []) {
        self.options = options
        self.additionalEmitters = additionalEmitters
    }

    public struct GenerationError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Generates code for the files named in `toGenerate`; `files` must also hold their imports.
    public func generate(files: [Google_Protobuf_FileDescriptorProto], toGenerate: [String]) throws -> [GeneratedFile] {
        let registry = TypeRegistry(files: files)
        var output: [GeneratedFile] = []
        for path in toGenerate {
            guard let file = files.first(where: { $0.name == path }) else {
                throw GenerationError(description: "\(path): not among the request's files")
            }
            output.append(try FileEmitter_Wire(file: file, registry: registry, options: options).emit())
            var model = fileModel(file, registry: registry)
            model.descriptor = file
            model.requestFiles = files
            for emitter in additionalEmitters {
                if let extra = try emitter.emit(model, options: options) { output.append(extra) }
            }
        }
        return output
    }

    /// Runs a whole plugin request; errors become the response's `error` (as protoc expects).
    public func generate(request: Google_Protobuf_Compiler_CodeGeneratorRequest) -> Google_Protobuf_Compiler_CodeGeneratorResponse {
        var response = Google_Protobuf_Compiler_CodeGeneratorResponse()
        // We handle proto3 `optional` (FEATURE_PROTO3_OPTIONAL = 1).
        response.supportedFeatures = 1
        do {
            var generator = self
            generator.options = try GeneratorOptions(parameter: request.parameter)
            for file in try generator.generate(files: request.protoFile, toGenerate: request.fileToGenerate) {
                var out = Google_Protobuf_Compiler_CodeGeneratorResponse.File()
                out.name = file.name
                out.content = file.content
                response.file.append(out)
            }
        } catch {
            response.error = "protoc-gen-wire: \(error)"
        }
        return response
    }

    func fileModel(_ file: Google_Protobuf_FileDescriptorProto, registry: TypeRegistry) -> FileModel {
        let prefix = file.options.hasSwiftPrefix ? file.options.swiftPrefix : Naming.packagePrefix(file.package)
        let protoPrefix = file.package.isEmpty ? "" : file.package + "."
        let comments = SourceComments(file)
        let services = file.service.enumerated().map { serviceIndex, service in
            ServiceModel(
                protoName: protoPrefix + service.name,
                swiftName: prefix + service.name,
                comments: comments.text([6, Int32(serviceIndex)]),
                methods: service.method.enumerated().map { methodIndex, method in
                    MethodModel(
                        name: method.name,
                        path: "/\(protoPrefix)\(service.name)/\(method.name)",
                        inputType: registry.message(method.inputType)?.swiftName ?? method.inputType,
                        outputType: registry.message(method.outputType)?.swiftName ?? method.outputType,
                        clientStreaming: method.clientStreaming,
                        serverStreaming: method.serverStreaming,
                        comments: comments.text([6, Int32(serviceIndex), 2, Int32(methodIndex)])
                    )
                }
            )
        }
        return FileModel(protoPath: file.name, package: file.package, services: services)
    }
}

/// Writes `Name.wire.swift`: every enum and message of one file.
struct FileEmitter_Wire {
    let file: Google_Protobuf_FileDescriptorProto
    let registry: TypeRegistry
    let options: GeneratorOptions

    func emit() throws -> GeneratedFile {
        let access = options.accessPrefix
        let protoPrefix = file.package.isEmpty ? "." : ".\(file.package)."
        let comments = options.comments ? SourceComments(file) : SourceComments()
        let messages = try file.messageType.enumerated().compactMap { index, message -> MessageModel? in
            guard let info = registry.message(protoPrefix + message.name) else { return nil }
            return try MessageModel(info, registry: registry, path: [4, Int32(index)], comments: comments)
        }
        let enums = file.enumType.enumerated().compactMap { index, enumType in
            registry.enumInfo(protoPrefix + enumType.name).map { (info: $0, path: [Int32(5), Int32(index)]) }
        }

        var out = SourceWriter()
        out.generatedFileHeader(protoPath: file.name)
        if options.importWire {
            out.line()
            out.line("import Wire")
        }
        for item in enums {
            out.line()
            EnumEmitter(info: item.info, access: access, path: item.path, comments: comments).emit(into: &out)
        }
        for message in messages {
            out.line()
            MessageEmitter(model: message, access: access, comments: comments).emitStruct(into: &out)
        }
        for message in messages {
            out.line()
            out.line("// MARK: - \(message.swiftName) wire coding")
            out.line()
            MessageEmitter(model: message, access: access, comments: comments).emitCoding(into: &out)
        }
        return GeneratedFile(name: options.outputPath(forProto: file.name, suffix: ".wire.swift"), content: out.text)
    }
}
