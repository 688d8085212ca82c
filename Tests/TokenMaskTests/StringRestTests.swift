import Testing
import Grammar
@testable import Automata
@testable import TokenMask

/// Walks inside JSON strings that pass over the tokens leaving plain text at a byte no JSON
/// string reads there (`PlainTextSlices.Slice.stringRest`,
/// `ConfigurationSpace.readsOnlyStringBytesAfterPlainText`), against masks found token by token.
@Suite struct StringRestTests {
    /// Every single byte; tokens that leave plain text at a control byte, at a byte breaking
    /// UTF-8, at `"` and at `\`, after a plain prefix or at once; plain tokens, one longer than
    /// `ConfigurationSpace.plainSearchBytes` (shorter slices give way to text classes); the
    /// last id is EOS.
    static let vocabulary: PreparedVocabulary = {
        let pieces = ["abc", "abc\n", "ab\t", "a\"", "a\\n", "\\\"", "\\n", "\",", "\"}", "\"\n}", "\": ", "\": \"", "{\"",
                      "key", "\"key\": \"", " \n", ".\n\n", "\n  ", "  ", "hello world", "hello\nworld", "x\u{1}y", "é", "é\n",
                      "é\"", "\u{7F}", "a\u{7F}", "ab c",
                      "a plain token of more than sixteen bytes", "!a\n", "!(a)\n"].map { Array($0.utf8) }
        var tokens = (0...255).map { [UInt8($0)] }
        // Broken UTF-8 after a plain prefix, and an incomplete sequence at the end.
        tokens += pieces + [[0x61, 0xC3, 0x41], [0x61, 0xC3], [0x61, 0xC3, 0x22], [0x61, 0xFF], [0xC3, 0xA9, 0x0A]]
        var seen = Set<[UInt8]>()
        tokens = tokens.filter { seen.insert($0).inserted }
        tokens.append(Array("<eos>".utf8))
        return PreparedVocabulary(Vocabulary(tokens: tokens, special: [tokens.count - 1], eos: [tokens.count - 1]))
    }()

    /// The id of the token of `bytes` in `vocabulary`.
    static func id(_ bytes: [UInt8]) -> Int? {
        let vocab = vocabulary.vocabulary
        return (0..<vocab.definedCount).first { Array(vocab.bytes(of: $0)) == bytes }
    }

    /// The ids in `trie`.
    static func ids(of trie: TokenTrie) -> Set<Int> { Set(trie.tokenIDs.map { Int($0) }) }

