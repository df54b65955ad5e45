/// Server reflection, ready to host: tools such as grpcurl list the server's services and fetch
/// their descriptors to call them without .proto files. Serves both protocol versions,
/// `grpc.reflection.v1.ServerReflection` and `grpc.reflection.v1alpha.ServerReflection`.
///
///     let reflection = ReflectionService(files: MyPkg_MyService.reflectionFiles + HealthService.reflectionFiles)
///     let server = Server(configuration: config, services: [MyServiceImpl(), reflection])
///
/// Answers `list_services` (the services declared in the given files, plus reflection itself),
/// `file_by_filename` and `file_containing_symbol` (each file with its transitive imports,
/// imports first); extension queries answer NOT_FOUND (protoc-gen-wire does not generate
/// proto2 extensions). Errors are answered in the stream, as the protocol says.
public final class ReflectionService: RPCService {
    let catalog: ReflectionCatalog

    /// - Parameter files: the generated `reflectionFiles` of every service to expose; files
    ///   that appear more than once are served once.
    public init(files: [ReflectionFile]) {
        catalog = ReflectionCatalog(files: files + Grpc_Reflection_V1_ServerReflection.reflectionFiles
            + Grpc_Reflection_V1alpha_ServerReflection.reflectionFiles)
    }

    /// Fully-qualified names of the services `list_services` reports.
    public var services: [String] { catalog.services }

    public var methods: [ServerMethod] {
        let v1 = ReflectionV1(catalog: catalog)
        // v1alpha is the same protocol under an older package name, with the same messages field
        // for field, so the v1 types decode its requests and encode its answers unchanged.
        let v1alpha = ServerMethod.bidirectionalStreaming(Grpc_Reflection_V1alpha_ServerReflection.Method.serverReflectionInfo) {
            (requests: RequestStream<ReflectionV1.Request>, responses: ResponseWriter<ReflectionV1.Response>, context: ServerContext) in
            try await v1.serverReflectionInfo(requests, responses: responses, context: context)
        }
        return v1.methods + [v1alpha]
    }
}

extension HealthService {
    /// Descriptors of `grpc.health.v1.Health` for `ReflectionService(files:)`.
    public static var reflectionFiles: [ReflectionFile] { Grpc_Health_V1_Health.reflectionFiles }
}

/// `grpc.reflection.v1` (also serves v1alpha, see `ReflectionService.methods`): messages to and
/// from `ReflectionQuery` / `ReflectionAnswer`.
struct ReflectionV1: Grpc_Reflection_V1_ServerReflection.ServiceProtocol {
    typealias Request = Grpc_Reflection_V1_ServerReflectionRequest
    typealias Response = Grpc_Reflection_V1_ServerReflectionResponse
    let catalog: ReflectionCatalog

    func serverReflectionInfo(_ requests: RequestStream<Request>, responses: ResponseWriter<Response>,
                              context: ServerContext) async throws {
        for try await request in requests { try await responses.write(answer(request)) }
    }

    func answer(_ request: Request) -> Response {
        let query: ReflectionQuery = switch request.messageRequest {
        case .listServices: .listServices
        case .fileByFilename(let name): .fileByFilename(name)
        case .fileContainingSymbol(let symbol): .fileContainingSymbol(symbol)
        case .fileContainingExtension(let query): .fileContainingExtension(type: query.containingType, number: query.extensionNumber)
        case .allExtensionNumbersOfType(let type): .allExtensionNumbersOfType(type)
        case nil: .none
        }
        var response = Response()
        response.validHost = request.host
        response.originalRequest = request
        switch catalog.answer(query) {
        case .services(let names):
            var list = Grpc_Reflection_V1_ListServiceResponse()
            list.service = names.map { name in
                var service = Grpc_Reflection_V1_ServiceResponse()
                service.name = name
                return service
            }
            response.messageResponse = .listServicesResponse(list)
        case .files(let files):
            var descriptors = Grpc_Reflection_V1_FileDescriptorResponse()
            descriptors.fileDescriptorProto = files
            response.messageResponse = .fileDescriptorResponse(descriptors)
        case .extensionNumbers(let type, let numbers):
            var extensions = Grpc_Reflection_V1_ExtensionNumberResponse()
            extensions.baseTypeName = type
            extensions.extensionNumber = numbers
            response.messageResponse = .allExtensionNumbersResponse(extensions)
        case .error(let code, let message):
            var error = Grpc_Reflection_V1_ErrorResponse()
            error.errorCode = Int32(code.rawValue)
            error.errorMessage = message
            response.messageResponse = .errorResponse(error)
        }
        return response
    }
}
