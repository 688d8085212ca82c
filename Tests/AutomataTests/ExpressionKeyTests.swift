import Testing
import Grammar
@testable import Automata

@Suite struct ExpressionKeyTests {
    /// Bounded numbers' languages: a nest of digit choices `depth` deep, the same shape for
    /// every bound, ending in `last` — expressions that share far more than the 64 nodes
    /// `Expression.hash(into:)` reads.
    private func nest(depth: Int, last: UInt8) -> Expression {
        var e = Expression.literal([last])
        for level in 0..<depth {
            e = .choice([.sequence([.literal([UInt8(ascii: "0") + UInt8(level % 10)]), e]), .byteClass([UInt8(ascii: "1")...UInt8(ascii: "9")])])
        }
        return .sequence([.literal(Array("n:".utf8)), e])
    }

    /// Keys are equal exactly when their expressions are; expressions alike for more than the
    /// 64 nodes the expression's own hash reads get different digests.
    @Test func keysTellDeepDifferencesApart() {
        let a = nest(depth: 100, last: UInt8(ascii: "a"))
        let b = nest(depth: 100, last: UInt8(ascii: "b"))
        #expect(a.hashValue == b.hashValue)  // what made the tables' chains long
        #expect(ExpressionKey(a) != ExpressionKey(b))
        #expect(ExpressionKey(a).digest != ExpressionKey(b).digest)
        #expect(ExpressionKey(a) == ExpressionKey(nest(depth: 100, last: UInt8(ascii: "a"))))
        #expect(ExpressionKey(a).hashValue == ExpressionKey(nest(depth: 100, last: UInt8(ascii: "a"))).hashValue)
        // Every kind of node, each changed in one field, changes the key.
        let variants: [Expression] = [
            .empty, .nothing, .literal([1, 2, 3]), .literal([1, 2, 4]), .literal(Array(repeating: 7, count: 9)),
            .literal(Array(repeating: 7, count: 10)), .byteClass([1...2]), .byteClass([1...3]),
            .characterClass(ScalarSet([0x41...0x5A])), .characterClass(ScalarSet([0x41...0x5B])),
            .ruleReference("a"), .ruleReference("b"), .sequence([.empty, .nothing]), .choice([.empty, .nothing]),
            .intersection([.empty, .nothing]), .sequence([.nothing, .empty]),
            .repetition(.empty, min: 0, max: 1), .repetition(.empty, min: 0, max: nil), .repetition(.empty, min: 1, max: 1),
            .difference(.empty, .nothing), .difference(.nothing, .empty),
        ]
        for (i, x) in variants.enumerated() {
            for (j, y) in variants.enumerated() {
                #expect((ExpressionKey(x) == ExpressionKey(y)) == (i == j), "\(x) \(y)")
            }
        }
    }

    /// The cache hands each of many expressions alike in their first nodes its own automaton
    /// (automata, spliced automata and key exclusions), filed and found again by key.
    @Test func cacheKeepsExpressionsAlikeApart() throws {
        let cache = RegularAutomatonCache(capacity: 64, maxBytes: 1 << 26)
        let lasts = Array(UInt8(ascii: "a")...UInt8(ascii: "t"))
        for round in 0..<2 {
            for last in lasts {
                let e = nest(depth: 80, last: last)
                let automaton = try cache.automaton(for: e, limits: .init())
                #expect(automaton.accepts(Array("n:5".utf8)) && !automaton.accepts(Array("n:0".utf8)))
                // The deepest path: the digits 79, 78, ... 0 (each level's digit), then `last`.
                let deepest = Array("n:".utf8) + (0..<80).reversed().map { UInt8(ascii: "0") + UInt8($0 % 10) } + [last]
                for other in lasts {
                    let probe = Array(deepest.dropLast()) + [other]
                    #expect(automaton.accepts(probe) == (other == last), "round \(round) \(last) \(other)")
                }
                // Key exclusions of the same shape: each keeps its own excluded words.
                let exclusion = Expression.difference(.repetition(.byteClass([UInt8(ascii: "a")...UInt8(ascii: "z")]), min: 1, max: nil),
                                                      .choice([.literal([last, last]), .literal([last])]))
                let spliced = try cache.splicedAutomaton(for: exclusion, limits: .init()).dfa
                for other in lasts {
                    #expect(spliced.accepts([other]) == (other != last))
                    #expect(spliced.accepts([other, other]) == (other != last))
                    #expect(spliced.accepts([other, other, other]))
                }
            }
        }
    }
}
