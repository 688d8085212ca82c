import Testing
import Grammar
import Automata
@testable import TokenMask

/// A vocabulary from strings; the last id is EOS (special).
func vocabulary(_ tokens: [String], extraSpecial: [String] = []) -> PreparedVocabulary {
    let all = tokens + extraSpecial + ["<eos>"]
    let special = Set((tokens.count..<all.count))
    return PreparedVocabulary(Vocabulary(tokens: all.map { Array($0.utf8) }, special: special, eos: [all.count - 1]))
}

func allowed(_ m: Matcher, _ v: PreparedVocabulary) -> [String] {
    m.mask().allowedTokens.map { id in
        v.vocabulary.isSpecial(id) ? "<\(id)>" : String(decoding: v.vocabulary.bytes(of: id), as: UTF8.self)
    }
}

@Suite struct MaskTests {
    @Test func exactMaskOnAlternation() throws {
        let v = vocabulary(["a", "b", "c", "ab", "ac", "abc", "x", "ba"])
        let g = try CompiledGrammar(Grammar(.choice([.text("ab"), .text("ac")])), vocabulary: v)
        var m = g.makeMatcher()
        #expect(allowed(m, v) == ["a", "ab", "ac"])
        #expect(!m.canTerminate)
        try m.accept(token: 0)  // "a"
        #expect(allowed(m, v) == ["b", "c"])
        try m.accept(token: 1)  // "b"
        #expect(allowed(m, v) == ["<8>"])  // only EOS
        #expect(m.canTerminate)
        try m.accept(token: 8)
        #expect(m.isTerminated)
        #expect(m.mask().allowedCount == 0)
    }

    @Test func rejectedTokenLeavesStateUnchanged() throws {
        let v = vocabulary(["a", "b"])
        let g = try CompiledGrammar(Grammar(.text("ab")), vocabulary: v)
        var m = g.makeMatcher()
        #expect(throws: MatcherError.tokenRejected(token: 1)) { try m.accept(token: 1) }
        try m.accept(token: 0)
        try m.accept(token: 1)
        #expect(m.canTerminate)
    }

    @Test func specialTokensNeverAllowed() throws {
        let v = vocabulary(["<", "|", ">"], extraSpecial: ["<|x|>"])
        let g = try CompiledGrammar(Grammar(.zeroOrMore(.byteClass([0...255]))), vocabulary: v)
        let m = g.makeMatcher()
        #expect(allowed(m, v) == ["<", "|", ">", "<4>"])
    }

    @Test func recursiveBalancedParentheses() throws {
        // p ::= "(" p* ")"
        let grammar = Grammar(rules: [
            .init(name: "p", body: .concat([.text("("), .zeroOrMore(.ruleReference("p")), .text(")")]))
        ], root: "p")
        let v = vocabulary(["(", ")", "()", "))", "(("])
        let g = try CompiledGrammar(grammar, vocabulary: v)
        var m = g.makeMatcher()
        #expect(allowed(m, v) == ["(", "()", "(("])
        try m.accept(token: 4)  // "(("
        #expect(allowed(m, v) == ["(", ")", "()", "))", "(("])
        try m.accept(token: 3)  // "))"
        #expect(allowed(m, v) == ["<5>"])
    }

    @Test func partialUTF8TokensAllowedOnlyWhenCompletable() throws {
        // "é" is C3 A9; "€" is E2 82 AC.
        let tokens: [[UInt8]] = [[0xC3], [0xA9], [0xE2], [0x82, 0xAC], [0xE2, 0x82], [0xAC], [0x41]]
        let v = PreparedVocabulary(Vocabulary(tokens: tokens + [Array("<eos>".utf8)], special: [7], eos: [7]))
        let g = try CompiledGrammar(Grammar(.characterClass(ScalarSet(characters: "é€"))), vocabulary: v)
        var m = g.makeMatcher()
        #expect(m.mask().allowedTokens == [0, 2, 4])
        try m.accept(token: 4)
        #expect(m.mask().allowedTokens == [5])
    }

