// protoc plugin: reads a CodeGeneratorRequest from stdin, writes a CodeGeneratorResponse to
// stdout. Usage: protoc --plugin=protoc-gen-wire=PATH --wire_out=DIR [--wire_opt=...] x.proto
// (`protoc-gen-wire --help` lists the options).
import Wire
import WireGen

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// All of stdin (protoc writes the request and closes the pipe).
func readStandardInput() -> [UInt8] {
    var input: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        if count > 0 {
            input.append(contentsOf: chunk[..<count])
        } else if count == 0 || errno != EINTR {
            break
        }
    }
    return input
}

func writeStandardOutput(_ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
        if written > 0 {
            offset += written
        } else if written < 0 && errno == EINTR {
            continue
        } else {
            return false
        }
    }
    return true
}

func fail(_ message: String) -> Never {
    let line = Array("protoc-gen-wire: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(1)
}

/// What `--help` prints: how protoc runs the plugin, and every `--wire_opt` option.
func usage() -> String {
    var text = """
        \(GeneratorIdentity.name) \(GeneratorIdentity.version): a protoc plugin that turns .proto files into Swift
        for the Wire protobuf runtime (and RPC service stubs) of \(GeneratorIdentity.package).

        protoc runs it; it reads a CodeGeneratorRequest on stdin and writes the response to stdout:

          protoc --plugin=protoc-gen-wire=PATH/TO/protoc-gen-wire \\
                 --wire_out=OUTPUT_DIR [--wire_opt=Key=Value,Key=Value] \\
                 -I PROTO_ROOT PROTO_ROOT/a/b/c.proto ...

        Each file gets c.wire.swift (messages, enums; needs module Wire) and, if it declares
        services, c.rpc.swift (needs module RPC).

        Options (--wire_opt; the first value is the default):

        """
    for option in GeneratorOptions.documentation {
        text += "  \(option.key)=\(option.values.joined(separator: "|"))\n      \(option.meaning)\n"
    }
    text += "\nFlags: --help, --version.\n"
    return text
}

func printStandardOutput(_ text: String) {
    if !writeStandardOutput(Array(text.utf8)) { fail("cannot write to stdout") }
}

switch Array(CommandLine.arguments.dropFirst()) {
case []:
    // A request on stdin is what protoc sends; a terminal means someone ran the plugin by hand.
    if isatty(0) == 1 {
        fail("expects a CodeGeneratorRequest from protoc on stdin, not a terminal; run it through protoc (see --help)")
    }
case ["--help"], ["-h"]:
    printStandardOutput(usage())
    exit(0)
case ["--version"]:
    printStandardOutput("\(GeneratorIdentity.name) \(GeneratorIdentity.version)\n")
    exit(0)
case let arguments:
    fail("unexpected arguments \(arguments); protoc passes options through --wire_opt (see --help)")
}

let request: Google_Protobuf_Compiler_CodeGeneratorRequest
do {
    request = try Google_Protobuf_Compiler_CodeGeneratorRequest(serializedBytes: readStandardInput())
} catch {
    fail("cannot decode the CodeGeneratorRequest on stdin (\(error)); run me through protoc")
}
let response = Generator(additionalEmitters: [ServiceEmitter()]).generate(request: request)
do {
    guard writeStandardOutput(try response.serializedBytes()) else { fail("cannot write to stdout") }
} catch {
    fail("cannot encode the response: \(error)")
}
