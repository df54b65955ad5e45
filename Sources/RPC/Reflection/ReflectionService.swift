/// Server reflection (`grpc.reflection.v1alpha.ServerReflection`), ready to host: tools such as
/// grpcurl list the server's services and fetch their descriptors to call them without .proto files.
///
///     let reflection = ReflectionService(files: MyPkg_MyService.reflectionFiles + HealthService.reflectionFiles)
///     let server = Server(configuration: config, services: [MyServiceImpl(), reflection])
///
/// Answers `list_services`, `file_by_filename` and `file_containing_symbol` (each file with its
/// transitive imports, imports first); extension queries answer NOT_FOUND (protoc-gen-wire
/// does not generate proto2 extensions). The reflection service lists itself.
public final class ReflectionService: Grpc_Reflection_V1alpha_ServerReflection.ServiceProtocol {
    private let filesByName: [String: ReflectionFile]
    private let fileBySymbol: [String: String]
    private let serviceNames: [String]

    /// - Parameter files: the generated `reflectionFiles` of every service to expose; files
    ///   that appear more than once are served once.
    public init(files: [ReflectionFile]) {
        var filesByName: [String: ReflectionFile] = [:]
        for file in files + Grpc_Reflection_V1alpha_ServerReflection.reflectionFiles where filesByName[file.name] == nil {
            filesByName[file.name] = file
        }
        var fileBySymbol: [String: String] = [:]
        var services: Set<String> = []
        for file in filesByName.values {
            for symbol in file.symbols { fileBySymbol[symbol] = file.name }
            services.formUnion(file.services)
        }
        self.filesByName = filesByName
        self.fileBySymbol = fileBySymbol
        self.serviceNames = services.sorted()
    }

    /// Fully-qualified names of the services this reflection service describes.
    public var services: [String] { serviceNames }

    public func serverReflectionInfo(
        _ requests: RequestStream<Grpc_Reflection_V1alpha_ServerReflectionRequest>,
        responses: ResponseWriter<Grpc_Reflection_V1alpha_ServerReflectionResponse>, context: ServerContext
    ) async throws {
        for try await request in requests {
            try await responses.write(answer(request))
        }
    }

    /// The response to one request (errors are answered in-band, as the protocol says).
    func answer(_ request: Grpc_Reflection_V1alpha_ServerReflectionRequest) -> Grpc_Reflection_V1alpha_ServerReflectionResponse {
        var response = Grpc_Reflection_V1alpha_ServerReflectionResponse()
        response.validHost = request.host
        response.originalRequest = request
        switch request.messageRequest {
        case .listServices:
            var list = Grpc_Reflection_V1alpha_ListServiceResponse()
            list.service = serviceNames.map { name in
                var service = Grpc_Reflection_V1alpha_ServiceResponse()
                service.name = name
                return service
            }
            response.messageResponse = .listServicesResponse(list)
        case .fileByFilename(let name):
            response.messageResponse = fileResponse(name, notFound: "file '\(name)' not found")
        case .fileContainingSymbol(let symbol):
            let name = fileBySymbol[symbol.hasPrefix(".") ? String(symbol.dropFirst()) : symbol]
            response.messageResponse = fileResponse(name, notFound: "symbol '\(symbol)' not found")
        case .fileContainingExtension(let query):
            response.messageResponse = error(.notFound, "extension \(query.extensionNumber) of '\(query.containingType)' not found")
        case .allExtensionNumbersOfType(let type):
            if fileBySymbol[type] != nil {
                var numbers = Grpc_Reflection_V1alpha_ExtensionNumberResponse()
                numbers.baseTypeName = type
                response.messageResponse = .allExtensionNumbersResponse(numbers)
            } else {
                response.messageResponse = error(.notFound, "type '\(type)' not found")
            }
        case nil:
            response.messageResponse = error(.invalidArgument, "the request names no query")
        }
        return response
    }

    /// The file called `name` and its transitive imports, imports first.
    private func fileResponse(_ name: String?, notFound: String) -> Grpc_Reflection_V1alpha_ServerReflectionResponse.OneOf_MessageResponse {
        guard let name, filesByName[name] != nil else { return error(.notFound, notFound) }
        var ordered: [ReflectionFile] = []
        var visited: Set<String> = []
        // Post-order over imports; each file is visited once, so this is bounded by the file count.
        var stack: [(name: String, expanded: Bool)] = [(name, false)]
        while let (current, expanded) = stack.popLast() {
            guard let file = filesByName[current] else { continue }
            if expanded {
                if visited.insert(current).inserted { ordered.append(file) }
                continue
            }
            guard !visited.contains(current) else { continue }
            stack.append((current, true))
            for dependency in file.dependencies.reversed() where !visited.contains(dependency) {
                stack.append((dependency, false))
            }
        }
        var descriptors = Grpc_Reflection_V1alpha_FileDescriptorResponse()
        do {
            descriptors.fileDescriptorProto = try ordered.map { try $0.serializedDescriptor() }
        } catch {
            return self.error(.internalError, "the embedded descriptor of '\(name)' is corrupt: \(error)")
        }
        return .fileDescriptorResponse(descriptors)
    }

    private func error(_ code: StatusCode, _ message: String) -> Grpc_Reflection_V1alpha_ServerReflectionResponse.OneOf_MessageResponse {
        var error = Grpc_Reflection_V1alpha_ErrorResponse()
        error.errorCode = Int32(code.rawValue)
        error.errorMessage = message
        return .errorResponse(error)
    }
}

extension HealthService {
    /// Descriptors of `grpc.health.v1.Health` for `ReflectionService(files:)`.
    public static var reflectionFiles: [ReflectionFile] { Grpc_Health_V1_Health.reflectionFiles }
}
