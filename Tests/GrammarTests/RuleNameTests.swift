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

    /// Names after numbered atoms (`freshName(namedAfterAtom:)`, the base derived once per
    /// atom) are the names `freshName(from: describe(atom))` gives, in any interleaving with
    /// names from pointers: shared bases share their suffixes, and a suffixed name taken
    /// already (`/x/2` is named `x-2`) is skipped.
    @Test func namesAfterAtomsAsFromPointers() throws {
        let document = try SchemaDocument(try JSONValue(parsing: #"{"x": {"2": {}}, "$defs": {"a": {}}}"#))
        var byAtom = SchemaGrammarBuilder(document: document, options: .init())
        var byPointer = SchemaGrammarBuilder(document: document, options: .init())
        let x = byAtom.atomNumber("/x"), a = byAtom.atomNumber("/$defs/a"), x2 = byAtom.atomNumber("/x/2")
        var names: [String] = []
        for (atom, number) in [("/x/2", x2), ("/x", x), ("/x", x), ("/$defs/a", a), ("/x/2", x2), ("/$defs/a", a)] {
            let name = byAtom.freshName(namedAfterAtom: number)
            #expect(name == byPointer.freshName(from: byPointer.describe(atom)))
            names.append(name)
            // A pointer naming the same base as `/x` in between.
            #expect(byAtom.freshName(from: "/x") == byPointer.freshName(from: "/x"))
        }
        #expect(names == ["x-2", "x-3", "x-5", "def-a", "x-2-2", "def-a-2"])
        #expect(byAtom.freshName(from: "/x") == "x-10")
    }
}
