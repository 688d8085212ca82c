import Testing
import Grammar
@testable import Automata
@testable import TokenMask

/// Masks of configurations that read one byte only, which leads to free plain text
/// (member names under `^schema `-like patterns): the trie below that byte is walked with its
/// plain subtrees set whole (`ConfigurationSpace.fillAllowed(_:trie:plainBelowFirstByte:limit:into:)`).
@Suite struct PlainChildrenTests {
    /// Every ASCII byte, a space followed by each three-letter word over `a`–`p` (4,096 of
    /// them: the space's subtree is large enough to be a plain child), and space-led tokens
    /// that leave plain text (quotes, escapes, control bytes, a multi-byte character and one
    /// cut inside it).
    static let vocabulary: PreparedVocabulary = {
        let letters = Array("abcdefghijklmnop")
        var pieces: [String] = []
        for a in letters { for b in letters { for c in letters { pieces.append(" " + String([a, b, c])) } } }
        pieces += [" \"", " ab\"", " ab\":", " abc\": ", " \\n", " a\\\"b", " é", " éa", " \"}", " a\"}", "schema", "table", "{\"", "\":", "\": "]
        var tokens = pieces.map { Array($0.utf8) }
        tokens.append([0x20, 0xC3])   // a space and the first byte of `é`
        tokens.append([0x20, 0x0A])   // a space and a newline
        tokens += (32...126).map { [UInt8($0)] }.filter { !tokens.contains($0) }
        tokens.append(Array("<eos>".utf8))
        return PreparedVocabulary(Vocabulary(tokens: tokens, special: [tokens.count - 1], eos: [tokens.count - 1]))
    }()

    /// The space's subtree holds more nodes than a plain child needs.
    @Test func spaceSubtreeIsAPlainChild() {
        let trie = Self.vocabulary.trie
        var child = 1
        while child < Int(trie.subtreeEnd[0]), trie.byte[child] != 0x20 { child = Int(trie.subtreeEnd[child]) }
        #expect(trie.byte[child] == 0x20)
        #expect(Int(trie.subtreeEnd[child]) - child > ConfigurationSpace.plainChildMinNodes)
    }

    /// The bytes a plain child may have are the printable ASCII bytes but the quote and the
    /// backslash.
    @Test func plainChildBytes() {
        for byte in 0..<128 {
            let expected = byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C
            #expect((ConfigurationSpace.plainChildBytes[byte >> 6] >> UInt64(byte & 63) & 1 != 0) == expected, "\(byte)")
        }
    }

    /// Member names that must start with `schema ` or `table ` (then anything), values of two
    /// types: every mask of the replays equals the brute-force one.
    @Test func keysAfterAFixedPrefixMatchBruteForce() throws {
        let schema = #"""
            {"type": "object",
             "patternProperties": {"^schema ": {"type": "integer"}, "^table ": {"type": "string"}},
             "additionalProperties": false}
            """#
        let grammar = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema)), vocabulary: Self.vocabulary)
        try MaskEquivalenceTests.expectMasksMatchBruteForce(grammar, vocabulary: Self.vocabulary, documents: [
            #"{"schema abc def": 1, "table ghi\"x\u0001": "pop", "schema éa": 2}"#,
            #"{"table abc": "", "schema  \n": 3}"#,
        ], complete: true)
    }

    /// The same keys once the object may also hold other names: the configuration after
    /// `schema` reads every plain byte, so no child is read apart (the path is not taken), and
    /// the masks are still exact.
    @Test func openKeysMatchBruteForce() throws {
        let schema = #"{"type": "object", "patternProperties": {"^schema ": {"type": "integer"}}}"#
        let grammar = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema)), vocabulary: Self.vocabulary)
        try MaskEquivalenceTests.expectMasksMatchBruteForce(grammar, vocabulary: Self.vocabulary, documents: [
            #"{"schema abc": 1, "schemas": true, "sc": null}"#,
        ], complete: true)
    }
}
