import Testing
@testable import Grammar
@testable import Automata

/// Key exclusions built directly (`WordExclusion`): the same language, automaton and plain-text
/// analysis as the general product, on JSON key contents and names that share prefixes, contain
/// one another, are empty, are not ASCII, or need escapes.
@Suite struct WordExclusionTests {
    /// The contents of any JSON key (`json-char*`).
    static let keyContents = JSONStringEncoding.encode(.anyText)

    /// Name sets that exercise the trie: common prefixes, a name inside another, the empty name,
    /// non-ASCII names, names whose spellings need or allow escapes (`"`, `\`, `/`, controls).
    static let nameSets: [[String]] = [
        ["a"],
        ["ab", "ac", "b"],
        ["a", "ab", "abc"],
        ["", "x"],
        ["a/b", "/"],
        ["\"", "\\", "a\"b"],
        ["é", "é\n", "\u{8}"],
        ["ab", "b/", "\\/"],
    ]

    /// Bytes of the brute-force strings: name bytes, escape letters, a UTF-8 lead and
    /// continuation, `\` and `"`.
    static let alphabet: [UInt8] = Array("ab/\\\"nu0x".utf8) + [0xC3, 0xA9]

    /// Every string over `alphabet` of at most `length` bytes.
    static func strings(upTo length: Int) -> [[UInt8]] {
        var all: [[UInt8]] = [[]]
        var layer: [[UInt8]] = [[]]
        for _ in 0..<length {
            layer = layer.flatMap { s in alphabet.map { s + [$0] } }
            all += layer
        }
        return all
    }

    /// The general construction: the product with the trie's complement, minimized.
    static func product(_ base: RegularAutomaton, _ excluded: Expression) throws -> RegularAutomaton {
        let words = try RegularAutomaton.compile(excluded, grammar: Grammar(.empty), limits: .init()).minimized()
        return try RegularAutomaton.pair(base, words, negateSecond: true, limits: .init()).minimized()
    }

    /// The map from `a`'s states to `b`'s when the two automata are the same up to numbering
    /// (same acceptance, same targets byte for byte); nil otherwise.
    static func isomorphism(_ a: RegularAutomaton, _ b: RegularAutomaton) -> [Int]? {
        guard a.stateCount == b.stateCount else { return nil }
        guard a.stateCount > 0 else { return [] }
        var map = [Int](repeating: -1, count: a.stateCount)
        map[0] = 0
        var stack = [0]
        while let s = stack.popLast() {
            guard a.isAccepting(s) == b.isAccepting(map[s]) else { return nil }
            for byte in 0...255 {
                let (x, y) = (a.next(s, UInt8(byte)), b.next(map[s], UInt8(byte)))
                guard (x < 0) == (y < 0) else { return nil }
                guard x >= 0 else { continue }
                if map[Int(x)] < 0 {
                    map[Int(x)] = Int(y)
                    stack.append(Int(x))
                } else if map[Int(x)] != Int(y) {
                    return nil
                }
            }
        }
        return map.contains(-1) ? nil : map
    }

