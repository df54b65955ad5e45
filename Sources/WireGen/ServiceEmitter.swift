/// Writes `Name.rpc.swift` for a file that declares services: per service a namespace enum
/// (`grpc.testing.TestService` -> `Grpc_Testing_TestService`, the message naming rule) holding
/// the method descriptors, the server protocol users implement, and a client stub. An
/// extension gives every implementation its `RPCService` method table, built with RPC's typed
/// `ServerMethod` factories, so `Server(configuration:services: [MyImpl()])` just works.
///
/// protoc-gen-wire registers this emitter; `Services=false` turns it off, `ImportRPC=false`
/// drops `import RPC` for code compiled into module RPC itself (its standard services).
public struct ServiceEmitter: FileEmitter {
    public init() {}

    public func emit(_ file: FileModel, options: GeneratorOptions) throws -> GeneratedFile? {
        guard options.services else { return nil }
        var out = SourceWriter()
        out.generatedFileHeader(protoPath: file.protoPath)
        if file.services.isEmpty {
            // Only build systems that must name every output in advance ask for this file.
            guard options.emptyServiceFiles else { return nil }
            out.line("// \(file.protoPath) declares no services.")
            return GeneratedFile(name: options.outputPath(forProto: file.protoPath, suffix: ".rpc.swift"), content: out.text)
        }
        out.line("//")
        out.line("// Each service `package.Name` becomes a namespace `Package_Name` (the message naming rule) with:")
        out.line("//   Method           one `MethodDescriptor` per RPC, e.g. `Method.getThing`")
        out.line("//   ServiceProtocol  implement its `async throws` methods and pass the value to")
        out.line("//                    `Server(configuration:services:)`; the method table comes from an extension")
        out.line("//   Client           calls the service through a `Channel`, one method per RPC")
        if options.reflection {
            out.line("//   reflectionFiles  this file's descriptors (and its imports') for `ReflectionService`")
        }
        out.line("// RPC names become lowerCamelCase Swift methods (`GetThing` -> `getThing`).")
        out.line()
        if options.importRPC { out.line("import RPC") }
        if options.importWire { out.line("import Wire") }
        let reflection = options.reflection ? ReflectionEmitter(file: file, access: options.accessPrefix) : nil
        for service in file.services {
            let emitter = ServiceCodeEmitter(service: service, access: options.accessPrefix, comments: options.comments,
                                             reflectionConstant: reflection?.constantName)
            out.line()
            emitter.emitNamespace(into: &out)
            out.line()
            emitter.emitMethodTable(into: &out)
        }
        if let reflection {
            out.line()
            try reflection.emit(into: &out)
        }
        return GeneratedFile(name: options.outputPath(forProto: file.protoPath, suffix: ".rpc.swift"), content: out.text)
    }
}

/// The Swift code for one service.
struct ServiceCodeEmitter {
    let service: ServiceModel
    /// `"public "` or `""`.
    let access: String
    let comments: Bool
    /// The file-level constant with the file's reflection descriptors, if emitted.
    let reflectionConstant: String?

    /// Names a method cannot take even with backticks (`x.init` means the initializer), or that
    /// would clash with members the generated code relies on (`RPCService.methods`,
    /// `Client.channel`): these get a `_p` suffix, like field names.
    static let reservedMethodNames: Set<String> = [
        "init", "deinit", "subscript", "self", "Self", "Type", "Protocol", "_", "methods", "channel",
    ]

    /// A method's Swift name for use after a `.` (`EmptyCall` -> `emptyCall`; keywords need no
    /// backticks there).
    static func memberName(_ method: MethodModel) -> String {
        let name = Naming.lowerCamel(method.name)
        return reservedMethodNames.contains(name) ? name + "_p" : name
    }

    /// A method's Swift name as declared (keywords in backticks).
    static func swiftName(_ method: MethodModel) -> String {
        Naming.declared(memberName(method))
    }

    static func kindName(_ method: MethodModel) -> String {
        switch (method.clientStreaming, method.serverStreaming) {
        case (false, false): "unary"
        case (true, false): "clientStreaming"
        case (false, true): "serverStreaming"
        case (true, true): "bidirectionalStreaming"
        }
    }

