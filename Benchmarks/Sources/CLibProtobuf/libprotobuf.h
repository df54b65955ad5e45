// Debian's libprotobuf (libprotobuf-dev, found through pkg-config `protobuf`). Nothing here for Swift:
// this module exists so that CppProtobufBench gets the library's compile and link flags.
