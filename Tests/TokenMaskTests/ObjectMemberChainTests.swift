import Testing
@testable import Grammar
@testable import Automata
@testable import TokenMask

/// Alternatives with a common beginning share it (`AlternativeFactoring`): configurations stay
/// narrow where they used to hold a stack per `oneOf` case, and object member chains keep their
/// language and their masks.
@Suite struct ObjectMemberChainTests {
    typealias Fixtures = RuntimeTests.Fixtures

    /// Twelve optional properties, then additional ones.
    static let optionalChain: String = {
        let members = (0..<12).map { "\"p\($0)\": {\"type\": \"integer\"}" }.joined(separator: ", ")
        return "{\"type\": \"object\", \"properties\": {\(members)}, \"additionalProperties\": {\"type\": \"boolean\"}}"
    }()

    /// The widest kernel among the configurations `text` passes through, and whether the last accepts.
    static func widestKernel(_ schema: String, _ text: String, options: JSONSchemaOptions = .init()) throws -> (width: Int, accepts: Bool) {
        let grammar = try JSONSchemaCompiler(options: options).compile(try JSONValue(parsing: schema)).grammar
        let space = try ConfigurationSpace.compile(grammar)
        var config = space.initial
        var width = space.kernelNodes(config).count
        for byte in text.utf8 {
            config = space.step(config, byte)
            guard config >= 0 else { return (width, false) }
            width = max(width, space.kernelNodes(config).count)
        }
        return (width, space.accepting[Int(config)])
    }

    /// The stacks of the configuration after `text`.
    static func kernelWidth(_ schema: String, after text: String) throws -> Int {
        let grammar = try JSONSchemaCompiler(options: .init()).compile(try JSONValue(parsing: schema)).grammar
        let space = try ConfigurationSpace.compile(grammar)
        let config = space.run(Array(text.utf8), from: space.initial)
        return config >= 0 ? space.kernelNodes(config).count : -1
    }

