import Testing
import Grammar
@testable import Automata

@Suite struct RegularOperandTests {
    private let cache = RegularAutomatonCache(capacity: 64, maxBytes: 1 << 24)
    private let lowercase = Expression.repetition(.byteClass([UInt8(ascii: "a")...UInt8(ascii: "z")]), min: 1, max: nil)

    /// Names a pattern beside them already excludes are left out, so the key exclusions of two
    /// objects with the same pattern and different names become one expression.
    @Test func namesMatchedByAPatternAreLeftOut() throws {
        let digits = Expression.repetition(.byteClass([UInt8(ascii: "0")...UInt8(ascii: "9")]), min: 1, max: nil)
        let first = Expression.difference(lowercase, .choice([.text("id"), .text("7"), digits]))
        let second = Expression.difference(lowercase, .choice([.text("name"), .text("42"), digits]))
        let keyOfFirst = cache.withoutRedundantLiterals(first, limits: .init())
        #expect(keyOfFirst == .difference(lowercase, .choice([digits, .text("id")])))
        // "name" stays (a key it excludes), "42" goes (a digit string, and not lowercase).
        #expect(cache.withoutRedundantLiterals(second, limits: .init()) == .difference(lowercase, .choice([digits, .text("name")])))
        // Same language as before.
        let before = try RegularAutomaton.compile(first, grammar: Grammar(.empty), limits: .init())
        let after = try cache.automaton(for: first, limits: .init())
        for word in ["id", "ids", "7", "x", "name", "", "a1"] {
            #expect(before.accepts(Array(word.utf8)) == after.accepts(Array(word.utf8)), "\(word)")
        }
        #expect(!after.accepts(Array("id".utf8)) && after.accepts(Array("idx".utf8)))
    }

    /// Excluded literals outside the left operand are left out; a choice keeps its literals
    /// no other alternative matches; nothing to leave out leaves the expression as it is.
    @Test func literalsThatChangeNothing() {
        let e = Expression.difference(lowercase, .choice([.text("A"), .text("b")]))
        #expect(cache.withoutRedundantLiterals(e, limits: .init()) == .difference(lowercase, .text("b")))
        let choice = Expression.choice([.text("ab"), .text("A"), lowercase])
        #expect(cache.withoutRedundantLiterals(choice, limits: .init()) == .choice([lowercase, .text("A")]))
        let kept = Expression.difference(lowercase, .choice([.text("ab"), .text("cd")]))
        #expect(cache.withoutRedundantLiterals(kept, limits: .init()) == kept)
    }

    /// Alternatives that end in the same expression are joined behind a choice of their
    /// beginnings; the automaton is the same.
    @Test func commonEndsAreJoined() throws {
        let tag = Expression.repetition(.byteClass([UInt8(ascii: "a")...UInt8(ascii: "z")]), min: 2, max: 3)
        let e = Expression.difference(lowercase, .choice([.sequence([.text("xx"), tag]), .text("id"), .sequence([.text("yy"), tag])]))
        let key = cache.withoutRedundantLiterals(e, limits: .init())
        #expect(key == .difference(lowercase, .choice([.sequence([.choice([.text("xx"), .text("yy")]), tag]), .text("id")])))
        let before = try RegularAutomaton.compile(e, grammar: Grammar(.empty), limits: .init()).minimized()
        let after = try cache.automaton(for: e, limits: .init())
        #expect(before.stateCount == after.stateCount)
        for word in ["xxab", "yyabc", "xxa", "id", "ida", "yyabcd", "xab", "xxabcd"] {
            #expect(before.accepts(Array(word.utf8)) == after.accepts(Array(word.utf8)), "\(word)")
        }
    }

    /// A choice of literals becomes its trie: the same minimal automaton as the subset
    /// construction of its NFA, words that are prefixes of others and the empty word included.
    @Test func choiceOfLiteralsIsItsTrie() throws {
        let words = ["", "a", "ab", "abc", "b", "ba", "\u{e9}t\u{e9}", "z"]
        let choice = Expression.choice(words.map { .text($0) })
        let trie = try RegularAutomaton.compile(choice, grammar: Grammar(.empty), limits: .init()).minimized()
        let nfa = try NFABuilder.build(Grammar(choice), limits: .init())
        let subsets = try RegularAutomaton.determinize(nfa, limits: .init()).minimized()
        #expect(trie.stateCount == subsets.stateCount)
        for word in words + ["abcd", "c", "bb", "\u{e9}", "aa"] {
            #expect(trie.accepts(Array(word.utf8)) == words.contains(word), "\(word)")
        }
    }
}
