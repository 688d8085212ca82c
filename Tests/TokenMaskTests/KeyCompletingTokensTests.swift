import Testing
import Grammar
import Automata
@testable import TokenMask

/// The multi-quote tokens that complete a member name are listed once per vocabulary and name
/// signature (`KeyCompletingTokens`) and shared by every grammar of the vocabulary: masks equal
/// the brute-force ones (each token accepted alone) at every step, in objects of arrays that
/// repeat their names, in nested objects, with escapes, with tokens closing one name and
/// opening another, for two grammars on one vocabulary, on first and cached visits.
@Suite struct KeyCompletingTokensTests {
    /// Tokens with two quotes or more, reading as names from several signatures, and a few
    /// single-quote ones.
    static let pieces = [
        "[{\"", "{\"", "\"a\"", "\"ab\"", "\"a\":", "\"ab\":", ",\"a\":", ",\"ab\":", ",\"b\":", "\",\"a\":\"", "\",\"ab\":\"",
        "\"},{\"a\":\"", "\"},{\"ab\":\"", "\"},{\"a\":\"\",\"a\":\"", "\":\"\",\"a\":\"", "\":\"\",\"ab\":\"", "\":\"\"}",
        "\\u0061\":", "\"\\u0061\":", ",\"\\u0061\":\"", "a\\u0062\":\"", "\"a\\\"\":", "\\\"\":\"", "\":{\"a\":\"", "\"}},\"a\":\"", "\"},\"a\":\"",
        "\"}}", "\"}]", "\"},", "a\"", "ab\"", "b\":\"", "\":\"", "\":", "\",\"", "\"}", ",\"", "\"\"",
    ]

    static func compile(_ schema: String, _ v: PreparedVocabulary) throws -> CompiledGrammar {
        let grammar = try JSONSchemaCompiler(options: .init(whitespace: .compact)).compile(try JSONValue(parsing: schema)).grammar
        return try CompiledGrammar(grammar, vocabulary: v)
    }

    /// Arrays of objects of strings, and objects of strings or such objects: the same
    /// configurations meet other names in each element, and both grammars read one
    /// vocabulary's lists. `"},"a":"` read in a string of an object completes a name of the
    /// level below only when that level is an object: the array grammar, run first, must not
    /// decide it for the nested one.
    @Test func masksMatchBruteForceAcrossGrammarsOfOneVocabulary() throws {
        let v = RuntimeTests.Fixtures.smallVocabulary(Self.pieces)
        let array = try Self.compile(#"{"type": "array", "items": {"type": "object", "additionalProperties": {"type": "string"}}}"#, v)
        let nested = try Self.compile(#"""
            {"type": "object", "additionalProperties": {"anyOf": [
                {"type": "string"}, {"type": "object", "additionalProperties": {"type": "string"}}]}}
            """#, v)
        let arrayDocuments = [
            #"[{"a":"x","ab":"y"},{"ab":"","a":"a"},{"b":"1","a":""},{"a/":"","a\/b":"","a\/c":""}]"#,
            #"[{"ab":"a","a\"":"","a\/c":""},{"a":"","b":"","ab":""}]"#,
        ]
        let nestedDocuments = [
            #"{"a":{"a":"","ab":""},"ab":"x","b":{"ab":"","a":""}}"#,
            #"{"ab":"","a\"":{"a\"":"","a":""},"a":{"b":""}}"#,
        ]
        for _ in 0..<2 {
            try MaskEquivalenceTests.expectMasksMatchBruteForce(array, vocabulary: v, documents: arrayDocuments, complete: true)
            try MaskEquivalenceTests.expectMasksMatchBruteForce(nested, vocabulary: v, documents: nestedDocuments, complete: true)
        }
    }

    /// The tokens that would repeat a name are left out where the lists say so: a token
    /// closing one name and opening a used one, a token opening a new element with a name the
    /// previous element used (allowed), and one naming the same member twice (never).
    @Test func repeatingTokensAreLeftOut() throws {
        let v = RuntimeTests.Fixtures.smallVocabulary(Self.pieces)
        let g = try Self.compile(#"{"type": "array", "items": {"type": "object", "additionalProperties": {"type": "string"}}}"#, v)
        var m = g.makeMatcher()
        for id in RuntimeTests.Fixtures.ids(["[{\"", "a\"", ":", "\"", "x"], in: v) { try m.accept(token: id) }
        var mask = allowed(m, v)
        #expect(!mask.contains("\",\"a\":\"") && mask.contains("\",\"ab\":\"") && !mask.contains(",\"\\u0061\":\""))
        #expect(mask.contains("\"},{\"a\":\"") && !mask.contains("\"},{\"a\":\"\",\"a\":\""))
        for id in RuntimeTests.Fixtures.ids(["\",\"ab\":\""], in: v) { try m.accept(token: id) }
        mask = allowed(m, v)
        #expect(!mask.contains("\",\"a\":\"") && !mask.contains("\",\"ab\":\"") && mask.contains("\"},{\"ab\":\""))
        // Inside a name: "a" continues a used name, so closers of "a" and "ab" are refused.
        for id in RuntimeTests.Fixtures.ids(["\",\"", "a"], in: v) { try m.accept(token: id) }
        mask = allowed(m, v)
        #expect(!mask.contains("\":\"") && !mask.contains("\":\"\",\"ab\":\"") && !mask.contains("b\":\""))
        #expect(mask.contains("\\\"\":\""))
        #expect(Set(mask) == Set(MaskEquivalenceTests.bruteForceMask(m).map { String(decoding: v.vocabulary.bytes(of: $0), as: UTF8.self) }))
    }
}
