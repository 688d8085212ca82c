import Foundation
import Testing
import Grammar
import Automata
@testable import TokenMask

/// `uniqueItems` over open item languages (`Grammar.uniqueArrayRules`): exact masks on a small
/// vocabulary, JSON equality, nesting, arrays beside plain ones, rollback, generation, and the
/// item languages that need the dead-end check of closed elements instead.
@Suite struct UniqueItemsTests {
    static let strings = #"{"type": "array", "items": {"type": "string"}, "uniqueItems": true}"#

    static func grammar(_ schema: String) throws -> Grammar {
        try JSONSchemaCompiler(options: .init(whitespace: .compact)).compile(try JSONValue(parsing: schema)).grammar
    }

    static func compile(_ schema: String, _ v: PreparedVocabulary) throws -> CompiledGrammar {
        try CompiledGrammar(grammar(schema), vocabulary: v)
    }

    static func feed(_ m: inout Matcher, _ pieces: [String], _ v: PreparedVocabulary) throws {
        for id in RuntimeTests.Fixtures.ids(pieces, in: v) { try m.accept(token: id) }
    }

    /// Whether the matcher accepts `text` as a whole document (byte by byte, then EOS).
    static func accepts(_ g: CompiledGrammar, _ text: String) -> Bool {
        var m = g.makeMatcher()
        guard (try? m.accept(bytes: Array(text.utf8))) != nil else { return false }
        return m.canTerminate
    }

    @Test func maskLeavesOutTokensCompletingARepeatedElement() throws {
        let v = RuntimeTests.Fixtures.smallVocabulary(["[\"", "ab", "ab\"", "ab\",", "ab\"]", "abc\"", "\",\"", "\"ab\"", ",\"ab\"]", ",\"ba\"]"])
        #expect(try Self.grammar(Self.strings).uniqueArrayRules.count == 1)
        let g = try Self.compile(Self.strings, v)
        var m = g.makeMatcher()
        try Self.feed(&m, ["[\"", "ab\"", ",", "\""], v)
        var mask = allowed(m, v)
        #expect(!mask.contains("ab\"") && !mask.contains("ab\",") && !mask.contains("ab\"]"))
        #expect(mask.contains("ab") && mask.contains("abc\"") && mask.contains("a"))
        try Self.feed(&m, ["ab"], v)
        mask = allowed(m, v)
        #expect(!mask.contains("\"") && !mask.contains("\",\""))
        #expect(mask.contains("c") && mask.contains("\\"))
        let quote = RuntimeTests.Fixtures.ids(["\""], in: v)[0]
        #expect(!m.canAccept(token: quote))
        #expect(throws: MatcherError.tokenRejected(token: quote)) { try m.accept(token: quote) }
        try Self.feed(&m, ["c", "\"", "]"], v)
        #expect(m.canTerminate)

        // Tokens holding a whole element: between elements.
        var n = g.makeMatcher()
        try Self.feed(&n, ["[\"", "ab\""], v)
        mask = allowed(n, v)
        #expect(!mask.contains(",\"ab\"]"))
        #expect(mask.contains(",\"ba\"]") && mask.contains(","))
    }

