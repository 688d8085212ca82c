import Foundation
import Testing
import Grammar
import Automata
@testable import TokenMask

/// `uniqueItems` over elements that are not open (`Grammar.closedUniqueArrayRules`): integers,
/// large enums, closed objects, patterns. Exact masks on small vocabularies where a token
/// would lead an element into a prefix whose completing values are all used (refused) or
/// leave one unused (allowed), the spelling-prefix test, rollback, generation.
@Suite struct ClosedUniqueItemsTests {
    typealias U = UniqueItemsTests

    static let integers = #"{"type": "array", "items": {"type": "integer"}, "uniqueItems": true}"#
    /// Thirteen values: one more than the grammar writes out.
    static let letters = #"{"type": "array", "uniqueItems": true, "items": {"enum": ["a", "ab", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]}}"#
    static let flags = #"{"type": "array", "uniqueItems": true, "items": {"type": "object", "properties": {"a": {"type": "boolean"}}, "required": ["a"], "additionalProperties": false}}"#
    static let pattern = #"{"type": "array", "uniqueItems": true, "items": {"type": "string", "pattern": "^[ab]{1,2}$"}}"#

    @Test func closedItemsCompileToCheckedRules() throws {
        for schema in [Self.integers, Self.letters, Self.flags, Self.pattern] {
            let grammar = try U.grammar(schema)
            #expect(grammar.closedUniqueArrayRules.count == 1 && grammar.closedUniqueArrayRules.isSubset(of: grammar.uniqueArrayRules), "\(schema)")
        }
        // Open items need no check.
        #expect(try U.grammar(U.strings).closedUniqueArrayRules.isEmpty)
    }

    /// Integers may be spelled with a fraction and an exponent (`0.5e1` is 5), so after `[0,`
    /// a `0` or `0.` may still end unused; `0e` and `-0e` fix the value 0, and so does a
    /// fraction of nine zeros (the grammar's exponent spellings allow at most nine fraction
    /// digits before the last nonzero one): those are refused.
    @Test func integersRefuseAPrefixThatCanOnlyRepeat() throws {
        let v = RuntimeTests.Fixtures.smallVocabulary(["[0,", "0e", "-0e", "0.", "0.00000000", "0.000000000", "0]", "10"])
        let g = try U.compile(Self.integers, v)
        #expect(U.accepts(g, "[0,0.5e1]") && !U.accepts(g, "[0,0.0e1]") && !U.accepts(g, "[0,0.000000000]"))
        var m = g.makeMatcher()
        try U.feed(&m, ["[0,"], v)
        var mask = allowed(m, v)
        #expect(!mask.contains("0e") && !mask.contains("-0e") && !mask.contains("0.000000000") && !mask.contains("0]"))
        #expect(mask.contains("0") && mask.contains("0.") && mask.contains("0.00000000") && mask.contains("-") && mask.contains("10"))
        try U.feed(&m, ["0.00000000"], v)
        mask = allowed(m, v)
        #expect(!mask.contains("0") && !mask.contains("]") && !mask.contains("e") && mask.contains("1") && mask.contains("9"))
        try U.feed(&m, ["5", "e"], v)
        // `0.000000005e` can only become 5 (exponent 9), which is unused.
        #expect(allowed(m, v).contains("9"))
        try U.feed(&m, ["9", "]"], v)
        #expect(m.canTerminate)
    }

