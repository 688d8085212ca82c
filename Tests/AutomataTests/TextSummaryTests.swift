import Testing
import Grammar
@testable import Automata

/// `TokenTrie.TextSummary`'s per-node figures equal their definitions, computed token by token
/// from the tokens at or below each node.
@Suite struct TextSummaryTests {
    /// Tokens sharing prefixes, of plain text and not (quote, backslash, control, invalid or
    /// incomplete UTF-8), with whitespace runs from none to four, multi-byte characters, one
    /// token longer than 254 bytes and a special token.
    static let tokens: [[UInt8]] = [
        "a", "ab", "abc", "a b", "a b c", "a b c d e", " ", "  ", " \n ", "\t", "b", "b\"", "\"", "\\", "\\n",
        "é", "éé", "aé", "a\u{2028}", "\u{2028}", "x y", "x y z", "x  y", "{", "{\"", "0", "01", "012",
    ].map { Array($0.utf8) } + [[0xC3], [0x61, 0xC3], [0xFF], [0x61, 0x0A], [0x01], [0x61, 0x01],
                                Array(repeating: 0x61, count: 300), Array(repeating: 0x61, count: 253) + [0x20, 0x62]]

    @Test func figuresPerNodeEqualTheirDefinitions() {
        let special = Self.tokens.count
        let vocabulary = Vocabulary(tokens: Self.tokens + [Array("<eos>".utf8)], special: [special], eos: [special])
        let trie = TokenTrie(vocabulary)
        let summary = TokenTrie.TextSummary(trie)
        #expect(summary.longestPlainByRuns.count == SpaceRuns.limitedRuns)
        for node in 0..<trie.nodeCount {
            let depth = Int(trie.depth[node])
            let below = (Int(trie.tokenStart[node])..<Int(trie.tokenStart[Int(trie.subtreeEnd[node])]))
                .map { Array(vocabulary.bytes(of: Int(trie.tokenIDs[$0]))) }
            var low: UInt64 = 0, high: UInt64 = 0
            var longest = 0
            var byRuns = [Int](repeating: 0, count: SpaceRuns.limitedRuns)
            for token in below {
                for byte in token[depth...] {
                    let bit = TextClass.bit(of: TextClass.group(of: byte))
                    (low, high) = (low | bit.low, high | bit.high)
                }
                let (plain, runs) = Self.plainAndRuns(token)
                longest = max(longest, plain ? min(token.count, 254) : 255)
                for r in byRuns.indices { byRuns[r] = max(byRuns[r], plain && runs <= r ? min(token.count, 254) : 255) }
            }
            // Groups strictly below the node: a token's bytes after the path to the node.
            #expect(summary.groupsBelow[2 * node] == low && summary.groupsBelow[2 * node + 1] == high, "node \(node)")
            #expect(Int(summary.longestPlain[node]) == longest, "node \(node)")
            for r in byRuns.indices { #expect(Int(summary.longestPlainByRuns[r][node]) == byRuns[r], "node \(node) runs \(r)") }
        }
        // Token lengths in bytes and characters, by the counting sorts.
        for (id, token) in Self.tokens.enumerated() {
            let characters = token.filter { $0 & 0xC0 != 0x80 }.count
            for (order, length) in [(summary.tokensByBytes, token.count), (summary.tokensByCharacters, characters)] {
                let position = order.ids.firstIndex(of: Int32(id))!
                #expect(position >= order.count(upTo: length - 1) && position < order.count(upTo: length), "token \(id)")
            }
        }
        // One sampled plain token in `sampleStride`: the first one in trie order here.
        #expect(summary.sample.count == 1)
    }

    /// `TokenTrie.PlainTokenGroups`' per-lane plain token sets and per-group token sets equal
    /// their definitions:
    /// a token is in lane r when it is plain with at most r whitespace runs (the last lane: any
    /// number), in group g's set when it is plain and has a byte of group g.
    @Test func tokenSetsEqualTheirDefinitions() {
        let special = Self.tokens.count
        let vocabulary = Vocabulary(tokens: Self.tokens + [Array("<eos>".utf8)], special: [special], eos: [special])
        let trie = TokenTrie(vocabulary)
        let summary = TokenTrie.PlainTokenGroups(trie)
        let w = summary.wordsPerSet
        let inTrie = Set(trie.tokenIDs.map(Int.init))
        var plainGroups = SIMD2<UInt64>.zero
        for id in 0..<vocabulary.size {
            let token = Array(vocabulary.bytes(of: id))
            let (plain, runs) = inTrie.contains(id) ? Self.plainAndRuns(token) : (false, 0)
            let has = { (words: [UInt32], set: Int) in words[set * w + id >> 5] >> UInt32(id & 31) & 1 != 0 }
            for lane in 0...SpaceRuns.limitedRuns {
                #expect(has(summary.plainTokens, lane) == (plain && (lane == SpaceRuns.limitedRuns || runs <= lane)), "token \(id) lane \(lane)")
            }
            let groups = Set(token.map { TextClass.group(of: $0) })
            for g in 0..<128 { #expect(has(summary.groupTokens, g) == (plain && groups.contains(g)), "token \(id) group \(g)") }
            if plain { for g in groups { plainGroups |= SIMD2(TextClass.bit(of: g).low, TextClass.bit(of: g).high) } }
        }
        #expect(summary.plainGroups == plainGroups)
    }

    /// The sample (every `sampleStride`th plain token in trie order) equals its definition on a
    /// vocabulary large enough for the summary's two halves and many samples.
    @Test func sampleEqualsItsDefinition() {
        var generator = SplitMix64(seed: 7)
        // Mostly plain pieces (whitespace runs, a two-byte character, one of three bytes), a
        // quote and a line feed; and an incomplete character at the end.
        let pieces = ["a", "b", "c", "d", " ", "  ", "é", "\u{2028}", "\"", "\n"].map { Array($0.utf8) }
        var tokens = Set<[UInt8]>()
        while tokens.count < 4000 {
            var token = (0..<Int(generator.next() % 6 + 1)).flatMap { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }
            if generator.next() % 16 == 0 { token.append(0xC3) }
            tokens.insert(token)
        }
        let vocabulary = Vocabulary(tokens: tokens.sorted { $0.lexicographicallyPrecedes($1) }, eos: [0])
        let trie = TokenTrie(vocabulary)
        let summary = TokenTrie.TextSummary(trie)
        var expected: [(low: UInt64, high: UInt64, bytes: Int, characters: Int, runs: Int)] = []
        var plainSeen = 0
        for node in 0..<trie.nodeCount where trie.tokenStart[node + 1] > trie.tokenStart[node] {
            let token = Array(vocabulary.bytes(of: Int(trie.tokenIDs[Int(trie.tokenStart[node])])))
            let (plain, runs) = Self.plainAndRuns(token)
            guard plain else { continue }
            if plainSeen % TokenTrie.TextSummary.sampleStride == 0 {
                var low: UInt64 = 0, high: UInt64 = 0
                for byte in token {
                    let bit = TextClass.bit(of: TextClass.group(of: byte))
                    (low, high) = (low | bit.low, high | bit.high)
                }
                expected.append((low, high, token.count, token.filter { $0 & 0xC0 != 0x80 }.count, runs))
            }
            plainSeen += Int(trie.tokenStart[node + 1] - trie.tokenStart[node])
        }
        #expect(expected.count > 10)
        #expect(summary.sample.count == expected.count)
        for (got, want) in zip(summary.sample, expected) {
            #expect(got.low == want.low && got.high == want.high && Int(got.bytes) == want.bytes
                    && Int(got.characters) == want.characters && Int(got.runs) == want.runs)
        }
    }

    /// Whether `token` is plain text (`PlainText`) and its whitespace runs (`SpaceRuns`).
    static func plainAndRuns(_ token: [UInt8]) -> (plain: Bool, runs: Int) {
        var state: Int8 = 0
        var runState = Int(SpaceRuns.start), runs = 0
        for byte in token {
            if state >= 0 { state = PlainText.next(state, byte) }
            let entry = SpaceRuns.table[runState << 8 | Int(byte)]
            runs += Int(entry >> 7)
            runState = Int(entry & 0x7F)
        }
        return (state >= 0, runs)
    }
}