    @Test func elementsCompareAsJSONValues() throws {
        let v = RuntimeTests.Fixtures.vocabulary
        let numbers = try Self.compile(#"{"type": "array", "items": {"type": "number"}, "uniqueItems": true}"#, v)
        for repeated in ["[1,1.0]", "[1,10e-1]", "[1e0,1]", "[0,-0]", "[0.5,5e-1]", "[100,1e2]", "[1,2,1.000]"] {
            #expect(!Self.accepts(numbers, repeated), "\(repeated)")
        }
        for distinct in ["[1,10]", "[1,1.5]", "[0,0.1]", "[1e2,1e3]", "[-1,1]", "[12,1,2]"] {
            #expect(Self.accepts(numbers, distinct), "\(distinct)")
        }
        let strings = try Self.compile(Self.strings, v)
        #expect(!Self.accepts(strings, #"["a","\u0061"]"#))
        #expect(!Self.accepts(strings, #"["a/b","a\/b"]"#))
        #expect(!Self.accepts(strings, #"["\u00e9","é"]"#))
        #expect(Self.accepts(strings, #"["a","A","ab",""]"#))
        let objects = try Self.compile(#"{"type": "array", "items": {"type": "object"}, "uniqueItems": true}"#, v)
        #expect(!Self.accepts(objects, #"[{"a":1,"b":[true]},{"b":[true],"a":1.0}]"#))
        #expect(!Self.accepts(objects, #"[{},{}]"#))
        #expect(Self.accepts(objects, #"[{"a":1},{"a":"1"},{"a":[1]},{"a":1,"b":null}]"#))
        let any = try Self.compile(#"{"type": "array", "items": {"type": ["string", "number", "null", "boolean", "array"]}, "uniqueItems": true}"#, v)
        #expect(!Self.accepts(any, "[null,1,null]"))
        #expect(!Self.accepts(any, "[true,false,true]"))
        #expect(!Self.accepts(any, "[[1,\"a\"],[1.0,\"a\"]]"))
        #expect(Self.accepts(any, "[null,true,false,0,\"0\",[0],[]]"))
    }

    @Test func nestedUniqueArrays() throws {
        let v = RuntimeTests.Fixtures.vocabulary
        let nested = #"{"type": "array", "uniqueItems": true, "items": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}}"#
        #expect(try Self.grammar(nested).uniqueArrayRules.count == 2)
        let g = try Self.compile(nested, v)
        #expect(Self.accepts(g, #"[["a","b"],["b","a"],[]]"#))
        #expect(!Self.accepts(g, #"[["a","b"],["a","b"]]"#))
        #expect(!Self.accepts(g, #"[["a","a"]]"#))
        #expect(!Self.accepts(g, #"[[],[]]"#))
        // Elements of a plain inner array may repeat; the arrays themselves may not.
        let plainInner = try Self.compile(#"{"type": "array", "uniqueItems": true, "items": {"type": "array", "items": {"type": "integer"}}}"#, v)
        #expect(Self.accepts(plainInner, "[[1,1],[1]]"))
        #expect(!Self.accepts(plainInner, "[[1,1],[1,1.0]]"))
    }

    /// `anyOf` of a unique array and a plain one, both starting with `[`: a repeat drops only
    /// the unique parses.
    @Test func besideAPlainArrayOnlyUniqueParsesAreDropped() throws {
        let v = RuntimeTests.Fixtures.vocabulary
        let g = try Self.compile(#"{"anyOf": [{"type": "array", "items": {"type": "string"}, "uniqueItems": true}, "#
                                 + #"{"type": "array", "items": {"type": "string", "maxLength": 1}}]}"#, v)
        #expect(Self.accepts(g, #"["a","a"]"#))
        #expect(Self.accepts(g, #"["ab","a"]"#))
        #expect(!Self.accepts(g, #"["ab","ab"]"#))
        #expect(!Self.accepts(g, #"["a","a","bc"]"#))
        #expect(!Self.accepts(g, #"["bc","a","a"]"#))
        // Inside objects of two branches too.
        let objects = try Self.compile(#"{"anyOf": [{"type": "object", "properties": {"t": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}}}, "#
                                       + #"{"type": "object", "properties": {"t": {"type": "array", "items": {"enum": ["a", "b"]}}, "u": {"type": "null"}}, "additionalProperties": false}]}"#, v)
        #expect(Self.accepts(objects, #"{"t":["a","a"]}"#))
        #expect(!Self.accepts(objects, #"{"t":["c","c"]}"#))
        #expect(Self.accepts(objects, #"{"t":["a","a"],"u":null}"#))
        #expect(!Self.accepts(objects, #"{"t":["a","a"],"v":1}"#))
    }

    @Test func rollbackAndResetAgreeWithAFreshMatcher() throws {
        let v = RuntimeTests.Fixtures.smallVocabulary(["[\"", "ab\"", "\",\"", "\"]"])
        let g = try Self.compile(Self.strings, v)
        var m = g.makeMatcher()
        try Self.feed(&m, ["[\"", "ab\"", ",", "\"", "a", "b"], v)
        let before = allowed(m, v)
        #expect(!before.contains("\"") && !before.contains("\"]"))
        try Self.feed(&m, ["c", "\"", ",", "\""], v)
        try m.rollback(tokens: 4)
        #expect(allowed(m, v) == before)
        try m.rollback(tokens: 5)
        var fresh = g.makeMatcher()
        try Self.feed(&fresh, ["[\""], v)
        #expect(allowed(m, v) == allowed(fresh, v))
        try Self.feed(&m, ["ab\"", ",", "\"", "a", "b"], v)
        #expect(!allowed(m, v).contains("\""))
        m.reset()
        try Self.feed(&m, ["[\"", "a", "b"], v)
        #expect(allowed(m, v).contains("\""))
    }

    /// A decoder loop sampling uniformly under the mask: it never meets an empty mask and every
    /// document it ends has distinct elements at every level.
    @Test func generationNeverRepeatsAndNeverStalls() throws {
        let v = RuntimeTests.Fixtures.vocabulary
        let schemas = [
            #"{"type": "array", "items": {"type": "string"}, "uniqueItems": true, "minItems": 5}"#,
            #"{"type": "array", "items": {"type": ["number", "null", "boolean"]}, "uniqueItems": true, "minItems": 4}"#,
            #"{"type": "array", "uniqueItems": true, "minItems": 4, "items": {"type": "array", "items": {"type": ["string", "boolean"]}, "uniqueItems": true}}"#,
            #"{"type": "array", "uniqueItems": true, "minItems": 4, "items": {"type": "object", "properties": {"a": {"type": "boolean"}}, "required": ["a"]}}"#,
        ]
        for schema in schemas {
            let g = try Self.compile(schema, v)
            for seed in 0..<6 {
                let text = try Self.sample(g, v, seed: seed, steerAfter: 40, towardCompletion: true)
                let value = try JSONParser().parse(bytes: text)
                #expect(Self.hasDistinctElements(value), "\(String(decoding: text, as: UTF8.self))")
            }
        }
    }

    /// A document sampled uniformly under the mask (failing on an empty mask), ending at EOS as
    /// soon as allowed once it holds more than `steerAfter` bytes; `towardCompletion`: until
    /// then, the first byte of a shortest completion when allowed (the grammar's, which may
    /// repeat an element), else any token.
    static func sample(_ g: CompiledGrammar, _ v: PreparedVocabulary, seed: Int, steerAfter: Int,
                       towardCompletion: Bool) throws -> [UInt8] {
        var generator = SplitMix64(seed: UInt64(seed))
        var m = g.makeMatcher()
        var text: [UInt8] = []
        while !m.isTerminated {
            let allowedIDs = m.mask().allowedTokens
            try #require(!allowedIDs.isEmpty, "empty mask after \(String(decoding: text, as: UTF8.self))")
            var pick = allowedIDs[Int(generator.next() % UInt64(allowedIDs.count))]
            if text.count > steerAfter {
                if m.canTerminate {
                    pick = v.vocabulary.eosTokens[0]
                } else if towardCompletion, let byte = m.shortestCompletionPrefix(limit: 1).first, allowedIDs.contains(Int(byte)) {
                    pick = Int(byte)
                }
            }
            try m.accept(token: pick)
            if !v.vocabulary.isEOS(pick) { text += v.vocabulary.bytes(of: pick) }
        }
        return text
    }

    /// Item languages where refusing repeats could leave a prefix with no unused completion
    /// (integers, closed objects, bounded strings, patterns forcing a tail, formats) are
    /// checked rules (`ClosedUniqueItemsTests`), not open ones; small finite domains are still
    /// written out in the grammar, and at most one element needs nothing.
    @Test func itemLanguagesWithFiniteTailsAreCheckedRules() throws {
        let closed = [
            #"{"type": "array", "items": {"type": "integer"}, "uniqueItems": true}"#,
            #"{"type": "array", "items": {"type": "object", "properties": {"a": {"type": "integer"}}, "additionalProperties": false}, "uniqueItems": true}"#,
            #"{"type": "array", "items": {"type": "string", "maxLength": 1}, "uniqueItems": true}"#,
            #"{"type": "array", "items": {"type": "string", "pattern": "^[a-z]+@example\\.com$"}, "uniqueItems": true}"#,
            #"{"type": "array", "items": {"type": "string", "format": "date"}, "uniqueItems": true}"#,
            #"{"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}, "uniqueItems": true}"#,
            #"{"type": "array", "items": {"type": "array", "items": {"type": "string"}, "maxItems": 2}, "uniqueItems": true}"#,
        ]
        for schema in closed {
            let grammar = try JSONSchemaCompiler(options: .init()).compile(try JSONValue(parsing: schema)).grammar
            #expect(grammar.closedUniqueArrayRules.count == 1, "\(schema)")
        }
        for schema in [#"{"type": "array", "items": {"enum": [1, 2, 3]}, "uniqueItems": true}"#,
                       #"{"type": "array", "items": {"type": "integer"}, "uniqueItems": true, "maxItems": 1}"#] {
            let grammar = try JSONSchemaCompiler(options: .init()).compile(try JSONValue(parsing: schema)).grammar
            #expect(grammar.uniqueArrayRules.isEmpty)
        }
    }

    @Test func grammarsWithoutUniqueArraysHaveNoIndex() throws {
        let g = try Self.compile(#"{"type": "array", "items": {"type": "string"}}"#, RuntimeTests.Fixtures.vocabulary)
        #expect(g.uniqueArrays == nil)
    }

    /// Masks against reading each token's bytes one at a time (`accept(bytes:)`, which steps
    /// the tracker byte by byte for every token), at every step of replays whose quote tokens
    /// close a string element and go on to start another (the per-configuration lists of quote
    /// tokens, `UniqueArrayIndex.quoteCandidates`), inside and outside string elements.
    @Test func masksMatchReadingEachTokensBytes() throws {
        let v = RuntimeTests.Fixtures.smallVocabulary([
            "[\"", "\"", "\",", "\",\"", "\",1", "\",t", "\",n", "\",[", "\",[\"", "\"]", "\"],", "\"],[", "\"],[\"", "\"]]",
            "ab", "ab\"", "ab\",", "ab\",\"", "ab\",\"ab\"", "ab\"]", "\"ab\"", "\"ab\",", ",\"ab\"]", "\",\"ab", "1,", "1]", ",1",
            "true", ",true", "null,", "[[", "]]", "],[", "\\\"",
        ])
        let schemas = [
            Self.strings,
            #"{"type": "array", "uniqueItems": true, "items": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}}"#,
            #"{"type": "array", "uniqueItems": true, "items": {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}, {"type": "null"}, {"type": "array", "items": {"type": "string"}}]}}"#,
            #"{"type": "object", "properties": {"a": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}, "b": {"type": "string"}}}"#,
        ]
        let documents = [
            [#"["ab","a","b","abc"]"#, #"["ab","ab\"","a\"b"]"#, #"[]"#],
            [#"[["ab","a"],["a","ab"],["ab"],[]]"#, #"[["a","b"],["b"]]"#],
            [#"["ab",1,true,null,["ab"],"a",["ab","ab"]]"#, #"["",1.0,"1",[],false]"#],
            [#"{"a":["ab","a","abab"],"b":"ab"}"#, #"{"a":["ab\"","ab"],"b":"ab\""}"#],
        ]
        for (schema, texts) in zip(schemas, documents) {
            let g = try Self.compile(schema, v)
            for text in texts {
                var m = g.makeMatcher()
                for token in try #require(v.greedyTokens(Array(text.utf8)), "\(text)") {
                    #expect(m.mask().allowedTokens == Self.byteByByteMask(m, v), "\(text)")
                    try m.accept(token: token)
                }
                #expect(m.mask().allowedTokens == Self.byteByByteMask(m, v), "\(text)")
                #expect(m.canTerminate, "\(text)")
            }
        }
    }

    /// The tokens whose bytes the matcher accepts read one at a time, and EOS when it may end.
    static func byteByByteMask(_ m: Matcher, _ v: PreparedVocabulary) -> [Int] {
        (0..<v.size).filter { id in
            if v.vocabulary.isEOS(id) { return m.canTerminate }
            if v.vocabulary.isSpecial(id) { return false }
            var copy = m
            return (try? copy.accept(bytes: v.vocabulary.bytes(of: id))) != nil
        }
    }

    /// With the Llama-3 tokenizer (skipped when absent): real documents, token by token.
    @Test func realVocabulary() throws {
        let path = "/work/shared/vocab/llama3"
        guard FileManager.default.fileExists(atPath: path) else { return }
        let v = PreparedVocabulary(try Vocabulary(contentsOf: path))
        let g = try Self.compile(#"{"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}}}"#, v)
        for (text, valid) in [(#"{"tags":["alpha","beta","alphabet"]}"#, true), (#"{"tags":["alpha","beta","alpha"]}"#, false)] {
            var m = g.makeMatcher()
            var ok = true
            for id in v.greedyTokens(Array(text.utf8)) ?? [] where ok {
                ok = m.canAccept(token: id) && m.mask().allowedTokens.contains(id)
                if ok { try m.accept(token: id) }
            }
            #expect(ok == valid && (!ok || m.canTerminate), "\(text)")
        }
    }

    static func hasDistinctElements(_ value: JSONValue) -> Bool {
        switch value {
        case .array(let elements):
            for i in elements.indices { for j in elements.indices where j > i && elements[i] == elements[j] { return false } }
            return elements.allSatisfy(hasDistinctElements)
        case .object(let object):
            return object.allSatisfy { hasDistinctElements($0.value) }
        default:
            return true
        }
    }
}