    /// For each name set: the direct construction accepts exactly the strings the product does
    /// (every string of up to 5 bytes over the alphabet, and every spelling of each name), is
    /// the same minimal automaton, and has the same plain-text analysis.
    @Test func sameAutomatonAsTheProduct() throws {
        let cache = RegularAutomatonCache(capacity: 64, maxBytes: 1 << 24)
        let base = try cache.splicedAutomaton(for: Self.keyContents, limits: .init())
        let strings = Self.strings(upTo: 5)
        for names in Self.nameSets {
            let excluded = JSONStringEncoding.encode(.alternatives(names.map { .text($0) }))
            let words = try #require(WordExclusion.words(of: excluded))
            let direct = try SplicedAutomaton(base, prepared: .init(base), excluding: words, limits: .init())
            let expected = try Self.product(base.dfa, excluded)
            for s in strings + words {
                #expect(direct.dfa.accepts(s) == expected.accepts(s), "\(names): \(s)")
            }
            // Escaped spellings of the names are excluded too; near misses are not.
            for word in words { #expect(!direct.dfa.accepts(word), "\(names): \(word)") }
            for word in words { #expect(direct.dfa.accepts(word + Array("z".utf8)), "\(names): \(word)") }
            let map = try #require(Self.isomorphism(direct.dfa, expected), "\(names): not the minimal automaton")
            let reference = SplicedAutomaton(expected)
            let width = PlainText.stateCount
            for s in 0..<direct.stateCount {
                for p in 0..<width {
                    #expect(direct.plainTextAlive[s * width + p] == reference.plainTextAlive[map[s] * width + p], "\(names): state \(s)")
                }
                #expect(direct.plainTextUniversal[s] == reference.plainTextUniversal[map[s]])
            }
        }
    }

    /// The spelled-out encodings: `/` raw or as `\/`, `"` as `\"`, a newline as `\n`.
    @Test func wordsOfEncodedNames() throws {
        let excluded = JSONStringEncoding.encode(.alternatives([.text("a/b"), .text("\""), .text("\n")]))
        let words = try #require(WordExclusion.words(of: excluded)).map { String(decoding: $0, as: UTF8.self) }
        #expect(Set(words) == ["a/b", "a\\/b", "\\\"", "\\n"])
        // Infinite languages and too many spellings are not words.
        #expect(WordExclusion.words(of: Self.keyContents) == nil)
        let slashes = String(repeating: "/", count: 13)
        #expect(WordExclusion.words(of: JSONStringEncoding.encode(.text(slashes))) == nil)
    }

    /// A language the words do not meet stays as it is; words covering a finite language leave
    /// it empty; a name outside the language is dropped while the others are excluded.
    @Test func edgeCases() throws {
        let cache = RegularAutomatonCache(capacity: 64, maxBytes: 1 << 24)
        let lowercase = Expression.repetition(.byteClass([UInt8(ascii: "a")...UInt8(ascii: "z")]), min: 1, max: nil)
        let base = try cache.splicedAutomaton(for: lowercase, limits: .init())
        let untouched = try SplicedAutomaton(base, prepared: .init(base), excluding: [Array("A".utf8), Array("1a".utf8)], limits: .init())
        #expect(untouched.stateCount == base.stateCount && untouched.dfa.accepts(Array("a".utf8)))
        let finite = try cache.splicedAutomaton(for: .choice([.text("ab"), .text("c")]), limits: .init())
        let empty = try SplicedAutomaton(finite, prepared: .init(finite), excluding: [Array("ab".utf8), Array("c".utf8), Array("d".utf8)], limits: .init())
        #expect(empty.stateCount == 0)
        let some = try SplicedAutomaton(base, prepared: .init(base), excluding: [Array("A".utf8), Array("ab".utf8), []], limits: .init())
        #expect(!some.dfa.accepts(Array("ab".utf8)) && some.dfa.accepts(Array("a".utf8)) && some.dfa.accepts(Array("abc".utf8)))
        #expect(try Self.isomorphism(some.dfa, Self.product(base.dfa, .choice([.text("A"), .text("ab"), .empty]))) != nil)
    }

    /// Through the cache: `any − (names | pattern)` is the names taken out of `any − pattern`
    /// (shared by objects with the same patterns); same language as the general product.
    @Test func namesBesideAPattern() throws {
        let cache = RegularAutomatonCache(capacity: 64, maxBytes: 1 << 24)
        let pattern = Expression.sequence([.text("x-"), Self.keyContents])
        let e = Expression.difference(Self.keyContents, .choice([.text("a1"), pattern, .text("x-b"), .text("a/")]))
        let (kept, words) = try #require(RegularAutomatonCache.wordExclusion(e))
        #expect(kept == .difference(Self.keyContents, pattern))
        #expect(Set(words) == [Array("a1".utf8), Array("x-b".utf8), Array("a/".utf8)])
        let direct = try cache.splicedAutomaton(for: e, limits: .init())
        let expected = try RegularAutomaton.compile(e, grammar: Grammar(.empty), limits: .init()).minimized()
        #expect(Self.isomorphism(direct.dfa, expected) != nil)
        for s in Self.strings(upTo: 4) { #expect(direct.dfa.accepts(s) == expected.accepts(s), "\(s)") }
    }

    /// Through the cache: the same names in another order, or some twice, take out the same
    /// language and give the very same automaton (built once, on the sorted words: the state
    /// rules of one object list its keys in the order they are met), the language the product
    /// gives.
    @Test func namesInAnyOrderShareOneAutomaton() throws {
        let cache = RegularAutomatonCache(capacity: 64, maxBytes: 1 << 24)
        let pattern = Expression.sequence([.text("x-"), Self.keyContents])
        let strings = Self.strings(upTo: 4)
        for names in Self.nameSets.filter({ $0.count > 1 }) + [["b", "a/", "ab", "é", "a"]] {
            var orders = [names, names.reversed(), Array(names.dropFirst()) + [names[0], names[0]]]
            orders += orders.map { $0 + ["x-y"] }
            var first: SplicedAutomaton?
            for (i, order) in orders.enumerated() {
                let excluded = JSONStringEncoding.encode(.alternatives(order.map { .text($0) }))
                let withPattern = i >= 3 ? Expression.choice([pattern, excluded]) : excluded
                let e = Expression.difference(Self.keyContents, withPattern)
                let built = try cache.splicedAutomaton(for: e, limits: .init())
                if i == 0 || i == 3 {
                    first = built
                    let expected = try RegularAutomaton.compile(e, grammar: Grammar(.empty), limits: .init()).minimized()
                    #expect(Self.isomorphism(built.dfa, expected) != nil, "\(order)")
                    for s in strings { #expect(built.dfa.accepts(s) == expected.accepts(s), "\(order): \(s)") }
                } else {
                    let first = try #require(first)
                    #expect(built.accepting == first.accepting && built.edgeStart == first.edgeStart && built.edges == first.edges,
                            "\(order)")
                }
            }
        }
    }

    /// The sparse head (trie edges over base rows, no table) gives exactly what the table of the
    /// same exclusion gives: the same edges, acceptance and plain-text analysis state for state,
    /// on the name sets above and on larger sets of names sharing prefixes and suffixes (where
    /// head states merge with one another).
    @Test func sparseHeadIsTheTable() throws {
        let cache = RegularAutomatonCache(capacity: 64, maxBytes: 1 << 24)
        let base = try cache.splicedAutomaton(for: Self.keyContents, limits: .init())
        let prepared = WordExclusion.Base(base)
        var generator = SplitMix64(seed: 7)
        let letters = Array("abé/\\\"\n".unicodeScalars)
        let larger: [[String]] = (0..<12).map { _ in
            (0..<Int(generator.next() % 24 + 2)).map { _ in
                String(String.UnicodeScalarView((0..<Int(generator.next() % 5)).map { _ in letters[Int(generator.next() % UInt64(letters.count))] }))
            }
        }
        for names in Self.nameSets + larger {
            let excluded = JSONStringEncoding.encode(.alternatives(names.map { .text($0) }))
            let words = try #require(WordExclusion.words(of: excluded))
            let sparse = try SplicedAutomaton(base, prepared: prepared, excluding: words, limits: .init())
            let table = SplicedAutomaton(try WordExclusion.automaton(prepared, excluding: words, limits: .init()))
            #expect(sparse.stateCount == table.stateCount, "\(names)")
            #expect(sparse.accepting == table.accepting, "\(names)")
            #expect(sparse.edgeStart == table.edgeStart && sparse.edges == table.edges, "\(names)")
            #expect(sparse.plainTextAlive == table.plainTextAlive, "\(names)")
            #expect(sparse.plainTextUniversal == table.plainTextUniversal, "\(names)")
            let expected = try Self.product(base.dfa, excluded)
            #expect(Self.isomorphism(sparse.dfa, expected) != nil, "\(names): not the minimal automaton")
        }
    }
}
