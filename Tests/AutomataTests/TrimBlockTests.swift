import Testing
@testable import Grammar
@testable import Automata

/// Pruning with trim blocks (`TrimBlock`): the spliced copies of trim automata are marked live
/// all at once when their exit is, without their reverse edges. The pruned automaton must be
/// the one pruning edge by edge gives.
@Suite struct TrimBlockTests {
    /// The contents of any JSON key (`json-char*`), the base of key exclusions.
    static let keyContents = JSONStringEncoding.encode(.anyText)

    /// A key exclusion of `names` (spliced through `WordExclusion`).
    static func exclusion(_ names: [String]) -> Expression {
        .difference(keyContents, .choice(names.map { .literal(Array($0.utf8)) }))
    }

    /// Spliced automata (key exclusions, an intersection) before live and dead
    /// continuations, in productive and unproductive rules, inside repetitions (whose copies are
    /// not blocks): each state keeps exactly the edges it keeps when the blocks are ignored.
    @Test func prunedAsWithoutBlocks() throws {
        let digits = Expression.repetition(.byteClass([0x30...0x39]), min: 1, max: nil)
        let pattern = Expression.intersection([digits, .repetition(.byteClass([0x30...0x35]), min: 0, max: nil)])
        let grammar = Grammar(rules: [
            .init(name: "root", body: .choice([
                .sequence([TrimBlockTests.exclusion(["a", "ab"]), .literal(Array(":".utf8)), .ruleReference("value")]),
                .sequence([pattern, .ruleReference("never")]),
                .sequence([TrimBlockTests.exclusion(["x"]), .nothing]),
                .sequence([.literal(Array("[".utf8)), .repetition(.sequence([pattern, .literal(Array(",".utf8))]), min: 1, max: 3)]),
                .ruleReference("unused"),
            ])),
            .init(name: "value", body: .choice([.difference(digits, .literal(Array("0".utf8))), TrimBlockTests.exclusion(["k"])])),
            // Derives no finite string: its spliced automata lead nowhere.
            .init(name: "never", body: .sequence([TrimBlockTests.exclusion(["n"]), .ruleReference("never")])),
            .init(name: "unused", body: .sequence([pattern, TrimBlockTests.exclusion(["u", "v"])])),
        ], root: "root")
        var withBlocks = try NFABuilder.build(grammar, limits: .init())
        #expect(withBlocks.trimBlocks.count >= 6)
        var edgeByEdge = withBlocks
        edgeByEdge.trimBlocks = []
        try GrammarAnalysis.prune(&withBlocks)
        try GrammarAnalysis.prune(&edgeByEdge)
        var kept = 0
        for s in 0..<withBlocks.stateCount {
            #expect(Array(withBlocks.byteEdges[s]) == Array(edgeByEdge.byteEdges[s]), "byte edges of \(s)")
            #expect(Array(withBlocks.epsilonEdges[s]) == Array(edgeByEdge.epsilonEdges[s]), "ε edges of \(s)")
            #expect(Array(withBlocks.callEdges[s]) == Array(edgeByEdge.callEdges[s]), "call edges of \(s)")
            kept += withBlocks.byteEdges[s].count
        }
        // Some blocks were kept and some pruned away.
        let blockStates = withBlocks.trimBlocks.map { Int($0.first) }
        #expect(blockStates.contains { !withBlocks.byteEdges[$0].isEmpty })
        #expect(blockStates.contains { withBlocks.epsilonEdges[$0].isEmpty && withBlocks.byteEdges[$0].isEmpty })
        #expect(kept > 0)
    }

    /// The check: false for an automaton with a state that reaches no accepting state. `isTrim`:
    /// true for the cache's key exclusions (checked by a forward search per state), false for
    /// other automata (not checked).
    @Test func trimnessIsKnownPerAutomaton() throws {
        #expect(!SplicedAutomaton.everyStateAccepts(after: [0, 2, 2, 2], [.init(low: 0x61, high: 0x61, target: 1),
                                                                         .init(low: 0x62, high: 0x62, target: 2)],
                                                    accepting: [false, true, false]))
        #expect(SplicedAutomaton.everyStateAccepts(after: [0, 1, 1], [.init(low: 0x61, high: 0x61, target: 1)], accepting: [false, true]))
        func reachesAcceptance(_ a: SplicedAutomaton, from start: Int) -> Bool {
            var seen: Set<Int> = [start], stack = [start]
            while let s = stack.popLast() {
                if a.accepting[s] { return true }
                for e in a.edges(of: s) where seen.insert(Int(e.target)).inserted { stack.append(Int(e.target)) }
            }
            return false
        }
        let expressions: [Expression] = [
            TrimBlockTests.exclusion(["a", "ab", "abc", ""]),
            TrimBlockTests.exclusion(["é", "\\/"]),
            .difference(.repetition(.byteClass([0x61...0x62]), min: 0, max: 2), .literal(Array("ab".utf8))),
            .intersection([.repetition(.byteClass([0x30...0x39]), min: 1, max: 4), .repetition(.byteClass([0x31...0x32]), min: 0, max: nil)]),
        ]
        for e in expressions {
            let a = try RegularAutomatonCache.shared.splicedAutomaton(for: e, limits: .init())
            let isExclusion = RegularAutomatonCache.wordExclusion(e) != nil
            #expect(a.isTrim == isExclusion)
            if a.isTrim { #expect((0..<a.stateCount).allSatisfy { reachesAcceptance(a, from: $0) }) }
        }
    }
}
