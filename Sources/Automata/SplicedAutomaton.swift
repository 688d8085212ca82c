import Grammar

/// A deterministic automaton ready to be copied into `ByteNFA`s (`NFABuilder.splice`), with
/// what copying needs computed once: a cached automaton is spliced into many grammars.
struct SplicedAutomaton: Sendable {
    /// The automaton as a table, when it was built as one (a key exclusion is built as edges
    /// only: `dfa` makes its table on demand).
    private let table: RegularAutomaton?
    /// Per state, whether it accepts.
    let accepting: [Bool]
    /// Per state, whether every plain-text string keeps it alive (`plainTextUniversalStates`).
    let plainTextUniversal: [Bool]
    /// Per pair (state, plain-text state), whether every plain-text string keeps it alive
    /// (`plainTextLiveness`): what an exclusion built on this automaton reads.
    let plainTextAlive: [Bool]
    /// The byte edges of state `s` as maximal ranges: `edges[edgeStart[s]..<edgeStart[s + 1]]`.
    let edgeStart: [Int32]
    let edges: [ByteNFA.ByteEdge]
    /// Whether every state is known to reach an accepting state (what lets pruning take its
    /// copies as a `TrimBlock`): set for key exclusions on a trim base only. An automaton built
    /// from a table is not checked (a pattern's check cost more than its blocks saved pruning).
    let isTrim: Bool

    /// The automaton as a table (built from the edges when it was not built as one).
    var dfa: RegularAutomaton {
        if let table { return table }
        var boundaries = [Bool](repeating: false, count: 257)
        for edge in edges {
            boundaries[Int(edge.low)] = true
            boundaries[Int(edge.high) + 1] = true
        }
        let (classOf, classCount) = RegularAutomaton.byteClasses(boundaries: boundaries)
        var transitions = [Int32](repeating: -1, count: stateCount * classCount)
        for s in 0..<stateCount {
            for edge in edges(of: s) {
                for byte in Int(edge.low)...Int(edge.high) { transitions[s * classCount + Int(classOf[byte])] = edge.target }
            }
        }
        return RegularAutomaton(classOf: classOf, classCount: classCount, transitions: transitions, accepting: accepting)
    }

    init(_ dfa: RegularAutomaton) {
        table = dfa
        accepting = dfa.accepting
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
        isTrim = false
    }

