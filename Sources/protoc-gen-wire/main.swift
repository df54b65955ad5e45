// protoc plugin: reads a CodeGeneratorRequest from stdin, writes a CodeGeneratorResponse to
// stdout. Usage: protoc --plugin=protoc-gen-wire=PATH --wire_out=DIR [--wire_opt=...] x.proto
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
