import Testing
@testable import RPC

@Suite struct ContentTypeTests {
    @Test func acceptsGRPCSpellings() {
        for value in ["application/grpc", "application/grpc+proto", "application/grpc+json",
                      "application/grpc;charset=utf-8", "Application/GRPC+proto"] {
            #expect(GRPCContentType.isGRPC(value), "\(value)")
        }
        #expect(GRPCContentType.isGRPC(GRPCContentType.proto))
    }

    @Test func rejectsEverythingElse() {
        for value in ["", "application/json", "application/grpcx", "application/grp", "text/plain",
                      "application/grpc-web", "application/grpc-web+proto", " application/grpc"] {
            #expect(!GRPCContentType.isGRPC(value), "\(value)")
        }
    }

    @Test func acceptEncodingRoundTrip() {
        #expect(AcceptEncoding.format([.identity, .gzip, .deflate]) == "identity,gzip,deflate")
        #expect(AcceptEncoding.parse("gzip, deflate") == [.identity, .gzip, .deflate])
        #expect(AcceptEncoding.parse("snappy,  GZIP ,") == [.identity, .gzip])
        #expect(AcceptEncoding.parse("") == [.identity])
    }
}
