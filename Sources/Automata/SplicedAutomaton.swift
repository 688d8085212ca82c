/// A deterministic automaton ready to be copied into `ByteNFA`s (`NFABuilder.splice`), with
/// what copying needs computed once: a cached automaton is spliced into many grammars.
struct SplicedAutomaton: Sendable {
    /// The automaton.
    let dfa: RegularAutomaton
    /// Per state, whether every plain-text string keeps it alive (`plainTextUniversalStates`).
    let plainTextUniversal: [Bool]
    /// The byte edges of state `s` as maximal ranges: `edges[edgeStart[s]..<edgeStart[s + 1]]`.
    let edgeStart: [Int32]
    let edges: [ByteNFA.ByteEdge]

    init(_ dfa: RegularAutomaton) {
        self.dfa = dfa
        plainTextUniversal = dfa.plainTextUniversalStates()
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

    /// The number of states.
    var stateCount: Int { dfa.stateCount }

    /// The byte edges of `state`.
    func edges(of state: Int) -> ArraySlice<ByteNFA.ByteEdge> {
        edges[Int(edgeStart[state])..<Int(edgeStart[state + 1])]
    }
}
