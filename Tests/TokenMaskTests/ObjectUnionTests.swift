import Testing
@testable import Grammar
@testable import Automata
@testable import TokenMask

/// An `anyOf` of closed objects read as one object automaton (`SchemaGrammarBuilder.objectUnion`):
/// the same language as the `anyOf` distributed over its branches, on every small object of a
/// few keys and values, and a shared key read by one stack.
@Suite struct ObjectUnionTests {
    /// Keys and values the instances are made of.
    static let keys = ["a", "b", "c", "d", "x"]
    static let values = ["1", "1.5", #""s""#, "null", "true", #"{"p":1}"#, #"{"q":1}"#, "[]"]

    /// Every object of up to two members, and a fixed sample of objects of three and four
    /// members (repeated keys included: the grammar leaves distinct keys to the matcher).
    static let instances = ObjectInstances.make(keys: keys, values: values, exhaustiveUpTo: 2, sampled: 3_000,
                                                sampledCounts: 3...4, seed: 0x9E37_79B9_7F4A_7C15)

    /// The grammar of `schema`, with or without object unions.
    static func grammar(_ schema: String, unions: Bool) throws -> Grammar {
        var options = JSONSchemaOptions(whitespace: .compact)
        options.readsObjectUnions = unions
        return try JSONSchemaCompiler(options: options).compile(try JSONValue(parsing: schema)).grammar
    }

    /// The configuration space of `schema`'s grammar, with or without object unions.
    static func space(_ schema: String, unions: Bool) throws -> ConfigurationSpace {
        try ConfigurationSpace.compile(try grammar(schema, unions: unions))
    }

    static func accepts(_ space: ConfigurationSpace, _ text: String) -> Bool {
        let config = space.run(Array(text.utf8), from: space.initial)
        return config >= 0 && space.accepting[Int(config)]
    }

    /// Whether the union is built for `schema` (its grammar differs from the distributed one).
    static func buildsUnion(_ schema: String) throws -> Bool {
        try grammar(schema, unions: true) != grammar(schema, unions: false)
    }

    /// The union and the distributed `anyOf` accept the same instances, and `accepts` /
    /// `rejects` are as expected.
    static func expectSameLanguage(_ schema: String, builds: Bool = true, accepts expectedAccepted: [String] = [],
                                   rejects expectedRejected: [String] = [],
                                   sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        #expect(try buildsUnion(schema) == builds, "union built", sourceLocation: sourceLocation)
        let union = try space(schema, unions: true)
        let distributed = try space(schema, unions: false)
        var differences: [String] = []
        for text in instances + expectedAccepted + expectedRejected where accepts(union, text) != accepts(distributed, text) {
            differences.append(text)
        }
        #expect(differences.isEmpty, "\(differences.count) instances differ: \(differences.prefix(5))", sourceLocation: sourceLocation)
        for text in expectedAccepted { #expect(accepts(union, text), "should accept \(text)", sourceLocation: sourceLocation) }
        for text in expectedRejected { #expect(!accepts(union, text), "should reject \(text)", sourceLocation: sourceLocation) }
    }

    @Test func sharedKeysWithTheSameValues() throws {
        try Self.expectSameLanguage(#"""
            {"anyOf": [{"properties": {"a": {"type": "integer"}, "b": {"type": "string"}}, "additionalProperties": false},
                       {"properties": {"a": {"type": "integer"}, "c": {"type": "boolean"}}, "additionalProperties": false},
                       {"properties": {"b": {"type": "string", "description": "same"}, "c": {"type": "boolean"}, "d": {"type": "null"}},
                        "additionalProperties": false}]}
            """#, accepts: ["{}", #"{"a":1,"b":"s"}"#, #"{"a":1,"c":true}"#, #"{"b":"s","c":true,"d":null}"#, "1", #""s""#],
            rejects: [#"{"a":1,"b":"s","c":true}"#, #"{"a":1,"d":null}"#, #"{"b":"s","a":1}"#, #"{"x":1}"#, #"{"a":"s"}"#])
    }

    @Test func sharedKeysWithDifferentValues() throws {
        // `a` is an integer in one branch, a number in another (1 satisfies both), a string in a third.
        try Self.expectSameLanguage(#"""
            {"type": "object",
             "anyOf": [{"properties": {"a": {"type": "integer"}, "b": {}}, "additionalProperties": false},
                       {"properties": {"a": {"type": "number"}, "c": {}}, "additionalProperties": false},
                       {"properties": {"a": {"type": "string"}, "b": {}, "d": {}}, "additionalProperties": false}]}
            """#, accepts: [#"{"a":1,"b":1}"#, #"{"a":1,"c":1}"#, #"{"a":1.5,"c":1}"#, #"{"a":"s","d":1}"#, #"{"a":"s","b":1,"d":1}"#],
            rejects: [#"{"a":1.5,"b":1}"#, #"{"a":"s","c":1}"#, #"{"a":1,"d":1}"#, "1"])
    }

    @Test func keysOneBranchForbids() throws {
        try Self.expectSameLanguage(#"""
            {"type": "object",
             "anyOf": [{"properties": {"a": {}, "b": false, "c": {}}, "additionalProperties": false},
                       {"properties": {"b": {"type": "integer"}, "c": {}}, "additionalProperties": false}]}
            """#, accepts: [#"{"a":1,"c":1}"#, #"{"b":1,"c":1}"#], rejects: [#"{"a":1,"b":1}"#, #"{"b":"s"}"#])
    }

    @Test func requiredKeysInOneBranch() throws {
        try Self.expectSameLanguage(#"""
            {"type": "object",
             "anyOf": [{"properties": {"a": {}, "b": {}, "c": {}}, "required": ["b"], "additionalProperties": false},
                       {"properties": {"a": {}, "c": {}, "d": {}}, "required": ["a", "x"], "additionalProperties": false},
                       {"properties": {"a": {}, "d": {}}, "additionalProperties": false}]}
            """#, accepts: [#"{"b":1}"#, #"{"a":1,"b":1,"c":1}"#, #"{"a":1,"d":1}"#, "{}"],
            rejects: [#"{"a":1,"c":1}"#, #"{"c":1}"#])
    }

    @Test func memberCounts() throws {
        try Self.expectSameLanguage(#"""
            {"type": "object",
             "anyOf": [{"properties": {"a": {}, "b": {}, "c": {}}, "minProperties": 2, "additionalProperties": false},
                       {"properties": {"a": {}, "d": {}}, "maxProperties": 1, "additionalProperties": false},
                       {"properties": {"b": {}, "c": {}, "d": {}}, "minProperties": 3, "maxProperties": 1, "additionalProperties": false}]}
            """#, accepts: [#"{"a":1,"b":1}"#, #"{"a":1}"#, #"{"d":1}"#, "{}"],
            rejects: [#"{"b":1}"#, #"{"a":1,"d":1}"#, #"{"b":1,"c":1,"d":1}"#])
    }

    @Test func nestedObjectsAndDeclaredOrders() throws {
        // Branch orders differ (a then b, b then a); `o` holds different closed objects.
        try Self.expectSameLanguage(#"""
            {"anyOf": [{"properties": {"a": {"type": "object", "properties": {"p": {}}, "additionalProperties": false}, "b": {}},
                        "additionalProperties": false},
                       {"properties": {"b": {}, "a": {"type": "object", "properties": {"q": {}}, "additionalProperties": false}},
                        "additionalProperties": false},
                       {"properties": {"c": {"anyOf": [{"properties": {"p": {}}, "additionalProperties": false},
                                                       {"properties": {"q": {}}, "additionalProperties": false}]}},
                        "additionalProperties": false}]}
            """#, accepts: [#"{"a":{"p":1},"b":1}"#, #"{"b":1,"a":{"q":1}}"#, #"{"c":{"q":1}}"#, #"{"a":{}}"#],
            rejects: [#"{"a":{"q":1},"b":1}"#, #"{"b":1,"a":{"p":1}}"#, #"{"c":{"p":1,"q":1}}"#])
    }

    @Test func openBranchesAreDistributed() throws {
        try Self.expectSameLanguage(#"""
            {"anyOf": [{"properties": {"a": {"type": "integer"}}, "additionalProperties": false},
                       {"properties": {"b": {}}, "additionalProperties": {"type": "string"}}]}
            """#, builds: false, accepts: [#"{"a":1}"#, #"{"a":"s"}"#, #"{"b":1,"x":"s"}"#], rejects: [#"{"a":1.5}"#])
    }

    /// `oneOf` is left to its own construction (exclusive branches), even when its objects
    /// are disjoint: reading it as a union changed only one trace of the Llama 3 sample, for
    /// more configurations.
    @Test func oneOfIsDistributed() throws {
        try Self.expectSameLanguage(#"""
            {"oneOf": [{"type": "object", "properties": {"a": {"const": 1}, "b": {}, "x": {}}, "required": ["a"], "additionalProperties": false},
                       {"type": "object", "properties": {"a": {"const": "s"}, "x": {"type": "integer"}, "c": {}}, "required": ["a"],
                        "additionalProperties": false},
                       {"type": "string"}]}
            """#, builds: false, accepts: [#"{"a":1,"x":"s"}"#, #"{"a":"s","x":1}"#, #""s""#], rejects: [#"{"a":"s","x":"s"}"#, "{}", "1"])
    }

    /// Two branches of 150 shared optional members would need a move per remaining member
    /// in every state (over `maxObjectUnionMoves`): distributed instead.
    @Test func longChainsAreDistributed() throws {
        let shared = (0..<150).map { #""m\#($0)": {"type": "integer"}"# }.joined(separator: ", ")
        try Self.expectSameLanguage(#"""
            {"anyOf": [{"properties": {"a": {}, \#(shared)}, "additionalProperties": false},
                       {"properties": {"b": {}, \#(shared)}, "additionalProperties": false}]}
            """#, builds: false, accepts: [#"{"a":1,"m3":1,"m140":2}"#, #"{"m0":1}"#], rejects: [#"{"a":1,"b":1}"#])
    }

    /// A Skaffold-like `anyOf`: eight closed objects sharing their optional properties, each
    /// with one of its own. Distributed, a shared key's value keeps a stack per branch; as a
    /// union, one.
    @Test func sharedKeyIsReadByOneStack() throws {
        let common = #""image": {"type": "string"}, "context": {"type": "string"}, "sync": {"type": "object"}"#
        let branches = (0..<8).map { #"{"properties": {\#(common), "own\#($0)": {"type": "object"}}, "additionalProperties": false}"# }
        let union = #"{"anyOf": [\#(branches.joined(separator: ", "))]}"#
        func width(unions: Bool) throws -> Int {
            var options = JSONSchemaOptions()
            options.readsObjectUnions = unions
            let grammar = try JSONSchemaCompiler(options: options).compile(try JSONValue(parsing: #"{"type": "array", "items": \#(union)}"#)).grammar
            let space = try ConfigurationSpace.compile(grammar)
            let config = space.run(Array(#"[{"image": "x", "context": "ab"#.utf8), from: space.initial)
            return config >= 0 ? space.kernelNodes(config).count : -1
        }
        let (unionWidth, distributedWidth) = (try width(unions: true), try width(unions: false))
        #expect(unionWidth >= 1 && unionWidth <= 2, "kernel \(unionWidth)")
        #expect(distributedWidth >= 8, "kernel distributed \(distributedWidth)")
        try Self.expectSameLanguage(union, accepts: [#"{"context":"s","own3":{}}"#, #"{"image":"s","context":"s","sync":{}}"#],
                                    rejects: [#"{"own1":{},"own2":{}}"#, #"{"context":"s","image":"s"}"#])
    }

    /// Masks equal masks found token by token, with whitespace, on a union with shared keys
    /// of different values, required keys and counts.
    @Test func unionMasksMatchBruteForce() throws {
        try MaskEquivalenceTests.expectMasksMatchBruteForce(
            schema: #"""
                {"type": "object",
                 "anyOf": [{"properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "tags": {"type": "array"}},
                            "required": ["name"], "additionalProperties": false},
                           {"properties": {"id": {"type": "string"}, "name": {"type": "string"}, "owner": {"type": "object"}},
                            "maxProperties": 2, "additionalProperties": false},
                           {"properties": {"name": {"type": "string"}, "value": {"type": "number"}}, "additionalProperties": false}]}
                """#,
            documents: [#"{"id": 100, "name": "Al", "tags": ["red"]}"#, #"{"id": "x" , "owner": {}}"#,
                        #"{"name":"Ca","value":1.5}"#, #"{}"#, #"{"name": "Bo"}"#])
    }
}
