import Testing
import Grammar
@testable import Automata
@testable import TokenMask

/// Walks that pass over the unread children of a node with many children
/// (`TokenTrie.FanOut`), against the trie's own structure and against masks found token by
/// token.
@Suite struct FanOutTests {
    /// Every single byte (the root has 256 children), and below `"`, ` "`, `",` and `a` more
    /// than `FanOut.minChildren` children each (letters, digits, JSON punctuation, whitespace),
    /// some of them with tokens below them too; the last id is EOS.
    static let vocabulary: PreparedVocabulary = {
        let letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789".map(String.init)
        var pieces: [String] = []
        for prefix in ["\"", " \"", "\",", "a"] {
            pieces += letters.map { prefix + $0 }
            pieces += [prefix + "}", prefix + "]", prefix + ":", prefix + " ", prefix + "\n", prefix + "\""]
        }
        pieces += ["\"id", "\"id\":", "\"name\": \"", "\"name", " \"id\"", "\",\"", "\": ", "\":", ", \"", "{\"", "\"}", "ab", "abc",
                   "alpha", "  ", "\n  ", "12", "123", "1.5", "true", "null", " true", "\"\n}"]
        var tokens = (0...255).map { [UInt8($0)] }
        tokens += pieces.map { Array($0.utf8) }
        var seen = Set<[UInt8]>()
        tokens = tokens.filter { seen.insert($0).inserted }
        tokens.append(Array("<eos>".utf8))
        return PreparedVocabulary(Vocabulary(tokens: tokens, special: [tokens.count - 1], eos: [tokens.count - 1]))
    }()

    /// The children of each node of `trie`, by byte.
    static func children(of trie: TokenTrie) -> [[UInt8: Int]] {
        (0..<trie.nodeCount).map { i in
            var children: [UInt8: Int] = [:]
            var j = i + 1
            while j < Int(trie.subtreeEnd[i]) {
                children[trie.byte[j]] = j
                j = Int(trie.subtreeEnd[j])
            }
            return children
        }
    }

    /// Below the slot limit, the fanned-out nodes are exactly those with at least
    /// `minChildren` children, and each one's table gives its child for every byte (and -1 for
    /// the others); `firstByte` finds the next byte of a set.
    @Test func tablesMatchTheTrie() {
        let trie = Self.vocabulary.trie
        var slotted = 0
        for (i, children) in Self.children(of: trie).enumerated() {
            let slot = Int(trie.fanOut.slotOfNode[i])
            #expect((slot != 0) == (children.count >= TokenTrie.FanOut.minChildren))
            guard slot != 0 else { continue }
            slotted += 1
            #expect(trie.fanOut.deepestNode >= Int(trie.depth[i]))
            let bits = trie.fanOut.childBytes[slot - 1]
            for b in 0..<256 {
                #expect(Int(trie.fanOut.children[(slot - 1) << 8 | b]) == (children[UInt8(b)] ?? -1))
                #expect((bits[b >> 6] >> UInt64(b & 63) & 1 == 1) == (children[UInt8(b)] != nil))
            }
        }
        // The root, `"`, ` "` (below ` `), `",` (below `"`) and `a`.
        #expect(slotted == 5)
        var bits = ByteBits()
        for b: UInt8 in [0, 5, 63, 64, 127, 200, 255] { bits.insert(b) }
        #expect(TokenTrie.FanOut.firstByte(of: bits.words, above: 0) == 5)
        #expect(TokenTrie.FanOut.firstByte(of: bits.words, above: 5) == 63)
        #expect(TokenTrie.FanOut.firstByte(of: bits.words, above: 63) == 64)
        #expect(TokenTrie.FanOut.firstByte(of: bits.words, above: 64) == 127)
        #expect(TokenTrie.FanOut.firstByte(of: bits.words, above: 127) == 200)
        #expect(TokenTrie.FanOut.firstByte(of: bits.words, above: 254) == 255)
        #expect(TokenTrie.FanOut.firstByte(of: bits.words, above: 255) == -1)
        #expect(TokenTrie.FanOut.firstByte(of: ByteBits().words, above: 0) == -1)
    }

    /// Past the slot limit, the nodes with the most children get the slots: 300 two-letter
    /// prefixes with `minChildren` children each, ten of them with more, and the root.
    @Test func mostChildrenGetTheSlots() {
        let letters = Array("abcdefghijklmnopqrstuvwxy".utf8)
        var tokens = (0...255).map { [UInt8($0)] }
        for (k, (first, second)) in letters.prefix(12).flatMap({ f in letters.map { (f, $0) } }).enumerated() {
            let below = k % 30 == 0 ? letters.prefix(TokenTrie.FanOut.minChildren + 12) : letters.prefix(TokenTrie.FanOut.minChildren)
            tokens += below.map { [first, second, $0] }
        }
        tokens.append(Array("<eos>".utf8))
        let trie = TokenTrie(Vocabulary(tokens: tokens, special: [tokens.count - 1], eos: [tokens.count - 1]))
        let children = Self.children(of: trie)
        let slotted = (0..<trie.nodeCount).filter { trie.fanOut.slotOfNode[$0] != 0 }
        #expect(slotted.count == TokenTrie.FanOut.maxSlots)
        let fewestSlotted = slotted.map { children[$0].count }.min()!
        for i in 0..<trie.nodeCount where trie.fanOut.slotOfNode[i] == 0 { #expect(children[i].count <= fewestSlotted) }
        #expect(trie.fanOut.slotOfNode[0] != 0)
        #expect(slotted.filter { children[$0].count == TokenTrie.FanOut.minChildren + 12 }.count == 10)
    }

    /// Replays each document (greedy tokens; members in declared order) twice and compares
    /// every mask, first visits and cached ones, with the brute-force one.
    static func expectMasksMatchBruteForce(schema: String, documents: [String]) throws {
        let grammar = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema)), vocabulary: vocabulary)
        for _ in 0..<2 {
            try MaskEquivalenceTests.expectMasksMatchBruteForce(grammar, vocabulary: vocabulary, documents: documents)
        }
    }

    /// Member names (one child of `"` read, or a few), string values (most children read),
    /// numbers, an enum of strings, and a definition used in several places (local walks and
    /// walks from return nodes below fanned-out nodes such as `",`).
    @Test func masksMatchBruteForce() throws {
        try Self.expectMasksMatchBruteForce(
            schema: #"""
                {"type": "object",
                 "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "alpha": {"enum": ["a1", "aZ", "b"]},
                                "ab": {"$ref": "#/$defs/item"}, "abc": {"type": "array", "items": {"$ref": "#/$defs/item"}}},
                 "$defs": {"item": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "number"}}}}}
                """#,
            documents: [#"{"id": 12, "name": "ab c\"d", "alpha": "aZ", "ab": {"a": "x", "b": 1.5}}"#,
                        #"{"id": 1, "abc": [{"a": "1"}, {"b": 123}, {}]}"#,
                        "{\n  \"name\": \"alpha\"\n}", #"{}"#])
    }
}
