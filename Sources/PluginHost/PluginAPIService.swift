import Logging
import RPC
import Synchronization
import Wire

/// The `mattermost.pluginapi.v1.PluginAPI` gRPC service, delegating every call to the
/// host's `PluginAPI`. It implements the generated `ServiceProtocol` (whose extension builds
/// the method table); the methods are spread over `PluginAPIService+*.swift` by category.
/// Application errors become the response's `error` field; a method the host does not serve
/// (not in `supportedMethods`, or still the default implementation) ends with gRPC
/// UNIMPLEMENTED; transport failures stay gRPC statuses.
public struct PluginAPIService: Mattermost_Pluginapi_V1_PluginAPI.ServiceProtocol {
    public static let serviceName = Mattermost_Pluginapi_V1_PluginAPI.serviceName

    /// The default registrar: serves `api` as the PluginAPI service.
    public static let registrar: APIServerRegistrar = { server, api in server.register(PluginAPIService(api: api)) }

    let api: any PluginAPI
    /// What the host declared, plus `GetSupportedMethods`. `PublishPluginEvent` is PluginHost's
    /// own (it needs the launch's event route), so the host's declaration has no say in it.
    private let declared: Set<PluginAPIMethod>
    /// Declared methods that turned out to have the default implementation.
    private let foundUnimplemented: FoundUnimplemented

    public init(api: any PluginAPI) {
        self.api = api
        self.declared = api.supportedMethods.subtracting([.publishPluginEvent]).union([.getSupportedMethods])
        self.foundUnimplemented = FoundUnimplemented()
    }

    /// The methods this service answers: declared and not found to be defaults, plus
    /// `PublishPluginEvent` while serving a supervised plugin's call (the supervisor's
    /// interceptor sets the call's `PluginEventRoute`).
    public var supportedMethods: Set<PluginAPIMethod> {
        var methods = declared.subtracting(foundUnimplemented.methods.withLock { $0 })
        if PluginEventRoute.current != nil { methods.insert(.publishPluginEvent) }
        return methods
    }

    public func getSupportedMethods(
        _ request: Mattermost_Pluginapi_V1_GetSupportedMethodsRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_GetSupportedMethodsResponse {
        var response = Mattermost_Pluginapi_V1_GetSupportedMethodsResponse()
        response.methods = supportedMethods.sorted().map(\.rawValue)
        return response
    }

    /// Serves one call of `method`: refuses a method the host does not serve, runs `fill` on
    /// a fresh response, and puts a thrown `PluginAppError` into the response's `error` field.
    func serve<Response: AppErrorCarrying>(
        _ method: PluginAPIMethod, _ fill: (inout Response) async throws(PluginAppError) -> Void
    ) async throws -> Response {
        try admit(method)
        var response = Response()
        do throws(PluginAppError) {
            try await fill(&response)
            return response
        } catch {
            try rethrowIfUnimplemented(error, method)
            var failed = Response()
            failed.error = error.proto
            return failed
        }
    }

    /// Throws UNIMPLEMENTED for a method the host does not serve.
    func admit(_ method: PluginAPIMethod) throws(RPCError) {
        let servedByPluginHost = method == .publishPluginEvent && PluginEventRoute.current != nil
        guard declared.contains(method) || servedByPluginHost else {
            throw RPCError(code: .unimplemented, message: "the host does not serve \(method.rawValue)")
        }
    }

    /// A default implementation's error becomes UNIMPLEMENTED (and the method leaves the
    /// supported set); any other error is returned to be carried in the response.
    func rethrowIfUnimplemented(_ error: PluginAppError, _ method: PluginAPIMethod) throws(RPCError) {
        guard error.isUnimplemented else { return }
        foundUnimplemented.methods.withLock { _ = $0.insert(method) }
        throw RPCError(code: .unimplemented, message: error.message)
    }

    /// Runs a method whose response has no `error` field: an application error becomes
    /// gRPC INTERNAL with its message.
    func serveWithoutAppError<Response>(
        _ method: PluginAPIMethod, _ body: () async throws(PluginAppError) -> Response
    ) async throws -> Response {
        try admit(method)
        do throws(PluginAppError) {
            return try await body()
        } catch {
            try rethrowIfUnimplemented(error, method)
            throw RPCError(code: .internalError, message: error.description)
        }
    }

    public func log(
        _ request: Mattermost_Pluginapi_V1_LogRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_LogResponse {
        try await serveWithoutAppError(.log) { () async throws(PluginAppError) in
            try await api.log(
                level: request.level.loggerLevel, message: request.message,
                keyValues: request.keyValues.map { (key: $0.key, value: $0.value) })
            return Mattermost_Pluginapi_V1_LogResponse()
        }
    }

    public func getServerVersion(
        _ request: Mattermost_Pluginapi_V1_GetServerVersionRequest, context: ServerContext
    ) async throws -> Mattermost_Pluginapi_V1_GetServerVersionResponse {
        try await serveWithoutAppError(.getServerVersion) { () async throws(PluginAppError) in
            var response = Mattermost_Pluginapi_V1_GetServerVersionResponse()
            response.version = try await api.serverVersion()
            return response
        }
    }
}

/// Shared between copies of one service value (it is a struct).
final class FoundUnimplemented: Sendable {
    let methods = Mutex<Set<PluginAPIMethod>>([])
}

/// Paging arguments from a request's `Page` (absent: the first page of 60, as the server's default).
extension Mattermost_Pluginapi_V1_Page {
    var pageIndex: Int { Int(page) }
    var pageSize: Int { perPage == 0 ? 60 : Int(perPage) }
}

extension Mattermost_Pluginapi_V1_LogLevel {
    var loggerLevel: Logger.Level {
        switch self {
        case .debug: .debug
        case .info, .unspecified, .UNRECOGNIZED: .info
        case .warn: .warning
        case .error: .error
        }
    }
}
