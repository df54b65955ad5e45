import HTTPTypes
import Hummingbird
import Logging
import PluginHost
import RPC

/// The demo host's HTTP front: serves `/plugins/{id}/...` on a loopback port through
/// Hummingbird and forwards each request to that plugin's ServeHTTP, streaming both bodies
/// (`Environment.serveHTTP(pluginID:head:body:)`): the request body is read from the client
/// only as the plugin consumes it, and the response goes out chunk by chunk as the plugin
/// sends it. A client that goes away cancels the plugin's call.
enum PluginHTTPServer {
    /// Starts serving on 127.0.0.1:`port` (0: an ephemeral port) and returns the bound port
    /// and the task that runs the server (cancel it to stop).
    static func start(port: Int, environment: PluginHost.Environment, logger: Logger) async throws -> (port: Int, server: Task<Void, any Error>) {
        let bound = AsyncStream<Int>.makeStream()
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            await forward(request, to: environment, logger: logger)
        }
        var serverLogger = logger
        serverLogger.logLevel = .warning
        let application = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: "plugin-host"),
            onServerRunning: { channel in
                bound.continuation.yield(channel.localAddress?.port ?? -1)
                bound.continuation.finish()
            },
            logger: serverLogger)
        let server = Task { try await application.run() }
        var ports = bound.stream.makeAsyncIterator()
        guard let boundPort = await ports.next(), boundPort > 0 else {
            server.cancel()
            _ = try await server.value
            throw ServerDidNotStart()
        }
        return (boundPort, server)
    }

    struct ServerDidNotStart: Error, CustomStringConvertible {
        var description: String { "the HTTP server did not start" }
    }

    /// Headers that describe one HTTP/1.1 connection rather than the message; never forwarded.
    private static let hopByHop: Set<String> = ["connection", "keep-alive", "transfer-encoding", "upgrade", "te", "trailer"]

    static func forward(_ request: Request, to environment: PluginHost.Environment, logger: Logger) async -> Response {
        guard let (pluginID, relativeURL) = route(path: request.uri.path, query: request.uri.query) else {
            return text(.notFound, "no such route: plugins are served under /plugins/{id}/\n")
        }
        var headers: [(String, String)] = []
        for field in request.headers where !hopByHop.contains(field.name.canonicalName) {
            headers.append((field.name.rawName, field.value))
        }
        let head = PluginHTTPRequestHead(method: request.method.rawValue, url: relativeURL, headers: headers)
        let body = request.body.map { buffer in Array(buffer: buffer) }
        let response: PluginHTTPStreamingResponse
        do {
            response = try await environment.serveHTTP(pluginID: pluginID, head: head, body: body)
        } catch let error as RPCError {
            switch error.code {
            case .notFound, .unimplemented: return text(.notFound, "\(error.message)\n")
            case .deadlineExceeded: return text(.gatewayTimeout, "the plugin did not answer in time\n")
            default: return text(.badGateway, "the plugin failed: \(error.message)\n")
            }
        } catch {
            return text(.badGateway, "the plugin failed: \(error)\n")
        }

        var fields = HTTPFields()
        var contentLength: Int?
        for header in response.head.headers {
            guard let name = HTTPField.Name(header.name), !hopByHop.contains(name.canonicalName) else { continue }
            if name == .contentLength {
                contentLength = Int(header.value)
                continue
            }
            fields.append(HTTPField(name: name, value: header.value))
        }
        let status = HTTPResponse.Status(code: (100...599).contains(response.statusCode) ? response.statusCode : 502)
        let pluginBody = response.body
        return Response(status: status, headers: fields, body: ResponseBody(contentLength: contentLength) { writer in
            do {
                for try await chunk in pluginBody {
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
            } catch {
                // The client went away (the plugin's call is cancelled) or the plugin failed
                // mid-body (the connection is aborted, so the client sees a cut response).
                pluginBody.cancel()
                logger.info("HTTP response for \(pluginID) ended early: \(error)")
                throw error
            }
            try await writer.finish(nil)
        })
    }

    /// `/plugins/{id}/rest?query` -> (id, "/rest?query").
    static func route(path: String, query: String?) -> (pluginID: String, url: String)? {
        let prefix = "/plugins/"
        guard path.hasPrefix(prefix) else { return nil }
        let rest = path.dropFirst(prefix.count)
        let pluginID = String(rest.prefix { $0 != "/" })
        guard !pluginID.isEmpty else { return nil }
        var relative = String(rest.dropFirst(pluginID.count))
        if relative.isEmpty { relative = "/" }
        if let query { relative += "?" + query }
        return (pluginID, relative)
    }

    private static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: message)))
    }
}
