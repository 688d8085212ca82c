import Testing
import Grammar
@testable import Automata
@testable import TokenMask

/// Word-count patterns (`^(?:\S+\s+){0,N}\S+$`) inside JSON strings: plain-text searches that
/// follow only the strings of at most the vocabulary's whitespace runs (`SpaceRuns`), the
/// classes of fewer runs, and the masks they give, against token-by-token brute force.
@Suite struct WordCountTests {
    /// Every printable ASCII byte, whitespace characters raw and escaped, multi-byte pieces
    /// (a lone lead byte, a lead and continuation of U+2028 and of a dash), words, tokens of
    /// one and two whitespace runs, long ones, and tokens closing the string.
    static let tokens: [[UInt8]] = {
        var pieces: [String] = (0x20...0x7E).map { String(UnicodeScalar(UInt8($0))) }
        pieces += ["ab", "cd", "word", " ab", "ab ", "  ", "a b", " a b", "a b c", "ab  cd", "a\u{00A0}b", "\u{00A0}",
                   "\u{2028}", "\u{3000}", "\u{3000}\u{3000}", "é", "aé", "—", "abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnop qrstuvwxyz",
                   "\\n", "\\t", "\\u00a0", "\\u00A0", "\\u2028", "\\u0041", "\\\"", "\\\\", "a\\nb", "\"", "ab\"", " \"", "\"}", "\","]
        return pieces.map { Array($0.utf8) } + [[0xC2], [0xA0], [0xE2, 0x80], [0xA8], [0x94]]
    }()
    static let prepared = PreparedVocabulary(Vocabulary(tokens: tokens + [Array("<eos>".utf8)], special: [tokens.count],
                                                       eos: [tokens.count]))

    /// The runs of the texts `SpaceRuns` counts: a run starts at a whitespace character after
    /// the start or a non-whitespace one; a character cut short counts only once whole.
    @Test func runsOfTexts() {
        let cases: [([UInt8], Int)] = [
            (Array("".utf8), 0), (Array("ab".utf8), 0), (Array(" ".utf8), 1), (Array(" ab".utf8), 1), (Array("ab ".utf8), 1),
            (Array("a  b".utf8), 1), (Array("a b c".utf8), 2), (Array(" a b ".utf8), 3), (Array("a\u{00A0}b".utf8), 1),
            (Array("a\u{2028}\u{3000} b".utf8), 1), (Array("\u{FEFF}x\u{1680}".utf8), 2), (Array("a\u{0085}b".utf8), 0),
            (Array("a—b".utf8), 0), ([0x61, 0xE2, 0x80], 0), ([0xE2, 0x80, 0xA8], 1), ([0x61, 0xC2], 0), ([0xC2, 0xA9], 0),
            (Array("\u{200A}\u{200B}".utf8), 1), (Array("\\n".utf8), 0),
        ]
        for (bytes, runs) in cases {
            #expect(SpaceRuns.runs(in: bytes) == runs, "\(bytes)")
        }
    }

    /// The run-limited plain-text automata read a string to the end exactly when it is plain
    /// text of at most that many runs.
    @Test func runLimitedTransitions() {
        let texts = Self.tokens + [Array("a b c d".utf8), Array(" \u{3000}x\u{2028}y".utf8), [0xE2, 0x80, 0xA8, 0x61, 0xE2, 0x80]]
        for maxRuns in 0..<SpaceRuns.limitedRuns {
            let table = SpaceRuns.plainTransitions(maxRuns: maxRuns)
            for text in texts {
                var state: Int8 = 0
                for b in text where state >= 0 { state = table[Int(state) << 8 | Int(b)] }
                #expect((state >= 0) == (Self.isPlain(text) && SpaceRuns.runs(in: text) <= maxRuns), "\(text) \(maxRuns)")
            }
        }
    }

    /// The vocabulary's most runs: "a b c", " a b" and "ab  cd"-like tokens hold two.
    @Test func mostRunsOfTheVocabulary() {
        #expect(Self.prepared.plainText.mostSpaceRuns == 2)
    }

    /// Class masks of a run limit equal the tokens they should hold, and walks taking them give
    /// the same tokens.
    @Test func classMasksOfRunLimits() {
        let v = Self.prepared
        for runs in [0, 1, 2, Int.max] {
            for maxBytes in [0, 1, 2, 3, 5, 8, 64] {
                let textClass = TextClass.allPlainText(maxBytes: maxBytes, maxRuns: runs)
                let walk = v.textSummary.mask(of: textClass, trie: v.trie, wordCount: v.maskWordCount)
                let filtered = TextClassMasks().mask(of: textClass, in: v)
                var expected = [UInt32](repeating: 0, count: v.maskWordCount)
                for (id, bytes) in Self.tokens.enumerated()
                where bytes.count <= maxBytes && SpaceRuns.runs(in: bytes) <= runs && Self.isPlain(bytes) {
                    expected[id >> 5] |= 1 << UInt32(id & 31)
                }
                #expect(walk.words == expected, "\(runs) \(maxBytes)")
                #expect(filtered.words == expected, "\(runs) \(maxBytes)")
                #expect(v.textSummary.estimatedTokenCount(of: textClass) <= Self.tokens.count)
            }
        }
    }

    /// Whether `bytes` is plain JSON string text.
    static func isPlain(_ bytes: [UInt8]) -> Bool {
        var state: Int8 = 0
        for b in bytes {
            state = PlainText.next(state, b)
            if state < 0 { return false }
        }
        return true
    }

