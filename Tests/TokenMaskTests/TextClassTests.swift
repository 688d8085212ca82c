import Testing
import Grammar
@testable import Automata
@testable import TokenMask

/// Masks inside strings of a character class or near a length bound, where the walk passes
/// over the subtrees of a `TextClass` and adds the class's tokens as a whole.
@Suite struct TextClassTests {
    /// A vocabulary with every byte a name class reads as a single token (so that the class
    /// search runs), and tokens inside, across and outside the class.
    static let tokens: [String] = (Array("-_0123456789") + Array("abcdefghijklmnopqrstuvwxyz") + Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        .map { String($0) }
        + ["ab", "a-b", "a b", "Z9_", "abcdefghijklmnopqrstu", "é", "aé", "\u{2028}", "a\u{2028}", "\"", "a\"", "ab\"",
           "abcd\"", "abcd", " ", "\\n", "a\\n", "ééé", "éééé", "\"}", "=", "==\""]
    static let prepared = vocabulary(tokens)

    /// The tokens of the mask, by text.
    static func allowedTexts(_ matcher: Matcher) -> Set<String> {
        Set(allowed(matcher, prepared))
    }

    /// The mask of `matcher` equals the tokens it can accept one by one.
    static func expectExact(_ matcher: Matcher, _ expected: Set<String>, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let bruteForce = (0..<prepared.size).filter { matcher.canAccept(token: $0) }
        #expect(matcher.mask().allowedTokens == bruteForce, sourceLocation: sourceLocation)
        #expect(allowedTexts(matcher) == expected, sourceLocation: sourceLocation)
    }

    static func matcher(_ schema: String) throws -> Matcher {
        try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema), options: .init(whitespace: .compact)),
                            vocabulary: prepared).makeMatcher()
    }

    static let singleBytes = Set(tokens.prefix(64))

    /// A JSON value's start reads 17 plain first bytes (space, digits, `-`, `t`, `f`, `n`, `[`,
    /// `{`), fewer than `ConfigurationSpace.textClassMinimumFirstBytes`: asked for a class, it
    /// searches none, so it steps through no byte and creates no configuration (with 16, one
    /// step per byte class).
    @Test func valueStartsSearchNoClass() throws {
        let space = try ConfigurationSpace.compile(Grammar(jsonSchema: JSONValue(parsing: #"{"additionalProperties": {}}"#)))
        let value = space.run(Array(#"{"a":"#.utf8), from: space.initial)
        #expect(value >= 0)
        let before = (configurations: space.count, steps: space.work.stepsComputed)
        #expect(space.textClass(value, limit: 16, tokenCount: { _ in 1 }) == nil)
        #expect(space.count == before.configurations && space.work.stepsComputed == before.steps)
    }

    /// Class masks shorter than the longest token, filtered from the class's mask at any
    /// length by each token's length (`TextClassMasks`), equal the trie walk for that length
    /// (`TokenTrie.TextSummary.mask(of:trie:wordCount:)`), in bytes and in characters; built
    /// from the nearest length kept, and with none kept.
    @Test func shortClassMasksEqualTheirWalks() throws {
        let v = Self.prepared
        var letters = TextClass(low: 0, high: 0, maxBytes: 0)
        for byte in Array("abcdefghijklmnopqrstuvwxyz".utf8) + [0xC3, 0xA9] {
            let group = TextClass.group(of: byte)
            letters.low |= TextClass.bit(of: group).low
            letters.high |= TextClass.bit(of: group).high
        }
        let masks = TextClassMasks()
        for base in [TextClass.allPlainText(maxBytes: 0), letters] {
            for countsCharacters in [false, true] {
                for maxBytes in 0...(v.trie.maxDepth + 1) {
                    var textClass = base
                    textClass.maxBytes = maxBytes
                    textClass.countsCharacters = countsCharacters
                    let walk = v.textSummary.mask(of: textClass, trie: v.trie, wordCount: v.maskWordCount)
                    let filtered = masks.mask(of: textClass, in: v)
                    #expect(filtered.words == walk.words && filtered.count == walk.count, "\(maxBytes) \(countsCharacters)")
                    // With no length kept: from no token, or from every id near the longest.
                    let fresh = TextClassMasks().mask(of: textClass, in: v)
                    #expect(fresh.words == walk.words && fresh.count == walk.count, "\(maxBytes) \(countsCharacters) fresh")
                }
            }
        }
    }

    @Test func nameClass() throws {
        var m = try Self.matcher(#"{"type": "string", "pattern": "^[-0-9A-Za-z_]{1,255}$"}"#)
        try m.accept(bytes: Array("\"".utf8))
        // Only class tokens (no space, é, line separator or escape), or ones closing the string.
        let inClass = Self.singleBytes.union(["ab", "a-b", "Z9_", "abcdefghijklmnopqrstu", "abcd"])
        Self.expectExact(m, inClass.union(["a\"", "ab\"", "abcd\""]))
        try m.accept(bytes: Array("a-b".utf8))
        Self.expectExact(m, inClass.union(["\"", "a\"", "ab\"", "abcd\""]))
    }

    @Test func lineTerminatorsRefusedByDot() throws {
        var m = try Self.matcher(#"{"type": "string", "pattern": "^(.*)$"}"#)
        try m.accept(bytes: Array("\"ab".utf8))
        // Every plain token but those with U+2028; no escapes (`\n` is a line terminator too);
        // nothing after the closing quote.
        let expected = Set(Self.tokens).subtracting(["\u{2028}", "a\u{2028}", "\\n", "a\\n", "\"}"])
        Self.expectExact(m, expected)
    }

    @Test func closedNearMaxLength() throws {
        var m = try Self.matcher(#"{"type": "string", "maxLength": 4}"#)
        try m.accept(bytes: Array("\"ab".utf8))
        // Two characters left (an escape is one): "aé" (3 bytes) fits, "a b" does not.
        Self.expectExact(m, Self.singleBytes.union(["ab", "é", "aé", "\u{2028}", "a\u{2028}", "=", " ", "\\n", "a\\n",
                                                    "\"", "a\"", "ab\"", "==\""]))
        try m.accept(bytes: Array("é".utf8))
        Self.expectExact(m, Self.singleBytes.union(["é", "\u{2028}", "=", " ", "\\n", "\"", "a\""]))
        // Three characters left: "ééé" (6 bytes) fits, "abcd" (4 bytes) and "éééé" do not.
        var three = try Self.matcher(#"{"type": "string", "maxLength": 5}"#)
        try three.accept(bytes: Array("\"ab".utf8))
        Self.expectExact(three, Self.singleBytes.union(["ab", "a-b", "a b", "Z9_", "é", "aé", "\u{2028}", "a\u{2028}", "=",
                                                        " ", "\\n", "a\\n", "ééé", "\"", "a\"", "ab\"", "==\""]))
    }

    @Test func stacksOfAlternativesRefuseLongerStringsOnlyTogether() throws {
        // Base64: one alternative stops after two characters and "==", another goes on.
        var m = try Self.matcher(#"{"type": "string", "pattern": "^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$"}"#)
        try m.accept(bytes: Array("\"VG".utf8))
        Self.expectExact(m, Self.singleBytes.subtracting(["-", "_"]).union(["ab", "abcd", "abcdefghijklmnopqrstu", "ab\"", "=", "==\""]))
    }

    @Test func wordsOfStacksReadingTogether() throws {
        var m = try Self.matcher(#"{"type": "string", "pattern": "^(?:\\S+\\s+){0,3}\\S+$"}"#)
        try m.accept(bytes: Array("\"ab cd".utf8))
        // Two more words at most, separated by any white space (an escaped newline too).
        Self.expectExact(m, Set(Self.tokens).subtracting(["\"}"]))
    }

    /// The fixture vocabulary, token by token, through documents of these strings.
    @Test func classStringsMatchBruteForce() throws {
        try MaskEquivalenceTests.expectMasksMatchBruteForce(
            schema: #"""
                {"type": "object",
                 "properties": {"key": {"type": "string", "pattern": "^[-0-9A-Za-z_]{1,255}$"},
                                "line": {"type": "string", "pattern": "^(.*)$"},
                                "short": {"type": "string", "maxLength": 6},
                                "words": {"type": "string", "pattern": "^(?:\\S+\\s+){0,3}\\S+$"},
                                "base64": {"type": "string", "pattern": "^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$"},
                                "uri": {"type": "string", "format": "uri"}}}
                """#,
            documents: [#"{"key": "a-b_9", "line": "the red € é", "short": "aé€x", "words": "the red  and\tgreen", "base64": "VGhlIHJlZA==", "uri": "http://example.com/a?b=c#d"}"#,
                        #"{"short": "", "words": "x", "base64": "QUJD"}"#])
    }
    /// Short bounded strings of definitions used in several places (their masks come from
    /// local masks of the strings' frames): a closed class stays closed in a local walk when
    /// none of its strings returns from the local frames, and is opened when one may (a
    /// string whose frames end inside plain text, beside others).
    @Test func closedClassesOfSharedDefinitions() throws {
        let vocabulary = RuntimeTests.Fixtures.smallVocabulary(
            ["ab", "abc", "abcd", "abcde", "a\"", "ab\"", "abc\"", "abcd\"", "\"}", "\",", "ab\",", "abc\"]", "\"]", "é", "éé",
             "ééé", "a-b", "{\"", "\":", "\": \"", "\", \"", "\"],", "[\"", "\":[\"", "\": [\""])
        let schema = #"""
            {"$defs": {"code": {"type": "string", "minLength": 2, "maxLength": 3},
                       "tag": {"type": "string", "pattern": "^[a-z]{1,4}$"},
                       "either": {"anyOf": [{"type": "string", "maxLength": 1}, {"type": "string", "pattern": "^[a-c]{2,5}$"}]}},
             "type": "object",
             "properties": {"a": {"$ref": "#/$defs/code"}, "b": {"$ref": "#/$defs/code"},
                            "list": {"type": "array", "items": {"$ref": "#/$defs/code"}},
                            "tags": {"type": "array", "items": {"$ref": "#/$defs/tag"}}, "t": {"$ref": "#/$defs/tag"},
                            "e": {"$ref": "#/$defs/either"}, "es": {"type": "array", "items": {"$ref": "#/$defs/either"}}}}
            """#
        let grammar = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema)), vocabulary: vocabulary)
        try MaskEquivalenceTests.expectMasksMatchBruteForce(grammar, vocabulary: vocabulary, documents: [
            #"{"a": "ab", "b": "abc", "list": ["ab", "éé", "a-b", "ééé", "abc"], "tags": ["ab", "abcd", "z"], "t": "abc", "e": "abcab", "es": ["a", "", "ab", "abcab"]}"#,
            #"{"a":"éé","list":["abc","ab"],"tags":[],"es":["é","cc"]}"#,
        ], complete: true)
    }
    /// A string under `minLength`/`maxLength` in a grammar whose other strings split the
    /// UTF-8 continuation bytes into many byte classes: its class is found closed in
    /// characters (the search follows each pair inside a character once), so every plain
    /// token is decided by the class's mask and the walk reads only the tokens that leave
    /// plain text (a few trie nodes instead of the plain words' subtrees); masks exact.
    @Test func shortStringsWalkOnlyTokensLeavingPlainText() throws {
        let letters = Array("abcdefghijklmnopqrstuvwxyz").map { String($0) }
        var pieces: [String] = []
        for x in letters { for y in letters { pieces += [x + y + "é", x + y + "zw", x + y + "é-long-word"] } }
        pieces += ["a\"", "ab\"", "abc\"", "\"}", "\",", "ab\",", "é\"", "é", "ж", "中", "{\"", "\":", "\": \""]
        let vocabulary = RuntimeTests.Fixtures.smallVocabulary(pieces)
        let words = ["é", "ж", "中", "😀", "ü", "ñ", "ß", "Ω", "ł", "ř", "ğ", "ő", "א", "ب", "ก", "あ", "ア", "한", "€", "→", "∑",
                     "★", "♥", "𝄞", "🙂", "ⅷ", "ſ", "ɐ", "ʃ", "ϑ", "ԱԲ", "ऄ", "ᚠ", "ḁ", "ⰰ", "ꙁ", "ꭰ", "𐌰", "𝔄", "🜁"]
        let enumText = words.map { "\"\($0)\"" }.joined(separator: ", ")
        let schema = #"{"type": "object", "properties": {"code": {"type": "string", "minLength": 2, "maxLength": 5}, "#
            + #""lang": {"enum": ["# + enumText + "]}}}"
        let grammar = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema), options: .init(whitespace: .compact)),
                                          vocabulary: vocabulary)
        var m = grammar.makeMatcher()
        for prefix in [#"{"code":""#, "ab", "é"] {
            try m.accept(bytes: Array(prefix.utf8))
            let before = grammar.statistics.trieNodesVisited
            let mask = m.mask()
            let visited = grammar.statistics.trieNodesVisited - before
            #expect(mask.allowedTokens == (0..<vocabulary.size).filter { m.canAccept(token: $0) }, "\(prefix)")
            // The first mask inside the string: 4,844 nodes when the class found is the ASCII
            // one closed in bytes, 140 when the walk takes the closed class's subtrees.
            if prefix.hasPrefix("{") { #expect(visited <= 20, "\(visited) trie nodes") }
        }
        try MaskEquivalenceTests.expectMasksMatchBruteForce(grammar, vocabulary: vocabulary, documents: [
            #"{"code":"abé","lang":"中"}"#, #"{"code":"ééééé"}"#, #"{"code":"zz","lang":"é"}"#,
        ], complete: true)
    }

    /// Class masks built from the per-group token sets (`TokenTrie.PlainTokenGroups`), and as
    /// `TextClassMasks` chooses them, equal the trie walk, a bit per token
    /// (`TokenTrie.TextSummary.mask(of:trie:wordCount:)`), on random tokens of ASCII,
    /// whitespace, multi-byte characters, quotes, backslashes and control bytes: random classes
    /// of plain text less some groups, each run limit, in bytes and in characters.
    @Test func groupMasksEqualTheWalk() throws {
        let pieces = ["a", "b", "Z", "0", "-", "/", ".", " ", "  ", "\t", "\n", "é", "€", "\u{2028}", "😀", "ж", "\"", "\\", "\u{01}", "x"]
        var generator = SplitMix64(seed: 7)
        var tokens = Set<String>()
        while tokens.count < 3_000 {
            let length = 1 + Int(generator.next() % 6)
            tokens.insert((0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined())
        }
        let v = vocabulary(tokens.sorted())
        // The groups of the pieces' bytes (a class less some of them leaves out their tokens).
        let groups = Array(Set(pieces.flatMap { Array($0.utf8) }.map { TextClass.group(of: $0) })).sorted()
        var partial = 0
        for round in 0..<200 {
            var textClass = TextClass.allPlainText(maxBytes: v.trie.maxDepth + Int(generator.next() % 3),
                                                   maxRuns: round % 4 == 3 ? .max : round % 4)
            textClass.countsCharacters = round % 8 >= 4
            for _ in 0..<Int(generator.next() % UInt64(groups.count / 2)) {
                textClass.remove(group: groups[Int(generator.next() % UInt64(groups.count))])
            }
            let walk = v.textSummary.mask(of: textClass, trie: v.trie, wordCount: v.maskWordCount)
            let byGroups = v.plainTokenGroups.mask(of: textClass, wordCount: v.maskWordCount)
            let chosen = TextClassMasks().mask(of: textClass, in: v)
            #expect(byGroups.words == walk.words && byGroups.count == walk.count, "round \(round)")
            #expect(chosen.words == walk.words && chosen.count == walk.count, "round \(round)")
            if walk.count > 0 && walk.count < tokens.count { partial += 1 }
        }
        #expect(partial > 100)   // most classes hold some tokens, not all
    }
}