    /// Whether every state of the automaton with these edges and acceptance reaches an accepting
    /// state (a backward search from the accepting states; once per exclusion base the cache
    /// prepares).
    static func everyStateAccepts(after edgeStart: [Int32], _ edges: [ByteNFA.ByteEdge], accepting: [Bool]) -> Bool {
        let n = accepting.count
        // Predecessors in compressed rows (counted, then filled), in flat buffers: an array
        // written per edge checked its uniqueness each time.
        let predecessorStart = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n + 1)
        let cursor = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n + 1)
        let predecessors = UnsafeMutableBufferPointer<Int32>.allocate(capacity: edges.count)
        let reaches = UnsafeMutableBufferPointer<Bool>.allocate(capacity: n)
        // A state is pushed once, when it is found to reach acceptance.
        let stack = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
        defer { predecessorStart.deallocate(); cursor.deallocate(); predecessors.deallocate(); reaches.deallocate(); stack.deallocate() }
        predecessorStart.initialize(repeating: 0)
        return edges.withUnsafeBufferPointer { edges in
            edgeStart.withUnsafeBufferPointer { edgeStart in
                for e in edges { predecessorStart[Int(e.target) + 1] += 1 }
                for t in 0..<n { predecessorStart[t + 1] += predecessorStart[t] }
                _ = cursor.initialize(from: predecessorStart)
                for s in 0..<n {
                    for e in Int(edgeStart[s])..<Int(edgeStart[s + 1]) {
                        let t = Int(edges[e].target)
                        predecessors[Int(cursor[t])] = Int32(s)
                        cursor[t] += 1
                    }
                }
                var top = 0
                for s in 0..<n {
                    reaches[s] = accepting[s]
                    if accepting[s] { stack[top] = Int32(s); top += 1 }
                }
                var reached = top
                while top > 0 {
                    top -= 1
                    let t = Int(stack[top])
                    for i in Int(predecessorStart[t])..<Int(predecessorStart[t + 1]) where !reaches[Int(predecessors[i])] {
                        reaches[Int(predecessors[i])] = true
                        reached += 1
                        stack[top] = predecessors[i]
                        top += 1
                    }
                }
                return reached == n
            }
        }
    }

    /// The automaton of `L(spliced) − words` (`WordExclusion`; `base` is `spliced` prepared:
    /// `WordExclusion.Base(spliced)`), reusing what `spliced` has computed: the states after the
    /// exclusion's head are copies of its states, with their edges and plain-text analysis;
    /// only the head's are computed (bottom up: a head state's edges lead to later states
    /// only). No table is built.
    /// `baseIsTrim`: whether every state of `spliced` is known to reach an accepting state (then
    /// so does every state of the result).
    init(_ spliced: SplicedAutomaton, prepared base: WordExclusion.Base, baseIsTrim: Bool = false, excluding words: [[UInt8]],
         limits: CompileLimits) throws(GrammarError) {
        let exclusion = try WordExclusion(base, excluding: words, limits: limits)
        guard !exclusion.isUnchanged else {
            self = spliced   // no word of `words` is in the language
            return
        }
        let heads = exclusion.headCount
        let stateCount = exclusion.stateCount
        table = nil
        // The head is trimmed as it is built (a trie node that neither accepts nor leads to a
        // kept state is dropped: `WordExclusion.init`), and the copies are states of `spliced`:
        // trim when `spliced` is.
        isTrim = baseIsTrim
        var accepting = exclusion.headAccepting
        accepting.reserveCapacity(stateCount)
        for state in exclusion.baseStates { accepting.append(spliced.accepting[Int(state)]) }
        self.accepting = accepting
        let width = PlainText.stateCount
        var alive = [Bool](repeating: false, count: stateCount * width)
        for (i, state) in exclusion.baseStates.enumerated() {
            for p in 0..<width { alive[(heads + i) * width + p] = spliced.plainTextAlive[Int(state) * width + p] }
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
                    var isAlive = spliced.plainTextAlive[baseState * width + p]
                    if isAlive {
                        for byte in children {
                            let q = Int(plain[p << 8 | Int(byte)])
                            guard q >= 0 else { continue }
                            let t = exclusion.next(ofHead: h, byte, base: base)
                            if t < 0 || !alive[Int(t) * width + q] { isAlive = false; break }
                        }
                    } else if children.contains(where: { plain[p << 8 | Int($0)] >= 0 }) {
                        isAlive = (0..<256).allSatisfy { byte in
                            let q = Int(plain[p << 8 | byte])
                            guard q >= 0 else { return true }
                            let t = exclusion.next(ofHead: h, UInt8(byte), base: base)
                            return t >= 0 && alive[Int(t) * width + q]
                        }
                    }
                    alive[h * width + p] = isAlive
                }
            }
        }
        plainTextAlive = alive
        plainTextUniversal = (0..<stateCount).map { alive[$0 * width] }
        // Edges: the head's as built, the copies' from `spliced`'s, renumbered. Written in place
        // into an array of the exact size (an append per head state was a generic call, and the
        // array grew as it went).
        var edgeCount = exclusion.headEdgeCount
        for state in exclusion.baseStates {
            edgeCount += Int(spliced.edgeStart[Int(state) + 1] - spliced.edgeStart[Int(state)])
        }
        var edgeStart = [Int32](repeating: 0, count: heads + exclusion.baseStates.count + 1)
        edges = edgeStart.withUnsafeMutableBufferPointer { edgeStart in
            [ByteNFA.ByteEdge](unsafeUninitializedCapacity: edgeCount) { buffer, initialized in
                var n = 0
                for h in 0..<heads {
                    for edge in exclusion.edges(ofHead: h) {
                        (buffer.baseAddress! + n).initialize(to: edge)
                        n += 1
                    }
                    edgeStart[h + 1] = Int32(n)
                }
                for (i, state) in exclusion.baseStates.enumerated() {
                    for edge in spliced.edges(of: Int(state)) {
                        (buffer.baseAddress! + n).initialize(to: .init(low: edge.low, high: edge.high,
                                                                       target: exclusion.copyOf[Int(edge.target)]))
                        n += 1
                    }
                    edgeStart[heads + i + 1] = Int32(n)
                }
                initialized = n
            }
        }
        self.edgeStart = edgeStart
    }

    /// The number of states.
    var stateCount: Int { accepting.count }

    /// The bytes it holds: the automaton's table, acceptance, the plain-text analysis and the
    /// edges.
    var byteCount: Int {
        (table?.byteCount ?? 0) + accepting.count + plainTextUniversal.count + plainTextAlive.count
            + edgeStart.count * MemoryLayout<Int32>.stride + edges.count * MemoryLayout<ByteNFA.ByteEdge>.stride
    }

    /// The byte edges of `state`.
    func edges(of state: Int) -> ArraySlice<ByteNFA.ByteEdge> {
        edges[Int(edgeStart[state])..<Int(edgeStart[state + 1])]
    }
}
