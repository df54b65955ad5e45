import Foundation
import PackagePlugin

/// Build tool plugin: runs protoc with protoc-gen-wire over every `.proto` file in the target's
/// folder and compiles the Swift it writes (`Name.wire.swift`, and `Name.rpc.swift` unless
/// services are off). Proto paths are relative to the target's folder, which is protoc's first
/// `-I`; options come from the target's `wire-config.json` (see `WireConfiguration`).
@main
struct WireProtocPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let targetFolder = target.directoryURL.standardizedFileURL
        let configurationURL = targetFolder.appendingPathComponent(WireConfiguration.fileName)
        let configuration = try WireConfiguration.load(from: configurationURL)

        let protos = target.sourceFiles(withSuffix: "proto").map(\.url.standardizedFileURL)
            .sorted { $0.path < $1.path }
        guard !protos.isEmpty else { return [] }

        let outputFolder = context.pluginWorkDirectoryURL.appendingPathComponent("wire", isDirectory: true)
        var outputs: [URL] = []
        for proto in protos {
            let protoPath = try relativePath(of: proto, in: targetFolder)
            outputs.append(outputFolder.appendingPathComponent(try configuration.outputPath(forProto: protoPath, suffix: ".wire.swift")))
            if configuration.generatesServiceFiles {
                outputs.append(outputFolder.appendingPathComponent(try configuration.outputPath(forProto: protoPath, suffix: ".rpc.swift")))
            }
        }

        let importFolders = (configuration.importPaths ?? []).map {
            targetFolder.appendingPathComponent($0, isDirectory: true).standardizedFileURL
        }
        var arguments = [
            "--plugin=protoc-gen-wire=\(try context.tool(named: "protoc-gen-wire").url.path)",
            "--wire_out=\(outputFolder.path)",
            "--wire_opt=\(configuration.wireOptions)",
            "-I", targetFolder.path,
        ]
        for folder in importFolders { arguments += ["-I", folder.path] }
        arguments += protos.map(\.path)

        // Imported .proto files are inputs too: changing one regenerates the target's code.
        var inputs = protos + [configurationURL].filter { FileManager.default.fileExists(atPath: $0.path) }
        for folder in importFolders { inputs += protoFiles(under: folder) }

        return [
            .buildCommand(
                displayName: "Generating Swift for \(protos.count) .proto file(s) of \(target.name) with protoc-gen-wire",
                executable: try protoc(configuration),
                arguments: arguments,
                inputFiles: inputs,
                outputFiles: outputs
            ),
        ]
    }

    /// `wire-config.json`'s `protocPath`, else the first `protoc` on PATH.
    private func protoc(_ configuration: WireConfiguration) throws -> URL {
        if let path = configuration.protocPath { return URL(fileURLWithPath: path) }
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in searchPath.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder), isDirectory: true).appendingPathComponent("protoc")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw WireConfiguration.Invalid(description:
            "protoc not found on PATH (Debian: apt-get install protobuf-compiler); or set protocPath in \(WireConfiguration.fileName)")
    }

    private func relativePath(of file: URL, in folder: URL) throws -> String {
        let prefix = folder.path.hasSuffix("/") ? folder.path : folder.path + "/"
        guard file.path.hasPrefix(prefix) else {
            throw WireConfiguration.Invalid(description: "\(file.path) is not inside the target folder \(folder.path)")
        }
        return String(file.path.dropFirst(prefix.count))
    }

    private func protoFiles(under folder: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "proto" }
    }
}