    private func docLines(_ text: String, into out: inout SourceWriter) {
        guard comments, !text.isEmpty else { return }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            out.line(line.isEmpty ? "///" : "/// \(line)")
        }
    }

    /// The namespace's name: the service's Swift name, with a `Service` suffix when (in a file
    /// without a package) it would shadow a Swift type or be a keyword, as message names do.
    var namespace: String {
        let name = service.swiftName
        return Naming.reservedTypeNames.contains(name) || Naming.swiftKeywords.contains(name) ? name + "Service" : name
    }

    private var descriptorPrefix: String { "\(namespace).Method" }

    func emitNamespace(into out: inout SourceWriter) {
        docLines(service.comments, into: &out)
        out.block("\(access)enum \(namespace)") { out in
            out.line("/// The fully-qualified service name, as it appears in the `:path` of its calls.")
            out.line("\(access)static let serviceName = \(Naming.stringLiteral(service.protoName))")
            out.line()
            out.line("/// One descriptor per RPC (the `:path` calls are routed by).")
            out.block("\(access)enum Method") { out in
                for method in service.methods {
                    out.line("/// `\(method.path)` (\(Self.kindName(method)))")
                    out.line("\(access)static let \(Self.swiftName(method)) = MethodDescriptor(service: \(Naming.stringLiteral(service.protoName)), method: \(Naming.stringLiteral(method.name)))")
                }
            }
            out.line()
            out.line("/// Every RPC of the service, in declaration order.")
            let all = service.methods.map { "Method.\(Self.memberName($0))" }.joined(separator: ", ")
            out.line("\(access)static let methodDescriptors: [MethodDescriptor] = [\(all)]")
            out.line()
            if let reflectionConstant {
                out.line("/// Descriptors of the .proto file declaring this service and of its imports, for")
                out.line("/// `ReflectionService(files:)`.")
                out.line("\(access)static var reflectionFiles: [ReflectionFile] { \(reflectionConstant) }")
                out.line()
            }
            emitServiceProtocol(into: &out)
            out.line()
            emitClient(into: &out)
        }
    }

    /// The protocol a server implements: one `async throws` requirement per RPC.
    private func emitServiceProtocol(into out: inout SourceWriter) {
        out.line("/// Implement every method (throw `RPCError(code: .unimplemented, ...)` for those you do not")
        out.line("/// support) and host the value with `Server(configuration:services:)`. Throwing `RPCError`")
        out.line("/// ends a call with that status; deadlines and client cancellation cancel the method's task.")
        out.block("\(access)protocol ServiceProtocol: RPCService") { out in
            for (index, method) in service.methods.enumerated() {
                if index > 0 { out.line() }
                docLines(method.comments, into: &out)
                out.line("func \(Self.swiftName(method))(\(serverParameters(method))) async throws\(serverResult(method))")
            }
        }
    }

    private func serverParameters(_ method: MethodModel) -> String {
        let requests = method.clientStreaming
            ? "_ requests: RequestStream<\(method.inputType)>"
            : "_ request: \(method.inputType)"
        let responses = method.serverStreaming ? ", responses: ResponseWriter<\(method.outputType)>" : ""
        return requests + responses + ", context: ServerContext"
    }

    private func serverResult(_ method: MethodModel) -> String {
        method.serverStreaming ? "" : " -> \(method.outputType)"
    }

    /// `extension ...ServiceProtocol { var methods }`: the table `Server` routes calls by.
    func emitMethodTable(into out: inout SourceWriter) {
        out.block("extension \(namespace).ServiceProtocol") { out in
            out.line("/// The method table `Server` routes calls by, one entry per RPC of `\(service.protoName)`.")
            out.block("\(access)var methods: [ServerMethod]") { out in
                out.line("[")
                out.indent()
                for method in service.methods {
                    emitTableEntry(method, into: &out)
                }
                out.outdent()
                out.line("]")
            }
        }
    }

    /// `header` (which opens a closure), the body one level deeper, then `},`.
    private func closureEntry(_ header: String, _ body: String, into out: inout SourceWriter) {
        out.line(header)
        out.indent()
        out.line(body)
        out.outdent()
        out.line("},")
    }

    private func emitTableEntry(_ method: MethodModel, into out: inout SourceWriter) {
        let descriptor = "\(descriptorPrefix).\(Self.memberName(method))"
        let call = "self.\(Self.memberName(method))"
        let (input, output) = (method.inputType, method.outputType)
        switch (method.clientStreaming, method.serverStreaming) {
        case (false, false):
            closureEntry(".unary(\(descriptor)) { (request: \(input), context: ServerContext) -> \(output) in",
                         "try await \(call)(request, context: context)", into: &out)
        case (true, false):
            closureEntry(".clientStreaming(\(descriptor)) { (requests: RequestStream<\(input)>, context: ServerContext) -> \(output) in",
                         "try await \(call)(requests, context: context)", into: &out)
        case (false, true):
            closureEntry(".serverStreaming(\(descriptor)) { (request: \(input), responses: ResponseWriter<\(output)>, context: ServerContext) in",
                         "try await \(call)(request, responses: responses, context: context)", into: &out)
        case (true, true):
            closureEntry(".bidirectionalStreaming(\(descriptor)) { (requests: RequestStream<\(input)>, responses: ResponseWriter<\(output)>, context: ServerContext) in",
                         "try await \(call)(requests, responses: responses, context: context)", into: &out)
        }
    }

    /// The client stub: a `Channel` and one method per RPC, shaped like `Channel`'s calls.
    private func emitClient(into out: inout SourceWriter) {
        out.line("/// Calls `\(service.protoName)` over a `Channel`. Every method takes the call's custom")
        out.line("/// `metadata` and `options` (timeout, compression, ...) and throws `RPCError` on failure.")
        out.block("\(access)struct Client: Sendable") { out in
            out.line("\(access)let channel: Channel")
            out.line()
            out.block("\(access)init(channel: Channel)") { out in
                out.line("self.channel = channel")
            }
            for method in service.methods {
                out.line()
                emitClientMethod(method, into: &out)
            }
        }
    }

    private func emitClientMethod(_ method: MethodModel, into out: inout SourceWriter) {
        let name = Self.swiftName(method)
        let descriptor = "Method.\(Self.memberName(method))"
        let (input, output) = (method.inputType, method.outputType)
        let common = "metadata: Metadata = [:], options: CallOptions = CallOptions()"
        let pass = "metadata: metadata, options: options"
        // Runs on the caller's actor, so a response closure written in `@MainActor` code (or any
        // non-`@Sendable` closure) is called where it was made instead of being sent elsewhere.
        let function = "nonisolated(nonsending) func"
        docLines(method.comments, into: &out)
        if comments, !method.comments.isEmpty { out.line("///") }
        switch (method.clientStreaming, method.serverStreaming) {
        case (false, false):
            out.line("/// Unary: sends `request`, returns the response with its headers and trailers.")
            out.block("\(access)\(function) \(name)(_ request: \(input), \(common)) async throws -> ClientResponse<\(output)>") { out in
                out.line("try await channel.unary(\(descriptor), request: request, responseType: \(output).self, \(pass))")
            }
        case (true, false):
            out.line("/// Client streaming: `requests` writes the request messages (the request side closes when it")
            out.line("/// returns), then the single response arrives with its headers and trailers.")
            out.block("\(access)\(function) \(name)(\(common), requests: @Sendable (RequestWriter<\(input)>) async throws -> Void) async throws -> ClientResponse<\(output)>") { out in
                out.line("try await channel.clientStreaming(\(descriptor), requestType: \(input).self, responseType: \(output).self, \(pass), requests: requests)")
            }
        case (false, true):
            out.line("/// Server streaming: sends `request`, then `onResponse` consumes the responses; returning")
            out.line("/// from it before they end cancels the call.")
            out.block("\(access)\(function) \(name)<CallResult: Sendable>(_ request: \(input), \(common), onResponse: (ResponseStream<\(output)>) async throws -> CallResult) async throws -> CallResult") { out in
                out.line("try await channel.serverStreaming(\(descriptor), request: request, responseType: \(output).self, \(pass), onResponse: onResponse)")
            }
        case (true, true):
            out.line("/// Bidirectional streaming: `requests` writes (concurrently) while `onResponse` reads. The")
            out.line("/// request side closes when `requests` returns; returning from `onResponse` early cancels the call.")
            out.block("\(access)\(function) \(name)<CallResult: Sendable>(\(common), requests: @escaping @Sendable (RequestWriter<\(input)>) async throws -> Void, onResponse: (ResponseStream<\(output)>) async throws -> CallResult) async throws -> CallResult") { out in
                out.line("try await channel.bidirectionalStreaming(\(descriptor), requestType: \(input).self, responseType: \(output).self, \(pass), requests: requests, onResponse: onResponse)")
            }
        }
    }
}
