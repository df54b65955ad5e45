import Foundation
import Testing
import Wire

/// protoc itself (`--encode` / `--decode`, the C++ runtime) as an independent peer:
/// text it encodes must decode here, and what we encode must survive its parser.
@Suite struct ProtocCrossCheckTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct ProtocFailed: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs protoc with `arguments`, feeding `input` on stdin; bounded by a 60 s timeout.
    func protoc(_ arguments: [String], input: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["protoc", "-I", Self.repositoryRoot.appendingPathComponent("Protos/wiretest").path,
                             "-I", "/usr/include"] + arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: killer)
        defer { killer.cancel() }
        // Write on another thread so a full stdout pipe cannot deadlock us.
        let writer = Thread {
            stdin.fileHandleForWriting.write(Data(input))
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ProtocFailed(description: "protoc \(arguments) failed: \(String(decoding: errors, as: UTF8.self))")
        }
        return [UInt8](output)
    }

    func encodeWithProtoc(_ type: String, file: String, text: String) throws -> [UInt8] {
        try protoc(["--encode=\(type)", file], input: Array(text.utf8))
    }

    /// Our bytes -> protoc text -> protoc bytes -> our decoder: the value must survive.
    func throughProtoc<M: Wire.Message>(_ message: M, type: String, file: String) throws -> M {
        let text = try protoc(["--decode=\(type)", file], input: try message.serializedBytes(partial: true))
        let bytes = try protoc(["--encode=\(type)", file], input: text)
        return try M(serializedBytes: bytes, partial: true)
    }

    @Test func protocEncodedScalarsDecode() throws {
        let bytes = try encodeWithProtoc("wire_test.p3.Scalars", file: "proto3_features.proto", text: """
            f_double: -2.5 f_float: 1e-30 f_int64: -9223372036854775808 f_uint64: 18446744073709551615
            f_int32: -1 f_fixed64: 7 f_fixed32: 4294967295 f_bool: true f_string: "h\\303\\251llo"
            f_bytes: "\\000\\377" f_uint32: 4294967295 f_color: COLOR_GREEN f_sfixed32: -2147483648
            f_sfixed64: -3 f_sint32: -2147483648 f_sint64: 9223372036854775807
            """)
        let message = try WireTest_P3_Scalars(serializedBytes: bytes)
        #expect(message.fDouble == -2.5)
        #expect(message.fFloat == 1e-30)
        #expect(message.fInt64 == .min)
        #expect(message.fUint64 == .max)
        #expect(message.fInt32 == -1)
        #expect(message.fFixed64 == 7)
        #expect(message.fFixed32 == .max)
        #expect(message.fBool)
        #expect(message.fString == "héllo")
        #expect(message.fBytes == [0, 255])
        #expect(message.fUint32 == .max)
        #expect(message.fColor == .green)
        #expect(message.fSfixed32 == .min)
        #expect(message.fSfixed64 == -3)
        #expect(message.fSint32 == .min)
        #expect(message.fSint64 == .max)
        #expect(message.unknownFields.isEmpty)
        // protoc writes canonical protobuf; so do we.
        #expect(try message.serializedBytes() == bytes)
    }

    @Test func protocEncodedProto2GroupsDefaultsAndEnumsDecode() throws {
        let bytes = try encodeWithProtoc("wire_test.p2.WithGroups", file: "proto2_features.proto", text: """
            Single { a: 1 b: "x" } Multi { c: 2 } Multi { } after: 3
            """)
        let message = try WireTest_P2_WithGroups(serializedBytes: bytes)
        #expect(message.single.a == 1 && message.single.b == "x")
        #expect(message.multi.map(\.c) == [2, 0])
        #expect(message.after == 3)
        #expect(try message.serializedBytes() == bytes)
    }

    @Test func ourEncodingSurvivesProtocsParser() throws {
        var maps = WireTest_P3_Maps()
        maps.stringToInt32 = ["a": 1, "b": -2]
        maps.int64ToString = [.min: "min"]
        var nested = WireTest_P3_Nested()
        nested.deeper.w = [1, 2, 3]
        maps.uint32ToNested = [9: nested]
        maps.stringToColor = ["u": .UNRECOGNIZED(77)]
        #expect(try throughProtoc(maps, type: "wire_test.p3.Maps", file: "proto3_features.proto") == maps)

        var tree = WireTest_P3_Tree()
        tree.value = 1
        tree.left.children = [WireTest_P3_Tree(), WireTest_P3_Tree()]
        tree.alt.label = "z"
        #expect(try throughProtoc(tree, type: "wire_test.p3.Tree", file: "proto3_features.proto") == tree)

        var repeated = WireTest_P3_Repeated()
        repeated.rSint64 = [.min, -1, 0, .max]
        repeated.rFixed32 = [1, 2]
        repeated.rUnpacked = [5, 6]
        repeated.rBool = [true, false]
        #expect(try throughProtoc(repeated, type: "wire_test.p3.Repeated", file: "proto3_features.proto") == repeated)

        var closed = WireTest_P2_Closed()
        closed.mood = .angry
        closed.packedMoods = [.happy, .sad]
        closed.levelByName = ["h": .high]
        #expect(try throughProtoc(closed, type: "wire_test.p2.Closed", file: "proto2_features.proto") == closed)

        var defaults = WireTest_P2_Defaults()
        defaults.text = "set"
        defaults.mood = .happy
        #expect(try throughProtoc(defaults, type: "wire_test.p2.Defaults", file: "proto2_features.proto") == defaults)
    }

    @Test func unknownFieldsSurviveProtoc() throws {
        // Fields unknown to Empty are kept by us and by protoc (printed by number, re-encoded).
        var scalars = WireTest_P3_Scalars()
        scalars.fInt32 = 5
        scalars.fString = "s"
        let empty = try WireTest_P3_Empty(serializedBytes: try scalars.serializedBytes())
        let text = try protoc(["--decode=wire_test.p3.Empty", "proto3_features.proto"], input: try empty.serializedBytes())
        #expect(String(decoding: text, as: UTF8.self).contains("5: 5"))
    }
}