    /// A `contains` of at least one element, counted by the array automaton, beside elements
    /// kept distinct at run time (travis.json: a unique array of closed objects that must not
    /// be the other branch's, so it holds an element the other's items refuse).
    @Test func containsBesideRunTimeUniqueness() throws {
        let schema = #"{"type": "array", "uniqueItems": true, "items": {"type": "string", "pattern": "^[a-d]{1,2}$"}, "contains": {"const": "ab"}}"#
        let grammar = try U.grammar(schema)
        #expect(grammar.closedUniqueArrayRules.count == 1)
        let v = RuntimeTests.Fixtures.smallVocabulary(["[\"", "ab", "\",\"", "\"]"])
        let g = try U.compile(schema, v)
        for text in [#"["ab"]"#, #"["a","ab"]"#, #"["ab","a","dd"]"#] { #expect(U.accepts(g, text), "\(text)") }
        for text in [#"["a"]"#, #"["a","a","ab"]"#, #"["ab","ab"]"#, "[]", #"["abc"]"#] { #expect(!U.accepts(g, text), "\(text)") }
        // After `["a"`, ending needs "ab"; after `["a","ab","`, `a` may still become "aa",
        // `ab` can only repeat.
        var m = g.makeMatcher()
        try U.feed(&m, ["[\"", "a"], v)
        #expect(!allowed(m, v).contains("\"]") && allowed(m, v).contains("\",\""))
        try U.feed(&m, ["\",\"", "ab", "\",\""], v)
        #expect(allowed(m, v).contains("a") && !allowed(m, v).contains("ab"))

        // More than one matching element needed: distinct matches could run out.
        let twice = #"{"type": "array", "uniqueItems": true, "items": {"type": "string", "pattern": "^[a-d]{1,2}$"}, "contains": {"pattern": "^a"}, "minContains": 2}"#
        #expect(throws: GrammarError.self) { try U.grammar(twice) }
    }

    /// Thirteen strings, run-time checked: a half-written value whose completions are used is
    /// refused, and once all are used a comma is.
    @Test func enumPrefixesAndExhaustion() throws {
        let v = RuntimeTests.Fixtures.smallVocabulary(["[\"", "\"a", "\"a\"", "\",\"", ",\"", "\"]", "ab"])
        let g = try U.compile(Self.letters, v)
        #expect(try U.grammar(Self.letters).closedUniqueArrayRules.count == 1)
        var m = g.makeMatcher()
        try U.feed(&m, ["[\"", "a", "\"", ","], v)
        var mask = allowed(m, v)
        // `"a` may still become "ab"; `"a"` repeats.
        #expect(mask.contains("\"a") && !mask.contains("\"a\"") && mask.contains("\""))
        try U.feed(&m, ["\"", "ab", "\"", ","], v)
        mask = allowed(m, v)
        #expect(!mask.contains("\"a") && mask.contains("\""))
        try U.feed(&m, ["\""], v)
        mask = allowed(m, v)
        #expect(!mask.contains("a") && !mask.contains("ab") && mask.contains("b") && mask.contains("l"))
        for letter in ["b", "c", "d", "e", "f", "g", "h", "i", "j", "k"] { try U.feed(&m, [letter, "\"", ",", "\""], v) }
        try U.feed(&m, ["l", "\""], v)
        mask = allowed(m, v)
        #expect(!mask.contains(",") && !mask.contains(",\"") && !mask.contains("\",\"") && mask.contains("]"))
        #expect(U.accepts(g, #"["a","ab","b","c","d","e","f","g","h","i","j","k","l"]"#))
        #expect(!U.accepts(g, #"["a","b","a"]"#))
    }

    /// A closed object: after `{"a":true}`, `{"a":true` can only close as the same value, so
    /// `true` is refused there; `false` is not.
    @Test func closedObjectsRefuseTheLastMemberOfAUsedValue() throws {
        let v = RuntimeTests.Fixtures.smallVocabulary(["[{\"a\":", "true", "false", "},{\"a\":", "}]", "true}", "true},"])
        let g = try U.compile(Self.flags, v)
        var m = g.makeMatcher()
        try U.feed(&m, ["[{\"a\":", "true", "},{\"a\":"], v)
        var mask = allowed(m, v)
        #expect(!mask.contains("true") && !mask.contains("true}") && !mask.contains("t") && mask.contains("false") && mask.contains("f"))
        try U.feed(&m, ["false"], v)
        mask = allowed(m, v)
        #expect(mask.contains("}") && mask.contains("}]") && !mask.contains("},{\"a\":"))
        try U.feed(&m, ["}"], v)
        // Both values used: no third element.
        #expect(!allowed(m, v).contains(",") && allowed(m, v).contains("]"))
    }

    /// `^[ab]{1,2}$`: once "a", "aa" and "ab" are used, `"a` is a dead end.
    @Test func patternsWithFiniteTails() throws {
        let v = RuntimeTests.Fixtures.smallVocabulary(["[\"", "\"a", "\"b", "\",\"", "aa", "ab"])
        let g = try U.compile(Self.pattern, v)
        var m = g.makeMatcher()
        try U.feed(&m, ["[\"", "a", "\"", ",", "\"", "aa", "\"", ","], v)
        #expect(allowed(m, v).contains("\"a"))
        try U.feed(&m, ["\"", "ab", "\"", ","], v)
        let mask = allowed(m, v)
        #expect(!mask.contains("\"a") && mask.contains("\"b") && mask.contains("\""))
        try U.feed(&m, ["\""], v)
        #expect(!allowed(m, v).contains("a") && allowed(m, v).contains("b"))
        #expect(U.accepts(g, #"["a","aa","ab","b","ba","bb"]"#))
        #expect(!U.accepts(g, #"["a","aa","ab","b","ba","bb",""]"#))
    }

    /// Masks against trying each token one at a time (`canAccept`, which reads a token's bytes
    /// and then checks the closed elements) at every step of replays inside string elements
    /// that may still spell used values: the tokens read there are the allowed quote tokens
    /// and those under the first bytes that keep an element a possible spelling.
    @Test func masksInStringElementsMatchTryingEachToken() throws {
        let v = RuntimeTests.Fixtures.smallVocabulary([
            "[\"", "\"a", "\"b", "\",\"", "\",\"a", "\",", "\"]", "aa", "ab", "ba", "bb", "a\"", "ab\"", "b\",\"", "a\"]",
            "\\u0061", "\\u0062\"", "\\\"", "\\", "abab", "\"ab\"",
        ])
        let schemas = [Self.pattern, Self.letters,
                       #"{"type": "array", "uniqueItems": true, "items": {"type": "string", "maxLength": 3}}"#]
        let documents = [
            [#"["a","aa","ab","b","ba","bb"]"#, #"["ab","a","ba","b"]"#],
            [#"["a","ab","b","c"]"#, #"["b","a","ab","c"]"#],
            [#"["ab","a","aba","abb","b",""]"#, #"["a","aa","ba","ab","bab"]"#],
        ]
        for (schema, texts) in zip(schemas, documents) {
            let g = try U.compile(schema, v)
            for text in texts {
                var m = g.makeMatcher()
                for token in try #require(v.greedyTokens(Array(text.utf8)), "\(text)") {
                    #expect(m.mask().allowedTokens == (0..<v.size).filter { m.canAccept(token: $0) }, "\(text)")
                    try m.accept(token: token)
                }
                #expect(m.mask().allowedTokens == (0..<v.size).filter { m.canAccept(token: $0) }, "\(text)")
                #expect(m.canTerminate, "\(text)")
            }
        }
    }

    @Test func rollbackAndResetAgreeWithAFreshMatcher() throws {
        let v = RuntimeTests.Fixtures.smallVocabulary(["[\"", "\"a", "\",\"", "ab"])
        let g = try U.compile(Self.letters, v)
        var m = g.makeMatcher()
        try U.feed(&m, ["[\"", "a", "\",\"", "ab", "\",\""], v)
        let before = allowed(m, v)
        #expect(!before.contains("a") && !before.contains("ab") && before.contains("b"))
        try U.feed(&m, ["b", "\",\"", "c"], v)
        try m.rollback(tokens: 3)
        #expect(allowed(m, v) == before)
        try m.rollback(tokens: 2)
        var fresh = g.makeMatcher()
        try U.feed(&fresh, ["[\"", "a", "\",\""], v)
        #expect(allowed(m, v) == allowed(fresh, v))
        #expect(allowed(m, v).contains("a") && allowed(m, v).contains("ab"))
        m.reset()
        try U.feed(&m, ["[\"", "ab", "\",\"", "a"], v)
        #expect(!allowed(m, v).contains("b") && allowed(m, v).contains("\""))
    }

    /// Unique arrays of unique arrays of 0…2: the walk over an outer element keeps the inner
    /// one distinct, so after `[[0,1,2],[0,1` a comma is a dead end (only `2]` could follow,
    /// and [0,1,2] is used), whatever spelling the numbers take.
    @Test func nestedCheckedArrays() throws {
        let schema = #"{"type": "array", "uniqueItems": true, "items": {"type": "array", "uniqueItems": true, "items": {"type": "integer", "minimum": 0, "maximum": 2}}}"#
        #expect(try U.grammar(schema).closedUniqueArrayRules.count == 2)
        let v = RuntimeTests.Fixtures.smallVocabulary(["[[", "],[", "0.20e1", "1.0"])
        let g = try U.compile(schema, v)
        var m = g.makeMatcher()
        try U.feed(&m, ["[[", "0", ",", "1", ",", "2", "],[", "0", ",", "1.0"], v)
        var mask = allowed(m, v)
        #expect(!mask.contains(",") && mask.contains("]") && mask.contains("0"))
        m = g.makeMatcher()
        try U.feed(&m, ["[[", "0", ",", "1", ",", "0.20e1", "],[", "0", ",", "1"], v)
        mask = allowed(m, v)
        #expect(!mask.contains(",") && mask.contains("]") && mask.contains("."))
        try U.feed(&m, ["]", ",", "["], v)
        // [0,1] is used too: a `0` may still become [0,2] or [0,2,1].
        mask = allowed(m, v)
        #expect(mask.contains("0") && mask.contains("1") && mask.contains("]"))
        #expect(U.accepts(g, "[[0,1,2],[0,2,1],[0],[]]"))
        #expect(!U.accepts(g, "[[0,1,2],[0,1,2e0]]") && !U.accepts(g, "[[0,0]]"))
    }

    /// Beside a plain array (`anyOf`), a dead end of the unique one leaves the plain parses.
    @Test func besideAPlainArray() throws {
        let v = RuntimeTests.Fixtures.vocabulary
        let g = try U.compile(#"{"anyOf": [{"type": "array", "items": {"type": "integer"}, "uniqueItems": true}, "#
                              + #"{"type": "array", "items": {"const": 0}}]}"#, v)
        #expect(U.accepts(g, "[0,0,0]"))
        #expect(U.accepts(g, "[0,1,2]"))
        #expect(!U.accepts(g, "[0,1,1]"))
        #expect(!U.accepts(g, "[0,0,1]"))
    }

    /// The spelling-prefix test never calls a prefix of a spelling a mismatch.
    @Test func spellingPrefixes() throws {
        func value(_ text: String) throws -> JSONValue { try JSONValue(parsing: text) }
        let cases: [(String, String, Bool)] = [
            ("1", "1", true), ("1.", "1", true), ("1.0", "1", true), ("10e-", "1", true), ("10e-1", "1", true), ("10e-2", "1", false),
            ("1e", "1", true), ("1e0", "1", true), ("1e1", "1", false), ("2", "1", false), ("-", "1", false), ("-", "0", true),
            ("-0.0", "0", true), ("0e9", "0", true), ("0.1", "0", false), ("12", "1.25", true), ("0.0125e", "1.25", true),
            ("0.0125e+2", "1.25", true), ("0.0125e-", "1.25", false), ("125e-", "1.25", true), ("125e", "1.25", true),
            ("\"a", "\"ab\"", true), ("\"\\u006", "\"ab\"", true), ("\"\\u0061b\"", "\"ab\"", true), ("\"b", "\"ab\"", false),
            ("{\"b\":1,", "{\"a\":true,\"b\":1}", true), ("{\"b\":1,\"b", "{\"a\":true,\"b\":1}", false),
            ("{ \"a\" : t", "{\"a\":true}", true), ("{\"a\":f", "{\"a\":true}", false), ("[1, 2", "[1,2]", true), ("[1,3", "[1,2]", false),
            ("[1,2] ", "[1,2]", true), ("nul", "null", true), ("t", "null", false),
        ]
        for (text, json, expected) in cases {
            #expect(JSONSpellingPrefix.mayExtend(Array(text.utf8), to: try value(json)) == expected, "\(text) vs \(json)")
        }
    }

    /// A decoder loop sampling uniformly under the mask never meets an empty mask, and every
    /// document it ends is valid with distinct elements, also when the array must use every
    /// value (`minItems` = the number of values).
    @Test func generationNeverRepeatsAndNeverStalls() throws {
        let v = RuntimeTests.Fixtures.vocabulary
        let schemas = [
            Self.integers, Self.flags, Self.pattern,
            #"{"type": "array", "uniqueItems": true, "minItems": 13, "items": {"enum": ["a", "ab", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]}}"#,
            #"{"type": "array", "uniqueItems": true, "items": {"type": "integer", "minimum": 0, "maximum": 3}}"#,
            #"{"type": "array", "uniqueItems": true, "items": {"anyOf": [{"type": "string", "maxLength": 1}, {"type": "object", "properties": {"n": {"enum": [1, 2]}}, "required": ["n"], "additionalProperties": false}]}}"#,
            #"{"type": "array", "uniqueItems": true, "items": {"type": "array", "uniqueItems": true, "items": {"type": "integer", "minimum": 0, "maximum": 2}}}"#,
        ]
        for schema in schemas {
            let g = try U.compile(schema, v)
            for seed in 0..<8 {
                let text = try U.sample(g, v, seed: seed, steerAfter: 60, towardCompletion: false)
                let value = try JSONParser().parse(bytes: text)
                #expect(U.hasDistinctElements(value), "\(String(decoding: text, as: UTF8.self))")
            }
        }
    }

    /// What stays an error: positions with different schemas, and a `minItems` the elements
    /// cannot be shown to reach; an array needing more elements than values has none.
    @Test func unsupportedShapesStayNamedErrors() throws {
        for schema in [
            #"{"type": "array", "prefixItems": [{"type": "integer"}], "items": {"type": "integer"}, "uniqueItems": true}"#,
            #"{"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 20}, "minItems": 2, "uniqueItems": true}"#,
        ] {
            #expect(throws: GrammarError.self, "\(schema)") { _ = try U.grammar(schema) }
        }
        // Enumerable values reach minItems: compiled; fewer values than minItems: no array.
        #expect(try U.grammar(#"{"type": "array", "uniqueItems": true, "minItems": 13, "items": {"enum": ["a", "ab", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]}}"#).closedUniqueArrayRules.count == 1)
        let none = try U.compile(#"{"anyOf": [{"type": "array", "uniqueItems": true, "minItems": 14, "items": {"enum": ["a", "ab", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]}}, {"type": "null"}]}"#,
                                 RuntimeTests.Fixtures.vocabulary)
        #expect(!U.accepts(none, #"["a","ab","b","c","d","e","f","g","h","i","j","k","l","a"]"#) && U.accepts(none, "null"))
    }
}
