import Grammar

/// A deterministic automaton ready to be copied into `ByteNFA`s (`NFABuilder.splice`), with
/// what copying needs computed once: a cached automaton is spliced into many grammars.
struct SplicedAutomaton: Sendable {
    /// The automaton.
    let dfa: RegularAutomaton
    /// Per state, whether every plain-text string keeps it alive (`plainTextUniversalStates`).
    let plainTextUniversal: [Bool]
    /// Per pair (state, plain-text state), whether every plain-text string keeps it alive
    /// (`plainTextLiveness`): what an exclusion built on this automaton reads.
    let plainTextAlive: [Bool]
    /// The byte edges of state `s` as maximal ranges: `edges[edgeStart[s]..<edgeStart[s + 1]]`.
    let edgeStart: [Int32]
    let edges: [ByteNFA.ByteEdge]

    init(_ dfa: RegularAutomaton) {
        self.dfa = dfa
        let alive = dfa.plainTextLiveness()
        plainTextAlive = alive
        plainTextUniversal = (0..<dfa.stateCount).map { alive[$0 * PlainText.stateCount] }
        var edgeStart: [Int32] = [0]
        edgeStart.reserveCapacity(dfa.stateCount + 1)
        var edges: [ByteNFA.ByteEdge] = []
        let runs = dfa.classRuns()
        for s in 0..<dfa.stateCount {
            dfa.appendEdges(of: s, runs: runs, to: &edges)
            edgeStart.append(Int32(edges.count))
        }
        self.edgeStart = edgeStart
        self.edges = edges
    }

    /// The automaton of `L(base) − words` (`WordExclusion`), reusing what `base` has computed:
    /// the states after the exclusion's head are copies of `base`'s, with their edges and
    /// plain-text analysis; only the head's are computed (bottom up: a head state's edges lead
    /// to later states only).
    init(_ base: SplicedAutomaton, excluding words: [[UInt8]], limits: CompileLimits) throws(GrammarError) {
        let exclusion = try WordExclusion(base.dfa, excluding: words, limits: limits)
        let dfa = exclusion.automaton
        let heads = exclusion.headCount
        guard heads > 0 || exclusion.baseStates.count != base.stateCount else {
            self = base   // no word of `words` is in the language
            return
        }
        self.dfa = dfa
        let width = PlainText.stateCount
        var alive = [Bool](repeating: false, count: dfa.stateCount * width)
        for (i, state) in exclusion.baseStates.enumerated() {
            for p in 0..<width { alive[(heads + i) * width + p] = base.plainTextAlive[Int(state) * width + p] }
        }
        // A head state reads what its base state does except on its trie edges' bytes: alive
        // where the base state is, unless a trie edge reads a plain byte into a pair that is
        // not; where the base state is not, only a check of every byte tells (when the base
        // fails only on bytes the head reads elsewhere).
        PlainText.transitionTable.withUnsafeBufferPointer { plain in
            for h in stride(from: heads - 1, through: 0, by: -1) {
                let baseState = Int(exclusion.headBaseStates[h])
                let children = exclusion.childBytes(ofHead: h)
                for p in 0..<width {
                    var isAlive = base.plainTextAlive[baseState * width + p]
                    if isAlive {
                        for byte in children {
                            let q = Int(plain[p << 8 | Int(byte)])
                            guard q >= 0 else { continue }
                            let t = dfa.next(h, byte)
                            if t < 0 || !alive[Int(t) * width + q] { isAlive = false; break }
                        }
                    } else if children.contains(where: { plain[p << 8 | Int($0)] >= 0 }) {
                        isAlive = (0..<256).allSatisfy { byte in
                            let q = Int(plain[p << 8 | byte])
                            guard q >= 0 else { return true }
                            let t = dfa.next(h, UInt8(byte))
                            return t >= 0 && alive[Int(t) * width + q]
                        }
                    }
                    alive[h * width + p] = isAlive
                }
            }
        }
        plainTextAlive = alive
        plainTextUniversal = (0..<dfa.stateCount).map { alive[$0 * width] }
        // Edges: the head's from its rows, the copies' from `base`'s, renumbered.
        var newIndex = [Int32](repeating: -1, count: base.stateCount)
        for (i, state) in exclusion.baseStates.enumerated() { newIndex[Int(state)] = Int32(heads + i) }
        var edgeStart: [Int32] = [0]
        edgeStart.reserveCapacity(dfa.stateCount + 1)
        var edges: [ByteNFA.ByteEdge] = []
        let runs = dfa.classRuns()
        for s in 0..<heads {
            dfa.appendEdges(of: s, runs: runs, to: &edges)
            edgeStart.append(Int32(edges.count))
        }
        for state in exclusion.baseStates {
            for edge in base.edges(of: Int(state)) {
                edges.append(.init(low: edge.low, high: edge.high, target: newIndex[Int(edge.target)]))
            }
            edgeStart.append(Int32(edges.count))
        }
        self.edgeStart = edgeStart
        self.edges = edges
    }

    /// The number of states.
    var stateCount: Int { dfa.stateCount }

    /// The bytes it holds: the automaton's table, the plain-text analysis and the edges.
    var byteCount: Int {
        dfa.byteCount + plainTextUniversal.count + plainTextAlive.count
            + edgeStart.count * MemoryLayout<Int32>.stride + edges.count * MemoryLayout<ByteNFA.ByteEdge>.stride
    }

    /// The byte edges of `state`.
    func edges(of state: Int) -> ArraySlice<ByteNFA.ByteEdge> {
        edges[Int(edgeStart[state])..<Int(edgeStart[state + 1])]
    }
}
