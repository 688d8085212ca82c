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

    /// A tree of many tokens sharing long prefixes (so the byte sort splits groups at several
    /// depths, on two threads, and has groups of equal and of prefix tokens) against its definition: tokens in
    /// byte order (ties by id), each node's tokens spelling its prefix, children in byte order.
    @Test func trieMatchesItsDefinitionOnALargeVocabulary() {
        var seed: UInt64 = 12345
        func random(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        let alphabet: [UInt8] = [0x00, 0x20, 0x61, 0x62, 0xFF]
        var tokens: [[UInt8]] = (0..<17_000).map { _ in
            let length = random(4) == 0 ? 20 + random(30) : 1 + random(12)
            return (0..<length).map { _ in random(3) == 0 ? alphabet[random(5)] : 0x20 }
        }
        tokens += tokens.prefix(300)          // equal bytes under two ids
        tokens.append([])                     // empty: not in the tree
        let vocabulary = Vocabulary(tokens: tokens, special: [7, 8], eos: [])
        let trie = TokenTrie(vocabulary)

        let expected = tokens.indices.filter { !tokens[$0].isEmpty && $0 != 7 && $0 != 8 }.sorted {
            tokens[$0] == tokens[$1] ? $0 < $1 : tokens[$0].lexicographicallyPrecedes(tokens[$1])
        }
        #expect(trie.tokenIDs.map(Int.init) == expected)
        #expect(trie.maxDepth == expected.map { tokens[$0].count }.max())
        #expect(trie.tokenStart.first == 0 && trie.tokenStart.last == Int32(expected.count))
        var prefix: [UInt8] = []
        for node in 0..<trie.nodeCount {
            let depth = Int(trie.depth[node])
            if node > 0 {
                #expect(depth >= 1 && depth <= prefix.count + 1)
                prefix = Array(prefix.prefix(depth - 1)) + [trie.byte[node]]
            }
            for k in Int(trie.tokenStart[node])..<Int(trie.tokenStart[node + 1]) {
                #expect(tokens[Int(trie.tokenIDs[k])] == prefix)
            }
            let end = Int(trie.subtreeEnd[node])
            #expect(end > node && end <= trie.nodeCount)
            #expect((node + 1..<end).allSatisfy { Int(trie.depth[$0]) > depth })
            #expect(end == trie.nodeCount || Int(trie.depth[end]) <= depth)
            var child = node + 1
            while child < end {
                let next = Int(trie.subtreeEnd[child])
                #expect(Int(trie.depth[child]) == depth + 1)
                #expect(next == end || trie.byte[next] > trie.byte[child])
                child = next
            }
        }
        let filtered = trie.filtered { $0 % 3 != 0 }
        let direct = TokenTrie(Vocabulary(tokens: tokens, special: Set(tokens.indices.filter { $0 % 3 == 0 }).union([7, 8]), eos: []))
        #expect(filtered.byte == direct.byte && filtered.depth == direct.depth && filtered.subtreeEnd == direct.subtreeEnd)
        #expect(filtered.tokenStart == direct.tokenStart && filtered.tokenIDs == direct.tokenIDs && filtered.maxDepth == direct.maxDepth)
    }

    @Test func concurrentResultsComeInOrder() {
        let (a, b) = Concurrently.run({ (0..<1000).reduce(0, +) }, { String(repeating: "x", count: 3) })
        #expect(a == 499_500 && b == "xxx")
        #expect(Concurrently.map(5) { $0 * $0 } == [0, 1, 4, 9, 16])
        #expect(Concurrently.map(0) { $0 }.isEmpty)
    }

    /// A filtered tree is the tree built from the kept tokens alone.
    @Test func filteredTrieEqualsTheTreeOfTheKeptTokens() {
        let tokens = ["a", "ab", "abc", "abd", "b", "ba", "c", "abc", "bad", "cab", "", "d"].map { Array($0.utf8) }
        let full = TokenTrie(Vocabulary(tokens: tokens, special: [11], eos: []))
        for kept: Set<Int> in [[], [0], [2, 7], [1, 3, 8], [6, 9], Set(0..<12)] {
            let filtered = full.filtered { kept.contains($0) }
            let direct = TokenTrie(Vocabulary(tokens: tokens, special: Set(0..<12).subtracting(kept).union([11]), eos: []))
            #expect(filtered.byte == direct.byte)
            #expect(filtered.depth == direct.depth)
            #expect(filtered.subtreeEnd == direct.subtreeEnd)
            #expect(filtered.tokenStart == direct.tokenStart)
            #expect(filtered.tokenIDs == direct.tokenIDs)
            #expect(filtered.maxDepth == direct.maxDepth)
        }
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

    @Test func tailCallsKeepTheStackFlat() throws {
        // Right-linear rules (divisibility by 3 of a decimal numeral): each digit is a tail
        // call, so reading many digits visits the same few configurations instead of one per
        // digit (a frame per call would also hit the stack-depth limit and end the language).
        var rules: [Grammar.Rule] = []
        for r in 0..<3 {
            let moves = (0...9).map { d in Expression.concat([.text("\(d)"), .ruleReference("r\((r * 10 + d) % 3)")]) }
            rules.append(Grammar.Rule(name: "r\(r)", body: .choice(moves + (r == 0 ? [.text(";")] : []))))
        }
        let space = try ConfigurationSpace.compile(Grammar(rules: rules, root: "r0"))
        let digits = (0..<5_000).map { UInt8(ascii: "0") + UInt8(($0 * 7 + 3) % 10) }
        let end = space.run(digits, from: space.initial)
        #expect(end >= 0)
        #expect(space.count < 20, "\(space.count) configurations")
        let sum = digits.reduce(0) { $0 + Int($1 - UInt8(ascii: "0")) }
        #expect((space.step(end, UInt8(ascii: ";")) >= 0) == (sum % 3 == 0))
        #expect(space.accepting[Int(space.run(Array("123;".utf8), from: space.initial))])
        #expect(space.run(Array("124;".utf8), from: space.initial) == ConfigurationSpace.dead)
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
    /// `(a|b)*abb` determinizes to more states than its minimal automaton (4); minimizing keeps
    /// every answer (all strings over {a, b, c} up to length 7) and the start state first.
    @Test func minimizationMergesEquivalentStates() throws {
        let ab = Expression.byteClass([97...98])
        let e = Expression.choice([.concat([.zeroOrMore(ab), .text("abb")]), .concat([.zeroOrMore(.text("a")), .text("abb")])])
        let dfa = try RegularAutomaton.compile(e, grammar: Grammar(.empty), limits: .init())
        let minimal = dfa.minimized()
        #expect(minimal.stateCount == 4)
        #expect(dfa.stateCount > minimal.stateCount)
        func accepts(_ automaton: RegularAutomaton, _ bytes: [UInt8]) -> Bool {
            var state: Int32 = 0
            for b in bytes {
                state = automaton.next(Int(state), b)
                if state < 0 { return false }
            }
            return automaton.isAccepting(Int(state))
        }
        var words: [[UInt8]] = [[]]
        for _ in 0..<7 {
            words = words + words.filter { $0.count == words.last!.count }.flatMap { w in [97, 98, 99].map { w + [UInt8($0)] } }
        }
        for w in words { #expect(accepts(dfa, w) == accepts(minimal, w), "\(w)") }
    }

    /// Minimization splits along long distinguishing strings (a chain of 41 counts, which
    /// takes Moore's algorithm 40 rounds) and merges the copies of a cycle.
    @Test func minimizationOfChainsAndCycles() throws {
        let x = Expression.byteClass([97...99])
        let chain = Expression.choice([.repetition(x, min: 3, max: 40), .concat([.text("a"), .repetition(x, min: 2, max: 39)])])
        let chainDFA = try RegularAutomaton.compile(chain, grammar: Grammar(.empty), limits: .init())
        #expect(chainDFA.minimized().stateCount == 41)
        let abc = Expression.zeroOrMore(.text("abc"))
        let cycle = Expression.choice([abc, .concat([.text("abc"), abc]), .concat([.text("ab"), .text("c"), .text("abc"), abc])])
        let cycleDFA = try RegularAutomaton.compile(cycle, grammar: Grammar(.empty), limits: .init())
        #expect(cycleDFA.stateCount > 3)
        let minimal = cycleDFA.minimized()
        #expect(minimal.stateCount == 3)
        #expect(minimal.minimized().stateCount == 3)
        var state: Int32 = 0
        for b in Array("abcabc".utf8) { state = minimal.next(Int(state), b) }
        #expect(state == 0 && minimal.isAccepting(0))
        #expect(minimal.next(0, UInt8(ascii: "b")) < 0)
    }

    /// A shared rule (its minimal automaton, placed first and reused across grammars) matches
    /// what the same rule matches when built as an ordinary one, and both grammars share it.
    @Test func sharedRulesMatchTheirOrdinaryForm() throws {
        let digits = Expression.choice([.text("0"), .concat([.byteClass([49...57]), .repetition(.byteClass([48...57]), min: 0, max: 3)])])
        let number = Expression.concat([.optional(.text("-")), digits, .optional(.concat([.text("."), .oneOrMore(.byteClass([48...57]))]))])
        func grammar(shared: Bool) -> Grammar {
            Grammar(rules: [Grammar.Rule(name: "root", body: .concat([.text("["), .ruleReference("n"), .zeroOrMore(.concat([.text(","), .ruleReference("n")])), .text("]")])),
                            Grammar.Rule(name: "n", body: number, isShared: shared)], root: "root")
        }
        let ordinary = try ConfigurationSpace.compile(grammar(shared: false))
        let shared = try ConfigurationSpace.compile(grammar(shared: true))
        let again = try ConfigurationSpace.compile(grammar(shared: true))
        #expect(shared.nfaStateCount == again.nfaStateCount)
        func accepts(_ space: ConfigurationSpace, _ s: String) -> Bool {
            let c = space.run(Array(s.utf8), from: space.initial)
            return c >= 0 && space.accepting[Int(c)]
        }
        func alive(_ space: ConfigurationSpace, _ s: String) -> Bool { space.run(Array(s.utf8), from: space.initial) >= 0 }
        for text in ["[0]", "[-12.5,3]", "[1234]", "[12345]", "[01]", "[-]", "[1.]", "[1.0,-0.25,9999]", "[", "[-9", "[1,"] {
            #expect(accepts(shared, text) == accepts(ordinary, text), "\(text)")
            #expect(alive(shared, text) == alive(ordinary, text), "\(text)")
        }
    }

    /// Past `CompileLimits.maxGrammarBytes` at run time the step cache is emptied, not new
    /// configurations refused: a long run steps exactly as without the budget, and the space
    /// stays within it. (The single bytes beside `abc` give the grammar over 128 byte classes:
    /// rows of 256 entries, which hold most of its memory.)
    @Test func stepCacheIsEvictedPastTheMemoryBudget() throws {
        let singles = stride(from: 0x80, to: 0xFF, by: 2).map { UInt8($0)...UInt8($0) }
        let grammar = Grammar(.repetition(.choice([.text("abc"), .byteClass(singles)]), min: 0, max: 2_000))
        let unlimited = try ConfigurationSpace.compile(grammar)
        var limits = CompileLimits()
        limits.maxGrammarBytes = unlimited.memoryBytes + (1 << 20)
        let space = try ConfigurationSpace.compile(grammar, limits: limits)
        var config = space.initial, reference = unlimited.initial
        for byte in String(repeating: "abc", count: 2_000).utf8 {
            config = space.step(config, byte)
            reference = unlimited.step(reference, byte)
            #expect(config == reference)
            // Within the budget, give or take the tables the last step added.
            #expect(space.memoryBytes <= limits.maxGrammarBytes + 4096)
        }
        #expect(space.accepting[Int(config)])
        #expect(space.step(config, UInt8(ascii: "a")) == ConfigurationSpace.dead)
        #expect(space.stepCacheEvictions > 0)
        #expect(!space.exhausted)
        // Steps cached before an eviction are computed again, to the same configurations.
        #expect(space.run(Array("abcabc".utf8), from: space.initial) == unlimited.run(Array("abcabc".utf8), from: unlimited.initial))
    }

    /// An automaton over `CompileLimits.maxGrammarBytes` is a limit error.
    @Test func grammarBytesAreBounded() throws {
        let grammar = Grammar(.repetition(.text("abc"), min: 0, max: 2_000))
        let space = try ConfigurationSpace.compile(grammar)
        #expect(space.memoryBytes > 100_000)
        var limits = CompileLimits()
        limits.maxGrammarBytes = 100_000
        do {
            _ = try ConfigurationSpace.compile(grammar, limits: limits)
            Issue.record("expected a limit error")
        } catch {
            #expect(error.code == .limitExceeded)
        }
    }
}
