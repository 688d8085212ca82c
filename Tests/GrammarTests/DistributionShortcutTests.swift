import Testing
@testable import Grammar

/// The shortcuts of the builder's distribution of disjunctions (`SchemaGrammarBuilder.body`):
/// branches skipped by their types, one branch left continued under the rule's own name,
/// negations of one alternative taken as conjuncts, object bodies shared. Each must keep the
/// language exact.
@Suite struct DistributionShortcutTests {
    private static func builder(_ text: String) throws -> SchemaGrammarBuilder {
        SchemaGrammarBuilder(document: try SchemaDocument(try JSONValue(parsing: text)), options: .init())
    }

    private static func expect(_ text: String, _ cases: [(document: String, valid: Bool)],
                               sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let grammar = try Grammar(jsonSchema: try JSONValue(parsing: text), options: .init(whitespace: .compact))
        let matcher = RegularMatcher(grammar)
        for (document, valid) in cases {
            #expect(matcher.matches(document) == valid, "\(document) should be \(valid ? "accepted" : "rejected")",
                    sourceLocation: sourceLocation)
        }
    }

    /// A property conjoined with a pattern property's `oneOf` of an object, an array and a
    /// string (as in `web-types`, where a catch-all pattern meets every declared property):
    /// branches of other types than the property's are skipped, the others kept.
    private static let patternOneOf = #"""
        {"$defs": {"contribution": {"oneOf": [
                     {"type": "object", "required": ["k"], "properties": {"k": {"type": "integer"}}},
                     {"type": "array", "items": {"type": "integer"}},
                     {"type": "string", "minLength": 2}]}},
         "type": "object",
         "properties": {"s": {"type": "string", "maxLength": 3},
                        "o": {"type": "object", "properties": {"x": {"type": "boolean"}}},
                        "n": {"type": "number"},
                        "any": {"description": "no assertion"}},
         "patternProperties": {"^(?!p$).*$": {"$ref": "#/$defs/contribution"}}}
        """#

    /// `ownTypes(ofAtom:)` is the type set of the merged assertions of the atom's closure, for
    /// every atom the build numbered (conjuncts through `$ref` and `allOf`, branches, negations).
    @Test func ownTypesAreTheClosuresMergedTypes() throws {
        let texts = [Self.patternOneOf, #"""
            {"$defs": {"a": {"allOf": [{"$ref": "#/$defs/b"}, {"type": ["string", "object"]}]},
                       "b": {"type": ["string", "null", "object"], "not": {"type": "null"}},
                       "c": {"oneOf": [{"$ref": "#/$defs/a"}, {"type": "integer"}, {"allOf": [{"type": "string"}, {"type": "integer"}]}]}},
             "type": "array", "items": {"$ref": "#/$defs/c"}}
            """#]
        for text in texts {
            var builder = try Self.builder(text)
            _ = try builder.build()
            #expect(builder.numberedAtoms.count > 5)
            for number in builder.numberedAtoms.indices {
                let atom = builder.numberedAtoms[number].atom
                let merged = try builder.constraints(of: builder.closure(of: [atom], types: .all))
                #expect(try builder.ownTypes(ofAtom: Int32(number)) == merged.types, "\(atom)")
            }
        }
    }

    /// The language where branches of other types are skipped: each property's value must meet
    /// its own schema and exactly one branch (members in declared order, extras after them).
    @Test func branchesOfOtherTypesAreSkippedExactly() throws {
        let values: [(value: String, s: Bool, o: Bool, n: Bool, any: Bool)] = [
            (#""""#, false, false, false, false), (#""x""#, false, false, false, false), (#""xy""#, true, false, false, true),
            (#""xyz""#, true, false, false, true), (#""wxyz""#, false, false, false, true), ("1", false, false, false, false),
            ("[]", false, false, false, true), ("[1]", false, false, false, true), (#"["a"]"#, false, false, false, false),
            ("{}", false, false, false, false), (#"{"k":1}"#, false, true, false, true), (#"{"x":true,"k":1}"#, false, true, false, false),
            (#"{"k":1,"x":true}"#, false, false, false, true),
            (#"{"k":1,"x":1}"#, false, false, false, true), (#"{"k":"a"}"#, false, false, false, false), ("null", false, false, false, false),
        ]
        var cases: [(document: String, valid: Bool)] = []
        for (value, s, o, n, any) in values {
            cases += [("{\"s\":\(value)}", s), ("{\"o\":\(value)}", o), ("{\"n\":\(value)}", n), ("{\"any\":\(value)}", any),
                      ("{\"other\":\(value)}", any), ("{\"p\":\(value)}", true)]
        }
        try Self.expect(Self.patternOneOf, cases)
        // Where one branch is left ("s", "o", "n"), the conjunction with it is named as the rule
        // that distributes: two conjunctions, one rule.
        var builder = try Self.builder(Self.patternOneOf)
        _ = try builder.build()
        #expect(Set(builder.ruleNames.values).count < builder.ruleNames.count)
    }

    /// `pyrseas`' privileges: a `oneOf` of a string enum and closed one-key objects whose values
    /// are closed objects. Within one branch, the negation of each other branch keeps one
    /// alternative ("an object with a key other than …"), which is a conjunct, not a
    /// disjunction of one; the language stays "exactly one branch".
    private static let privileges = #"""
        {"$defs": {"priv": {"oneOf": [
                     {"type": "string", "enum": ["all", "insert"]},
                     {"type": "object", "additionalProperties": false, "properties": {"all": {"additionalProperties": false, "properties": {"grantable": {"type": "boolean"}}}}},
                     {"type": "object", "additionalProperties": false, "properties": {"insert": {"additionalProperties": false, "properties": {"grantable": {"type": "boolean"}}}}},
                     {"type": "object", "additionalProperties": false, "properties": {"delete": {"additionalProperties": false, "properties": {"grantable": {"type": "boolean"}}}}}]}},
         "type": "array", "items": {"$ref": "#/$defs/priv"}}
        """#

    @Test func oneAlternativeNegationsAreConjuncts() throws {
        var builder = try Self.builder(Self.privileges)
        let group = try #require(try builder.node("/$defs/priv").node.groups.first)
        var summaries: [SchemaConstraints] = []
        for branch in group.branches { summaries.append(try builder.constraints(of: builder.closure(of: [branch], types: .all))) }
        var bare = 0
        for i in group.branches.indices {
            for j in group.branches.indices where j != i {
                let alternatives = try builder.negationAlternatives(of: group.branches[j])
                let negation = try builder.negation(of: group.branches[j], alternatives, within: summaries[i], reaching: AtomSet())
                // Never a disjunction of one alternative over every type.
                let groups = try builder.node(negation.atom).node.groups
                #expect(!groups.contains { $0.branches.count == 1 && $0.types == .all }, "¬\(j) within \(i)")
                if alternatives?.parts.contains(where: { $0.atom == negation.atom }) ?? false { bare += 1 }
            }
        }
        // The object branches exclude each other with one alternative each.
        #expect(bare >= 6)
    }

    @Test func oneAlternativeNegationsKeepTheLanguage() throws {
        let values: [(value: String, valid: Bool)] = [
            (#""all""#, true), (#""insert""#, true), (#""delete""#, false), ("1", false), ("null", false), ("{}", false),
            (#"{"all":{}}"#, true), (#"{"all":{"grantable":true}}"#, true), (#"{"all":{"grantable":1}}"#, false),
            (#"{"all":{"x":1}}"#, false), (#"{"all":1}"#, true), (#"{"insert":{}}"#, true), (#"{"all":{},"insert":{}}"#, false),
            (#"{"delete":{"grantable":false}}"#, true), (#"{"x":{}}"#, false), (#"{"all":{"grantable":true},"x":1}"#, false),
        ]
        var cases: [(document: String, valid: Bool)] = [("[]", true)]
        for (value, valid) in values {
            cases.append(("[\(value)]", valid))
            cases.append(("[\(value),\(value)]", valid))
            cases.append(("[\"all\",\(value)]", valid))
        }
        try Self.expect(Self.privileges, cases)
    }

    /// Conjunctions of one object schema (two shapes) with assertions on other types: the same
    /// object inputs.
    private static func sharedPoint(required: [String], properties: String) -> String {
        let names = required.map { "\"\($0)\"" }.joined(separator: ", ")
        return """
            {"$defs": {"point": {"type": "object", "properties": {\(properties)}, "required": [\(names)],
                                 "allOf": [{"properties": {"label": {"type": "string"}}}]}},
             "type": "object",
             "properties": {"a": {"type": ["object", "string"], "minLength": 2, "allOf": [{"$ref": "#/$defs/point"}]},
                            "b": {"type": ["object", "integer"], "minimum": 3, "allOf": [{"$ref": "#/$defs/point"}]},
                            "c": {"$ref": "#/$defs/point"}}}
            """
    }

    /// The three conjunctions share one object body (`objectBodies`: theirs; the root's, of one
    /// shape, is not kept), and each keeps its language.
    @Test func objectBodiesAreSharedAcrossOtherTypes() throws {
        let text = Self.sharedPoint(required: ["x"], properties: #""x": {"type": "integer"}, "y": {"type": "integer"}"#)
        var builder = try Self.builder(text)
        _ = try builder.build()
        #expect(builder.objectBodies.count == 1)
        var cases: [(document: String, valid: Bool)] = []
        for property in ["a", "b", "c"] {
            cases += [("{\"\(property)\":{\"x\":1}}", true), ("{\"\(property)\":{\"x\":1,\"y\":2}}", true),
                      ("{\"\(property)\":{\"y\":1}}", false), ("{\"\(property)\":{\"x\":\"s\"}}", false),
                      ("{\"\(property)\":{}}", false), ("{\"\(property)\":\"st\"}", false), ("{\"\(property)\":5}", false)]
        }
        cases.append((#"{"a":{"x":1},"b":{"x":2,"y":3},"c":{"x":3}}"#, true))
        try Self.expect(text, cases)
    }

    /// A body that relaxed a keyword (`propertyOrder` `.any` with more required properties than
    /// it takes, under `lenient`) is not shared: each conjunction reports its own relaxation.
    @Test func relaxedObjectBodiesAreNotShared() throws {
        let names = (0..<11).map { "p\($0)" }
        let text = Self.sharedPoint(required: names, properties: names.map { "\"\($0)\": {\"type\": \"integer\"}" }.joined(separator: ", "))
        let options = JSONSchemaOptions(whitespace: .compact, lenient: true, propertyOrder: .any)
        let compiled = try JSONSchemaCompiler(options: options).compile(try JSONValue(parsing: text))
        #expect(compiled.relaxations.map(\.pointer).sorted() == ["/$defs/point/required", "/properties/a/required", "/properties/b/required"])
    }
}

