/// One .proto file as server reflection serves it: its serialized `FileDescriptorProto`
/// (base64, as protoc-gen-wire embeds it in `Name.rpc.swift`; whitespace is ignored), its
/// imports, and the fully-qualified services and symbols it defines. Generated code provides
/// these as `Namespace.reflectionFiles`; pass them to `ReflectionService(files:)`.
public struct ReflectionFile: Sendable, Hashable {
    /// The file's path as protoc names it (`grpc/testing/test.proto`).
    public let name: String
    /// Paths of the files it imports.
    public let dependencies: [String]
    /// Services it declares (`grpc.testing.TestService`).
    public let services: [String]
    /// Messages, enums, services and methods it declares, fully qualified without a leading dot.
    public let symbols: [String]
    /// The serialized `FileDescriptorProto`, base64-encoded.
    public let descriptorBase64: String

    public init(name: String, dependencies: [String], services: [String], symbols: [String], descriptorBase64: String) {
        self.name = name
        self.dependencies = dependencies
        self.services = services
        self.symbols = symbols
        self.descriptorBase64 = descriptorBase64
    }

    /// The serialized `FileDescriptorProto`.
    public func serializedDescriptor() throws -> [UInt8] {
        try Base64.decode(String(descriptorBase64.unicodeScalars.filter { !$0.properties.isWhitespace }))
    }
}
