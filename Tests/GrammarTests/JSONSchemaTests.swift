import Foundation
import Testing
@testable import Grammar
import enum Grammar.Expression

// MARK: - A recognizer for grammars

/// Decides membership of byte strings in a `Grammar` with the compiler's reference matcher
/// (memoized end positions, independent of the automata).
struct GrammarRecognizer {
    private let matcher: RegularMatcher

    init(_ grammar: Grammar) { matcher = RegularMatcher(grammar) }

    func accepts(_ text: String) -> Bool { matcher.matches(text) }

    func accepts(_ bytes: [UInt8]) -> Bool { matcher.matches(bytes) }
}

// MARK: - Helpers

/// The tests of the JSON Schema front end (`swift test --filter JSONSchemaTests`).
@Suite enum JSONSchemaTests {}

private func schema(_ text: String) throws -> JSONValue { try JSONValue(parsing: text) }

private func recognizer(_ schemaText: String, _ options: JSONSchemaOptions = .init(whitespace: .compact)) throws -> GrammarRecognizer {
    GrammarRecognizer(try Grammar(jsonSchema: try schema(schemaText), options: options))
}

/// Expects the schema to accept every text of `accepts` and reject every one of `rejects`.
private func expectLanguage(_ schemaText: String, accepts: [String], rejects: [String],
                            options: JSONSchemaOptions = .init(whitespace: .compact),
                            sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let matcher = try recognizer(schemaText, options)
    for text in accepts {
        #expect(matcher.accepts(text), "should accept \(text)", sourceLocation: sourceLocation)
    }
    for text in rejects {
        #expect(!matcher.accepts(text), "should reject \(text)", sourceLocation: sourceLocation)
    }
}

/// The error compiling `schemaText` raises.
private func compileError(_ schemaText: String, options: JSONSchemaOptions = .init()) throws -> GrammarError? {
    do {
        _ = try JSONSchemaCompiler(options: options).compile(try schema(schemaText))
        return nil
    } catch let error as GrammarError {
        return error
    }
}

// MARK: - Keywords

