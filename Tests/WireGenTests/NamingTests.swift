import Testing
@testable import WireGen

@Suite struct NamingTests {
    @Test func packagePrefixFollowsSwiftProtobuf() {
        #expect(Naming.packagePrefix("my_co.chat") == "MyCo_Chat_")
        #expect(Naming.packagePrefix("google.protobuf") == "Google_Protobuf_")
        #expect(Naming.packagePrefix("") == "")
    }

    @Test func fieldNamesAreLowerCamelCase() {
        #expect(Naming.fieldName("user_id") == "userID")
        #expect(Naming.fieldName("type_url") == "typeURL")
        #expect(Naming.fieldName("id") == "id")
        #expect(Naming.fieldName("post_kind") == "postKind")
        #expect(Naming.fieldName("FooBar") == "fooBar")
        #expect(Naming.fieldName("a_b_c") == "aBC")
        #expect(Naming.fieldName("_leading") == "leading")
        #expect(Naming.fieldName("field_1") == "field1")
    }

    @Test func clashingFieldNamesGetASuffix() {
        #expect(Naming.fieldName("unknown_fields") == "unknownFields_p")
        #expect(Naming.fieldName("self") == "self_p")
        #expect(Naming.fieldName("is_initialized") == "isInitialized_p")
    }

    @Test func keywordsAreDeclaredWithBackticks() {
        #expect(Naming.declared("class") == "`class`")
        #expect(Naming.declared("package") == "`package`")
        #expect(Naming.declared("name") == "name")
    }

    @Test func enumCasesDropTheEnumPrefix() {
        #expect(Naming.enumCaseName("COLOR_RED", enumName: "Color") == "red")
        #expect(Naming.enumCaseName("TYPE_DOUBLE", enumName: "Type") == "double")
        #expect(Naming.enumCaseName("POST_KIND_LONG_TEXT", enumName: "PostKind") == "longText")
        #expect(Naming.enumCaseName("FOO", enumName: "Bar") == "foo")
        #expect(Naming.enumCaseName("UNRECOGNIZED", enumName: "Bar") == "unrecognized")
    }

    @Test func typeNamesThatShadowSwiftTypesAreRenamed() {
        #expect(Naming.typeName("Type", isEnum: true) == "TypeEnum")
        #expect(Naming.typeName("String", isEnum: false) == "StringMessage")
        #expect(Naming.typeName("Post", isEnum: false) == "Post")
        #expect(Naming.typeName("class", isEnum: false) == "classMessage")
        #expect(Naming.typeName("Wire", isEnum: false) == "WireMessage")
    }

    @Test func stringLiteralsEscape() {
        #expect(Naming.stringLiteral("a\"b\\c\n") == "\"a\\\"b\\\\c\\n\"")
    }

    @Test func cEscapedBytesDefaultsUnescape() {
        #expect(MessageModel.unescapeCBytes("a\\001\\x41\\n\\\\") == [0x61, 1, 0x41, 10, 0x5C])
    }

    @Test func optionsParse() throws {
        let options = try GeneratorOptions(parameter: "Visibility=Internal,FileNaming=PathToUnderscores")
        #expect(options.visibility == .internal)
        #expect(options.outputPath(forProto: "a/b/c.proto", suffix: ".wire.swift") == "a_b_c.wire.swift")
        #expect(GeneratorOptions().outputPath(forProto: "a/b/c.proto", suffix: ".wire.swift") == "a/b/c.wire.swift")
        #expect(try GeneratorOptions(parameter: "FileNaming=DropPath").outputPath(forProto: "a/b/c.proto", suffix: ".rpc.swift") == "c.rpc.swift")
        #expect(throws: GeneratorOptions.InvalidOption.self) { try GeneratorOptions(parameter: "Visibility=Open") }
        #expect(throws: GeneratorOptions.InvalidOption.self) { try GeneratorOptions(parameter: "Bogus=1") }
        #expect(try GeneratorOptions(parameter: "Comments=false,ImportWire=false") == {
            var expected = GeneratorOptions()
            expected.comments = false
            expected.importWire = false
            return expected
        }())
    }
}