    /// The string rest of each slice holds exactly the tokens of its rest but those whose first
    /// byte outside plain text is neither `"` nor `\` (the plain tokens longer than the slice's
    /// stay).
    @Test func stringRestKeepsQuoteAndEscapeExits() throws {
        let vocab = Self.vocabulary.vocabulary
        var leavesAtOtherByte = Set<Int>()
        for id in 0..<vocab.definedCount where !vocab.isSpecial(id) {
            var state: Int8 = 0
            for b in vocab.bytes(of: id) {
                let next = PlainText.next(state, b)
                if next < 0 {
                    if b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") { leavesAtOtherByte.insert(id) }
                    break
                }
                state = next
            }
        }
        let slices = Self.vocabulary.plainText.slices
        #expect(slices.map(\.maxBytes) == [Self.vocabulary.plainText.longestPlainToken, 16, 8])
        for slice in slices {
            #expect(Self.ids(of: slice.stringRest) == Self.ids(of: slice.rest).subtracting(leavesAtOtherByte), "\(slice.maxBytes)")
        }
        let all = slices[0]
        #expect(Self.ids(of: all.stringRest).contains(Self.id(Array("\",".utf8))!)
                && Self.ids(of: all.stringRest).contains(Self.id([0x61, 0xC3, 0x22])!))
        let abcNewline = Self.id(Array("abc\n".utf8))!
        #expect(Self.ids(of: all.rest).contains(abcNewline) && !Self.ids(of: all.stringRest).contains(abcNewline))
        #expect(leavesAtOtherByte.contains(Self.id([0x61, 0xC3, 0x41])!))
        // The long plain token is in the shorter slices' string rests, not in the whole slice's.
        let long = Self.id(Array("a plain token of more than sixteen bytes".utf8))!
        #expect(Self.ids(of: slices[1].stringRest).contains(long) && !Self.ids(of: all.stringRest).contains(long))
    }

    /// Replays each document of `grammar` (greedy tokens) and compares every mask with the
    /// brute-force one.
    static func expectMasksMatchBruteForce(_ grammar: CompiledGrammar, documents: [String]) throws {
        for document in documents {
            var matcher = grammar.makeMatcher()
            for token in try #require(vocabulary.greedyTokens(Array(document.utf8)), "\(document)") {
                #expect(matcher.mask().allowedTokens == MaskEquivalenceTests.bruteForceMask(matcher), "\(document)")
                try matcher.accept(token: token)
            }
            #expect(matcher.mask().allowedTokens == MaskEquivalenceTests.bruteForceMask(matcher), "\(document)")
        }
    }

    /// Inside a string of a length bound beyond `ConfigurationSpace.plainSearchBytes` the
    /// plain-text search stops at 16 bytes and the check holds: the walk reads the 16-byte
    /// slice's string rest, whose long plain tokens it still reads (the 40-byte one fits a
    /// 45-character bound at the start, not further on). Every mask is the one found token by
    /// token.
    @Test func lengthBoundStringWalksTheShortSliceStringRest() throws {
        let schema = try JSONValue(parsing: #"{"type": "string", "maxLength": 45}"#)
        let space = try ConfigurationSpace.compile(Grammar(jsonSchema: schema))
        for prefix in ["\"", "\"hello world abc hello"] {
            let config = space.run(Array(prefix.utf8), from: space.initial)
            #expect(space.plainTextDepth(config, limit: Self.vocabulary.plainText.longestPlainToken) == 16, "\(prefix)")
            #expect(space.readsOnlyStringBytesAfterPlainText(config), "\(prefix)")
        }
        let grammar = try CompiledGrammar(Grammar(jsonSchema: schema), vocabulary: Self.vocabulary)
        try Self.expectMasksMatchBruteForce(grammar, documents: [
            #""a plain token of more than sixteen bytes é\n""#, #""hello world abc hello world abc hello world""#, #""""#])
        var matcher = grammar.makeMatcher()
        try matcher.accept(token: Self.id(Array("\"".utf8))!)
        let allowed = matcher.mask().allowedTokens
        #expect(allowed.contains(Self.id(Array("a plain token of more than sixteen bytes".utf8))!))
        #expect(!allowed.contains(Self.id(Array("abc\n".utf8))!))
    }

    /// Free strings, member names of `additionalProperties`, a pattern and an enum beside a
    /// free string: every mask as found token by token.
    @Test func jsonStringMasksMatchBruteForce() throws {
        let schema = #"""
            {"type": "object",
             "properties": {"key": {"type": "string"}, "p": {"type": "string", "pattern": "^a.*c$"},
                            "e": {"anyOf": [{"enum": ["abc\n", "ab"]}, {"type": "string"}]}},
             "additionalProperties": {"type": "string"}}
            """#
        let grammar = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema)), vocabulary: Self.vocabulary)
        try Self.expectMasksMatchBruteForce(grammar, documents: [
            #"{"key": "hello world é\"\\n", "p": "abc", "e": "abc\n", "other": "a\u0001"}"#,
            #"{"key": "", "ab c": "x"}"#, #"{"e": "ab c"}"#])
    }

    /// A quoted string whose content reads every scalar (control characters too): its
    /// configurations read bytes the string rest leaves out, so their walks must not use it.
    @Test func rawControlBytesAreStillRead() throws {
        let content = Expression.zeroOrMore(.characterClass(ScalarSet(characters: "\"").inverted()))
        let grammar = try CompiledGrammar(Grammar(.concat([.text("\""), content, .text("\"")])), vocabulary: Self.vocabulary)
        try Self.expectMasksMatchBruteForce(grammar, documents: ["\"abc\nhello\nworld é\n x\u{1}y\"", "\"\""])
        var matcher = grammar.makeMatcher()
        try matcher.accept(token: Self.id(Array("\"".utf8))!)
        let allowed = Set(matcher.mask().allowedTokens)
        #expect(allowed.contains(Self.id(Array("abc\n".utf8))!))
        #expect(allowed.contains(Self.id(Array(".\n\n".utf8))!))
    }

    /// The same with newlines read by a rule the string's frame calls after a character
    /// (self-embedding, so that it stays a call; not yet called where the token starts): the
    /// string rest must not serve.
    @Test func controlBytesOfACalledRuleAreStillRead() throws {
        let plain = Expression.characterClass(ScalarSet(characters: "\"\\").union(ScalarSet(0...0x1F)).inverted())
        let grammar = Grammar(rules: [
            Grammar.Rule(name: "root", body: .concat([.text("\""), .zeroOrMore(.concat([plain, .optional(.ruleReference("newline"))])), .text("\"")])),
            Grammar.Rule(name: "newline", body: .choice([.text("\n"), .concat([.text("\n"), .ruleReference("newline"), .text("x")])]))],
                              root: "root")
        let compiled = try CompiledGrammar(grammar, vocabulary: Self.vocabulary)
        try Self.expectMasksMatchBruteForce(compiled, documents: ["\"abc\nhello\nxworld é\n x\"", "\"\""])
        var matcher = compiled.makeMatcher()
        try matcher.accept(token: Self.id(Array("\"".utf8))!)
        #expect(matcher.mask().allowedTokens.contains(Self.id(Array("abc\n".utf8))!))
    }

    /// Newlines read by the string's frame after a rule it calls returns (a character, in a
    /// shared rule as `json-char` is, so that it stays a call): the string rest must not serve.
    @Test func controlBytesAfterACalledRuleReturnsAreStillRead() throws {
        let plain = Expression.characterClass(ScalarSet(characters: "\"\\").union(ScalarSet(0...0x1F)).inverted())
        let item = Expression.choice([.ruleReference("char"), .concat([.text("!"), .ruleReference("char"), .text("\n")])])
        let grammar = Grammar(rules: [
            Grammar.Rule(name: "root", body: .concat([.text("\""), .zeroOrMore(item), .text("\"")])),
            Grammar.Rule(name: "char", body: plain, isShared: true)],
                              root: "root")
        let compiled = try CompiledGrammar(grammar, vocabulary: Self.vocabulary)
        try Self.expectMasksMatchBruteForce(compiled, documents: ["\"ab!c\nx!d\n\"", "\"\""])
        var matcher = compiled.makeMatcher()
        try matcher.accept(token: Self.id(Array("\"".utf8))!)
        #expect(!matcher.mask().allowedTokens.contains(Self.id(Array("abc\n".utf8))!))
        #expect(matcher.mask().allowedTokens.contains(Self.id(Array("!a\n".utf8))!))
    }

    /// Inside a free JSON string, the walk visits no more nodes than the string rest holds
    /// (the slice's whole rest has more).
    @Test func freeStringWalksTheStringRest() throws {
        let grammar = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: #"{"type": "string"}"#)), vocabulary: Self.vocabulary)
        var matcher = grammar.makeMatcher()
        try matcher.accept(token: Self.id(Array("\"".utf8))!)
        let before = grammar.statistics.trieNodesVisited
        #expect(matcher.mask().allowedTokens == MaskEquivalenceTests.bruteForceMask(matcher))
        let visited = grammar.statistics.trieNodesVisited - before
        let slice = try #require(Self.vocabulary.plainText.slices.first)
        let stringRest = slice.stringRest
        #expect(visited > 0 && visited <= stringRest.nodeCount)
        #expect(stringRest.nodeCount < slice.rest.nodeCount)
    }

    /// A grammar with counted regions (a `maxLength` past the unrolled bounds): every mask, in
    /// the counted string too and near its bound, is the one found token by token, and inside
    /// its free strings (outside every counted region) the mask is walked as without the
    /// counter: the same trie nodes as in the grammar with the bound unrolled.
    @Test func countedGrammarWalksFreeStringsAsWithoutCounter() throws {
        let schema = #"""
            {"type": "object",
             "properties": {"long": {"type": "string", "maxLength": 1003}, "key": {"type": "string"}},
             "additionalProperties": {"type": "string"}}
            """#
        let source = try Grammar(jsonSchema: JSONValue(parsing: schema))
        #expect(try ConfigurationSpace.compile(source).hasCounters)
        let grammar = try CompiledGrammar(source, vocabulary: Self.vocabulary)
        try Self.expectMasksMatchBruteForce(grammar, documents: [
            #"{"long": "abc é\n", "key": "hello world é\"\n", "other": "a\u0001"}"#,
            #"{"long": ""# + String(repeating: "abc", count: 333) + #"", "ab c": "x"}"#,
            #"{"key": "", "other": "ab c"}"#])
        // Fresh grammars, whose string's mask is not cached yet.
        func visits(_ source: Grammar) throws -> Int {
            let fresh = try CompiledGrammar(source, vocabulary: Self.vocabulary)
            var matcher = fresh.makeMatcher()
            try matcher.accept(bytes: Array(#"{"key": ""#.utf8))
            let before = fresh.statistics.trieNodesVisited
            #expect(matcher.mask().allowedTokens == MaskEquivalenceTests.bruteForceMask(matcher))
            return fresh.statistics.trieNodesVisited - before
        }
        var unrolled = source
        unrolled.lengthCounter = nil
        let visited = try visits(source), unrolledVisited = try visits(unrolled)
        #expect(visited > 0 && visited == unrolledVisited)
    }

    /// A counted string whose content reads control bytes: its walks must not use the string
    /// rest (`abc` newline stays allowed), with or without a count.
    @Test func countedControlBytesAreStillRead() throws {
        let content = Expression.characterClass(ScalarSet(characters: "\"").inverted())
        var grammar = Grammar(rules: [
            Grammar.Rule(name: "root", body: .sequence([.text("\""), .intersection([
                .repetition(content, min: 0, max: nil), .repetition(.ruleReference("u"), min: 0, max: 1_500)]), .text("\"")])),
            Grammar.Rule(name: "u", body: content)], root: "root")
        grammar.lengthCounter = LengthCounter(unitRule: "u", threshold: 1_000, intersectedThreshold: 32)
        #expect(try ConfigurationSpace.compile(grammar).hasCounters)
        let compiled = try CompiledGrammar(grammar, vocabulary: Self.vocabulary)
        try Self.expectMasksMatchBruteForce(compiled, documents: ["\"abc\nhello\nworld é\n x\u{1}y\"", "\"\""])
        var matcher = compiled.makeMatcher()
        try matcher.accept(token: Self.id(Array("\"".utf8))!)
        #expect(matcher.mask().allowedTokens.contains(Self.id(Array("abc\n".utf8))!))
    }

    /// Compares every mask of a replay of `bytes` (greedy tokens) with the brute-force one.
    static func expectMasksMatchBruteForce(_ grammar: CompiledGrammar, bytes: [UInt8]) throws {
        var matcher = grammar.makeMatcher()
        for token in try #require(vocabulary.greedyTokens(bytes), "\(bytes)") {
            #expect(matcher.mask().allowedTokens == MaskEquivalenceTests.bruteForceMask(matcher), "\(bytes)")
            try matcher.accept(token: token)
        }
        #expect(matcher.mask().allowedTokens == MaskEquivalenceTests.bruteForceMask(matcher), "\(bytes)")
    }

    /// A rule that reads the lead byte of a two-byte character and returns, the frame below
    /// then reading `A` (broken UTF-8, as in the token `a` 0xC3 `A`): the frame returns
    /// inside a character, so the frame below must be read there, not from a boundary, and
    /// the string rest must not serve.
    @Test func returnInsideACharacterIsChecked() throws {
        let plain = Expression.characterClass(ScalarSet(characters: "\"\\").union(ScalarSet(0...0x1F)).inverted())
        let item = Expression.choice([plain, .concat([.ruleReference("lead"), .text("A")])])
        let grammar = Grammar(rules: [
            Grammar.Rule(name: "root", body: .concat([.text("\""), .zeroOrMore(item), .text("\"")])),
            Grammar.Rule(name: "lead", body: .byteClass([0xC3...0xC3]), isShared: true)],
                              root: "root")
        try Self.expectBrokenCharacterRead(grammar)
    }

    /// A rule called after the lead byte of a two-byte character, reading `A` (broken UTF-8
    /// there, as in the token `a` 0xC3 `A`): the callee must be read inside the character,
    /// not from a boundary, and the string rest must not serve.
    @Test func callInsideACharacterIsChecked() throws {
        let plain = Expression.characterClass(ScalarSet(characters: "\"\\").union(ScalarSet(0...0x1F)).inverted())
        let item = Expression.choice([plain, .concat([.byteClass([0xC3...0xC3]), .ruleReference("tail")])])
        let grammar = Grammar(rules: [
            Grammar.Rule(name: "root", body: .concat([.text("\""), .zeroOrMore(item), .text("\"")])),
            Grammar.Rule(name: "tail", body: .text("A"), isShared: true)],
                              root: "root")
        try Self.expectBrokenCharacterRead(grammar)
        let space = try ConfigurationSpace.compile(grammar)
        #expect(!space.readsOnlyStringBytesAfterPlainText(space.run(Array("\"".utf8), from: space.initial)))
    }

    /// A string whose characters may break UTF-8 (`a` 0xC3 `A`): masks equal brute force on
    /// `"a` 0xC3 `Ab"`, and after the opening quote the token `a` 0xC3 `A` is allowed.
    private static func expectBrokenCharacterRead(_ grammar: Grammar) throws {
        let compiled = try CompiledGrammar(grammar, vocabulary: vocabulary)
        try expectMasksMatchBruteForce(compiled, bytes: [0x22, 0x61, 0xC3, 0x41, 0x62, 0x22])
        var matcher = compiled.makeMatcher()
        try matcher.accept(token: id(Array("\"".utf8))!)
        #expect(matcher.mask().allowedTokens.contains(id([0x61, 0xC3, 0x41])!))
    }

    /// A self-embedding shared rule (so that it stays a call) after a character of a string
    /// of any text, whose inner calls are followed by a newline (`!(a)` then `\n`): its
    /// outcome is pending while its own calls are searched, and must not count as a frame that
    /// never returns (the newline after the inner call would go unseen).
    @Test func recursiveRuleInsideAStringIsChecked() throws {
        let plain = Expression.characterClass(ScalarSet(characters: "\"\\").union(ScalarSet(0...0x1F)).inverted())
        let grammar = Grammar(rules: [
            Grammar.Rule(name: "root", body: .concat([.text("\""), .zeroOrMore(.choice([plain, .concat([.text("!"), .ruleReference("item")])])),
                                                      .text("\"")])),
            Grammar.Rule(name: "item", body: .choice([.byteClass([0x61...0x7A]),
                                                      .concat([.text("("), .ruleReference("item"), .text(")\n")])]), isShared: true)],
                              root: "root")
        let compiled = try CompiledGrammar(grammar, vocabulary: Self.vocabulary)
        try Self.expectMasksMatchBruteForce(compiled, documents: ["\"!b!(c)\n!((a)\n)\n\"", "\"\""])
        // Plain text (`!(a)` with the character before it) leads to a newline: the check
        // must say so (masks here take a shorter slice, so the check is asked directly).
        let space = try ConfigurationSpace.compile(grammar)
        #expect(!space.readsOnlyStringBytesAfterPlainText(space.run(Array("\"".utf8), from: space.initial)))
    }

    /// The check asked directly on a stack whose top frame (a character, in a shared rule)
    /// returns on plain text to a frame that reads a newline: after `\`, which plain text
    /// does not hold, so that no other stack reaches the newline.
    @Test func frameBelowAReturningFrameIsRead() throws {
        let plain = Expression.characterClass(ScalarSet(characters: "\"\\").union(ScalarSet(0...0x1F)).inverted())
        let item = Expression.choice([.ruleReference("char"), .concat([.text("\\"), .ruleReference("char"), .text("\n")])])
        let space = try ConfigurationSpace.compile(Grammar(rules: [
            Grammar.Rule(name: "root", body: .concat([.text("\""), .zeroOrMore(item), .text("\"")])),
            Grammar.Rule(name: "char", body: plain, isShared: true)],
                                                           root: "root"))
        #expect(!space.readsOnlyStringBytesAfterPlainText(space.run(Array("\"ab\\".utf8), from: space.initial)))
        #expect(space.readsOnlyStringBytesAfterPlainText(space.run(Array("\"ab".utf8), from: space.initial)))
    }

    /// A two-character word in a shared rule after `\`, followed by a newline in the frame
    /// below: the check at the word's start searches the word's frame (which returns); its
    /// second state, the top after one character, must still be found to return.
    @Test func statesOfAReturningFrameStillReturn() throws {
        let plain = Expression.characterClass(ScalarSet(characters: "\"\\").union(ScalarSet(0...0x1F)).inverted())
        let item = Expression.choice([plain, .concat([.text("\\"), .ruleReference("word"), .text("\n")])])
        let space = try ConfigurationSpace.compile(Grammar(rules: [
            Grammar.Rule(name: "root", body: .concat([.text("\""), .zeroOrMore(item), .text("\"")])),
            Grammar.Rule(name: "word", body: .text("ab"), isShared: true)],
                                                           root: "root"))
        #expect(!space.readsOnlyStringBytesAfterPlainText(space.run(Array("\"x\\".utf8), from: space.initial)))
        #expect(!space.readsOnlyStringBytesAfterPlainText(space.run(Array("\"x\\a".utf8), from: space.initial)))
    }

    /// The check itself: true inside a free string and a member name of
    /// `additionalProperties`, false inside a string whose content reads newlines.
    @Test func checkHoldsInsideFreeStrings() throws {
        let schema = #"{"type": "object", "additionalProperties": {"type": "string"}}"#
        let space = try ConfigurationSpace.compile(Grammar(jsonSchema: JSONValue(parsing: schema)))
        // Inside the member name, then inside its free string value.
        let name = space.run(Array(#"{"ab"#.utf8), from: space.initial)
        let value = space.run(Array(#"{"ab": "cd"#.utf8), from: space.initial)
        #expect(space.readsOnlyStringBytesAfterPlainText(name))
        #expect(space.readsOnlyStringBytesAfterPlainText(value))
        let content = Expression.zeroOrMore(.characterClass(ScalarSet(characters: "\"").inverted()))
        let raw = try ConfigurationSpace.compile(Grammar(.concat([.text("\""), content, .text("\"")])))
        #expect(!raw.readsOnlyStringBytesAfterPlainText(raw.run(Array("\"ab".utf8), from: raw.initial)))
    }
}
