import Testing
@testable import RPC

/// The one header parser both sides use (`ReceivedHeaders`), without a socket.
@Suite struct HeaderParserTests {
    static let validRequest: [(String, String)] = [
        (":method", "POST"), (":scheme", "http"), (":path", "/pkg.Svc/Method"), (":authority", "localhost"),
        ("content-type", "application/grpc"), ("te", "trailers"), ("user-agent", "test"),
    ]

    func request(_ fields: [(String, String)], replacing: Bool = false) -> Result<(RequestHead, Int), RequestRejection> {
        var all = Self.validRequest
        for (name, value) in fields {
            all.removeAll { $0.0 == name }
            if !value.isEmpty || !replacing { all.append((name, value)) }
        }
        return ReceivedHeaders(all).requestHead { $0 == "/pkg.Svc/Method" ? 7 : nil }
    }

    func rejection(_ result: Result<(RequestHead, Int), RequestRejection>) -> RequestRejection? {
        if case .failure(let rejection) = result { return rejection }
        return nil
    }

    // MARK: Requests

    @Test func aValidRequestGivesPathMethodTimeoutEncodingAndMetadata() throws {
        let result = request([("grpc-timeout", "250m"), ("grpc-encoding", "gzip"), ("grpc-accept-encoding", "gzip,identity"),
                              ("x-trace", "abc"), ("trace-bin", "AQID")])
        let (head, method) = try result.get()
        #expect(method == 7)
        #expect(head.path == "/pkg.Svc/Method")
        #expect(head.timeout == .milliseconds(250))
        #expect(head.encoding == .gzip)
        #expect(head.acceptEncoding == "gzip,identity")
        #expect(head.metadata.first("x-trace") == "abc")
        #expect(head.metadata.firstBinary("trace-bin") == [1, 2, 3])
        // Reserved and transport fields never reach the application.
        for key in [":path", ":authority", "content-type", "te", "grpc-timeout", "grpc-encoding", "user-agent"] {
            #expect(head.metadata[key].isEmpty, "\(key) leaked into metadata")
        }
        #expect(head.metadata.count == 2)
    }

    @Test func aMethodOtherThanPostIs405AndAMissingOneToo() {
        #expect(rejection(request([(":method", "GET")])) == .httpStatus(405))
        #expect(rejection(request([(":method", "")], replacing: true)) == .httpStatus(405))
    }

    @Test func aMissingOrForeignContentTypeIs415() {
        #expect(rejection(request([("content-type", "")], replacing: true)) == .httpStatus(415))
        #expect(rejection(request([("content-type", "application/json")])) == .httpStatus(415))
        #expect(rejection(request([("content-type", "application/grpcx")])) == .httpStatus(415))
        #expect((try? request([("content-type", "application/grpc+proto")]).get()) != nil)
        #expect((try? request([("content-type", "Application/GRPC;charset=utf-8")]).get()) != nil)
    }

    @Test func teMustBeTrailers() {
        guard case .status(.internalError, let message, false)? = rejection(request([("te", "gzip")])) else {
            Issue.record("te gzip accepted")
            return
        }
        #expect(message.contains("te"))
        #expect(rejection(request([("te", "")], replacing: true)) != nil)
    }

    @Test func anUnknownOrMissingPathIsUnimplemented() {
        guard case .status(.unimplemented, let message, false)? = rejection(request([(":path", "/pkg.Svc/Other")])) else {
            Issue.record("unknown path accepted")
            return
        }
        #expect(message.contains("/pkg.Svc/Other"))
        guard case .status(.unimplemented, _, false)? = rejection(request([(":path", "")], replacing: true)) else {
            Issue.record("missing path accepted")
            return
        }
    }

    @Test(arguments: ["", "m", "1", "123456789S", "12x", "1s", "-1S", "1.5S"])
    func aBadTimeoutIsInternal(_ value: String) {
        guard case .status(.internalError, let message, false)? = rejection(request([("grpc-timeout", value)])) else {
            Issue.record("grpc-timeout \(value) accepted")
            return
        }
        #expect(message.contains("grpc-timeout"))
    }

    @Test func timeoutUnitsAreRead() throws {
        #expect(try request([("grpc-timeout", "2H")]).get().0.timeout == .seconds(7200))
        #expect(try request([("grpc-timeout", "99999999n")]).get().0.timeout == .nanoseconds(99_999_999))
        #expect(try request([("grpc-timeout", "3u")]).get().0.timeout == .microseconds(3))
    }