    /// With the run limit, a word with another word allowed accepts every plain token (its
    /// depth is the limit), where the search of every plain string stops after a few words.
    @Test func plainDepthWithARunLimit() throws {
        for n in 0...5 {
            let schema = "{\"type\": \"string\", \"minLength\": 1, \"pattern\": \"^(?:\\\\S+\\\\s+){0,\(n)}\\\\S+$\"}"
            let grammar = try Grammar(jsonSchema: JSONValue(parsing: schema), options: .init(whitespace: .compact))
            for limit in [2, Int.max] {
                let space = try ConfigurationSpace.compile(grammar)
                space.plainTextRunLimit = limit
                let config = space.run(Array("\"ab".utf8), from: space.initial)
                let depth = space.plainTextDepth(config, limit: 64)
                // n more words are allowed after "ab": with at most 2 runs per string, every
                // such string reads when n ≥ 2; without the limit, a string of n + 1 runs stops it.
                if limit == 2 {
                    #expect(depth == (n >= 2 ? 64 : 2 * n), "\(n)")
                } else {
                    #expect(depth == min(2 * n, 16), "\(n)")
                }
            }
        }
    }

    /// A word of `^$|(…)` is a kernel of stacks that read plain text only together (the word's
    /// `\S` refuses the space, the separator's `\s` a letter): each stack alone accepts no
    /// plain string, the kernel searched whole with the run limit accepts every plain token
    /// when enough words are left, and stops where a string of too many runs is refused.
    @Test func plainDepthOfWordAndSeparatorStacks() throws {
        for n in 0...5 {
            let schema = "{\"type\": \"string\", \"pattern\": \"^$|(^(?:\\\\S+\\\\s+){0,\(n)}\\\\S+$)\"}"
            let grammar = try Grammar(jsonSchema: JSONValue(parsing: schema), options: .init(whitespace: .compact))
            let space = try ConfigurationSpace.compile(grammar)
            space.plainTextRunLimit = 2
            let config = space.run(Array("\"ab".utf8), from: space.initial)
            #expect(space.kernelRange(config).count > 1, "\(n)")
            #expect(space.plainTextDepth(config, limit: 64) == (n >= 2 ? 64 : 2 * n), "\(n)")
        }
    }

    /// The schemas of the word patterns: as a determinized intersection (`minLength`), as an
    /// NFA (`^$|…`, whose word and separator stacks read only together), and counted
    /// (`maxLength` above the unrolled bound).
    static func schemas(_ n: Int) -> [String] {
        let words = "(?:\\\\S+\\\\s+){0,\(n)}\\\\S+"
        return ["{\"type\": \"string\", \"minLength\": 1, \"pattern\": \"^\(words)$\"}",
                "{\"type\": \"string\", \"pattern\": \"^$|(^\(words)$)\"}",
                "{\"type\": \"string\", \"maxLength\": 40, \"pattern\": \"^\(words)$\"}"]
    }

    /// Instances of `words` words (with `é`, an escaped control character and an escaped
    /// quote), separated by the separators in turn (raw and escaped whitespace, runs of
    /// several). Escapes as gramc writes them: only of `"`, `\` and controls.
    static func instance(words: Int) -> String {
        let separators = [" ", "\\n", "  ", "\u{00A0}", "\\u000b", "\u{2028}\\t", "\u{3000}"]
        var text = ""
        for w in 0..<words {
            if w > 0 { text += separators[(w - 1) % separators.count] }
            text += ["ab", "é", "\\u0001b", "cd\\\""][w % 4]
        }
        return text
    }

    static func matcher(_ schema: String) throws -> Matcher {
        try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema), options: .init(whitespace: .compact)),
                            vocabulary: prepared).makeMatcher()
    }

    /// Masks at every byte of instances of up to N + 1 words equal brute force, for N around
    /// the vocabulary's two runs.
    @Test(arguments: [0, 1, 2, 3, 4, 6])
    func masksMatchBruteForce(n: Int) throws {
        for schema in Self.schemas(n) {
            for words in [1, n + 1] {
                var m = try Self.matcher(schema)
                for byte in Array(("\"" + Self.instance(words: words) + "\"").utf8) {
                    let bruteForce = (0..<Self.prepared.size).filter { m.canAccept(token: $0) }
                    #expect(m.mask().allowedTokens == bruteForce, "\(schema) \(words) words, before \(byte)")
                    try m.accept(bytes: [byte])
                }
                #expect(m.canTerminate)
            }
        }
    }

    /// N + 1 words are accepted, N + 2 are not; no leading or trailing whitespace.
    @Test(arguments: [0, 1, 2, 3, 9])
    func acceptsUpToNPlusOneWords(n: Int) throws {
        for schema in Self.schemas(n) {
            func accepts(_ text: String) -> Bool {
                guard var m = try? Self.matcher(schema) else { return false }
                do { try m.accept(bytes: Array(("\"" + text + "\"").utf8)) } catch { return false }
                return m.canTerminate
            }
            #expect(accepts(Self.instance(words: n + 1)), "\(schema)")
            #expect(!accepts(Self.instance(words: n + 2)), "\(schema)")
            #expect(!accepts(" " + Self.instance(words: 1)), "\(schema)")
            #expect(!accepts(Self.instance(words: 1) + "\\n"), "\(schema)")
            #expect(!accepts(Self.instance(words: 1) + "\u{00A0}"), "\(schema)")
            #expect(accepts("a\u{0085}b"), "\(schema)")   // U+0085 is no \s in ECMA-262
            #expect(accepts("") == schema.contains("^$|"), "\(schema)")
        }
    }
}
