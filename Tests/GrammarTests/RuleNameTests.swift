import Testing
@testable import Grammar

/// Rule names derived from JSON Pointers (`SchemaGrammarBuilder.freshName(from:)`).
@Suite struct RuleNameTests {
    /// Tokens' ASCII letters and digits kept, other scalars one `_` each, escapes `_`,
    /// `$defs` as `def`, tokens joined by `-`, the last 60 bytes kept; invalid pointers named
    /// `schema`; a name already used gets the next free suffix.
    @Test func namesFromPointers() throws {
        var builder = SchemaGrammarBuilder(document: try SchemaDocument(try JSONValue(parsing: "{}")), options: .init())
        #expect(builder.freshName(from: "/$defs/a~0b~1c%d") == "def-a_b_c_d")
        #expect(builder.freshName(from: "/$defs/a~0b~1c%d") == "def-a_b_c_d-2")
        #expect(builder.freshName(from: "/$defs/a~0b~1c%d") == "def-a_b_c_d-3")
        #expect(builder.freshName(from: "/$defs/\u{e9}t\u{e9}") == "def-_t_")
        #expect(builder.freshName(from: "/$defs/\u{1F600}x") == "def-_x")
        #expect(builder.freshName(from: "/items/$defsx/$defs") == "items-_defsx-def")
        #expect(builder.freshName(from: "@scope/properties/p") == "properties-p")
        #expect(builder.freshName(from: "/a~2") == "schema")
        #expect(builder.freshName(from: "/a~") == "schema-2")
        #expect(builder.freshName(from: "relative") == "schema-3")
        #expect(builder.freshName(from: "") == "schema-4")
        let long = "/" + String(repeating: "abcdefghij", count: 8) + "/tail"
        let name = builder.freshName(from: long)
        #expect(name == String((String(repeating: "abcdefghij", count: 8) + "-tail").suffix(60)))
    }
}