    @Test func surrogateCodePointsHaveNoEncoding() throws {
        // U+D7FF is ED 9F BF, U+E000 is EE 80 80; ED A0 80 would be the surrogate U+D800.
        let tokens: [[UInt8]] = [[0xED], [0xA0, 0x80], [0x9F, 0xBF], [0xEE, 0x80, 0x80], [0xED, 0xA0, 0x80]]
        let v = PreparedVocabulary(Vocabulary(tokens: tokens + [Array("<eos>".utf8)], special: [5], eos: [5]))
        let g = try CompiledGrammar(Grammar(.anyText), vocabulary: v)
        var m = g.makeMatcher()
        #expect(m.mask().allowedTokens == [0, 3, 5])
        try m.accept(token: 0)
        #expect(m.mask().allowedTokens == [2])
        // Every string of a JSON Schema string, too.
        let json = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: #"{"type": "string", "maxLength": 45}"#),
                                               options: .init(whitespace: .compact)), vocabulary: v)
        var string = json.makeMatcher()
        try string.accept(bytes: [0x22, 0x61])
        #expect(throws: MatcherError.self) { try string.accept(bytes: [0xED, 0xA0, 0x80]) }
        try string.accept(bytes: [0xED, 0x9F, 0xBF, 0x62, 0x22])
    }

    @Test func intersectionAndDifference() throws {
        let v = vocabulary(["a", "b", "aa", "ab"])
        // (a|b){2} & a.* minus "ab"  = {"aa"}
        let twoLetters = Expression.repetition(.byteClass([97...98]), min: 2, max: 2)
        let startsA = Expression.concat([.text("a"), .zeroOrMore(.byteClass([97...98]))])
        let e = Expression.difference(.intersection([twoLetters, startsA]), .text("ab"))
        let g = try CompiledGrammar(Grammar(e), vocabulary: v)
        var m = g.makeMatcher()
        #expect(allowed(m, v) == ["a", "aa"])
        try m.accept(token: 0)
        #expect(allowed(m, v) == ["a"])
    }

    @Test func deadBranchesArePruned() throws {
        // "a" followed by a rule that matches nothing: only "b" is live.
        let grammar = Grammar(rules: [
            .init(name: "root", body: .choice([.concat([.text("a"), .ruleReference("never")]), .text("b")])),
            .init(name: "never", body: .concat([.text("x"), .ruleReference("never")])),
        ], root: "root")
        let v = vocabulary(["a", "b", "x"])
        let g = try CompiledGrammar(grammar, vocabulary: v)
        #expect(allowed(g.makeMatcher(), v) == ["b"])
    }

    @Test func unsatisfiableAndLeftRecursionAreErrors() {
        let v = vocabulary(["a"])
        #expect(throws: GrammarError.self) { try CompiledGrammar(Grammar(.nothing), vocabulary: v) }
        let left = Grammar(rules: [.init(name: "r", body: .choice([.concat([.ruleReference("r"), .text("a")]), .text("a")]))], root: "r")
        do {
            _ = try CompiledGrammar(left, vocabulary: v)
            Issue.record("left recursion accepted")
        } catch {
            #expect(error.code == .invalidGrammar)
        }
    }

    @Test func leftRecursionThroughAChainOfNullableRules() throws {
        let v = vocabulary(["a", "b", "c"])
        // n1 derives the empty string only through n2 and n3, declared after it: nullability has
        // to travel back along the chain before r is seen to reach itself without input.
        let chain: [Grammar.Rule] = [
            .init(name: "n1", body: .ruleReference("n2")),
            .init(name: "n2", body: .choice([.ruleReference("n3"), .text("c")])),
            .init(name: "n3", body: .empty),
        ]
        let left = Grammar(rules: [.init(name: "r", body: .choice([.concat([.ruleReference("n1"), .ruleReference("r"), .text("a")]), .text("b")]))] + chain,
                           root: "r")
        do {
            _ = try CompiledGrammar(left, vocabulary: v)
            Issue.record("left recursion through nullable rules accepted")
        } catch {
            #expect(error.code == .invalidGrammar)
        }
        // The same chain before a byte is fine.
        let right = Grammar(rules: [.init(name: "r", body: .choice([.concat([.text("a"), .ruleReference("n1"), .ruleReference("r")]), .text("b")]))] + chain,
                            root: "r")
        let g = try CompiledGrammar(right, vocabulary: v)
        #expect(allowed(g.makeMatcher(), v) == ["a", "b"])
    }

    @Test func rollbackRestoresMasks() throws {
        let v = vocabulary(["a", "b", "ab"])
        let g = try CompiledGrammar(Grammar(.concat([.text("a"), .zeroOrMore(.text("b")), .text("a")])), vocabulary: v)
        var m = g.makeMatcher()
        let start = m.mask()
        try m.accept(token: 2)
        try m.accept(token: 1)
        try m.rollback(tokens: 2)
        #expect(m.mask() == start)
        #expect(throws: MatcherError.rollbackExceeded(requested: 1, available: 0)) { try m.rollback(tokens: 1) }
    }

    @Test func forcedBytes() throws {
        let v = vocabulary(["a"])
        let g = try CompiledGrammar(Grammar(.concat([.text("{\"name\":"), .choice([.text("1"), .text("2")])])), vocabulary: v)
        #expect(g.makeMatcher().forcedBytes() == Array("{\"name\":".utf8))
    }

    @Test func paddedVocabularyNeverAllowsPadding() throws {
        let base = Vocabulary(tokens: [Array("a".utf8), Array("<eos>".utf8)], special: [1], eos: [1])
        let v = PreparedVocabulary(base.withSize(100))
        let g = try CompiledGrammar(Grammar(.zeroOrMore(.text("a"))), vocabulary: v)
        let mask = g.makeMatcher().mask()
        #expect(mask.size == 100)
        #expect(mask.allowedTokens == [0, 1])
    }
}
