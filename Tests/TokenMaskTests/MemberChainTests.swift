import Testing
@testable import Grammar
@testable import Automata
@testable import TokenMask

/// Long chains of optional members share one separator (`MemberChain`): the same language as
/// a separator per member, on every small object of a few keys and values, a configuration
/// after a value of one stack per kind of byte instead of one per member that may come next,
/// and masks equal to masks found token by token.
@Suite struct MemberChainTests {
    typealias Fixtures = RuntimeTests.Fixtures

    /// Declared keys `a`…`e`, undeclared `x` and `xy`, and the values members take.
    static let keys = ["a", "b", "c", "d", "e", "x", "xy"]
    static let values = ["1", #""s""#, "true"]

    /// Every object of up to three members (repeated keys and any order included: the grammar
    /// leaves distinct keys to the matcher), and a fixed sample of objects of four and five.
    static let instances = ObjectInstances.make(keys: keys, values: values, exhaustiveUpTo: 3, sampled: 2_000,
                                                sampledCounts: 4...5, seed: 0x2545_F491_4F6C_DD1D)

    /// The configuration space of `schema`'s grammar, the separator shared from `threshold`
    /// members on.
    static func space(_ schema: String, threshold: Int, whitespace: JSONSchemaOptions.Whitespace = .compact) throws -> ConfigurationSpace {
        var options = JSONSchemaOptions(whitespace: whitespace)
        options.sharedSeparatorThreshold = threshold
        return try ConfigurationSpace.compile(try JSONSchemaCompiler(options: options).compile(try JSONValue(parsing: schema)).grammar)
    }

    static func accepts(_ space: ConfigurationSpace, _ text: String) -> Bool {
        let config = space.run(Array(text.utf8), from: space.initial)
        return config >= 0 && space.accepting[Int(config)]
    }

    /// The shared separators everywhere (threshold 1) and nowhere accept the same instances;
    /// `accepts` / `rejects` are as expected.
    static func expectSameLanguage(_ schema: String, accepts expectedAccepted: [String] = [], rejects expectedRejected: [String] = [],
                                   sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let shared = try space(schema, threshold: 1)
        let separate = try space(schema, threshold: .max)
        var differences: [String] = []
        for text in instances + expectedAccepted + expectedRejected where accepts(shared, text) != accepts(separate, text) {
            differences.append(text)
        }
        #expect(differences.isEmpty, "\(differences.count) instances differ: \(differences.prefix(5))", sourceLocation: sourceLocation)
        for text in expectedAccepted { #expect(accepts(shared, text), "should accept \(text)", sourceLocation: sourceLocation) }
        for text in expectedRejected { #expect(!accepts(shared, text), "should reject \(text)", sourceLocation: sourceLocation) }
    }

    static let declared = #""a": {"type": "integer"}, "b": {"type": "string"}, "c": {}, "d": {"type": "boolean"}, "e": {"type": "integer"}"#

    @Test func optionalMembersInOrder() throws {
        try Self.expectSameLanguage(#"{"properties": {\#(Self.declared)}, "additionalProperties": false}"#,
                                    accepts: [#"{"a":1,"c":true,"e":1}"#, #"{"e":1}"#, "{}"],
                                    rejects: [#"{"c":1,"a":1}"#, #"{"x":1}"#, #"{"a":1,}"#])
        try Self.expectSameLanguage(#"{"properties": {\#(Self.declared)}}"#,
                                    accepts: [#"{"a":1,"x":1,"xy":"s"}"#, #"{"x":true}"#], rejects: [#"{"x":1,"a":1}"#])
    }

    @Test func requiredMembersAmongOptionalOnes() throws {
        try Self.expectSameLanguage(#"{"properties": {\#(Self.declared)}, "required": ["b", "d"], "additionalProperties": false}"#,
                                    accepts: [#"{"b":"s","d":true}"#, #"{"a":1,"b":"s","c":1,"d":true,"e":1}"#],
                                    rejects: [#"{"b":"s"}"#, #"{"a":1,"d":true}"#])
        try Self.expectSameLanguage(#"{"properties": {\#(Self.declared)}, "required": ["e"], "additionalProperties": {"type": "integer"}}"#,
                                    accepts: [#"{"e":1,"x":1}"#], rejects: [#"{"x":1,"e":1}"#, #"{"e":1,"x":true}"#])
    }

    @Test func memberCounts() throws {
        try Self.expectSameLanguage(#"{"properties": {\#(Self.declared)}, "minProperties": 2, "maxProperties": 3, "additionalProperties": {"type": "boolean"}}"#,
                                    accepts: [#"{"a":1,"x":true}"#, #"{"c":1,"d":true,"e":1}"#],
                                    rejects: [#"{"a":1}"#, #"{"a":1,"b":"s","c":1,"d":true}"#])
        try Self.expectSameLanguage(#"{"properties": {\#(Self.declared)}, "maxProperties": 1}"#,
                                    accepts: [#"{"x":1}"#, "{}"], rejects: [#"{"a":1,"b":"s"}"#])
        try Self.expectSameLanguage(#"{"properties": {\#(Self.declared)}, "minProperties": 4}"#,
                                    accepts: [#"{"a":1,"b":"s","x":1,"xy":1}"#], rejects: [#"{"a":1,"b":"s","x":1}"#])
    }

    @Test func patternPropertiesAndNames() throws {
        try Self.expectSameLanguage(#"{"properties": {\#(Self.declared)}, "patternProperties": {"^x": {"type": "integer"}}, "additionalProperties": false, "required": ["c"]}"#,
                                    accepts: [#"{"c":1,"x":1,"xy":1}"#], rejects: [#"{"c":1,"x":"s"}"#, #"{"x":1}"#])
        try Self.expectSameLanguage(#"{"properties": {\#(Self.declared)}, "patternProperties": {"y$": {"type": "string"}}, "additionalProperties": {"type": "integer"}}"#,
                                    accepts: [#"{"x":1,"xy":"s"}"#], rejects: [#"{"xy":1}"#])
        try Self.expectSameLanguage(#"{"properties": {\#(Self.declared)}, "propertyNames": {"maxLength": 1}, "maxProperties": 4}"#,
                                    accepts: [#"{"a":1,"x":1}"#], rejects: [#"{"xy":1}"#])
    }

    @Test func memberConditionsAndDependencies() throws {
        // "Some member is not an integer": existence conditions carried in the states.
        try Self.expectSameLanguage(#"{"properties": {\#(Self.declared)}, "not": {"additionalProperties": {"type": "integer"}, "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}, "c": {"type": "integer"}, "d": {"type": "integer"}, "e": {"type": "integer"}}}}"#,
                                    accepts: [#"{"a":1,"b":"s"}"#, #"{"x":true}"#], rejects: [#"{"a":1,"e":1,"x":1}"#, "{}"])
        try Self.expectSameLanguage(#"{"properties": {\#(Self.declared)}, "dependentRequired": {"a": ["d"]}, "additionalProperties": false}"#,
                                    accepts: [#"{"a":1,"d":true}"#, #"{"b":"s"}"#], rejects: [#"{"a":1,"b":"s"}"#])
    }

    /// Whitespace around the shared separator, flexible policy.
    @Test func flexibleWhitespace() throws {
        let schema = #"{"properties": {\#(Self.declared)}, "required": ["d"]}"#
        let shared = try Self.space(schema, threshold: 1, whitespace: .flexible(maxRun: 3))
        let separate = try Self.space(schema, threshold: .max, whitespace: .flexible(maxRun: 3))
        for text in [#"{ "a" : 1 , "d" : true }"#, #"{"a":1 ,"b":"s",  "d":true}"#, #"{"d":true ,"x": 1   }"#,
                     #"{"a":1    ,"d":true}"#, #"{"a":1, ,"d":true}"#, #"{"d":true , }"#] {
            #expect(Self.accepts(shared, text) == Self.accepts(separate, text), "\(text)")
        }
        #expect(Self.accepts(shared, #"{ "a" : 1 , "d" : true }"#))
        #expect(!Self.accepts(shared, #"{"a":1    ,"d":true}"#))
    }

    /// Forty optional properties: after a value and through the whitespace before `,`, the
    /// configurations hold a few stacks with the shared separator (the value's end, whitespace,
    /// `,`, `}`), one or two per property without. (After the `,` both hold the names' first
    /// bytes.)
    @Test func separatorIsReadByFewStacks() throws {
        let members = (0..<40).map { #""p\#($0)": {"type": "integer"}"# }.joined(separator: ", ")
        let schema = #"{"type": "object", "properties": {\#(members)}}"#
        func widest(threshold: Int) throws -> Int {
            let space = try Self.space(schema, threshold: threshold, whitespace: .flexible(maxRun: 20))
            var config = space.run(Array(#"{"p0": 1"#.utf8), from: space.initial)
            var width = 0
            for byte in "  ".utf8 {
                width = max(width, space.kernelNodes(config).count)
                config = space.step(config, byte)
                #expect(config >= 0)
            }
            return max(width, space.kernelNodes(config).count)
        }
        let (shared, separate) = (try widest(threshold: MemberChain.sharedSeparatorThreshold), try widest(threshold: .max))
        #expect(shared <= 6, "widest kernel \(shared)")
        #expect(separate >= 40, "widest kernel without sharing \(separate)")
        #expect(MemberChain.nextMemberCounts(required: [false, true, false, false], present: [true, true, false, true], extras: 2)
                == [2, 1, 3, 3, 2])
    }

    /// Masks equal masks found token by token, with whitespace, on a chain long enough to share
    /// its separators, with a required member, counts and extras.
    @Test func chainMasksMatchBruteForce() throws {
        let members = (0..<10).map { #""k\#($0)": {"type": "\#($0 % 2 == 0 ? "integer" : "string")"}"# }.joined(separator: ", ")
        try MaskEquivalenceTests.expectMasksMatchBruteForce(
            schema: #"{"type": "object", "properties": {\#(members)}, "required": ["k7"], "maxProperties": 4, "additionalProperties": {"type": "boolean"}}"#,
            documents: [#"{"k0": 12, "k3": "ab", "k7": "x"}"#, #"{"k7":"", "other": true}"#, #"{ "k2" : 0 ,"k7": "y" , "z": false, "w": true }"#])
    }
}
