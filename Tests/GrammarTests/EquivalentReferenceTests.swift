import Testing
@testable import Grammar

/// `SchemaGrammarBuilder.firstEquivalentLocation(_:)`: references to copies of one schema
/// (equal but for annotations) share its rules; schemas that differ, or whose meaning
/// depends on their place, keep their own.
@Suite struct EquivalentReferenceTests {
    /// Definitions "a" and `b`, and a root whose properties `p`/`r` refer to "a" and `q`/`s`
    /// to `other`. Few rules: `RuleMerging` does not run.
    private static func schema(_ b: String, other: String) -> String {
        #"""
        {"$defs": {"a": {"type": "object", "description": "one",
                         "properties": {"x": {"type": "integer"}, "y": {"type": "boolean"}, "z": {"type": "string"}},
                         "required": ["y"], "additionalProperties": false},
                   "b": \#(b)},
         "type": "object", "additionalProperties": false,
         "properties": {"p": {"$ref": "#/$defs/a"}, "q": {"$ref": "#/$defs/\#(other)"}, "r": {"$ref": "#/$defs/a"},
                        "s": {"$ref": "#/$defs/\#(other)"}}}
        """#
    }

    private static func grammars(_ b: String) throws -> (grammar: Grammar, twin: Grammar) {
        (try Grammar(jsonSchema: try JSONValue(parsing: schema(b, other: "b")), options: .init(whitespace: .compact)),
         try Grammar(jsonSchema: try JSONValue(parsing: schema(b, other: "a")), options: .init(whitespace: .compact)))
    }

    @Test func copiesShareRules() throws {
        let copy = #"""
            {"type": "object", "title": "two", "required": ["y"], "additionalProperties": false,
             "properties": {"x": {"type": "integer", "examples": [1]}, "y": {"type": "boolean"}, "z": {"type": "string"}}}
            """#
        let (grammar, twin) = try Self.grammars(copy)
        #expect(grammar.rules.map(\.name) == twin.rules.map(\.name))
        let matcher = RegularMatcher(grammar)
        for (document, valid) in [(#"{"p":{"y":true},"q":{"x":1,"y":false,"z":"a"}}"#, true), (#"{"q":{"x":1}}"#, false),
                                  (#"{"s":{"y":true,"w":1}}"#, false), (#"{"r":{"y":false},"s":{"y":true,"z":""}}"#, true),
                                  (#"{"q":{"y":1}}"#, false), (#"{"s":{"z":"","y":true}}"#, false), (#"{}"#, true)] {
            #expect(matcher.matches(document) == valid, "\(document)")
        }
    }

    @Test func schemasThatDifferKeepTheirRules() throws {
        // `z` a number: another schema.
        let other = #"""
            {"type": "object", "required": ["y"], "additionalProperties": false,
             "properties": {"x": {"type": "integer"}, "y": {"type": "boolean"}, "z": {"type": "number"}}}
            """#
        let (grammar, twin) = try Self.grammars(other)
        #expect(grammar.rules.count > twin.rules.count)
        let matcher = RegularMatcher(grammar)
        for (document, valid) in [(#"{"p":{"y":true,"z":"a"},"q":{"y":false,"z":1.5}}"#, true), (#"{"q":{"y":true,"z":"a"}}"#, false),
                                  (#"{"p":{"y":true,"z":1}}"#, false), (#"{"s":{"x":2,"y":true,"z":-3}}"#, true)] {
            #expect(matcher.matches(document) == valid, "\(document)")
        }
        // A copy with an anchor: its meaning may depend on its place, so it is not equated.
        let anchored = #"""
            {"$anchor": "b", "type": "object", "required": ["y"], "additionalProperties": false,
             "properties": {"x": {"type": "integer"}, "y": {"type": "boolean"}, "z": {"type": "string"}}}
            """#
        let (withAnchor, anchorTwin) = try Self.grammars(anchored)
        #expect(withAnchor.rules.count > anchorTwin.rules.count)
    }
}
