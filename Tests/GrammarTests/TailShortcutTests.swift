import Testing
@testable import Grammar

/// Shortcuts of the front end for large schemas (`web-types`): each must give what the
/// general path gives.
@Suite struct TailShortcutTests {
    /// `propertySchemas(for:in:)` through a `PropertySchemaIndex` is the scan of the shapes, on
    /// random shapes small and large (indexed), with repeated names, patterns and additional
    /// schemas, for declared and undeclared names.
    @Test func propertySchemaIndexIsTheScan() throws {
        let builder = SchemaGrammarBuilder(document: try SchemaDocument(try JSONValue(parsing: "{}")), options: .init())
        var random = SplitMix64(seed: 29)
        let names = (0..<40).map { "n\($0)" }
        let patterns = [PatternProperty(source: "^n1", language: .concat([.literal(Array("n1".utf8)), .repetition(.byteClass([0x30...0x39]), min: 0, max: nil)]),
                                        schema: "#/p1"),
                        PatternProperty(source: "^n[0-9]$", language: .concat([.literal(Array("n".utf8)), .byteClass([0x30...0x39])]),
                                        schema: "#/p2")]
        for _ in 0..<300 {
            var shapes: [ObjectShape] = []
            for shapeIndex in 0..<Int(random.next() % 4) {
                var shape = ObjectShape()
                // Around the indexing threshold, and well above it.
                let count = [Int(random.next() % 12), 8, 9, 30][Int(random.next() % 4)]
                for i in 0..<count { shape.properties.append((names[Int(random.next() % 40)], "#/s\(shapeIndex)/\(i)")) }
                for pattern in patterns where random.next() % 3 == 0 { shape.patterns.append(pattern) }
                if random.next() % 2 == 0 { shape.additional = "#/a\(shapeIndex)" }
                shapes.append(shape)
            }
            let index = PropertySchemaIndex(shapes)
            for name in names + ["x", "n1234"] {
                #expect(builder.propertySchemas(for: name, in: index) == builder.propertySchemas(for: name, in: shapes), "\(name)")
            }
        }
    }

    /// A `oneOf` distributed over several contexts: branches disjoint on their own are kept
    /// as they are (their closures in each context made only as references need them), and
    /// branches that overlap are still told apart, in every context.
    @Test func oneOfInManyContexts() throws {
        let disjoint = #"""
            {"$defs": {"v": {"oneOf": [{"type": "string"}, {"type": "integer"},
                                       {"type": "object", "required": ["k"], "properties": {"k": {"type": "null"}}}]}},
             "type": "object", "additionalProperties": false,
             "properties": {"a": {"$ref": "#/$defs/v"},
                            "b": {"allOf": [{"$ref": "#/$defs/v"}, {"maxLength": 2, "maximum": 5}]},
                            "c": {"allOf": [{"$ref": "#/$defs/v"}, {"not": {"type": "string"}}]}}}
            """#
        let grammar = GrammarRecognizer(try Grammar(jsonSchema: try JSONValue(parsing: disjoint), options: .init(whitespace: .compact)))
        for text in [#"{"a":"xyz","b":"xy","c":3}"#, #"{"a":7,"b":5}"#, #"{"a":{"k":null},"b":{"k":null},"c":{"k":null}}"#, "{}"] {
            #expect(grammar.accepts(text), "should accept \(text)")
        }
        for text in [#"{"a":1.5}"#, #"{"b":"xyz"}"#, #"{"b":6}"#, #"{"c":"x"}"#, #"{"a":{}}"#, #"{"a":{"k":1}}"#, #"{"d":1}"#, #"{"a":null}"#] {
            #expect(!grammar.accepts(text), "should reject \(text)")
        }
        // Strings meet both branches (so no string is valid); numbers only the first.
        let overlapping = #"""
            {"$defs": {"v": {"oneOf": [{"minimum": 0}, {"type": "string"}]}},
             "type": "object", "additionalProperties": false,
             "properties": {"a": {"$ref": "#/$defs/v"}, "b": {"allOf": [{"$ref": "#/$defs/v"}, {"maximum": 3}]}}}
            """#
        let told = GrammarRecognizer(try Grammar(jsonSchema: try JSONValue(parsing: overlapping), options: .init(whitespace: .compact)))
        for text in [#"{"a":5,"b":2}"#, #"{"a":0}"#, #"{"a":null}"#, #"{"b":true}"#] {
            #expect(told.accepts(text), "should accept \(text)")
        }
        for text in [#"{"a":"x"}"#, #"{"b":"x"}"#, #"{"a":-1}"#, #"{"b":4}"#] {
            #expect(!told.accepts(text), "should reject \(text)")
        }
    }
}
