/// What server reflection knows: the files it can serve, indexed by name and by symbol. Both
/// protocol versions (`grpc.reflection.v1` and `v1alpha`, identical but for the package) answer
/// from it, through `ReflectionQuery` and `ReflectionAnswer`.
struct ReflectionCatalog: Sendable {
    private let filesByName: [String: ReflectionFile]
    private let fileBySymbol: [String: String]
    /// Fully-qualified service names, sorted.
    let services: [String]

    /// Files that appear more than once are kept once (the first).
    init(files: [ReflectionFile]) {
        var filesByName: [String: ReflectionFile] = [:]
        for file in files where filesByName[file.name] == nil { filesByName[file.name] = file }
        var fileBySymbol: [String: String] = [:]
        var services: Set<String> = []
        for file in filesByName.values {
            for symbol in file.symbols { fileBySymbol[symbol] = file.name }
            services.formUnion(file.services)
        }
        self.filesByName = filesByName
        self.fileBySymbol = fileBySymbol
        self.services = services.sorted()
    }

    func answer(_ query: ReflectionQuery) -> ReflectionAnswer {
        switch query {
        case .listServices:
            return .services(services)
        case .fileByFilename(let name):
            return files(name, notFound: "file '\(name)' not found")
        case .fileContainingSymbol(let symbol):
            let name = fileBySymbol[symbol.hasPrefix(".") ? String(symbol.dropFirst()) : symbol]
            return files(name, notFound: "symbol '\(symbol)' not found")
        case .fileContainingExtension(let type, let number):
            // protoc-gen-wire does not generate proto2 extensions, so none is ever known.
            return .error(.notFound, "extension \(number) of '\(type)' not found")
        case .allExtensionNumbersOfType(let type):
            return fileBySymbol[type] != nil ? .extensionNumbers(type, []) : .error(.notFound, "type '\(type)' not found")
        case .none:
            return .error(.invalidArgument, "the request names no query")
        }
    }

    /// The file called `name` and its transitive imports, imports first.
    private func files(_ name: String?, notFound: String) -> ReflectionAnswer {
        guard let name, filesByName[name] != nil else { return .error(.notFound, notFound) }
        var ordered: [ReflectionFile] = []
        var visited: Set<String> = []
        // Post-order over imports; each file is expanded once, so this is bounded by the file count.
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
        do {
            return .files(try ordered.map { try $0.serializedDescriptor() })
        } catch {
            return .error(.internalError, "the embedded descriptor of '\(name)' is corrupt: \(error)")
        }
    }
}

/// A reflection request, independent of the protocol version.
enum ReflectionQuery: Sendable {
    case listServices
    case fileByFilename(String)
    case fileContainingSymbol(String)
    case fileContainingExtension(type: String, number: Int32)
    case allExtensionNumbersOfType(String)
    case none
}

/// A reflection response, independent of the protocol version.
enum ReflectionAnswer: Sendable {
    case services([String])
    /// Serialized `FileDescriptorProto`s, imports first.
    case files([[UInt8]])
    case extensionNumbers(String, [Int32])
    case error(StatusCode, String)
}
