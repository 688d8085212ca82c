import Testing
import Grammar
@testable import Automata

@Suite struct AutomataTests {
    /// Decodes each byte-range sequence's corners and checks they are the UTF-8 of members.
    @Test(arguments: [
        ScalarSet(0...0x10FFFF), ScalarSet(0x80...0x7FF), ScalarSet([0x41...0x5A, 0xE9...0xE9, 0x20AC...0x20AC]),
        ScalarSet(0xFFFF...0x10000), ScalarSet(0x7FF...0x800),
    ])
    func utf8RangesCoverExactlyTheSet(_ set: ScalarSet) throws {
        let sequences = UTF8Ranges.sequences(for: set)
        var covered = 0
        for seq in sequences {
            covered += seq.reduce(1) { $0 * (Int($1.upperBound) - Int($1.lowerBound) + 1) }
            for corner in [seq.map(\.lowerBound), seq.map(\.upperBound)] {
                let scalars = String(validating: corner, as: UTF8.self)?.unicodeScalars
                let scalar = try #require(scalars?.first)
                #expect(set.contains(scalar.value))
            }
        }
        #expect(covered == set.count)
    }

    @Test func trieGroupsTokensDepthFirst() {
        let tokens = ["b", "ab", "a", "abc", "ab", "c"].map { Array($0.utf8) }
        let trie = TokenTrie(Vocabulary(tokens: tokens, eos: []))
        // Nodes: root, a, ab, abc, b, c
        #expect(trie.byte == [0, 97, 98, 99, 98, 99])
        #expect(trie.depth == [0, 1, 2, 3, 1, 1])
        #expect(trie.subtreeEnd == [6, 4, 4, 4, 5, 6])
        // "ab" has two ids (1 and 4).
        #expect(Array(trie.tokenIDs[Int(trie.tokenStart[2])..<Int(trie.tokenStart[3])]) == [1, 4])
        #expect(trie.maxDepth == 3)
    }

    @Test func configurationsAreSharedAndDeterministic() throws {
        // (a|ab)c  — after "a", both branches live in one configuration.
        let space = try ConfigurationSpace.compile(Grammar(.concat([.choice([.text("a"), .text("ab")]), .text("c")])))
        let a = space.step(space.initial, 97)
        #expect(a >= 0)
        #expect(space.step(a, 98) >= 0)
        #expect(space.step(a, 99) >= 0)
        #expect(space.step(a, 97) == ConfigurationSpace.dead)
        let end = space.run(Array("abc".utf8), from: space.initial)
        #expect(space.accepting[Int(end)])
        #expect(space.run(Array("ac".utf8), from: space.initial) == space.run(Array("abc".utf8), from: space.initial))
    }

    @Test func hugeRepetitionIsALimitError() {
        var limits = CompileLimits()
        limits.maxNFAStates = 10_000
        do {
            _ = try ConfigurationSpace.compile(Grammar(.repetition(.text("abc"), min: 0, max: 100_000)), limits: limits)
            Issue.record("expected a limit error")
        } catch {
            #expect(error.code == .limitExceeded)
        }
    }

    @Test func complementOfFiniteSetViaDifference() throws {
        // Any lowercase word except "if" and "in".
        let word = Expression.oneOrMore(.byteClass([97...122]))
        let space = try ConfigurationSpace.compile(Grammar(.difference(word, .choice([.text("if"), .text("in")]))))
        func accepts(_ s: String) -> Bool {
            let c = space.run(Array(s.utf8), from: space.initial)
            return c >= 0 && space.accepting[Int(c)]
        }
        #expect(accepts("i") && accepts("ifx") && accepts("on"))
        #expect(!accepts("if") && !accepts("in") && !accepts(""))
    }
}