    /// Overlapping `oneOf` branches split into cases (each branch and not the others) that
    /// begin alike: the common beginning is read once.
    @Test func splitOneOfCasesShareTheirBeginning() throws {
        let schema = #"""
            {"oneOf": [{"type": "object", "properties": {"kind": {"enum": ["a", "b"]}, "size": {"type": "integer"},
                                                         "tags": {"type": "array"}}, "required": ["kind"]},
                       {"type": "object", "properties": {"kind": {"type": "string"}, "size": {"type": "integer"},
                                                         "note": {"type": "string"}}, "required": ["kind", "note"]}]}
            """#
        let (_, accepts) = try Self.widestKernel(schema, #"{"kind": "a", "size": 1, "note": "x"}"#)
        #expect(!accepts, "both branches match: oneOf fails")
        let (_, otherAccepts) = try Self.widestKernel(schema, #"{"kind": "c", "size": 1, "note": "x"}"#)
        #expect(otherAccepts)
        // The cases' common `{"kind"` is read by one stack at a time (8 without the factoring).
        let (width, _) = try Self.widestKernel(schema, #"{"kind""#)
        #expect(width <= 2, "widest kernel \(width)")
    }

    /// The language of chains of optional members with counts, extras, existence conditions
    /// and any order: what the separate-rule construction accepted, no more.
    @Test func chainsKeepTheirLanguage() throws {
        func expectLanguage(_ schema: String, accepts: [String], rejects: [String], options: JSONSchemaOptions = .init(whitespace: .compact),
                            sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
            let grammar = try JSONSchemaCompiler(options: options).compile(try JSONValue(parsing: schema)).grammar
            let space = try ConfigurationSpace.compile(grammar)
            func matches(_ text: String) -> Bool {
                let config = space.run(Array(text.utf8), from: space.initial)
                return config >= 0 && space.accepting[Int(config)]
            }
            for text in accepts { #expect(matches(text), "should accept \(text)", sourceLocation: sourceLocation) }
            for text in rejects { #expect(!matches(text), "should reject \(text)", sourceLocation: sourceLocation) }
        }
        try expectLanguage(Self.optionalChain,
                           accepts: ["{}", #"{"p3":1}"#, #"{"p0":1,"p11":2}"#, #"{"p1":1,"x":true,"y":false}"#, #"{"x":true}"#],
                           rejects: [#"{"p3":1,"p1":2}"#, #"{"p1":1,,"p2":2}"#, #"{"p1":1"p2":2}"#, #"{,"p1":1}"#, #"{"p1":1,}"#,
                                     #"{"x":true,"p1":1}"#, #"{"p1":true}"#])
        // Required members between optional ones, and counts.
        try expectLanguage(#"""
            {"properties": {"a": {}, "b": {}, "c": {}, "d": {}}, "required": ["c"], "minProperties": 2, "maxProperties": 3,
             "additionalProperties": {"type": "null"}}
            """#,
                           accepts: [#"{"a":1,"c":2}"#, #"{"c":1,"d":2}"#, #"{"c":1,"z":null}"#, #"{"a":1,"b":2,"c":3}"#, #"{"c":1,"y":null,"z":null}"#],
                           rejects: [#"{"c":1}"#, #"{"a":1,"b":2}"#, #"{"a":1,"b":2,"c":3,"d":4}"#, #"{"c":1,"y":null,"z":null,"w":null}"#,
                                     #"{"d":1,"c":2}"#, "{}"])
        // An existence condition from a negation (some member other than `a` is a string).
        try expectLanguage(#"{"properties": {"a": {}, "b": {}}, "not": {"additionalProperties": {"not": {"type": "string"}}}}"#,
                           accepts: [#"{"b":"x"}"#, #"{"a":1,"z":"y"}"#, #"{"a":"x"}"#],
                           rejects: ["{}", #"{"a":1}"#, #"{"a":1,"b":2}"#])
        // Any order: optional members come back to the same state.
        try expectLanguage(#"{"properties": {"a": {}, "b": {}, "c": {}}, "required": ["b"], "additionalProperties": false}"#,
                           accepts: [#"{"b":1}"#, #"{"c":1,"b":2}"#, #"{"a":1,"c":2,"b":3}"#, #"{"b":1,"a":2}"#],
                           rejects: ["{}", #"{"a":1}"#, #"{"b":1,}"#, #"{"b":1,"d":2}"#],
                           options: JSONSchemaOptions(whitespace: .compact, propertyOrder: .any))
    }

    /// `a b c | a b d | e | a` becomes `a (b (c | d) | ε) | e`.
    @Test func alternativesShareTheirFirstElements() {
        let (a, b, c, d, e) = (Expression.ruleReference("a"), Expression.ruleReference("b"), Expression.literal([0x63]),
                               Expression.ruleReference("d"), Expression.ruleReference("e"))
        let choice = Expression.choice([.sequence([a, b, c]), .sequence([a, b, d]), e, a])
        #expect(AlternativeFactoring.factoredIfChanged(choice)
                    == .choice([.sequence([a, .choice([.sequence([b, .choice([c, d])]), .empty])]), e]))
        #expect(AlternativeFactoring.factoredIfChanged(.choice([.sequence([a, b]), .sequence([b, a])])) == nil)
    }

    /// Masks on the chains equal masks found token by token, with whitespace.
    @Test func chainMasksMatchBruteForce() throws {
        try MaskEquivalenceTests.expectMasksMatchBruteForce(
            schema: #"""
                {"type": "object",
                 "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}},
                                "owner": {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}}},
                                "value": {"type": "number"}},
                 "required": ["name"], "maxProperties": 4, "additionalProperties": {"type": "boolean"}}
                """#,
            documents: [#"{"id": 100, "name": "Al", "tags": ["red"], "owner": {"age": 1}}"#, #"{"name": "Bo" , "value": 1.0}"#,
                        #"{"name":"Ca","ch":true,"il":false}"#, #"{"id":1,"name":"","active":true}"#])
    }
}