extension JSONSchemaTests {
    @Suite struct Keywords {
        @Test func typesAndBooleanSchemas() throws {
            try expectLanguage(#"{"type": "null"}"#, accepts: ["null"], rejects: ["0", "\"\"", "nul"])
            try expectLanguage(#"{"type": ["boolean", "string"]}"#, accepts: ["true", "false", #""x""#], rejects: ["null", "1"])
            try expectLanguage(#"{"type": "number"}"#, accepts: ["0", "-1.5e+3", "1E5", "0.25"],
                               rejects: ["01", "1.", ".5", "+1", "-", "1e"])
            try expectLanguage(#"{"type": "integer"}"#, accepts: ["0", "-0", "12", "1.0", "-7.000", "1e2", "1.0e2", "1.5e1", "2.25E+2"],
                               rejects: ["1.5", "0.1e0", "1.25e1", "1e-1", "01", "\"1\""])
            try expectLanguage("true", accepts: ["null", #"{"a":[1,{"b":"c"}]}"#, "[]", "-1e5"], rejects: ["[1,]", "{a:1}"])
            #expect(try compileError("false")?.code == .unsatisfiable)
        }

        @Test func stringsAreJSONEncoded() throws {
            try expectLanguage(#"{"type": "string"}"#,
                               accepts: [#""""#, #""é\n\"\\\/""#, #""\u001f\u001F\u0000""#, "\"a/b\"", "\"\u{1F600}\""],
                               rejects: ["\"\n\"", #""\u0041""#, #""\u000a""#, #""\x""#, "\"abc"])
            try expectLanguage(#"{"minLength": 2, "maxLength": 3, "type": "string"}"#,
                               accepts: [#""ab""#, #""\n\t""#, "\"é\u{1F600}\"", #""abc""#],
                               rejects: [#""a""#, #""abcd""#])
            try expectLanguage(#"{"pattern": "^[a-c]+\\d$", "maxLength": 3}"#,
                               accepts: [#""ab1""#, #""c9""#, "1", "null"], rejects: [#""abc1""#, #""d1""#, #""a""#])
            try expectLanguage(#"{"pattern": "/x"}"#, accepts: [#""a/x""#, #""a\/xb""#], rejects: [#""ax""#])
        }

        @Test func enumAndConstCompareByValue() throws {
            try expectLanguage(#"{"enum": [1, "a", null, [1, {"k": true}], {"x": 2.5}]}"#,
                               accepts: ["1", "1.0", "1.00", #""a""#, "null", #"[1.0,{"k":true}]"#, #"{"x":2.50}"#],
                               rejects: ["2", "true", #""b""#, #"[1]"#, #"{"x":2.5,"y":1}"#])
            try expectLanguage(#"{"const": 0}"#, accepts: ["0", "-0", "0.0"], rejects: ["1", "false"])
            try expectLanguage(#"{"const": [1, 2]}"#, accepts: ["[ 1 ,\n2 ]"], rejects: ["[1,2,3]"],
                               options: .init(whitespace: .flexible(maxRun: 3)))
            try expectLanguage(#"{"enum": [1, 2.5, "x"], "type": "integer"}"#, accepts: ["1"], rejects: ["2.5", #""x""#])
            try expectLanguage(#"{"enum": ["ab", "abc"], "maxLength": 2}"#, accepts: [#""ab""#], rejects: [#""abc""#])
            #expect(try compileError(#"{"enum": ["a"], "type": "integer"}"#)?.code == .unsatisfiable)
        }

        /// Two large enums met in one conjunction keep their common values, in the first one's
        /// order, whatever their sizes (large ones are intersected through a set).
        @Test func largeEnumsIntersect() throws {
            let evens = (0..<40).map { "\"v\($0 * 2)\"" }.joined(separator: ", ")
            let threes = (0..<30).map { "\"v\($0 * 3)\"" }.joined(separator: ", ")
            try expectLanguage(#"{"allOf": [{"enum": [\#(evens)]}, {"enum": [\#(threes)]}, {"not": {"const": "v12"}}]}"#,
                               accepts: [#""v0""#, #""v6""#, #""v78""#], rejects: [#""v2""#, #""v3""#, #""v12""#, #""v84""#])
        }

        @Test func objectsFollowDeclaredOrder() throws {
            let schemaText = #"""
            {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "string"}, "c": {"type": "null"}},
             "required": ["b"], "additionalProperties": {"type": "boolean"}}
            """#
            try expectLanguage(schemaText,
                               accepts: [#"{"b":"x"}"#, #"{"a":1,"b":""}"#, #"{"a":1,"b":"","c":null}"#, #"{"b":"","z":true,"y":false}"#,
                                         #"{"a":1,"b":"","c":null,"d":true}"#],
                               rejects: ["{}", #"{"a":1}"#, #"{"b":"x","a":1}"#, #"{"b":"x","a":true}"#, #"{"b":"x","z":1}"#,
                                         #"{"b":"x",}"#, #"{,"b":"x"}"#, #"{"a":1,,"b":""}"#])
            try expectLanguage(#"{"properties": {"a": {}}, "additionalProperties": false}"#,
                               accepts: ["{}", #"{"a":[]}"#, "7"], rejects: [#"{"b":1}"#, #"{"a":1,"a":1}"#])
            // Required names that are not declared take the additional-properties schema.
            try expectLanguage(#"{"required": ["x"], "additionalProperties": {"type": "integer"}}"#,
                               accepts: [#"{"x":1}"#, #"{"x":1,"y":2}"#], rejects: ["{}", #"{"x":"s"}"#])
            #expect(try compileError(#"{"type": "object", "required": ["x"], "additionalProperties": false}"#)?.code == .unsatisfiable)
            // Many optional properties stay linear and keep commas right.
            let many = (0..<12).map { "\"p\($0)\": {\"type\": \"integer\"}" }.joined(separator: ",")
            try expectLanguage("{\"type\": \"object\", \"properties\": {\(many)}, \"additionalProperties\": false}",
                               accepts: ["{}", #"{"p3":1}"#, #"{"p0":1,"p11":2}"#, #"{"p1":1,"p2":2,"p5":3}"#],
                               rejects: [#"{"p3":1,"p1":2}"#, #"{"p1":1,,"p2":2}"#, #"{"p1":1"p2":2}"#])
        }

        @Test func keysAreEncodedAndExtrasExcludeDeclaredNames() throws {
            try expectLanguage(#"{"type": "object", "properties": {"a/b": {"const": 1}, "q\"": {"const": 2}}}"#,
                               accepts: [#"{"a/b":1}"#, #"{"a\/b":1}"#, #"{"q\"":2}"#, #"{"a/b":1,"other":3}"#],
                               rejects: [#"{"a/b":2}"#, #"{"other":3,"a/b":1}"#, #"{"q\"":1}"#])
        }

        @Test func arrays() throws {
            try expectLanguage(#"{"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 3}"#,
                               accepts: ["[1]", "[1,2,3]"], rejects: ["[]", "[1,2,3,4]", "[1,\"a\"]", "[1,]"])
            try expectLanguage(#"{"prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false}"#,
                               accepts: ["[]", #"["a"]"#, #"["a",1]"#], rejects: [#"["a",1,2]"#, "[1]", #"[,"a"]"#])
            try expectLanguage(#"{"prefixItems": [{"const": 1}], "items": {"type": "string"}, "minItems": 2}"#,
                               accepts: [#"[1,"x"]"#, #"[1,"x","y"]"#], rejects: ["[1]", #"["x","y"]"#])
            try expectLanguage(#"{"type": "array", "maxItems": 0}"#, accepts: ["[]"], rejects: ["[1]"])
            // Draft-07 tuple form.
            try expectLanguage(#"{"$schema": "http://json-schema.org/draft-07/schema#", "items": [{"type": "integer"}], "additionalItems": {"type": "boolean"}}"#,
                               accepts: ["[1]", "[1,true,false]"], rejects: ["[true]", "[1,2]"])
            try expectLanguage(#"{"type": "array", "items": {"type": "integer"}}"#, accepts: ["[ 1 , 2 ]", "[ ]", "[\n]", " [1]", "[1]\n"],
                               rejects: ["[1 2]", "[,]"], options: .init())
            #expect(try compileError(#"{"type": "array", "minItems": 3, "maxItems": 2}"#)?.code == .unsatisfiable)
        }

        @Test func whitespacePolicy() throws {
            let schemaText = #"{"type": "object", "properties": {"a": {"type": "array"}}}"#
            try expectLanguage(schemaText, accepts: [#"{"a":[]}"#], rejects: [#"{ "a":[]}"#], options: .init(whitespace: .compact))
            try expectLanguage(schemaText, accepts: ["{ \"a\" :\t[ ] }", "{\n \"a\": []\n}"], rejects: ["{   \"a\":[]}"],
                               options: .init(whitespace: .flexible(maxRun: 2)))
        }

        @Test func integerBounds() throws {
            try expectLanguage(#"{"type": "integer", "minimum": -15, "maximum": 120}"#,
                               accepts: ["-15", "-9", "-0", "0", "7", "99", "100", "119", "120", "120.0"],
                               rejects: ["-16", "-20", "121", "200", "1000", "1.5"])
            try expectLanguage(#"{"type": "integer", "exclusiveMinimum": 9.5, "exclusiveMaximum": 1000}"#,
                               accepts: ["10", "999", "500"], rejects: ["9", "1000", "-10", "10.5"])
            try expectLanguage(#"{"type": "integer", "minimum": 123456789012345678901234567890}"#,
                               accepts: ["123456789012345678901234567890", "123456789012345678901234567891", "2000000000000000000000000000000"],
                               rejects: ["123456789012345678901234567889", "-123456789012345678901234567891", "99"])
            try expectLanguage(#"{"type": "integer", "maximum": -100}"#, accepts: ["-100", "-101", "-1000"], rejects: ["-99", "0", "-0", "5"])
            try expectLanguage(#"{"type": "integer", "exclusiveMaximum": 0}"#, accepts: ["-1"], rejects: ["0", "-0", "1"])
        }

        @Test func decimalBounds() throws {
            try expectLanguage(#"{"type": "number", "minimum": -1.5, "exclusiveMaximum": 2.25}"#,
                               accepts: ["-1.5", "-1.50", "-1.49", "-1", "0", "2", "2.2", "2.249999", "-0.0"],
                               rejects: ["-1.51", "-2", "2.25", "2.250", "2.3", "3"])
            try expectLanguage(#"{"exclusiveMinimum": 0}"#, accepts: ["0.001", "5", #""s""#, "1e-6", "2.5E+3"],
                               rejects: ["0", "-0", "0.0", "-0.1", "0e5", "-1e-6"])
            try expectLanguage(#"{"type": "number", "maximum": 0}"#, accepts: ["0", "-0.0e1", "-3", "-1e-9"], rejects: ["1e-9", "2"])
        }

        /// Bounds whose numerals end in 9s (at most) or 0s (at least), also after shifting by
        /// an exponent: the round bounds built with one free tail per significant digit.
        @Test func roundAndHugeBounds() throws {
            try expectLanguage(#"{"type": "number", "minimum": 1000, "maximum": 1999}"#,
                               accepts: ["1000", "1999", "1500.5", "1.999e3", "19.99E+2", "1999.0", "10000e-1"],
                               rejects: ["999", "999.99", "2000", "1999.5", "2e3", "1.9991e3", "19991e-1"])
            try expectLanguage(#"{"type": "integer", "exclusiveMinimum": 999, "exclusiveMaximum": 2000}"#,
                               accepts: ["1000", "1999", "1.5e3"], rejects: ["999", "2000", "2e3", "9.99e2"])
            let largest = "179769" + String(repeating: "0", count: 303)
            let beyond = "17977" + String(repeating: "0", count: 304)
            try expectLanguage(#"{"type": "number", "minimum": 0, "maximum": 1.79769e308}"#,
                               accepts: ["0", "1e20", largest, largest + ".0", "179769" + String(repeating: "0", count: 283) + "e20",
                                         String(repeating: "9", count: 308), "17976.9e-20"],
                               rejects: ["-1", beyond, largest + ".1", "17977" + String(repeating: "0", count: 284) + "e20",
                                         "1" + String(repeating: "0", count: 309)])
        }

        /// Bounds on either side of zero, built as one union per sign.
        @Test func boundsAroundZero() throws {
            try expectLanguage(#"{"type": "number", "minimum": -0.5, "maximum": 0.5}"#,
                               accepts: ["0.5", "-0.5", "-0", "0", "5e-1", "-50e-2", "-0.0e7", "0.49"],
                               rejects: ["0.51", "-0.6", "5.1e-1", "-1", "1e0"])
            try expectLanguage(#"{"type": "number", "exclusiveMinimum": -1, "exclusiveMaximum": 1}"#,
                               accepts: ["0.99", "-0.99", "-0", "0", "-9e-1"], rejects: ["1", "-1", "-1.0", "10e-1", "-10E-1"])
            try expectLanguage(#"{"type": "number", "minimum": 0, "maximum": 0}"#,
                               accepts: ["0", "-0", "0.0", "0e3", "-0.0E-2"], rejects: ["1e-9", "-1e-9", "1"])
            try expectLanguage(#"{"type": "integer", "minimum": 0, "maximum": 10}"#,
                               accepts: ["0", "-0", "10", "1.0e1", "0.0", "3"], rejects: ["-1", "11", "1.5", "-0.5"])
            try expectLanguage(#"{"type": "integer", "minimum": -10, "maximum": 0}"#,
                               accepts: ["0", "-0", "-10", "-1.0e1"], rejects: ["1", "-11", "-0.5"])
            try expectLanguage(#"{"type": "number", "exclusiveMinimum": 0, "maximum": 3}"#,
                               accepts: ["0.001", "3", "3e0"], rejects: ["0", "-0", "0e1", "3.01"])
            try expectLanguage(#"{"type": "number", "minimum": -3, "exclusiveMaximum": 0}"#,
                               accepts: ["-0.001", "-3", "-3e0"], rejects: ["0", "-0", "-0e1", "-3.01"])
        }

        @Test func multipleOf() throws {
            try expectLanguage(#"{"type": "integer", "multipleOf": 7}"#, accepts: ["0", "7", "-14", "700", "7.0"],
                               rejects: ["1", "15", "7.5"])
            try expectLanguage(#"{"type": "number", "multipleOf": 0.25, "minimum": 0}"#,
                               accepts: ["0", "0.25", "1.5", "10.750", "-0"], rejects: ["0.1", "-0.25", "1.125"])
            // With bounds other than 0: the divisibility automaton times the bounds.
            try expectLanguage(#"{"type": "integer", "multipleOf": 3, "maximum": 10}"#, accepts: ["9", "0", "-3", "-300", "6.0"],
                               rejects: ["12", "4", "10", "9.5"])
            try expectLanguage(#"{"type": "number", "multipleOf": 0.7, "exclusiveMinimum": -1.4, "maximum": 2.1}"#,
                               accepts: ["-0.7", "0", "1.4", "2.1", "2.10"], rejects: ["-1.4", "2.8", "0.35", "1"])
            // Decimal steps are exact (no floating point): 0.07 is a multiple of 0.01.
            try expectLanguage(#"{"type": "number", "multipleOf": 0.01, "minimum": 0, "maximum": 1}"#,
                               accepts: ["0.07", "0.10", "1", "0.5", "1.00"], rejects: ["0.005", "1.01", "-0.01", "0.071"])
            try expectLanguage(#"{"type": "number", "not": {"multipleOf": 2}}"#, accepts: ["1", "2.5", "-3", "0.1"], rejects: ["2", "0", "-4", "4.0"])
            // Every integer is a multiple of 0.5: the integer language stays, with its exponent forms.
            try expectLanguage(#"{"type": "integer", "multipleOf": 0.5}"#, accepts: ["1e308", "7", "1.5e1"], rejects: ["1.5", "1e309"])
            // Divisors whose automaton exceeds the budget, between close bounds: the few values written out.
            try expectLanguage(#"""
                {"type": "integer", "multipleOf": 13, "exclusiveMinimum": 100, "exclusiveMaximum": 1000,
                 "not": {"anyOf": [{"multipleOf": 2}, {"multipleOf": 3}, {"multipleOf": 5}, {"multipleOf": 7}, {"multipleOf": 11}]}}
                """#, accepts: ["169", "221", "949", "169.0"], rejects: ["130", "104", "13", "1001", "1170", "170", "0"])
            try expectLanguage(#"""
                {"allOf": [{"multipleOf": 6.75}, {"multipleOf": 19}, {"multipleOf": 9.5}, {"multipleOf": 2.125}],
                 "not": {"anyOf": [{"multipleOf": 2}, {"multipleOf": 5}, {"multipleOf": 7}, {"multipleOf": 11}, {"multipleOf": 37}]},
                 "exclusiveMinimum": -100000, "exclusiveMaximum": -10000}
                """#, accepts: ["-26163", "-78489"], rejects: ["-8721", "-17442", "-43605", "-26163.5", "26163"])
            // A divisibility automaton of 9,240 remainders (JSONSchemaBench Handwritten/allany4's
            // last conjunction): after the point only "accepted or not" is kept.
            try expectLanguage(#"""
                {"type": "number", "minimum": 1, "allOf": [{"multipleOf": 3}, {"multipleOf": 11}],
                 "not": {"anyOf": [{"multipleOf": 5}, {"multipleOf": 7}, {"multipleOf": 8}]}}
                """#, accepts: ["33", "99", "33.0", "9999", "1353.000"],
                rejects: ["0", "-33", "264", "165", "231", "34", "33.5", "99.01"])
            // 4,004 remainders under a bound of six digits (Handwritten/allany9): the product is
            // minimized within a wider budget than the result's.
            try expectLanguage(#"""
                {"type": "number", "exclusiveMaximum": -100000, "allOf": [{"multipleOf": 77}, {"multipleOf": 44}, {"multipleOf": 13}],
                 "not": {"multipleOf": 429}}
                """#, accepts: ["-100100", "-104104", "-112112", "-104104.0", "-4004000000000000000000000004004"],
                rejects: ["-108108", "-96096", "-104105", "104104", "-100000", "-104104.5"])
            // Divisors with and without a fraction: each is scaled to the common scale (2 is 20
            // tenths), so odd integers are multiples of neither 2 nor 6.5.
            try expectLanguage(#"{"not": {"anyOf": [{"multipleOf": 2}, {"multipleOf": 6.5}]}}"#,
                               accepts: ["1", "3", "-1", "0.5", "3.25", "1.0", "2.5"], rejects: ["13", "19.5", "4", "0", "-2", "6.50"])
        }

        /// Divisibility with large coprime parts: one automaton per prime power, combined by
        /// products minimized after each step, embedded as an automaton.
        @Test func multipleOfWithLargeModuli() throws {
            // Handwritten/num5's `b`: 3,703,700 remainders at scale 1, 62,965 states once
            // minimized (remainders modulo 7·11·13·37 and where the numeral is).
            try expectLanguage(#"""
                {"not": {"anyOf": [{"multipleOf": 2}, {"multipleOf": 6.5}, {"multipleOf": 5}, {"multipleOf": 7},
                                   {"multipleOf": 11}, {"multipleOf": 37}]}}
                """#, accepts: ["1", "3", "9", "-17", "0.1", "1.5", "3.25", "1.0", "37037.1", "-1001.3", "12345678901"],
                rejects: ["0", "2", "5", "7", "11", "13", "26", "37", "169", "481", "19.5", "1001", "37037", "-74074", "15.0", "1e0"])
            try expectLanguage(#"{"type": "integer", "not": {"anyOf": [{"multipleOf": 7}, {"multipleOf": 11}, {"multipleOf": 13}, {"multipleOf": 37}]}}"#,
                               accepts: ["1", "2", "36", "-1000", "37038", "37036.0"], rejects: ["7", "143", "481", "37037", "-74074", "0"])
            try expectLanguage(#"{"type": "integer", "multipleOf": 40009}"#,
                               accepts: ["0", "40009", "-80018", "400090000", "40009.0"], rejects: ["1", "40008", "40010", "4000.9"])
            // Beyond the budget (a prime factor above it, or coprime parts whose product is): the
            // remainders are kept as the output reaches them (`RemainderNumerals`).
            try expectLanguage(#"{"type": "integer", "multipleOf": 1000003}"#,
                               accepts: ["0", "1000003", "-2000006", "1000003.0", "1000006000009"],
                               rejects: ["1", "1000002", "1000004", "1000003.5"])
            try expectLanguage(#"{"type": "integer", "not": {"anyOf": [{"multipleOf": 541}, {"multipleOf": 499}]}}"#,
                               accepts: ["1", "540", "-1000", "270000"], rejects: ["541", "499", "269959", "1082", "0"])
            // Beyond those too: more fraction digits than `RemainderNumerals.maxScale`.
            #expect(try compileError(#"{"multipleOf": 0.00001234567}"#)?.location == .jsonPointer("/multipleOf"))
        }

        @Test func boundsAcceptExponentForms() throws {
            try expectLanguage(#"{"type": "number", "minimum": 1.5}"#,
                               accepts: ["2e0", "15e-1", "1.5E+0", "0.2e1", "1E20", "1.6", "100"],
                               rejects: ["1e0", "14e-1", "1e-5", "-2e3", "1.4"])
            try expectLanguage(#"{"type": "integer", "minimum": 1, "maximum": 100}"#,
                               accepts: ["1e2", "10", "1.5e1", "0.5e1", "100.0"], rejects: ["1e3", "2e2", "0", "1.5", "1e-1"])
            try expectLanguage(#"{"type": "number", "exclusiveMaximum": -0.001}"#,
                               accepts: ["-1e-2", "-0.0011", "-2E-3", "-5"], rejects: ["-1e-3", "-0.001", "0", "-1e-4"])
            try expectLanguage(#"{"not": {"const": 100}, "type": "number"}"#, accepts: ["101", "1e3", "99.5"], rejects: ["100", "1e2", "1.0e2", "1000e-1"])
        }

        @Test func combinators() throws {
            try expectLanguage(#"{"anyOf": [{"type": "string", "maxLength": 1}, {"type": "integer"}]}"#,
                               accepts: [#""a""#, "3"], rejects: [#""ab""#, "1.5"])
            try expectLanguage(#"{"oneOf": [{"type": "string"}, {"type": "number"}]}"#, accepts: [#""a""#, "1.5"], rejects: ["null"])
            try expectLanguage(#"""
                {"oneOf": [
                  {"type": "object", "properties": {"kind": {"const": "a"}, "x": {"type": "integer"}}, "required": ["kind"]},
                  {"type": "object", "properties": {"kind": {"const": "b"}, "y": {"type": "string"}}, "required": ["kind"]}]}
                """#, accepts: [#"{"kind":"a","x":1}"#, #"{"kind":"b","y":"s"}"#], rejects: [#"{"kind":"a","x":"s"}"#, #"{"kind":"c"}"#])
            // Overlapping oneOf branches: exactly one must hold ("xy" matches both).
            try expectLanguage(#"{"properties": {"a": {"oneOf": [{"type": "string"}, {"minLength": 2}]}}}"#,
                               accepts: [#"{"a":"x"}"#, #"{"a":5}"#, #"{"a":null}"#], rejects: [#"{"a":"xy"}"#, #"{"a":"abc"}"#])
            try expectLanguage(#"""
                {"allOf": [{"type": ["string", "integer"], "minLength": 2}, {"type": "string", "pattern": "^a"}, {"maxLength": 3}]}
                """#, accepts: [#""ab""#, #""abc""#], rejects: [#""a""#, #""abcd""#, #""ba""#, "12"])
            try expectLanguage(#"""
                {"allOf": [{"properties": {"a": {"type": "integer"}}, "required": ["a"]},
                           {"properties": {"a": {"minimum": 3}, "b": {"type": "string"}}, "additionalProperties": false}]}
                """#, accepts: [#"{"a":3}"#, #"{"a":4,"b":"x"}"#], rejects: [#"{"a":2}"#, #"{"b":"x"}"#, #"{"a":3,"c":1}"#])
            #expect(try compileError(#"{"allOf": [{"type": "string"}, {"type": "integer"}]}"#)?.code == .unsatisfiable)
            // anyOf inside allOf distributes.
            try expectLanguage(#"{"allOf": [{"anyOf": [{"minimum": 5}, {"maximum": 1}]}, {"type": "integer"}]}"#,
                               accepts: ["5", "1", "-3"], rejects: ["3", "2", "\"x\""])
        }

        @Test func referencesAndRecursion() throws {
            try expectLanguage(#"""
                {"$defs": {"node": {"type": "object", "properties": {"value": {"type": "integer"}, "next": {"$ref": "#/$defs/node"}},
                                    "required": ["value"], "additionalProperties": false}},
                 "$ref": "#/$defs/node"}
                """#, accepts: [#"{"value":1}"#, #"{"value":1,"next":{"value":2,"next":{"value":3}}}"#],
                rejects: [#"{"value":1,"next":{}}"#, #"{"next":{"value":1}}"#])
            try expectLanguage(##"{"type": ["array", "integer"], "items": {"$ref": "#"}}"##,
                               accepts: ["1", "[]", "[1,[2,[3,[]]]]"], rejects: ["[\"a\"]", "[[1.5]]"])
            try expectLanguage(##"{"definitions": {"a~b/c%d": {"type": "string"}}, "items": {"$ref": "#/definitions/a~0b~1c%25d"}}"##,
                               accepts: [#"["x"]"#], rejects: ["[1]"])
            try expectLanguage(##"{"$defs": {"x": {"$anchor": "thing", "type": "null"}}, "properties": {"p": {"$ref": "#thing"}}}"##,
                               accepts: [#"{"p":null}"#], rejects: [#"{"p":1}"#])
            let grammar = try Grammar(jsonSchema: try schema(##"{"$defs": {"s": {"type": "string", "minLength": 2}}, "prefixItems": [{"$ref": "#/$defs/s"}, {"$ref": "#/$defs/s"}]}"##))
            #expect(grammar.rules.filter { $0.name.hasPrefix("def-s") }.count == 1, "one shared rule per definition")
            let unresolved = try compileError(##"{"properties": {"a": {"$ref": "#/$defs/missing"}}}"##)
            #expect(unresolved?.code == .unresolvedReference)
            #expect(unresolved?.location == .jsonPointer("/properties/a/$ref"))
            #expect(try compileError(#"{"$ref": "http://example.com/other.json"}"#)?.code == .unresolvedReference)
        }

        @Test func formats() throws {
            try expectLanguage(#"{"format": "date"}"#, accepts: [#""2024-02-29""#, #""2000-02-29""#, #""1999-12-31""#],
                               rejects: [#""2023-02-29""#, #""1900-02-29""#, #""2024-04-31""#, #""2024-1-01""#])
            try expectLanguage(#"{"format": "date-time"}"#, accepts: [#""2024-05-01T10:20:30Z""#, #""2024-05-01t10:20:30.5+05:30""#],
                               rejects: [#""2024-05-01 10:20:30Z""#, #""2024-05-01T24:00:00Z""#])
            try expectLanguage(#"{"format": "ipv4"}"#, accepts: [#""192.168.0.1""#], rejects: [#""256.1.1.1""#, #""01.1.1.1""#])
            try expectLanguage(#"{"format": "uuid"}"#, accepts: [#""2eb8aa08-aa98-11ea-b4aa-73b441d16380""#], rejects: [#""2eb8aa08""#])
            try expectLanguage(#"{"format": "email"}"#, accepts: [#""x@example.com""#, "1"], rejects: [#""x""#, #""@x""#])
            try expectLanguage(#"{"format": "nonsense-format"}"#, accepts: [#""anything""#], rejects: [],
                               options: .init(whitespace: .compact, assertFormat: false))
            try expectLanguage(#"{"format": "uri-template"}"#, accepts: [#""http://x/{a:10}/{+b,c*}""#, #""""#, #""{%41}""#],
                               rejects: [#""{}""#, #""{v:0}""#, #""a b""#, #""{a..b}""#, #""x}""#])
            try expectLanguage(#"{"format": "json-pointer"}"#, accepts: [#""""#, #""/a~1b/~0""#, #""//""#], rejects: [#""a""#, #""/~2""#, ##""#/a""##])
            try expectLanguage(#"{"format": "relative-json-pointer"}"#, accepts: [##""0#""##, #""12/a""#, #""1""#],
                               rejects: [#""01""#, #""-1/a""#, #""/a""#, ###""0##""###])
            try expectLanguage(#"{"format": "iri"}"#, accepts: ["\"http://ƒøø.ßår/?∂=π#π\"", #""urn:x:y""#, #""http://[::1]/""#],
                               rejects: [#""/abc""#, "\"âππ\"", #""http://[::ffff:1.2.3.04]""#])
            try expectLanguage(#"{"format": "iri-reference"}"#, accepts: ["\"âππ\"", "\"#ƒr\""], rejects: ["\"#ƒ\\\\r\""])
            // A length bound on date-time bounds its fraction digits instead of multiplying automata.
            try expectLanguage(#"{"format": "date-time", "maxLength": 23}"#,
                               accepts: [#""2024-05-01T10:20:30.12Z""#, #""2024-05-01T10:20:30Z""#, #""2024-05-01T10:20:30.1Z""#],
                               rejects: [#""2024-05-01T10:20:30.123Z""#, #""2024-05-01T10:20:30+01:00""#])
            try expectLanguage(#"{"format": "time", "minLength": 11, "maxLength": 12}"#, accepts: [#""10:20:30.1Z""#, #""10:20:30.12Z""#],
                               rejects: [#""10:20:30Z""#, #""10:20:30.123Z""#, #""10:20:30+01:00""#])
            // An unknown format is an annotation (the suite's optional/format/unknown.json), listed
            // among the relaxations; the `.error` policy refuses it instead.
            let annotated = try JSONSchemaCompiler(options: .init(whitespace: .compact))
                .compile(try schema(#"{"properties": {"d": {"format": "nonsense-format", "maxLength": 3}}}"#))
            #expect(annotated.relaxations.map(\.pointer) == ["/properties/d/format"])
            #expect(GrammarRecognizer(annotated.grammar).accepts(#"{"d":"abc"}"#))
            #expect(!GrammarRecognizer(annotated.grammar).accepts(#"{"d":"abcd"}"#))
            let unknown = try compileError(#"{"properties": {"d": {"format": "nonsense-format"}}}"#, options: .init(unknownFormats: .error))
            #expect(unknown?.code == .unsupportedValue)
            #expect(unknown?.location == .jsonPointer("/properties/d/format"))
        }

        @Test func portableFormatsLeaveOutLeapSecondsAndYearZero() throws {
            let leapSecond = #""1998-12-31T23:59:60Z""#, shiftedLeapSecond = #""1998-12-31T15:59:60.5-08:00""#
            try expectLanguage(#"{"format": "date-time"}"#, accepts: [leapSecond, shiftedLeapSecond, #""0000-02-29T00:00:00Z""#],
                               rejects: [#""1998-12-31T23:58:60Z""#])
            let portable = JSONSchemaOptions(whitespace: .compact, portableFormats: true)
            try expectLanguage(#"{"format": "date-time"}"#, accepts: [#""1998-12-31T23:59:59Z""#, #""0001-01-01T00:00:00Z""#],
                               rejects: [leapSecond, shiftedLeapSecond, #""0000-01-01T00:00:00Z""#], options: portable)
            try expectLanguage(#"{"format": "date"}"#, accepts: [#""0400-02-29""#, #""0004-02-29""#, #""2000-02-29""#],
                               rejects: [#""0000-02-29""#, #""0000-01-01""#, #""1900-02-29""#], options: portable)
            try expectLanguage(#"{"format": "time", "maxLength": 12}"#, accepts: [#""23:59:59.5Z""#], rejects: [#""23:59:60Z""#],
                               options: portable)
            // Negation keeps the standard language: a leap second is a date-time, so `not` rejects it.
            try expectLanguage(#"{"type": "string", "not": {"format": "date-time"}}"#, accepts: [#""x""#], rejects: [leapSecond],
                               options: portable)
        }

        @Test func portablePatternsAgreeAcrossEngines() throws {
            // Keys outside `^.+$` take `additionalProperties`; "a\n" is outside under ECMA-262
            // but inside under Python's `$`, so a portable output never uses it as such a key.
            let schema = #"{"patternProperties": {"^.+$": {"type": "integer"}}, "additionalProperties": {"type": "string"}}"#
            let portable = JSONSchemaOptions(whitespace: .compact, portablePatterns: true)
            try expectLanguage(schema, accepts: [#"{"a\n":"x"}"#, #"{"a":1}"#, #"{"":"x"}"#], rejects: [#"{"a":"x"}"#])
            try expectLanguage(schema, accepts: [#"{"a":1}"#, #"{"":"x"}"#], rejects: [#"{"a\n":"x"}"#, #"{"a\n":1}"#],
                               options: portable)
            // A matched pattern takes what both engines match: U+001C is `\S` in ECMA-262, `\s` in Python.
            try expectLanguage(#"{"pattern": "^\\S$"}"#, accepts: [#""x""#, #""\u001c""#], rejects: [#"" ""#])
            try expectLanguage(#"{"pattern": "^\\S$"}"#, accepts: [#""x""#], rejects: [#""\u001c""#, #"" ""#], options: portable)
            // A negated one excludes what either engine matches.
            try expectLanguage(#"{"type": "string", "not": {"pattern": "^\\d+$"}}"#, accepts: [#""x""#], rejects: [#""\u0663""#, #""1""#],
                               options: portable)
        }

        /// A word boundary (JSONSchemaStore's dein schema) and lookaheads heading a repeated
        /// character (Github_hard/o5983), on real instances.
        @Test func patternsWithWordBoundariesAndLookaheadLoops() throws {
            let url = #"^https?:\\/\\/(www\\.)?[-a-zA-Z0-9@:%._\\+~#=]{1,256}\\.[a-zA-Z0-9()]{1,6}\\b([-a-zA-Z0-9()@:%_\\+.~#?&//=]*)$"#
            try expectLanguage(#"{"type": "string", "pattern": "\#(url)"}"#,
                               accepts: [#""https://github.com/Shougo/dein.vim""#, #""http://www.example.com""#, #""https://example.comabc/x""#],
                               rejects: [#""https://example.comabcdefgh""#, #""ftp://example.com""#, #""https://example""#])
            try expectLanguage(#"{"type": "string", "pattern": "^((?!mode)(?!Mode).)*$"}"#,
                               accepts: [#""""#, #""editor""#, #""mod e""#, #""MODE""#], rejects: [#""mode""#, #""darkMode""#, #""a modem""#])
        }

        @Test func regexFormatIsASubsetValidInBothEngines() throws {
            try expectLanguage(#"{"format": "regex"}"#,
                               accepts: [#""([abc])+\\s+$""#, #""^[a-z0-9_]{3,16}$""#, #""(?:x|y)*?""#, #""a{2,10}b{0,}c{3}""#,
                                         #""[^\\]\\-]""#, #""\\u00e9\\x41.""#, #""""#, #""a|""#, #""((((a))))""#, "1"],
                               rejects: [#""^(abc]""#, #""\\a""#, #""(?P<n>x)""#, #""(?i)abc""#, #""[z-a]""#, #""a{3,1}""#, #""[]""#,
                                         #""a**""#, #""{1}""#, #""x]""#, #""a{,5}""#, #""[a-Z]""#, #""(((((a)))))""#,
                                         // Valid in ECMA-262, outside the subset: not produced.
                                         #""(?<n>x)""#, #""(?<=a)b""#, #""(?=a)""#])
            // Leaving valid patterns out is listed among the relaxations.
            let compilation = try JSONSchemaCompiler().compile(try schema(#"{"properties": {"p": {"format": "regex"}}}"#))
            #expect(compilation.relaxations.map(\.pointer) == ["/properties/p/format"])
            // A caller who wants exact formats only refuses the subset (lenient: not checked, listed).
            let refused = try compileError(#"{"properties": {"p": {"format": "regex"}}}"#, options: .init(formatSubsets: .refuse))
            #expect(refused?.code == .unsupportedValue)
            #expect(refused?.location == .jsonPointer("/properties/p/format"))
            let unchecked = try JSONSchemaCompiler(options: .init(whitespace: .compact, lenient: true, formatSubsets: .refuse))
                .compile(try schema(#"{"properties": {"p": {"format": "regex"}}}"#))
            #expect(unchecked.relaxations.map(\.pointer) == ["/properties/p/format"])
            #expect(GrammarRecognizer(unchecked.grammar).accepts(#"{"p":"(?<n>x)"}"#))
            // Its complement would admit the valid patterns left out: where it must fail, no
            // string is produced (listed). Other values satisfy `format`, so fail its negation.
            let negated = try JSONSchemaCompiler(options: .init(whitespace: .compact))
                .compile(try schema(#"{"anyOf": [{"not": {"format": "regex"}}, {"type": "boolean"}]}"#))
            #expect(negated.relaxations.map(\.pointer) == ["/anyOf/0/not/format", "/anyOf/0/not/format"])
            #expect(GrammarRecognizer(negated.grammar).accepts("true"))
            #expect(!GrammarRecognizer(negated.grammar).accepts(#""(abc""#))
            #expect(!GrammarRecognizer(negated.grammar).accepts("1"))
            // A constant is decided only when the subset settles it.
            try expectLanguage(#"{"format": "regex", "enum": ["(abc", "a+"]}"#, accepts: [#""a+""#], rejects: [#""(abc""#])
            #expect(try compileError(#"{"format": "regex", "enum": ["(?<n>x)", "a"]}"#)?.code == .unsupportedValue)
        }

        @Test func hostnameIsAListedSubsetWithoutALabels() throws {
            try expectLanguage(#"{"format": "hostname"}"#, accepts: [#""example.com""#, #""a-b.c1""#],
                               rejects: [#""-a.com""#, #""xn--ihqwcrb4cv8a8dqg056pqjye""#, #""xn--X""#])
            let compilation = try JSONSchemaCompiler().compile(try schema(#"{"properties": {"h": {"format": "hostname"}}}"#))
            #expect(compilation.relaxations.map(\.pointer) == ["/properties/h/format"])
            // Its negation leaves out every string of A-label shape, valid or not.
            try expectLanguage(#"{"type": "string", "not": {"format": "hostname"}}"#, accepts: [#""-a""#, #""a..b""#, #""ab--c""#],
                               rejects: [#""example.com""#, #""xn--ihqwcrb4cv8a8dqg056pqjye""#, #""XN--X.com""#])
            let oneOf = #"{"type": "string", "oneOf": [{"format": "hostname"}, {"format": "ipv4"}]}"#
            try expectLanguage(oneOf, accepts: [#""example.com""#], rejects: [#""1.2.3.4""#, #""xn--ihqwcrb4cv8a8dqg056pqjye""#])
            #expect(try compileError(#"{"format": "hostname"}"#, options: .init(formatSubsets: .refuse))?.code == .unsupportedValue)
        }

        @Test func idnFormatsAreTheirASCIISubsets() throws {
            try expectLanguage(#"{"format": "idn-hostname"}"#, accepts: [#""example.com""#, #""a-b.c1""#, "1"],
                               rejects: [#""-a.com""#, #""a..b""#, #""xn--ihqwcrb4cv8a8dqg056pqjye""#,
                                         // Valid U-labels, outside the subset: not produced.
                                         #""실례.테스트""#, #""straße.de""#])
            try expectLanguage(#"{"format": "idn-email"}"#, accepts: [#""joe.bloggs@example.com""#],
                               rejects: [#""2962""#, #""joe@""#, #""실례@실례.테스트""#])
            let compilation = try JSONSchemaCompiler().compile(try schema(#"{"anyOf": [{"format": "idn-hostname"}, {"format": "idn-email"}]}"#))
            #expect(compilation.relaxations.map(\.pointer) == ["/anyOf/0/format", "/anyOf/1/format"])
            try expectLanguage(#"{"anyOf": [{"not": {"format": "idn-email"}}, {"type": "null"}]}"#, accepts: ["null"],
                               rejects: [#""joe@""#, #""x""#, "1"])
            #expect(try compileError(#"{"format": "idn-hostname", "const": "straße.de"}"#)?.code == .unsupportedValue)
        }

        @Test func formatSupersetsAdmitEveryValidValue() throws {
            let widen = JSONSchemaOptions(whitespace: .compact, formatSubsets: .widen)
            try expectLanguage(#"{"format": "hostname"}"#, accepts: [#""example.com""#, #""xn--ihqwcrb4cv8a8dqg056pqjye""#, "1"],
                               rejects: [#""-a.com""#, #""a..b""#, #""ab--c""#, #""example．com""#], options: widen)
            try expectLanguage(#"{"format": "idn-hostname"}"#,
                               accepts: [#""실례.테스트""#, #""straße.de""#, #""例子。测试""#, #""l·l""#, #""α͵Α""#, #""ב׳ב""#,
                                         #""ぁ・ぁ""#, #""ب٠٠""#, "\"क्\u{200D}ष\"", "\"بي\u{200C}بي\"", #""XN--ihqwcrb4cv8a8dqg056pqjye""#],
                               rejects: [#""〮실례.테스트""#, #""ःhello""#, #""ـߺ""#, #""a·l""#, #""l·""#, #""α͵S""#, #""A׳ב""#,
                                         #""def・abc""#, #""・""#, #""ب٠۰""#, "\"क\u{200D}ष\"", "\"क्\u{200C}षx\u{200C}y\"",
                                         #""0ا""#, #""aא""#, #""א0٠""#, #""-hello""#, #""a..b""#, #""example。""#,
                                         #""\#(String(repeating: "a", count: 64))""#],
                               options: widen)
            try expectLanguage(#"{"format": "idn-email"}"#, accepts: [#""실례@실례.테스트""#, #""\"한국\"@example.com""#, #""joe@[1.2.3.4]""#],
                               rejects: [#""2962""#, #""user＠example.com""#, #""joe@""#], options: widen)
            try expectLanguage(#"{"format": "regex"}"#,
                               accepts: [#""(?<n>x)\\k<n>""#, #""(?<=a|bc)d""#, #""[]""#, #""[^]""#, #""\\cA""#, #""(?i:a)""#,
                                         #""\\p{Lu}+""#, #""((((((((a))))))))""#, #""a{3,1}""#],
                               rejects: [#""\\a""#, #""(?P<n>x)""#, #""(?P<n>a)(?P=n)""#, #""(?#c)a""#, #""(?i)abc""#, #""(a""#, #""a)""#],
                               options: widen)
            // Listed, with what is admitted; under `not` every string outside the subset.
            let compilation = try JSONSchemaCompiler(options: widen).compile(try schema(#"{"properties": {"h": {"format": "hostname"}}}"#))
            #expect(compilation.relaxations.map(\.pointer) == ["/properties/h/format"])
            #expect(compilation.relaxations.first?.detail.contains("superset") == true)
            try expectLanguage(#"{"type": "string", "not": {"format": "idn-hostname"}}"#, accepts: [#""실례.테스트""#, #""-a""#],
                               rejects: [#""example.com""#], options: widen)
        }
    }
}

// MARK: - Negation, conditionals, dependencies, counts

extension JSONSchemaTests {
    @Suite struct Logic {
        @Test func notOfCommonForms() throws {
            try expectLanguage(#"{"not": {"type": ["integer", "boolean"]}}"#,
                               accepts: ["null", "1.5", #""x""#, "[]", "{}"], rejects: ["1", "1.0", "true", "false"])
            try expectLanguage(#"{"not": {"const": "a"}, "type": "string"}"#, accepts: [#""b""#, #""aa""#, #""""#], rejects: [#""a""#])
            try expectLanguage(#"{"not": {"enum": [1, null, [1, 2], {"k": true}]}}"#,
                               accepts: ["2", "1.5", "false", "[1]", "[1,3]", "[1,2,3]", #"{"k":false}"#, #"{"k":true,"j":1}"#, "{}"],
                               rejects: ["1", "1.0", "null", "[1,2]", "[1.0,2]", #"{"k":true}"#])
            try expectLanguage(#"{"type": "string", "not": {"pattern": "^a"}}"#, accepts: [#""ba""#, #""""#], rejects: [#""abc""#, #""a""#])
            try expectLanguage(#"{"type": "string", "not": {"minLength": 3}}"#, accepts: [#""ab""#], rejects: [#""abc""#])
            try expectLanguage(#"{"type": "integer", "not": {"minimum": 5, "maximum": 10}}"#,
                               accepts: ["4", "11", "-3"], rejects: ["5", "7", "10"])
            try expectLanguage(#"{"not": {"required": ["a"]}, "type": "object"}"#, accepts: ["{}", #"{"b":1}"#], rejects: [#"{"a":1}"#])
            try expectLanguage(#"{"not": {"properties": {"a": {"type": "string"}}}, "type": "object"}"#,
                               accepts: [#"{"a":1}"#], rejects: [#"{"a":"x"}"#, "{}", #"{"b":1}"#])
            try expectLanguage(#"{"type": "integer", "not": {"multipleOf": 3}}"#, accepts: ["1", "2", "4", "-5"], rejects: ["0", "3", "-6", "9"])
            try expectLanguage(#"{"not": {"not": {"type": "null"}}}"#, accepts: ["null"], rejects: ["1"])
            #expect(try compileError(#"{"not": {}}"#)?.code == .unsatisfiable)
        }

        @Test func ifThenElse() throws {
            try expectLanguage(#"{"if": {"exclusiveMaximum": 0}, "then": {"minimum": -10}, "else": {"multipleOf": 2}}"#,
                               accepts: ["-1", "-10", "0", "4", #""x""#], rejects: ["-11", "3"])
            // The common case: a discriminating property selects the rest of the object.
            try expectLanguage(#"""
                {"type": "object", "properties": {"kind": {"enum": ["a", "b"]}, "x": {}},
                 "if": {"properties": {"kind": {"const": "a"}}}, "then": {"required": ["x"]}, "else": {"properties": {"x": false}}}
                """#, accepts: [#"{"kind":"a","x":1}"#, #"{"kind":"b"}"#, #"{"x":1}"#], rejects: [#"{"kind":"a"}"#, #"{"kind":"b","x":1}"#, "{}"])
        }

        @Test func conditionalsOnOneDiscriminatorStaySmall() throws {
            // Twelve if/then on the same property: branches that need two different values of it
            // are dropped as contradictory, so the rules grow quadratically, not as 2^12.
            let conditions = (0..<12).map { #"{"if": {"properties": {"kind": {"const": "k\#($0)"}}}, "then": {"required": ["p\#($0)"]}}"# }
            let text = #"{"type": "object", "allOf": [\#(conditions.joined(separator: ","))]}"#
            let grammar = try Grammar(jsonSchema: try schema(text), options: .init(whitespace: .compact))
            #expect(grammar.rules.count < 600, "\(grammar.rules.count) rules")
            let matcher = GrammarRecognizer(grammar)
            #expect(matcher.accepts(#"{"kind":"k3","p3":1}"#))
            #expect(!matcher.accepts(#"{"kind":"k3"}"#))
            // An overlapping oneOf whose branches differ by an anchored pattern is provably disjoint.
            try expectLanguage(#"""
                {"oneOf": [{"properties": {"t": {"pattern": "^A$"}, "v": {"type": "string"}}, "required": ["t"]},
                           {"properties": {"t": {"pattern": "^(B|C)$"}, "v": {"type": "integer"}}, "required": ["t"]}]}
                """#, accepts: [#"{"t":"A","v":"x"}"#, #"{"t":"C","v":1}"#], rejects: [#"{"t":"A","v":1}"#, #"{"v":1}"#])
        }

        /// Ten closed one-key objects all match `{}`; within each, the negation of another
        /// keeps only "has a key other than yours", so the exclusions stay small.
        /// Branches that a `kind` property tells apart where one of them requires it and the
        /// others only constrain it when present (JSONSchemaStore's hayson schema): disjoint,
        /// so the `oneOf` stays a plain choice.
        @Test func oneOfWithAnOptionalDiscriminatorOnOneSide() throws {
            let text = #"""
                {"oneOf": [
                  {"type": "object", "additionalProperties": false, "properties": {"_kind": {"enum": ["dict"]}},
                   "patternProperties": {"^[a-z]": {"type": "number"}}},
                  {"type": "object", "additionalProperties": false, "required": ["_kind"], "properties": {"_kind": {"enum": ["marker"]}}},
                  {"type": "object", "additionalProperties": false, "required": ["_kind", "val"],
                   "properties": {"_kind": {"enum": ["number"]}, "val": {"type": "number"}}},
                  {"type": "object", "additionalProperties": false, "required": ["_kind", "val"],
                   "properties": {"_kind": {"enum": ["number"]}, "val": {"enum": ["NaN", "INF"]}}}]}
                """#
            try expectLanguage(text, accepts: ["{}", #"{"_kind":"dict","a":1}"#, #"{"_kind":"marker"}"#, #"{"_kind":"number","val":2}"#,
                                               #"{"_kind":"number","val":"NaN"}"#],
                               rejects: [#"{"_kind":"marker","a":1}"#, #"{"_kind":"number"}"#, #"{"_kind":"number","val":"x"}"#,
                                         #"{"_kind":"other"}"#, #"{"A":1}"#])
            var builder = SchemaGrammarBuilder(document: try SchemaDocument(try schema(text)), options: .init())
            let root = builder.rootAtom()
            let atoms = try builder.node(root).node.groups.first?.branches ?? []
            #expect(atoms.count == 4)
            var branches: [SchemaConstraints] = []
            for atom in atoms { branches.append(try builder.constraints(of: builder.closure(of: [atom], types: .all))) }
            for i in branches.indices {
                for j in branches.indices where j > i { #expect(try builder.areDisjoint(branches[i], branches[j], depth: 0), "\(i) \(j)") }
            }
        }

        /// An agent or a group (Github_hard/o13457, xAPI): the group branch is itself a `oneOf`
        /// whose branches all require `"objectType": "Group"`, which an agent's `objectType`
        /// (`"Agent"` when present) never is; each agent holds exactly one identifier.
        @Test func oneOfToldApartThroughANestedDisjunction() throws {
            let text = #"""
                {"$defs": {
                   "mbox": {"required": ["mbox"], "properties": {"mbox": {"type": "string"}},
                            "patternProperties": {"^openid$": {"type": "null"}}},
                   "openid": {"required": ["openid"], "properties": {"openid": {"type": "string"}},
                              "patternProperties": {"^mbox$": {"type": "null"}}},
                   "agent": {"type": "object", "allOf": [
                     {"properties": {"objectType": {"enum": ["Agent"]}, "mbox": {}, "openid": {}}, "additionalProperties": false},
                     {"oneOf": [{"$ref": "#/$defs/mbox"}, {"$ref": "#/$defs/openid"}]}]},
                   "group": {"type": "object", "oneOf": [
                     {"required": ["objectType", "member"], "additionalProperties": false,
                      "properties": {"objectType": {"enum": ["Group"]}, "member": {"type": "array", "items": {"$ref": "#/$defs/agent"}}}},
                     {"required": ["objectType", "mbox"], "additionalProperties": false,
                      "properties": {"objectType": {"enum": ["Group"]}, "mbox": {"type": "string"}}}]}},
                 "oneOf": [{"$ref": "#/$defs/agent"}, {"$ref": "#/$defs/group"}]}
                """#
            try expectLanguage(text, accepts: [#"{"mbox":"m"}"#, #"{"objectType":"Agent","mbox":null,"openid":"o"}"#,
                                               #"{"objectType":"Group","member":[{"openid":"o"}]}"#, #"{"objectType":"Group","mbox":"m"}"#],
                               rejects: [#"{"mbox":"m","openid":"o"}"#, #"{"objectType":"Group"}"#, #"{"objectType":"Agent","mbox":"m","member":[]}"#,
                                         #"{"objectType":"Group","mbox":"m","member":[]}"#, "{}"])
            // A nested disjunction proves nothing for values it does not decide: strings hold
            // both branches here, so the `oneOf` refuses them.
            try expectLanguage(#"""
                {"oneOf": [{"anyOf": [{"type": "object", "required": ["t"], "properties": {"t": {"const": "A"}}}, {"type": "string"}]},
                           {"type": ["object", "string"], "required": ["t"], "properties": {"t": {"const": "B"}}}]}
                """#, accepts: [#"{"t":"A"}"#, #"{"t":"B"}"#], rejects: [#""x""#, #"{"t":"C"}"#, "{}"])
        }

        /// `oneOf` groups met in several contexts: pairs of branches disjoint on their own are
        /// proved once per group (`contextFreeDisjointness`), the others in each context, where
        /// the context may tell them apart (`loose` under `"type": "string"`).
        @Test func oneOfBranchesProvedDisjointOncePerGroup() throws {
            let text = #"""
                {"$defs": {
                   "scalar": {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "object", "required": ["k"]}]},
                   "loose": {"oneOf": [{"type": "integer"}, {"minimum": 0}]}},
                 "type": "object",
                 "properties": {
                   "a": {"$ref": "#/$defs/scalar"},
                   "b": {"allOf": [{"$ref": "#/$defs/scalar"}, {"minLength": 2}]},
                   "c": {"$ref": "#/$defs/loose"},
                   "d": {"allOf": [{"$ref": "#/$defs/loose"}, {"type": "string"}]}}}
                """#
            try expectLanguage(text, accepts: [#"{"a":"x","b":"xy","c":-1,"d":"x"}"#, #"{"a":1,"b":3,"c":"s"}"#,
                                               #"{"a":{"k":1},"b":{"k":2}}"#, #"{"c":1.5}"#],
                               rejects: [#"{"b":"x"}"#, #"{"c":5}"#, #"{"c":0}"#, #"{"d":1}"#, #"{"a":{}}"#, #"{"a":null}"#])
            var builder = SchemaGrammarBuilder(document: try SchemaDocument(try schema(text)), options: .init())
            let scalar = try #require(try builder.node("/$defs/scalar").node.groups.first)
            #expect(try builder.contextFreeDisjointness(of: scalar) == [[false, true, true], [true, false, true], [true, true, false]])
            let loose = try #require(try builder.node("/$defs/loose").node.groups.first)
            #expect(try builder.contextFreeDisjointness(of: loose) == [[false, false], [false, false]])
        }

        /// Membership answers, asked of several languages in turns (the last language asked is
        /// compared before the languages are looked up), are those of a fresh matcher.
        @Test func membershipCacheAnswersPerLanguage() {
            let languages: [Expression] = [.concat([.text("a"), .zeroOrMore(.text("b"))]), .anyText,
                                           .concat([.text("a"), .zeroOrMore(.text("c"))]), .text("ab")]
            let cache = MembershipCache()
            for text in ["a", "ab", "abb", "ac", "", "b", "ab", "acc"] {
                for language in languages + languages.reversed() + [languages[0], languages[0]] {
                    #expect(cache.matches(text, language) == RegularMatcher(language).matches(text), "\(text) \(language)")
                }
            }
        }

        @Test func oneOfOfClosedOneKeyObjectsIsExact() throws {
            let names = ["all", "insert", "delete", "select", "update", "truncate", "references", "trigger", "usage", "execute"]
            let branches = names.map { #"{"type": "object", "additionalProperties": false, "properties": {"\#($0)": {"type": "boolean"}}}"# }
            try expectLanguage(#"{"oneOf": [{"enum": ["all", "insert"]}, \#(branches.joined(separator: ", "))]}"#,
                               accepts: [#""all""#, #"{"all":true}"#, #"{"execute":false}"#],
                               rejects: ["{}", #""delete""#, #"{"all":1}"#, #"{"all":true,"insert":true}"#, #"{"x":true}"#])
        }

        /// Eight open objects sharing a base by `$ref`, each requiring its own key: an object
        /// with two of the keys matches two branches. Within a branch, the negations of the
        /// shared base and of its properties meet nothing, so each exclusion is "missing that
        /// key, or that key invalid".
        @Test func oneOfOfBranchesSharingABaseIsExact() throws {
            let kinds = ["node", "python", "shell", "docker", "go", "ruby", "rust", "java"]
            let branches = kinds.map { ##"{"allOf": [{"$ref": "#/$defs/base"}, {"required": ["\##($0)"], "properties": {"env": {"$ref": "#/$defs/env"}, "\##($0)": {"type": "object", "required": ["entry"]}}}]}"## }
            let text = #"""
                {"$defs": {"base": {"type": "object", "properties": {"name": {"type": "string"}}},
                           "env": {"type": "array", "items": {"type": "string"}}},
                 "oneOf": [\#(branches.joined(separator: ", "))]}
                """#
            try expectLanguage(text, accepts: [#"{"node":{"entry":1}}"#, #"{"name":"x","go":{"entry":1},"java":1}"#],
                               rejects: [#"{"node":{"entry":1},"go":{"entry":2}}"#, #"{"name":1,"node":{"entry":1}}"#, "{}",
                                         #"{"node":{"entry":1},"env":[1]}"#])
        }

        @Test func oneOfBranchOverlappingDiscriminatedOnesStaysExact() throws {
            // The last branch overlaps the others, which a `kind` constant tells apart: excluding
            // them splits by `kind` (a sum of their negations instead of a product).
            let kinds = (0..<8).map { #"{"type": "object", "required": ["kind", "v\#($0)"], "properties": {"kind": {"const": "K\#($0)"}, "v\#($0)": {"type": "integer"}, "w": {"enum": [1, 2, 3]}, "x": {"maxLength": 2}}}"# }
            let catchAll = #"{"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}, "c": {"type": "boolean"}}}"#
            let text = #"{"oneOf": [\#((kinds + [catchAll]).joined(separator: ","))]}"#
            try expectLanguage(text,
                               accepts: [#"{"kind":"Z"}"#, #"{"kind":"K1"}"#, #"{"kind":"K1","v1":1,"c":"x"}"#, #"{"kind":"K7","w":4,"v7":1}"#],
                               rejects: [#"{"kind":"K1","v1":1}"#, #"{"kind":"K2","v2":1,"c":true}"#, #"{"kind":5}"#, #"{"kind":"K1","v2":1,"c":"x"}"#])
            // Branches without `type`: every non-object satisfies them all, so none is valid;
            // objects are told apart by `name`.
            let errors = (0..<8).map { #"{"required": ["name", "code\#($0)"], "properties": {"name": {"enum": ["e\#($0)"]}, "code\#($0)": {"type": "integer"}, "detail": {"type": "string"}}}"# }
            try expectLanguage(#"{"oneOf": [\#(errors.joined(separator: ","))]}"#,
                               accepts: [#"{"name":"e0","code0":1}"#, #"{"name":"e7","code7":2,"detail":"x"}"#, #"{"name":"e3","code3":1,"code4":1}"#],
                               rejects: ["1", "null", #""e0""#, "[]", #"{"name":"e0"}"#, #"{"name":"e9","code9":1}"#, #"{"name":"e1","code1":"x"}"#,
                                         #"{"name":"e2","code2":1,"detail":3}"#])
            // A branch with a keyword on non-objects: its verdict there is not its types alone.
            try expectLanguage(#"""
                {"oneOf": [{"required": ["k"], "properties": {"k": {"const": 1}}, "minLength": 2},
                           {"type": "object", "required": ["k"], "properties": {"k": {"const": 2}}},
                           {"type": "object", "required": ["k"], "properties": {"k": {"const": 3}}},
                           {"type": ["string", "object"]}]}
                """#, accepts: [#""a""#, "1", "null", #"{"k":4}"#, "{}"], rejects: [#""ab""#, #"{"k":1}"#, #"{"k":2}"#, #"{"k":3}"#])
        }

        /// Closed controls told apart by an optional `type` (Github_medium/o9802): with `type`
        /// present, its value selects the branch; without it, exactly one branch must hold,
        /// decided by the properties where the branches differ — each branch repeats `id`
        /// with the same schema (another description), which never tells them apart.
        @Test func oneOfWithAnOptionalDiscriminatorAndRepeatedProperties() throws {
            let controls = [("range", #""max": {"type": "number"}, "defaultValue": {"type": ["number", "string"]}"#),
                            ("toggle", #""defaultValue": {"type": "boolean"}"#),
                            ("text", #""defaultValue": {"type": "string", "maxLength": 3}"#),
                            ("switch", #""states": {"type": "array"}"#)]
            let branches = controls.map { name, properties in
                #"{"type": "object", "additionalProperties": false, "properties": {"type": {"enum": ["\#(name)"]}, "#
                    + #""id": {"type": "string", "maxLength": 4, "description": "the \#(name)"}, \#(properties)}}"#
            }
            let text = #"{"oneOf": [\#(branches.joined(separator: ", "))]}"#
            try expectLanguage(text,
                               accepts: [#"{"type":"range","id":"a"}"#, #"{"type":"toggle"}"#, #"{"max":1}"#, #"{"id":"a","states":[]}"#,
                                         #"{"defaultValue":true}"#, #"{"defaultValue":1}"#, #"{"defaultValue":"long"}"#,
                                         #"{"type":"text","defaultValue":"ab"}"#],
                               rejects: ["{}", #"{"id":"a"}"#, #"{"defaultValue":"ab"}"#, #"{"type":"toggle","max":1}"#,
                                         #"{"max":1,"states":[]}"#, #"{"type":"other"}"#, #"{"id":"abcde","max":1}"#, #"{"defaultValue":null}"#])
            // The same schema with an identifier of its own is not taken as equal.
            var builder = SchemaGrammarBuilder(document: try SchemaDocument(try schema(#"""
                {"$defs": {"a": {"type": "string", "title": "A"}, "b": {"type": "string", "description": "B"},
                           "c": {"$id": "c", "type": "string"}, "d": {"properties": {"title": {"type": "string"}}},
                           "e": {"properties": {"description": {"type": "string"}}}}}
                """#)), options: .init())
            #expect(builder.areEquivalentSchemas("/$defs/a", "/$defs/b"))
            #expect(!builder.areEquivalentSchemas("/$defs/a", "/$defs/c"))
            #expect(!builder.areEquivalentSchemas("/$defs/d", "/$defs/e"))
            _ = builder.rootAtom()
        }

        /// GeoJSON with `emum` for `enum` in some branches (Github_trivial/o63308): six
        /// geometries told apart by `type`, and catch-alls whose `type` is any string. A
        /// catch-all excludes the six as a sum split on `type`, times the other catch-alls'
        /// negations; inside, "an item that is no geometry" splits the same way.
        @Test func oneOfWithSomeBranchesDiscriminated() throws {
            let geometries = (0..<6).map { #"{"type": "object", "required": ["type", "c"], "properties": {"type": {"enum": ["G\#($0)"]}, "c": {"type": "array", "minItems": \#($0)}}}"# }
            let text = ##"""
                {"$defs": {"geometry": {"oneOf": [\##(geometries.joined(separator: ", "))]}},
                 "oneOf": [\##(geometries.joined(separator: ", ")),
                   {"type": "object", "required": ["type", "items"], "properties": {"type": {"type": "string"},
                    "items": {"type": "array", "items": {"$ref": "#/$defs/geometry"}}}},
                   {"type": "object", "required": ["type", "other"], "properties": {"type": {"type": "string"}}}]}
                """##
            try expectLanguage(text,
                               accepts: [#"{"type":"G1","c":[0]}"#, #"{"type":"G9","items":[]}"#, #"{"type":"G0","c":[],"items":[1]}"#,
                                         #"{"type":"G2","items":[{"type":"G0","c":[]}],"c":[0]}"#, #"{"type":"X","other":1}"#,
                                         #"{"type":"G3","c":[0,0],"other":1}"#],
                               rejects: [#"{"type":"G1","c":[0],"items":[]}"#, #"{"type":"X","items":[],"other":1}"#,
                                         #"{"type":"G2","c":[0,0],"items":[{"type":"G0","c":[]}],"other":1}"#, #"{"type":"G1","c":[]}"#,
                                         #"{"type":"G4","c":[0,0,0,0],"other":2}"#, "{}", #"{"type":"G3","c":[0,0,0],"items":[],"other":1}"#,
                                         #"{"type":"G3","items":[],"c":[0,0,0],"other":1}"#])
            // "Neither geometry": the split on `type` and the product of the rest.
            try expectLanguage(##"{"type": "object", "not": {"$ref": "#/$defs/geometry"}, "$defs": {"geometry": {"oneOf": [\##(geometries.joined(separator: ", ")), {"required": ["z"]}]}}}"##,
                               accepts: ["{}", #"{"type":"G1"}"#, #"{"type":"G1","c":[0],"z":1}"#, #"{"type":"G7","c":[]}"#, #"{"type":1,"c":[]}"#],
                               rejects: [#"{"type":"G1","c":[0]}"#, #"{"z":1}"#, #"{"type":"G0","c":[]}"#])
        }

        /// Eleven closed field kinds by `$ref`, told apart by an optional `type`
        /// (Github_hard/o36016): without `type`, each excludes the others by "a member outside
        /// your names", conditions its members' keys decide, so the object's states carry a
        /// few sets of them rather than 2^10.
        @Test func oneOfOfReferencedClosedObjectsWithoutTheirDiscriminator() throws {
            let kinds = (0..<11).map { #""f\#($0)": {"type": "object", "additionalProperties": false, "required": ["label"], "#
                + #""properties": {"type": {"enum": ["k\#($0)"]}, "label": {"type": "string"}, "x\#($0)": {"type": "integer"}}}"# }
            let references = (0..<11).map { ##"{"$ref": "#/$defs/f\##($0)"}"## }
            let text = ##"{"$defs": {\##(kinds.joined(separator: ", "))}, "oneOf": [\##(references.joined(separator: ", "))]}"##
            try expectLanguage(text, accepts: [#"{"label":"a","x3":1}"#, #"{"type":"k3","label":"a"}"#, #"{"type":"k10","label":"a","x10":2}"#],
                               rejects: [#"{"label":"a"}"#, #"{"label":"a","x3":1,"x4":1}"#, #"{"type":"k3","label":"a","x4":1}"#,
                                         #"{"label":"a","x3":"1"}"#, #"{"type":"k11","label":"a"}"#])
        }

        /// Nine open meters sharing a base, told apart by an optional `protocol`, each with
        /// four properties of its own (Github_hard/o21819). Without `protocol`, a meter holds
        /// alone only when each other has a property of its own failing: each exclusion is one
        /// member condition ("some member of these names fails"), not four alternatives.
        @Test func oneOfOfOpenObjectsExcludedByFailingMembers() throws {
            let meters = (0..<9).map { j in
                let own = (0..<4).map { #""q\#(j)_\#($0)": {"type": "integer"}"# }.joined(separator: ", ")
                return ##""m\##(j)": {"allOf": [{"$ref": "#/$defs/base"}, {"properties": {"protocol": {"enum": ["p\##(j)"]}, \##(own)}}]}"##
            }
            let references = (0..<9).map { ##"{"$ref": "#/$defs/m\##($0)"}"## }
            let text = ##"{"$defs": {"base": {"type": "object", "properties": {"enabled": {"type": "boolean"}}}, \##(meters.joined(separator: ", "))}, "oneOf": [\##(references.joined(separator: ", "))]}"##
            let failing = (0..<8).map { #""q\#($0)_0":"s""# }
            try expectLanguage(text,
                               accepts: [#"{"protocol":"p0"}"#, #"{"protocol":"p3","q3_0":1,"q4_0":"s"}"#, "{\(failing.joined(separator: ","))}",
                                         #"{"enabled":true,"#+"\(failing.joined(separator: ","))}"],
                               rejects: ["{}", #"{"enabled":true}"#, #"{"protocol":"p3","q3_0":"s"}"#, "{\(failing.dropLast().joined(separator: ","))}",
                                         "{\(failing.joined(separator: ",")),\"q8_1\":\"s\"}", #"{"q0_0":1,"#+"\(failing.dropFirst().joined(separator: ","))}",
                                         #"{"protocol":"p9"}"#])
        }

        /// "None of an `anyOf` of open objects" inside a `oneOf` (JsonSchemaStore/opspec-io's
        /// `dependencies`: the constraints of five parameter kinds, or an array of strings).
        /// Neither branch has a `type`: an object must fail all four kinds, an array must hold
        /// a non-string item. Each kind fails when one of its eleven properties fails, and the
        /// four negations multiply to 14,641 conjunctions; taken as one member condition each,
        /// they add up.
        @Test func noneOfOpenObjectsInOneOf() throws {
            let kinds = (0..<4).map { i in
                let own = (0..<10).map { #""p\#(i)_\#($0)": {"type": "integer"}"# }.joined(separator: ", ")
                return #"{"properties": {"title": {"type": "string"}, \#(own)}}"#
            }
            let text = #"{"oneOf": [{"anyOf": [\#(kinds.joined(separator: ", "))]}, {"items": {"type": "string"}}]}"#
            try expectLanguage(text,
                               accepts: [#"{"title":1}"#, #"{"title":1,"p0_3":2}"#, #"{"p0_0":"s","p1_9":"s","p2_0":"s","p3_5":"s"}"#,
                                         #"{"p3_5":[],"p2_0":{},"p1_9":null,"p0_0":"s","title":"t"}"#, "[1]", #"["a",2]"#, "[[]]"],
                               rejects: ["{}", #"{"title":"t"}"#, #"{"p0_0":"s","p1_0":"s","p2_0":"s"}"#,
                                         #"{"p0_0":"s","p1_0":"s","p2_0":"s","p3_0":1}"#, #"{"p0_0":"s","p1_0":"s","p2_0":"s","p3_10":"s"}"#,
                                         "[]", #"["a","b"]"#, #""x""#, "1", "null", "true"])
        }

        @Test func dependencies() throws {
            try expectLanguage(#"{"dependentRequired": {"bar": ["foo"]}}"#,
                               accepts: ["{}", #"{"foo":1}"#, #"{"bar":2,"foo":1}"#, "[1]"], rejects: [#"{"bar":2}"#])
            try expectLanguage(#"{"properties": {"a": {}, "b": {}}, "dependentSchemas": {"a": {"properties": {"b": {"type": "integer"}}, "required": ["b"]}}}"#,
                               accepts: ["{}", #"{"b":"x"}"#, #"{"a":1,"b":2}"#, "7"], rejects: [#"{"a":1}"#, #"{"a":1,"b":"x"}"#])
            try expectLanguage(#"{"$schema": "http://json-schema.org/draft-07/schema#", "dependencies": {"a": ["b"], "c": {"maxProperties": 1}}}"#,
                               accepts: [#"{"a":1,"b":1}"#, #"{"c":1}"#], rejects: [#"{"a":1}"#, #"{"c":1,"d":2}"#])
        }

        @Test func propertyCounts() throws {
            try expectLanguage(#"{"minProperties": 1, "maxProperties": 2}"#,
                               accepts: [#"{"a":1}"#, #"{"a":1,"b":2}"#, "null"], rejects: ["{}", #"{"a":1,"b":2,"c":3}"#])
            try expectLanguage(#"{"properties": {"a": {}, "b": {}}, "required": ["a"], "maxProperties": 2}"#,
                               accepts: [#"{"a":1}"#, #"{"a":1,"b":2}"#, #"{"a":1,"z":2}"#], rejects: [#"{"a":1,"b":2,"z":3}"#, #"{"b":1}"#])
        }

        @Test func patternAndAdditionalProperties() throws {
            let text = #"""
                {"properties": {"foo": {"type": "array", "maxItems": 3}}, "patternProperties": {"f.o": {"minItems": 2}, "^x": {"type": "string"}},
                 "additionalProperties": {"type": "integer"}}
                """#
            try expectLanguage(text, accepts: [#"{"foo":[1,2]}"#, #"{"fxo":[1,2,3,4]}"#, #"{"xa":"s"}"#, #"{"q":1}"#, #"{"xfoo":"s"}"#],
                               rejects: [#"{"foo":[1]}"#, #"{"foo":[1,2,3,4]}"#, #"{"fxo":[1]}"#, #"{"xa":1}"#, #"{"q":"s"}"#, #"{"xfoo":[1,2]}"#])
            try expectLanguage(#"{"propertyNames": {"pattern": "^a+$"}}"#, accepts: ["{}", #"{"a":1,"aa":2}"#], rejects: [#"{"ab":1}"#])
            try expectLanguage(#"{"propertyNames": {"enum": ["x", "y"]}, "properties": {"z": {}}}"#,
                               accepts: [#"{"x":1}"#], rejects: [#"{"z":1}"#, #"{"w":1}"#])
        }

        /// Eight patterns no key can match two of: nine regions, not 2^8.
        /// Five "some key of this set" conditions (a negated `anyOf` of `propertyNames`,
        /// JSONSchemaBench Handwritten/pnmp4): a key witnesses together only the conditions
        /// whose sets share it.
        @Test func manyMemberExistenceConditions() throws {
            let sets = [["1", "3"], ["2", "7", "9"], ["2", "3", "11"], ["2", "4", "5"], ["1", "2", "5"]]
            let branches = sets.map { #"{"propertyNames": {"not": {"enum": \#($0)}}}"# }
            let text = #"""
                {"type": "object", "patternProperties": {"^[0-9]$": {"type": "array", "minItems": 2}},
                 "additionalProperties": false, "maxProperties": 3, "not": {"anyOf": [\#(branches.joined(separator: ", "))]}}
                """#
            try expectLanguage(text, accepts: [#"{"1":[0,0],"2":[0,0]}"#, #"{"3":[0,0],"2":[0,0]}"#, #"{"9":[0,0],"3":[0,0],"5":[0,0]}"#],
                               rejects: ["{}", #"{"1":[0,0],"3":[0,0]}"#, #"{"2":[0,0]}"#, #"{"1":[0],"2":[0,0]}"#,
                                         #"{"9":[0,0],"3":[0,0],"4":[0,0]}"#, #"{"1":[0,0],"2":[0,0],"11":[0,0]}"#])
            #expect(SchemaGrammarBuilder.witnessSets(of: [0, 1, 2], sharing: [[true, false, true], [false, true, true], [true, true, true]])
                        == [[0], [0, 2], [1], [1, 2], [2]])
        }

        /// "None or at least two" of seven closed objects (a negated `oneOf`, Github_hard/o9882):
        /// each "a member outside this branch's names" holds for a member by its key alone, so
        /// a member witnesses exactly the conditions its key decides — eight key classes, not
        /// 127 sets of conditions.
        @Test func memberConditionsDecidedByKeys() throws {
            let branches = (0..<7).map { #"{"additionalProperties": false, "properties": {"a": {}, "p\#($0)": {}}}"# }
            let text = #"{"type": "object", "not": {"oneOf": [\#(branches.joined(separator: ", "))]}}"#
            try expectLanguage(text, accepts: ["{}", #"{"a":1}"#, #"{"p0":1,"p1":1}"#, #"{"x":1}"#, #"{"a":1,"p3":1,"p6":1}"#, #"{"p2":1,"x":1}"#],
                               rejects: [#"{"p0":1}"#, #"{"a":1,"p3":1}"#, #"{"a":{},"p6":[1]}"#, "1"])
        }

        @Test func disjointPatternPropertiesMakeFewRegions() throws {
            let names = ["table", "aggregate", "domain", "function", "sequence", "type", "view", "foreign table"]
            let patterns = names.enumerated().map { #""^\#($0.element) ": {"const": \#($0.offset)}"# }.joined(separator: ", ")
            let text = #"{"patternProperties": {\#(patterns)}, "additionalProperties": false}"#
            try expectLanguage(text, accepts: ["{}", #"{"table t":0,"view v":6}"#, #"{"foreign table f":7}"#],
                               rejects: [#"{"table t":1}"#, #"{"foreign table f":0}"#, #"{"x":0}"#, #"{"tablet":0}"#])
            // Patterns that may overlap still form every region they need.
            let overlapping = (0..<7).map { #""^a\#(String(repeating: ".", count: $0))": {"minimum": \#($0)}"# }.joined(separator: ", ")
            let error = try compileError(#"{"patternProperties": {\#(overlapping)}}"#)
            #expect(error?.code == .limitExceeded)
            #expect(error?.location == .jsonPointer(""))
        }

        @Test func leadingBytesProveDisjointness() throws {
            func leading(_ pattern: String) throws -> LeadingBytes { LeadingBytes(try Regex(pattern).searchLanguage()) }
            #expect(try leading("^contacts:([0-3]{1}):surName$").isDisjoint(from: leading("^contacts:([0-3]{1}):givenName$")))
            #expect(try leading("^name:(en|nl|pt)$").isDisjoint(from: leading("^name:(en|nl)x$")))
            #expect(try leading("^table ").isDisjoint(from: leading("^view ")))
            #expect(try !leading("^a").isDisjoint(from: leading("^ab")))
            #expect(try !leading("^[a-c]x").isDisjoint(from: leading("^b")))
            #expect(try !leading("a").isDisjoint(from: leading("b")))
            #expect(try !leading("^(ab|c)d").isDisjoint(from: leading("^cd")))
            #expect(try !leading("^x+y$").isDisjoint(from: leading("^xxy$")))
        }

        @Test func containsCounts() throws {
            try expectLanguage(#"{"contains": {"const": 1}, "minContains": 2, "maxContains": 3}"#,
                               accepts: ["[1,1]", "[1,2,1,1]", "[1.0,1]", "{}"], rejects: ["[1]", "[1,1,1,1]", "[]", "[2,2]"])
            try expectLanguage(#"{"items": {"multipleOf": 2}, "contains": {"multipleOf": 3}}"#,
                               accepts: ["[2,6]", "[6]"], rejects: ["[2,4]", "[3]", "[]"])
        }

        @Test func uniqueItemsOverFiniteDomains() throws {
            try expectLanguage(#"{"items": {"enum": ["a", "b", 1]}, "uniqueItems": true}"#,
                               accepts: ["[]", #"["a","b",1]"#, #"[1,"a"]"#], rejects: [#"["a","a"]"#, "[1,1.0]", #"["c"]"#])
            try expectLanguage(#"{"prefixItems": [{"type": "boolean"}, {"type": "boolean"}], "items": false, "uniqueItems": true}"#,
                               accepts: ["[true,false]", "[false]"], rejects: ["[true,true]", "[true,false,true]"])
        }

        @Test func negatedUniqueItems() throws {
            // Some two elements equal, over a finite domain.
            try expectLanguage(#"{"items": {"enum": [1, 2, null]}, "not": {"uniqueItems": true}}"#,
                               accepts: ["[1,1]", "[1.0,1]", "[2,1,null,2]", "[null,null]", "[1,2,1,2]"],
                               rejects: ["1", "[]", "[1,2]", "[2]", "[null,1,2]", "[3,3]"])
            try expectLanguage(#"{"type": "array", "items": {"type": "boolean"}, "maxItems": 3, "not": {"uniqueItems": true}}"#,
                               accepts: ["[true,true]", "[false,true,false]"], rejects: ["[true,false]", "[true,true,true,true]", "[]"])
            // A oneOf branch that must fail: here a type tells the branches apart (jscsrc.json).
            try expectLanguage(#"""
                {"type": ["array", "boolean", "null"], "oneOf": [
                    {"type": ["array", "boolean", "null"], "items": {"enum": ["==", "!=", null]}, "uniqueItems": true},
                    {"type": "boolean"}]}
                """#, accepts: [#"["==","!="]"#, "null", "[]"], rejects: ["true", #"["==","=="]"#, #"["<"]"#])
            // The repeated elements keep the negated schema's items: strings never repeat
            // objects, so only the other disjuncts remain (travis.json).
            try expectLanguage(#"""
                {"oneOf": [{"type": "array", "items": {"type": "string"}},
                           {"type": "array", "uniqueItems": true, "minItems": 1, "items": {"type": "object"}}]}
                """#, accepts: [#"["a","a"]"#, "[]", "[{}]"], rejects: [#"[{},"a"]"#, "1"])
            // Both branches unique arrays: the negated one contradicts the other (travis.json).
            try expectLanguage(#"""
                {"oneOf": [{"type": "array", "uniqueItems": true, "items": {"enum": ["a", "b"]}},
                           {"type": "array", "uniqueItems": true, "minItems": 1, "items": {"enum": ["b", 1]}}]}
                """#, accepts: [#"["a"]"#, "[1]", #"[1,"b"]"#, "[]"], rejects: [#"["b"]"#, #"["a","a"]"#, #"["a",1]"#])
        }

        @Test func constantsMetByPatternsNeedOneRuleEach() throws {
            // service-schema.json: a task name is one of n constants, and each of n task kinds
            // admits one of them by pattern; the n × n pairs would exceed the conjunction budget.
            let n = 120
            let names = (0..<n).map { #"{"const": "T\#($0)"}"# }.joined(separator: ",")
            let kinds = (0..<n).map { #"{"properties": {"task": {"pattern": "^T\#($0)$"}, "k\#($0)": {"type": "integer"}}, "required": ["task"]}"# }
            let text = #"{"properties": {"task": {"anyOf": [\#(names)]}}, "anyOf": [\#(kinds.joined(separator: ","))]}"#
            try expectLanguage(text, accepts: [#"{"task":"T7","k7":1}"#, #"{"task":"T119"}"#, #"{"task":"T0","k1":"x"}"#],
                               rejects: [#"{"task":"T7","k7":"x"}"#, #"{"task":"T120"}"#, #"{"task":"xT1"}"#, "{}"])
        }

        @Test func unevaluatedKeywords() throws {
            try expectLanguage(#"""
                {"properties": {"foo": {}}, "allOf": [{"properties": {"bar": {}}}],
                 "anyOf": [{"properties": {"baz": {}}, "required": ["baz"]}, {"required": ["q"], "properties": {"q": {}}}],
                 "unevaluatedProperties": false}
                """#, accepts: [#"{"foo":1,"bar":2,"baz":3}"#, #"{"q":1}"#, #"{"baz":1,"q":2}"#],
                rejects: [#"{"baz":1,"other":2}"#, #"{"foo":1}"#])
            try expectLanguage(#"{"prefixItems": [{"type": "string"}], "contains": {"type": "integer"}, "unevaluatedItems": false}"#,
                               accepts: [#"["a",1,2]"#, #"["a",1]"#], rejects: [#"["a",1,true]"#, #"["a"]"#])
            // Negated: some member (element) the scope does not evaluate fails the schema.
            try expectLanguage(#"{"not": {"unevaluatedProperties": false}}"#, accepts: [#"{"a":1}"#], rejects: ["{}", "1"])
            try expectLanguage(#"{"not": {"properties": {"a": {}}, "unevaluatedProperties": {"type": "integer"}}}"#,
                               accepts: [#"{"b":"x"}"#, #"{"a":1,"b":true}"#], rejects: [#"{"a":"x"}"#, #"{"b":1}"#, "{}"])
            try expectLanguage(#"{"oneOf": [{"unevaluatedItems": false}, {"type": "array"}]}"#, accepts: ["1", "[1]"], rejects: ["[]"])
        }

        @Test func dynamicReferences() throws {
            // The generic list's items resolve to the outermost "items" anchor in the dynamic scope.
            try expectLanguage(##"""
                {"$id": "https://example.com/strings", "$ref": "list", "$defs": {
                   "items": {"$dynamicAnchor": "items", "type": "string"},
                   "list": {"$id": "list", "type": "array", "items": {"$dynamicRef": "#items"},
                            "$defs": {"items": {"$dynamicAnchor": "items"}}}}}
                """##, accepts: [#"["a","b"]"#, "[]"], rejects: ["[1]"])
        }

        @Test func recursiveReferences() throws {
            // 2019-09: $recursiveRef "#" goes to the outermost $recursiveAnchor in scope — the tree.
            try expectLanguage(##"""
                {"$schema": "https://json-schema.org/draft/2019-09/schema", "$id": "http://localhost:4242/tree", "$recursiveAnchor": true,
                 "type": "object", "properties": {"meta": {"type": "string"}, "nodes": {"type": "array", "items": {"$ref": "node"}}},
                 "required": ["meta", "nodes"],
                 "$defs": {"node": {"$id": "http://localhost:4242/node", "$recursiveAnchor": true, "type": "object",
                                    "properties": {"value": {"type": "number"}, "subtree": {"$recursiveRef": "#"}}, "required": ["value"]}}}
                """##, accepts: [#"{"meta":"r","nodes":[{"value":1,"subtree":{"meta":"c","nodes":[]}}]}"#],
                rejects: [#"{"meta":"r","nodes":[{"value":1,"subtree":{"value":2}}]}"#])
        }

        @Test func remoteDocumentsAndBaseURIs() throws {
            let remote = try schema(#"{"$defs": {"n": {"type": "integer", "minimum": 0}}, "$id": "http://example.com/defs.json"}"#)
            let options = JSONSchemaOptions(whitespace: .compact, remoteDocuments: ["http://example.com/defs.json": remote])
            try expectLanguage(#"{"$id": "http://example.com/root.json", "items": {"$ref": "defs.json#/$defs/n"}}"#,
                               accepts: ["[0,5]"], rejects: ["[-1]", #"["x"]"#], options: options)
            try expectLanguage(##"{"$defs": {"a": {"$id": "http://x.test/a.json", "$anchor": "here", "type": "null"}}, "$ref": "http://x.test/a.json#here"}"##,
                               accepts: ["null"], rejects: ["1"])
            #expect(try compileError(#"{"$ref": "http://example.com/defs.json"}"#)?.code == .unresolvedReference)
        }
    }
}

// MARK: - Property order

extension JSONSchemaTests {
    @Suite struct PropertyOrder {
        static let anyOrder = JSONSchemaOptions(whitespace: .compact, propertyOrder: .any)

        @Test func anyOrderTakesEachDeclaredPropertyAtMostOnce() throws {
            try expectLanguage(#"{"properties": {"a": {"type": "integer"}, "b": {"type": "string"}}, "required": ["a"], "additionalProperties": false}"#,
                               accepts: [#"{"a":1,"b":"x"}"#, #"{"b":"x","a":1}"#, #"{"a":1}"#],
                               rejects: [#"{"b":"x"}"#, #"{"a":1,"a":2}"#, "{}", #"{"a":"x"}"#],
                               options: PropertyOrder.anyOrder)
            // An optional property may come in any state; the matcher's distinct-keys check
            // (`DistinctKeysTests.anyOrderOptionalPropertiesComeOnce`) keeps it to one.
            #expect(try JSONSchemaCompiler(options: PropertyOrder.anyOrder)
                .compile(try schema(#"{"properties": {"a": {}, "b": {}}, "required": ["a"], "additionalProperties": false}"#))
                .grammar.distinctObjectKeys)
            // Additional properties interleave; counts still hold.
            try expectLanguage(#"{"properties": {"a": {}}, "additionalProperties": {"type": "boolean"}, "maxProperties": 2}"#,
                               accepts: [#"{"z":true,"a":1}"#, #"{"a":1,"z":true}"#, #"{"z":true,"y":false}"#],
                               rejects: [#"{"z":1,"a":1}"#, #"{"z":true,"a":1,"y":false}"#], options: PropertyOrder.anyOrder)
            try expectLanguage(#"{"const": {"x": 1, "y": [2]}}"#, accepts: [#"{"y":[2],"x":1}"#, #"{"x":1,"y":[2]}"#], rejects: [#"{"x":1}"#],
                               options: PropertyOrder.anyOrder)
            // Declared order stays the default.
            try expectLanguage(#"{"properties": {"a": {}, "b": {}}}"#, accepts: [#"{"a":1,"b":2}"#], rejects: [#"{"b":2,"a":1}"#])
        }

        @Test func anyOrderIsBounded() throws {
            // Optional properties cost no states: 40 of them in any order.
            let optional = (0..<40).map { "\"q\($0)\": {\"type\": \"integer\"}" }.joined(separator: ",")
            try expectLanguage("{\"properties\": {\(optional)}, \"additionalProperties\": false}",
                               accepts: [#"{"q39":1,"q0":2,"q17":3}"#, "{}"], rejects: [#"{"q40":1}"#, #"{"q3":"x"}"#],
                               options: PropertyOrder.anyOrder)
            // Required ones are remembered as a set: 2^n states, at most 10.
            let names = (0..<11).map { "\"p\($0)\"" }
            let text = "{\"properties\": {\(names.map { "\($0): {}" }.joined(separator: ","))}, \"required\": [\(names.joined(separator: ","))]}"
            #expect(try compileError(text, options: PropertyOrder.anyOrder)?.code == .limitExceeded)
            var lenient = PropertyOrder.anyOrder
            lenient.lenient = true
            let compilation = try JSONSchemaCompiler(options: lenient).compile(try schema(text))
            #expect(compilation.relaxations.map(\.keyword) == ["required"])
            let inOrder = "{" + (0..<11).map { "\"p\($0)\":\($0)" }.joined(separator: ",") + "}"
            #expect(GrammarRecognizer(compilation.grammar).accepts(inOrder))
        }

        @Test func reorderingIsANoOpUnderAnyOrder() throws {
            let schemaValue = try schema(#"{"properties": {"a": {}, "b": {}}}"#)
            let instance = try JSONValue(parsing: #"{"b":1,"a":2}"#)
            let ordered = JSONSchemaCompiler(options: PropertyOrder.anyOrder).reorderKeys(instance, schema: schemaValue)
            #expect(JSONSerializer.compact.serialize(ordered) == #"{"b":1,"a":2}"#)
            let declared = JSONSchemaCompiler(options: .init(whitespace: .compact)).reorderKeys(instance, schema: schemaValue)
            #expect(JSONSerializer.compact.serialize(declared) == #"{"a":2,"b":1}"#)
        }
    }
}

// MARK: - Errors, relaxations and limits

extension JSONSchemaTests {
    @Suite struct Errors {
        @Test func unsupportedKeywordsAreReportedAtTheirPointer() throws {
            for (text, pointer) in [
                // uniqueItems over items that are not open, with positions of their own, or a
                // minItems the items are not known to reach.
                (#"{"properties": {"tags": {"prefixItems": [{"type": "integer"}], "items": {"type": "integer"}, "uniqueItems": true}}}"#, "/properties/tags/uniqueItems"),
                (##"{"$defs": {"a": {"items": {"type": "string", "maxLength": 2}, "minItems": 2, "uniqueItems": true}}, "$ref": "#/$defs/a"}"##, "/$defs/a/uniqueItems"),
                // Negations that are not expressible.
                (#"{"not": {"items": {"type": "string"}, "uniqueItems": true}}"#, "/not/uniqueItems"),
            ] {
                let error = try compileError(text)
                #expect(error?.code == .unsupportedKeyword, "\(text)")
                #expect(error?.location == .jsonPointer(pointer), "\(text)")
            }
        }

        @Test func vacuousAndAnnotationKeywordsAreIgnored() throws {
            try expectLanguage(#"""
                {"title": "t", "description": "d", "default": 1, "examples": [1], "$comment": "c", "deprecated": true,
                 "readOnly": true, "writeOnly": false, "contentMediaType": "text/plain", "x-custom": {"not": 1},
                 "uniqueItems": false, "type": "integer"}
                """#, accepts: ["1"], rejects: ["\"a\""])
        }

        @Test func lenientSkipsAndRecordsRelaxations() throws {
            let options = JSONSchemaOptions(whitespace: .compact, lenient: true)
            let compilation = try JSONSchemaCompiler(options: options).compile(try schema(#"""
                {"type": "array", "items": {"type": "string", "format": "nonsense"}, "uniqueItems": true,
                 "oneOf": [{"minItems": 1}, {"maxItems": 3}], "not": {"contains": {"const": "z"}, "uniqueItems": true}}
                """#))
            let relaxed = Set(compilation.relaxations.map { "\($0.keyword)@\($0.pointer)" })
            // The negated uniqueItems contradicts the outer one: nothing to relax there.
            #expect(relaxed == ["uniqueItems@/uniqueItems", "format@/items/format"])
            let matcher = GrammarRecognizer(compilation.grammar)
            // uniqueItems is relaxed; oneOf is exact (2 items match both branches, 4 only the first).
            #expect(matcher.accepts(#"["a","a","b","c"]"#))
            #expect(!matcher.accepts(#"["a","a"]"#))
            #expect(!matcher.accepts("[1]"))
            // The negation keeps its contains disjunct (no "z") and drops the duplicate one.
            #expect(!matcher.accepts(#"["a","b","c","z"]"#))
            let negated = try JSONSchemaCompiler(options: options).compile(try schema(#"{"not": {"items": {"type": "string"}, "uniqueItems": true}}"#))
            #expect(negated.relaxations.map { "\($0.keyword)@\($0.pointer)" } == ["uniqueItems@/not/uniqueItems"])
            #expect(GrammarRecognizer(negated.grammar).accepts("[1]"))
            #expect(!GrammarRecognizer(negated.grammar).accepts(#"["a","a"]"#))

            // A pattern's minLength under a maxLength is unrolled, within the budget.
            let oversized = try JSONSchemaCompiler(options: options).compile(try schema(
                #"{"properties": {"s": {"type": "string", "pattern": "b", "minLength": 60000, "maxLength": 70000}}}"#))
            #expect(oversized.relaxations.map { "\($0.keyword)@\($0.pointer)" } == ["minLength@/properties/s/minLength"])
            #expect(GrammarRecognizer(oversized.grammar).accepts(#"{"s":"abc"}"#))
        }

        @Test func invalidSchemasAreReported() throws {
            for (text, pointer) in [
                (#"{"type": "strin"}"#, "/type"),
                (#"{"minLength": -1}"#, "/minLength"),
                (#"{"properties": {"a": 3}}"#, "/properties/a"),
                (#"{"anyOf": []}"#, "/anyOf"),
                (#"{"multipleOf": 0}"#, "/multipleOf"),
            ] {
                let error = try compileError(text)
                #expect(error?.code == .invalidSchema, "\(text)")
                #expect(error?.location == .jsonPointer(pointer), "\(text)")
            }
            let badPattern = try compileError(#"{"properties": {"p": {"pattern": "a(b"}}}"#)
            #expect(badPattern?.code == .invalidRegex)
            if case .pattern(let pointer, _)? = badPattern?.location {
                #expect(pointer == "/properties/p/pattern")
            } else {
                Issue.record("expected a pattern location, got \(String(describing: badPattern?.location))")
            }
        }

        @Test func absurdInputsHitLimits() throws {
            let complexItem = #"{"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}"#
            #expect(try compileError("{\"type\": \"array\", \"items\": \(complexItem), \"maxItems\": 100000}")?.code == .limitExceeded)
            // Length bounds are counted, not unrolled: any that fits an Int compiles.
            #expect(try compileError(#"{"type": "string", "maxLength": 1e9}"#) == nil)
            let beyondInt = try compileError(#"{"type": "string", "minLength": 1e30}"#)
            #expect(beyondInt?.code == .limitExceeded && beyondInt?.location == .jsonPointer("/minLength"))
            var deep = #"{"type": "integer"}"#
            for _ in 0..<201 { deep = "{\"items\": \(deep)}" }
            #expect(try compileError(deep)?.code == .limitExceeded)
            var fine = #"{"type": "integer"}"#
            for _ in 0..<150 { fine = "{\"items\": \(fine)}" }
            #expect(try compileError(fine) == nil)
            #expect(try compileError(#"{"type": "number", "multipleOf": 0.00001234567}"#)?.code == .limitExceeded)
        }

        @Test func unsupportedDialectsAndNestedIdentifiers() throws {
            #expect(try compileError(#"{"$schema": "http://json-schema.org/draft-03/schema#"}"#)?.code == .unsupportedValue)
            // A nested $id matters only to references inside it.
            #expect(try compileError(#"{"properties": {"a": {"$id": "http://x/y.json", "type": "string"}}}"#) == nil)
            // ... which resolve against its base URI: http://x/y.json has no $defs.
            let nested = try compileError(##"{"properties": {"a": {"$id": "http://x/y.json", "items": {"$ref": "#/$defs/b"}}}, "$defs": {"b": {}}}"##)
            #expect(nested?.code == .unresolvedReference)
            #expect(nested?.location == .jsonPointer("/properties/a/items/$ref"))
        }

        @Test func draft04Spellings() throws {
            try expectLanguage(##"""
                {"$schema": "http://json-schema.org/draft-04/schema#", "id": "http://example.com/root.json",
                 "definitions": {"n": {"type": "integer", "minimum": 1, "exclusiveMinimum": true, "maximum": 5, "exclusiveMaximum": false}},
                 "items": {"$ref": "http://example.com/root.json#/definitions/n", "type": "string"}}
                """##, accepts: ["[2,5]"], rejects: ["[1]", "[6]", #"["s"]"#, "[2.0]"])
            // Draft-04 integers have neither fraction nor exponent.
            try expectLanguage(#"{"$schema": "http://json-schema.org/draft-04/schema#", "type": "integer"}"#,
                               accepts: ["12", "-0"], rejects: ["12.0", "1e2"])
            try expectLanguage(#"{"$schema": "http://json-schema.org/draft-04/schema#", "type": "integer", "multipleOf": 2}"#,
                               accepts: ["12", "-4"], rejects: ["12.0", "3"])
        }
    }
}

// MARK: - Key reordering

extension JSONSchemaTests {
    @Suite struct Reordering {
        @Test func reordersToEmittedOrder() throws {
            let schemaValue = try schema(#"""
                {"properties": {"a": {"type": "integer"}, "b": {"properties": {"x": {}, "y": {}}}},
                 "anyOf": [{"properties": {"c": {}}, "required": ["c"]}, {"properties": {"d": {}}}]}
                """#)
            let compiler = JSONSchemaCompiler(options: .init(whitespace: .compact))
            let instance = try JSONValue(parsing: #"{"z":0,"d":1,"b":{"y":1,"x":2},"a":3}"#)
            let ordered = compiler.reorderKeys(instance, schema: schemaValue)
            #expect(JSONSerializer.compact.serialize(ordered) == #"{"a":3,"b":{"x":2,"y":1},"d":1,"z":0}"#)
            let matcher = GrammarRecognizer(try compiler.compile(schemaValue).grammar)
            #expect(matcher.accepts(JSONSerializer.compact.serialize(ordered)))
            #expect(!matcher.accepts(JSONSerializer.compact.serialize(instance)))
        }

        /// Disjunctions the compiler makes (dependencies, if/then/else, exact oneOf) emit their
        /// members in the order of the branch the instance satisfies.
        @Test func followsTheSatisfiedBranch() throws {
            let compiler = JSONSchemaCompiler(options: .init(whitespace: .compact))
            for (schemaText, instanceText) in [
                (#"{"dependentRequired": {"b": ["a"]}}"#, #"{"a":1,"b":2,"c":3}"#),
                (#"{"properties": {"x": {}}, "if": {"required": ["k"]}, "then": {"properties": {"k": {}, "z": {}}}, "else": {"required": ["y"]}}"#,
                 #"{"z":1,"k":2,"x":3}"#),
                (#"{"oneOf": [{"properties": {"a": {}, "b": {}}, "required": ["b"]}, {"properties": {"c": {}, "a": {}}, "required": ["c"]}]}"#,
                 #"{"a":1,"c":2}"#),
                (#"{"properties": {"p": {"type": "array", "contains": {"properties": {"m": {}, "n": {}}, "required": ["n"]}}}}"#,
                 #"{"p":[{"n":1,"m":2},{"x":1}]}"#),
            ] {
                let schemaValue = try schema(schemaText)
                let ordered = compiler.reorderKeys(try JSONValue(parsing: instanceText), schema: schemaValue)
                let matcher = GrammarRecognizer(try compiler.compile(schemaValue).grammar)
                #expect(matcher.accepts(JSONSerializer.compact.serialize(ordered)), "\(schemaText): \(JSONSerializer.compact.serialize(ordered))")
            }
        }
    }
}

// MARK: - JSON Schema Test Suite

extension JSONSchemaTests {
    @Suite struct Conformance {
        static let suiteDirectory = "/work/shared/conformance/json-schema-test-suite/tests/draft2020-12"
        /// Every test file of the draft (top level and optional/), by name without extension.
        static let files: [String] = {
            guard let enumerator = FileManager.default.enumerator(atPath: suiteDirectory) else { return [] }
            var names: [String] = []
            while let item = enumerator.nextObject() as? String {
                if item.hasSuffix(".json") { names.append(String(item.dropLast(5))) }
            }
            return names.sorted()
        }()

        /// The suite's remotes (served as http://localhost:1234/) and the official metaschemas.
        static let remoteDocuments: [String: JSONValue] = {
            var documents: [String: JSONValue] = [:]
            let remotes = "/work/shared/conformance/json-schema-test-suite/remotes"
            if let enumerator = FileManager.default.enumerator(atPath: remotes) {
                while let item = enumerator.nextObject() as? String {
                    guard item.hasSuffix(".json"), let data = FileManager.default.contents(atPath: "\(remotes)/\(item)"),
                          let value = try? JSONParser().parse(bytes: Array(data)) else { continue }
                    documents["http://localhost:1234/" + item] = value
                }
            }
            let metaschemas = "/work/shared/conformance/metaschemas"
            if let data = FileManager.default.contents(atPath: "\(metaschemas)/index.json"),
               case .object(let index)? = try? JSONParser().parse(bytes: Array(data)) {
                for (uri, file) in index {
                    guard let path = file.stringValue, let bytes = FileManager.default.contents(atPath: "\(metaschemas)/\(path)"),
                          let value = try? JSONParser().parse(bytes: Array(bytes)) else { continue }
                    documents[uri] = value
                }
            }
            return documents
        }()

        /// Test groups whose valid instances the grammar is documented not to accept: punycode
        /// A-labels (a `--` in 3rd and 4th position) are outside the hostname language, and
        /// integers in exponent form beyond two exponent digits under multipleOf.
        static let documentedIncompleteness: Set<String> = [
            "validation of A-label (punycode) host names", "all integers are multiples of 0.5, if overflow is handled",
        ]

        /// Valid instances whose rejection the draft 2020-12 known-failures file documents
        /// (`file :: group :: test`, as `gramc conformance --known-failures` reads it).
        static let knownFailures: Set<String> = {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let path = root.appendingPathComponent(".ci/known-failures-draft2020-12.txt").path
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
            return Set(text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") })
        }()

        struct Tally: CustomStringConvertible {
            var schemas = 0, compiled = 0, valid = 0, validAccepted = 0, invalid = 0, invalidRejected = 0
            var notCompiled: [String: Int] = [:]
            var description: String {
                "compiled \(compiled)/\(schemas), valid accepted \(validAccepted)/\(valid), invalid rejected \(invalidRejected)/\(invalid)"
                    + (notCompiled.isEmpty ? "" : "; not compiled: " + notCompiled.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))
            }
        }

        @Test(.enabled(if: FileManager.default.fileExists(atPath: suiteDirectory)), arguments: files)
        func suiteFile(_ name: String) throws {
            let data = try #require(FileManager.default.contents(atPath: "\(Conformance.suiteDirectory)/\(name).json"))
            guard case .array(let groups) = try JSONParser().parse(bytes: Array(data)) else {
                Issue.record("\(name): not a test array")
                return
            }
            var tally = Tally()
            // In 2020-12 `format` is an annotation unless asserted; format.json tests that default.
            let compiler = JSONSchemaCompiler(options: .init(assertFormat: name != "format", remoteDocuments: Conformance.remoteDocuments))
            for group in groups {
                guard let schemaValue = group["schema"], case .array(let tests)? = group["tests"] else { continue }
                tally.schemas += 1
                let grammar: Grammar
                do {
                    grammar = try compiler.compile(schemaValue).grammar
                } catch {
                    tally.notCompiled["\(error.code)", default: 0] += 1
                    if ProcessInfo.processInfo.environment["SCHEMA_SUITE_VERBOSE"] != nil {
                        print("[not compiled] \(name): \(group["description"]?.stringValue ?? ""): \(error)")
                    }
                    continue
                }
                tally.compiled += 1
                let matcher = GrammarRecognizer(grammar)
                for test in tests {
                    guard let instance = test["data"], case .bool(let valid)? = test["valid"] else { continue }
                    let ordered = compiler.reorderKeys(instance, schema: schemaValue)
                    let compact = JSONSerializer.compact.serialize(ordered)
                    let accepted = matcher.accepts(compact)
                    let description = "\(name): \(group["description"]?.stringValue ?? "") / \(test["description"]?.stringValue ?? ""): \(compact)"
                    if valid {
                        tally.valid += 1
                        if accepted { tally.validAccepted += 1 }
                        if Conformance.documentedIncompleteness.contains(group["description"]?.stringValue ?? "") { continue }
                        let listed = "\(name).json :: \(group["description"]?.stringValue ?? "") :: \(test["description"]?.stringValue ?? "")"
                        if Conformance.knownFailures.contains(listed) { continue }
                        #expect(accepted, "valid instance rejected — \(description)")
                        #expect(matcher.accepts(JSONSerializer.spaced.serialize(ordered)), "spaced valid instance rejected — \(description)")
                    } else {
                        tally.invalid += 1
                        if !accepted { tally.invalidRejected += 1 }
                        // Repeated elements of open unique arrays are refused by matchers at run
                        // time, not by the grammar (`gramc conformance` and UniqueItemsTests
                        // check them through a matcher).
                        if !grammar.uniqueArrayRules.isEmpty { continue }
                        #expect(!accepted, "invalid instance accepted — \(description)")
                    }
                }
            }
            print("[JSON Schema Test Suite] \(name): \(tally)")
        }
    }

    /// Prints the grammar of the schema in SCHEMA_DUMP (and checks SCHEMA_INSTANCE against it).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SCHEMA_DUMP"] != nil)) static func dumpGrammar() throws {
        let text = ProcessInfo.processInfo.environment["SCHEMA_DUMP"] ?? "true"
        let schemaValue = try JSONValue(parsing: text)
        let grammar = try Grammar(jsonSchema: schemaValue)
        print(grammar.description)
        if let instanceText = ProcessInfo.processInfo.environment["SCHEMA_INSTANCE"] {
            let ordered = JSONSchemaCompiler().reorderKeys(try JSONValue(parsing: instanceText), schema: schemaValue)
            let serialized = JSONSerializer.compact.serialize(ordered)
            print("reordered: \(serialized) accepted: \(GrammarRecognizer(grammar).accepts(serialized))")
        }
    }
}

// MARK: - JSONSchemaBench survey (opt-in: SCHEMA_BENCH=1)

extension JSONSchemaTests {
    @Suite struct BenchSurvey {
        static let directory = "/work/shared/conformance/jsonschemabench"

        /// Compiles every benchmark schema strictly and leniently, checks the attached instances
        /// of those that compile, and prints error-code counts and the slowest schemas.
        @Test(.enabled(if: ProcessInfo.processInfo.environment["SCHEMA_BENCH"] != nil
                       && FileManager.default.fileExists(atPath: directory)))
        func survey() throws {
            let manifest = try String(contentsOfFile: "\(BenchSurvey.directory)/manifest.jsonl", encoding: .utf8)
            var strictErrors: [String: Int] = [:], lenientErrors: [String: Int] = [:]
            var compiled = 0, lenientCompiled = 0, total = 0
            var valid = 0, validAccepted = 0, invalid = 0, invalidRejected = 0
            var slowest: [(Double, String)] = []
            var rejectedValid: [String] = [], acceptedInvalid: [String] = []
            for line in manifest.split(separator: "\n") {
                let entry = try JSONValue(parsing: String(line))
                guard let path = entry["schema"]?.stringValue, let instancesPath = entry["instances"]?.stringValue,
                      let data = FileManager.default.contents(atPath: "\(BenchSurvey.directory)/\(path)"),
                      let schemaValue = try? JSONParser().parse(bytes: Array(data)) else { continue }
                total += 1
                if let trace = ProcessInfo.processInfo.environment["SCHEMA_BENCH_TRACE"] {
                    // Progress for finding slow schemas: the path being compiled, appended to a file.
                    if let handle = FileHandle(forWritingAtPath: trace) {
                        handle.seekToEndOfFile()
                        handle.write(Data("\(path)\n".utf8))
                        handle.closeFile()
                    }
                }
                let start = Date()
                let strict = Result { () throws(GrammarError) in try JSONSchemaCompiler().compile(schemaValue) }
                let lenient = Result { () throws(GrammarError) in try JSONSchemaCompiler(options: .init(lenient: true)).compile(schemaValue) }
                slowest.append((Date().timeIntervalSince(start), path))
                switch strict {
                case .success: compiled += 1
                case .failure(let error):
                    var detail = ""
                    switch error.location {
                    case .jsonPointer(let pointer)?: detail = String(pointer.split(separator: "/").last ?? "")
                    case .pattern?: detail = "pattern"
                    default: break
                    }
                    if error.code == .unsupportedValue { detail += " " + error.message.prefix(40) }
                    strictErrors["\(error.code) \(detail)", default: 0] += 1
                }
                switch lenient {
                case .success(let compilation):
                    lenientCompiled += 1
                    guard case .success = strict else { continue }
                    let matcher = GrammarRecognizer(compilation.grammar)
                    let instances = (try? String(contentsOfFile: "\(BenchSurvey.directory)/\(instancesPath)", encoding: .utf8)) ?? ""
                    for instanceLine in instances.split(separator: "\n") {
                        guard let test = try? JSONValue(parsing: String(instanceLine)), let instance = test["data"],
                              case .bool(let isValid)? = test["valid"] else { continue }
                        let text = JSONSerializer.compact.serialize(JSONSchemaCompiler().reorderKeys(instance, schema: schemaValue))
                        let accepted = matcher.accepts(text)
                        if isValid {
                            valid += 1
                            if accepted { validAccepted += 1 } else { rejectedValid.append("\(path): \(text.prefix(200))") }
                        } else {
                            invalid += 1
                            if !accepted { invalidRejected += 1 } else { acceptedInvalid.append("\(path): \(text.prefix(300))") }
                        }
                    }
                case .failure(let error): lenientErrors["\(error.code): \(error.message.prefix(60))", default: 0] += 1
                }
            }
            print("[bench] schemas \(total), strict compiled \(compiled), lenient compiled \(lenientCompiled)")
            print("[bench] strict errors: \(strictErrors.sorted { $0.value > $1.value }.prefix(40))")
            print("[bench] lenient errors: \(lenientErrors.sorted { $0.value > $1.value }.prefix(30))")
            print("[bench] valid accepted \(validAccepted)/\(valid), invalid rejected \(invalidRejected)/\(invalid)")
            for line in rejectedValid.prefix(40) { print("[bench] valid rejected: \(line)") }
            for line in acceptedInvalid.prefix(40) { print("[bench] invalid accepted: \(line)") }
            for (seconds, path) in slowest.sorted(by: { $0.0 > $1.0 }).prefix(10) { print("[bench] slow: \(seconds)s \(path)") }
        }
    }
}