    @Test func anUnsupportedEncodingIsUnimplementedAndAdvertisesOurs() {
        #expect(rejection(request([("grpc-encoding", "snappy")]))
            == .status(.unimplemented, "grpc-encoding snappy is not supported", advertiseEncodings: true))
        #expect((try? request([("grpc-encoding", "identity")]).get())?.0.encoding == .identity)
    }

    @Test func binaryMetadataIsDecodedPaddedOrNotAndCommaJoined() throws {
        let head = try request([("a-bin", "AQI="), ("b-bin", "AQI"), ("c-bin", "AQ==, Ag")]).get().0
        #expect(head.metadata.firstBinary("a-bin") == [1, 2])
        #expect(head.metadata.firstBinary("b-bin") == [1, 2])
        #expect(head.metadata["c-bin"] == [.binary([1]), .binary([2])])
    }

    @Test(arguments: ["A", "AQ=I", "A*B=", "AQI==="])
    func badBase64InBinaryMetadataIsInternal(_ value: String) {
        guard case .status(.internalError, let message, false)? = rejection(request([("x-bin", value)])) else {
            Issue.record("-bin value \(value) accepted")
            return
        }
        #expect(message.contains("x-bin"))
    }

    @Test func checksRunInProtocolOrder() {
        // A wrong method wins over a wrong content-type, which wins over te, and so on.
        #expect(rejection(request([(":method", "GET"), ("content-type", "text/plain")])) == .httpStatus(405))
        #expect(rejection(request([("content-type", "text/plain"), ("te", "no")])) == .httpStatus(415))
        guard case .status(.unimplemented, _, true)? = rejection(request([("grpc-encoding", "br"), (":path", "/x/y")])) else {
            Issue.record("encoding checked after the path")
            return
        }
    }

    // MARK: Responses

    @Test func validResponseHeadersGiveMetadataAndEncoding() throws {
        let head = try ReceivedHeaders([(":status", "200"), ("content-type", "application/grpc+proto"), ("grpc-encoding", "deflate"),
                                        ("grpc-accept-encoding", "gzip"), ("x-a", "1"), ("date", "today"), ("server", "s")])
            .responseHead().get()
        #expect(head.encoding == .deflate)
        #expect(head.metadata.count == 1)
        #expect(head.metadata.first("x-a") == "1")
    }

    @Test(arguments: [(400, StatusCode.internalError), (401, .unauthenticated), (403, .permissionDenied), (404, .unimplemented),
                      (429, .unavailable), (502, .unavailable), (503, .unavailable), (504, .unavailable), (500, .unknown), (302, .unknown)])
    func aNon200HTTPStatusMapsPerTheGRPCTable(_ status: Int, _ code: StatusCode) {
        let headers = ReceivedHeaders([(":status", "\(status)"), ("content-type", "application/grpc")])
        guard case .failure(let failure) = headers.responseHead() else {
            Issue.record("HTTP \(status) accepted")
            return
        }
        #expect(failure.code == code)
        // Trailers-Only without grpc-status maps the same way.
        #expect(ReceivedHeaders([(":status", "\(status)")]).trailerStatus().code == code)
    }

    @Test func aResponseWithoutGRPCContentTypeIsUnknown() {
        for fields in [[(":status", "200")], [(":status", "200"), ("content-type", "text/html")]] {
            guard case .failure(let failure) = ReceivedHeaders(fields).responseHead() else {
                Issue.record("\(fields) accepted")
                continue
            }
            #expect(failure.code == .unknown)
        }
    }

    @Test func anUnsupportedResponseEncodingOrBadBinaryMetadataIsInternal() {
        for extra in [("grpc-encoding", "zstd"), ("x-bin", "!!")] {
            let headers = ReceivedHeaders([(":status", "200"), ("content-type", "application/grpc"), extra])
            guard case .failure(let failure) = headers.responseHead() else {
                Issue.record("\(extra) accepted")
                continue
            }
            #expect(failure.code == .internalError)
        }
    }

    @Test func trailersGiveStatusPercentDecodedMessageAndMetadata() {
        let status = ReceivedHeaders([("grpc-status", "7"), ("grpc-message", "caf%C3%A9%20closed"), ("x-why", "policy"),
                                      ("why-bin", "AQ")]).trailerStatus()
        #expect(status.code == .permissionDenied)
        #expect(status.message == "café closed")
        #expect(status.metadata.first("x-why") == "policy")
        #expect(status.metadata.firstBinary("why-bin") == [1])
        #expect(status.metadata.count == 2)
    }

    @Test func trailersOnlyGRPCStatusWinsOverTheHTTPStatus() {
        #expect(ReceivedHeaders([(":status", "503"), ("grpc-status", "5")]).trailerStatus().code == .notFound)
        #expect(ReceivedHeaders([(":status", "200"), ("content-type", "application/grpc"), ("grpc-status", "0")]).trailerStatus().code == .ok)
    }

    @Test func trailersWithoutGRPCStatusAreInternal() {
        let status = ReceivedHeaders([("x-a", "1")]).trailerStatus()
        #expect(status.code == .internalError)
        #expect(status.message.contains("grpc-status"))
    }

    @Test func unknownStatusNumbersAreUnknownAndResourceExhaustedSaysWhose() {
        #expect(ReceivedHeaders([("grpc-status", "99")]).trailerStatus().code == .unknown)
        let exhausted = ReceivedHeaders([("grpc-status", "8"), ("grpc-message", "too big")]).trailerStatus()
        #expect(exhausted.code == .resourceExhausted)
        #expect(exhausted.message.contains("server") && exhausted.message.hasSuffix("too big"))
    }

    @Test func badBinaryMetadataInTrailersIsInternal() {
        let status = ReceivedHeaders([("grpc-status", "0"), ("x-bin", "A")]).trailerStatus()
        #expect(status.code == .internalError)
        #expect(status.message.contains("x-bin"))
    }
}
