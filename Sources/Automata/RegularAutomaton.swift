import Grammar

/// A deterministic automaton over bytes for a regular expression of the grammar IR, used to
/// compile `intersection` and `difference`, which need determinization.
///
/// Bytes are grouped into equivalence classes (`classOf`), so each state stores one target
/// per class; -1 means the dead state.
struct RegularAutomaton {
    /// The class of each byte.
    var classOf: [UInt8]
    /// The number of byte classes.
    var classCount: Int
    /// `transitions[state * classCount + class]`: the next state or -1.
    var transitions: [Int32]
    /// Whether each state accepts.
    var accepting: [Bool]

    var stateCount: Int { accepting.count }

    /// Bytes held by the tables.
    var byteCount: Int { transitions.count * 4 + accepting.count + classOf.count }

    func isAccepting(_ state: Int) -> Bool { accepting[state] }

    func next(_ state: Int, _ byte: UInt8) -> Int32 {
        transitions[state * classCount + Int(classOf[Int(byte)])]
    }

    /// One maximal run of bytes of the same class, in byte order.
    struct ClassRun {
        var low: UInt8
        var high: UInt8
        var byteClass: Int32
    }

    /// The runs of equal class over the bytes 0…255 (one per class when classes are contiguous,
    /// as `byteClasses` makes them): computed once for the edges of many states.
    func classRuns() -> [ClassRun] {
        var runs: [ClassRun] = []
        var low = 0
        while low < 256 {
            var high = low
            while high + 1 < 256, classOf[high + 1] == classOf[low] { high += 1 }
            runs.append(ClassRun(low: UInt8(low), high: UInt8(high), byteClass: Int32(classOf[low])))
            low = high + 1
        }
        return runs
    }

    /// Appends the outgoing edges of `state` as maximal byte ranges to `out`, given
    /// `classRuns()`: visits runs, not bytes.
    func appendEdges(of state: Int, runs: [ClassRun], to out: inout [ByteNFA.ByteEdge]) {
        let first = out.count
        transitions.withUnsafeBufferPointer { table in
            let row = state * classCount
            for run in runs {
                let t = table[row + Int(run.byteClass)]
                guard t >= 0 else { continue }
                if out.count > first, out[out.count - 1].target == t, Int(out[out.count - 1].high) + 1 == Int(run.low) {
                    out[out.count - 1].high = run.high
                } else {
                    out.append(.init(low: run.low, high: run.high, target: t))
                }
            }
        }
    }

    /// The states from which every plain-text string stays alive (all states live here are
    /// co-reachable to acceptance, so alive means completable); all false for automata of more
    /// than `maxStates` states. `plainTextLiveness(maxStates:)` at the plain-text start.
    func plainTextUniversalStates(maxStates: Int = 4_096) -> [Bool] {
        let alive = plainTextLiveness(maxStates: maxStates)
        return (0..<stateCount).map { alive[$0 * PlainText.stateCount] }
    }

    /// Per pair (state, plain-text state) at `state * PlainText.stateCount + plainState`:
    /// whether every plain-text string read from the plain-text state keeps the state alive. A
    /// greatest fixpoint over the pairs; skipped (all false, which is safe) for automata of more
    /// than `maxStates` states.
    func plainTextLiveness(maxStates: Int = 4_096) -> [Bool] {
        let n = stateCount
        guard n > 0, n <= maxStates else { return [Bool](repeating: false, count: n * PlainText.stateCount) }
        let (representatives, representativeStart) = plainTextRepresentatives()
        // Pairs (state, plain state) as one index; predecessor lists in flat (CSR) form.
        let width = PlainText.stateCount
        let pairCount = n * width
        var bad = [Bool](repeating: false, count: pairCount)
        var work: [Int32] = []
        var predecessorStart = [Int32](repeating: 0, count: pairCount + 1)
        var predecessors = [Int32]()
        transitions.withUnsafeBufferPointer { table in
            representatives.withUnsafeBufferPointer { reps in
                bad.withUnsafeMutableBufferPointer { bad in
                    predecessorStart.withUnsafeMutableBufferPointer { start in
                        for d in 0..<n {
                            let row = d * classCount
                            for p in 0..<width {
                                for r in representativeStart[p]..<representativeStart[p + 1] {
                                    let t = table[row + Int(reps[r].byteClass)]
                                    if t < 0 {
                                        let pair = d * width + p
                                        if !bad[pair] { bad[pair] = true; work.append(Int32(pair)) }
                                    } else {
                                        start[Int(t) * width + Int(reps[r].next) + 1] += 1
                                    }
                                }
                            }
                        }
                        for i in 0..<pairCount { start[i + 1] += start[i] }
                    }
                }
                var fill = predecessorStart
                predecessors = [Int32](repeating: 0, count: Int(predecessorStart[pairCount]))
                predecessors.withUnsafeMutableBufferPointer { list in
                    fill.withUnsafeMutableBufferPointer { fill in
                        for d in 0..<n {
                            let row = d * classCount
                            for p in 0..<width {
                                for r in representativeStart[p]..<representativeStart[p + 1] {
                                    let t = table[row + Int(reps[r].byteClass)]
                                    if t >= 0 {
                                        let target = Int(t) * width + Int(reps[r].next)
                                        list[Int(fill[target])] = Int32(d * width + p)
                                        fill[target] += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        while let pair = work.popLast() {
            for i in Int(predecessorStart[Int(pair)])..<Int(predecessorStart[Int(pair) + 1]) {
                let p = Int(predecessors[i])
                if !bad[p] {
                    bad[p] = true
                    work.append(Int32(p))
                }
            }
        }
        return bad.map { !$0 }
    }

    /// One (byte class, next plain state) pair per kind of byte each plain-text state reads:
    /// those of plain state p are `representatives[start[p]..<start[p + 1]]`.
    func plainTextRepresentatives() -> (representatives: [(byteClass: Int32, next: Int32)], start: [Int]) {
        var representatives: [(byteClass: Int32, next: Int32)] = []
        var representativeStart = [0]
        // Which (class, next plain state) pairs plain state p already has, at `class * 8 + next`.
        var seen = [Bool](repeating: false, count: classCount * PlainText.stateCount)
        PlainText.transitionTable.withUnsafeBufferPointer { plain in
            for p in 0..<PlainText.stateCount {
                let first = representatives.count
                for b in 0..<256 {
                    let q = Int(plain[p << 8 | b])
                    guard q >= 0 else { continue }
                    let key = Int(classOf[b]) * PlainText.stateCount + q
                    if !seen[key] {
                        seen[key] = true
                        representatives.append((Int32(classOf[b]), Int32(q)))
                    }
                }
                for r in representatives[first...] { seen[Int(r.byteClass) * PlainText.stateCount + Int(r.next)] = false }
                representativeStart.append(representatives.count)
            }
        }
        return (representatives, representativeStart)
    }

    /// Compiles a regular expression (rule references are inlined; recursion is an error).
    /// Operands of intersections and differences that refer to no rule come from the
    /// process-wide `RegularAutomatonCache` (key exclusions repeat the same key languages).
    /// Operands are minimized before their product is built: the product's states are pairs
    /// of theirs, so a pattern whose subset construction left equivalent states (each
    /// position of `[^\s…]{1,32}` with its own UTF-8 continuations) would multiply them by
    /// the states of a length bound.
    static func compile(_ e: Expression, grammar: Grammar, limits: CompileLimits) throws(GrammarError) -> RegularAutomaton {
        func operand(_ p: Expression) throws(GrammarError) -> RegularAutomaton {
            !p.refersToRules
                ? try RegularAutomatonCache.shared.automaton(for: p, limits: limits)
                : try compile(p, grammar: grammar, limits: limits).minimized()
        }
        switch e {
        case .intersection(let parts):
            let dfas = try parts.map { (p: Expression) throws(GrammarError) -> RegularAutomaton in try operand(p) }
            guard !dfas.isEmpty else { return try compile(.anyBytes, grammar: grammar, limits: limits) }
            return try intersection(of: dfas, limits: limits).automaton
        case .difference(let a, let b):
            if let words = WordExclusion.words(of: b) {
                return try WordExclusion.automaton(WordExclusion.Base(try operand(a)), excluding: words, limits: limits)
            }
            return try pair(try operand(a), try operand(b), negateSecond: true, limits: limits)
        case .automaton(let automaton):
            // Already built: its size is its builder's budget (splicing checks the NFA's).
            return RegularAutomaton(classOf: automaton.classOf, classCount: automaton.classCount, transitions: automaton.transitions,
                                    accepting: automaton.accepting).trimmed()
        default:
            if let words = literalWords(of: e) { return try trie(of: words, limits: limits) }
            let inlined = try inline(e, grammar: grammar, visiting: [])
            let nfa = try NFABuilder.build(Grammar(inlined), limits: limits)
            return try determinize(nfa, limits: limits)
        }
    }

    /// `compile(e, …).minimized()` for an expression that refers to no rule, except that an
    /// intersection whose product is its first operand (`product`) is that operand's minimal
    /// automaton, not minimized again.
    static func compileMinimized(_ e: Expression, limits: CompileLimits) throws(GrammarError) -> RegularAutomaton {
        guard case .intersection(let parts) = e, !parts.isEmpty else {
            return try compile(e, grammar: Grammar(.empty), limits: limits).minimized()
        }
        let operands = try parts.map { (p: Expression) throws(GrammarError) -> RegularAutomaton in
            try RegularAutomatonCache.shared.automaton(for: p, limits: limits)
        }
        let (result, isFirst) = try intersection(of: operands, limits: limits)
        return isFirst ? result : result.minimized()
    }

    /// The product of `operands` (at least one) in order, and whether it is the first operand
    /// itself (each product `isFirst`).
    static func intersection(of operands: [RegularAutomaton],
                             limits: CompileLimits) throws(GrammarError) -> (automaton: RegularAutomaton, isFirst: Bool) {
        var result = operands[0]
        var isFirst = true
        for dfa in operands.dropFirst() {
            let (next, same) = try product(result, dfa, negateSecond: false, limits: limits)
            result = next
            isFirst = isFirst && same
        }
        return (result, isFirst)
    }

    /// Replaces rule references by their bodies.
    static func inline(_ e: Expression, grammar: Grammar, visiting: Set<String>) throws(GrammarError) -> Expression {
        switch e {
        case .empty, .nothing, .literal, .byteClass, .characterClass, .automaton: return e
        case .lazyAutomaton:
            throw GrammarError(.limitExceeded, "an automaton too large to build cannot be an operand of an intersection or difference")
        case .ruleReference(let name):
            guard !visiting.contains(name) else {
                throw GrammarError(.invalidGrammar, "rule '\(name)' is recursive and cannot be used inside an intersection or difference")
            }
            guard let rule = grammar.rule(named: name) else {
                throw GrammarError(.invalidGrammar, "rule '\(name)' is referenced but not defined")
            }
            return try inline(rule.body, grammar: grammar, visiting: visiting.union([name]))
        case .sequence(let parts):
            return .sequence(try parts.map { (p: Expression) throws(GrammarError) in try inline(p, grammar: grammar, visiting: visiting) })
        case .choice(let parts):
            return .choice(try parts.map { (p: Expression) throws(GrammarError) in try inline(p, grammar: grammar, visiting: visiting) })
        case .intersection(let parts):
            return .intersection(try parts.map { (p: Expression) throws(GrammarError) in try inline(p, grammar: grammar, visiting: visiting) })
        case .repetition(let inner, let min, let max):
            return .repetition(try inline(inner, grammar: grammar, visiting: visiting), min: min, max: max)
        case .difference(let a, let b):
            return .difference(try inline(a, grammar: grammar, visiting: visiting), try inline(b, grammar: grammar, visiting: visiting))
        }
    }

    /// Byte classes that no edge of `nfa` distinguishes.
    static func byteClasses(boundaries: [Bool]) -> ([UInt8], Int) {
        var classOf = [UInt8](repeating: 0, count: 256)
        var current = 0
        for b in 0..<256 {
            if b > 0, boundaries[b] { current += 1 }
            classOf[b] = UInt8(current)
        }
        return (classOf, current + 1)
    }

    /// Subset construction of a call-free NFA (its root rule).
    static func determinize(_ nfa: ByteNFA, limits: CompileLimits) throws(GrammarError) -> RegularAutomaton {
        var boundaries = [Bool](repeating: false, count: 257)
        for s in 0..<nfa.stateCount {
            for e in nfa.byteEdges[s] {
                boundaries[Int(e.low)] = true
                boundaries[Int(e.high) + 1] = true
            }
        }
        let (classOf, classCount) = byteClasses(boundaries: boundaries)
        var construction = SubsetConstruction(nfa, classOf: classOf, classCount: classCount)
        let (transitions, accepting) = try construction.run(from: nfa.rules[Int(nfa.root)].start, maxStates: limits.maxRegularStates,
                                                                   maxVisits: limits.maxClosureVisits)
        return RegularAutomaton(classOf: classOf, classCount: classCount, transitions: transitions, accepting: accepting).trimmed()
    }

    /// The product of two automata: `a ∩ b`, or `a − b` when `negateSecond`.
    static func pair(_ a: RegularAutomaton, _ b: RegularAutomaton, negateSecond: Bool, limits: CompileLimits) throws(GrammarError) -> RegularAutomaton {
        try product(a, b, negateSecond: negateSecond, limits: limits).automaton
    }

    /// `pair(a, b, …)`, and whether it is `a` itself: an intersection whose product pairs each
    /// state of `a` with one state of `b`, never loses a transition of `a` and accepts where `a`
    /// does (`b` holds every word of `a`: `^(?:\S+\s+){0,99}\S+$` under `minLength: 1`) has `a`'s
    /// language, so `a` is returned as it is (minimal when `a` is). The language needs only the
    /// last two; pairing each state once makes the product `a` up to numbering, so callers that
    /// use a product unminimized (counted regions) get the same states as before.
    static func product(_ a: RegularAutomaton, _ b: RegularAutomaton, negateSecond: Bool,
                        limits: CompileLimits) throws(GrammarError) -> (automaton: RegularAutomaton, isFirst: Bool) {
        var boundaries = [Bool](repeating: false, count: 257)
        for b0 in 1..<256 where a.classOf[b0] != a.classOf[b0 - 1] || b.classOf[b0] != b.classOf[b0 - 1] {
            boundaries[b0] = true
        }
        let (classOf, classCount) = byteClasses(boundaries: boundaries)
        // Each product class lies within one class of `a` and one of `b`.
        var aClass = [Int32](repeating: 0, count: classCount), bClass = [Int32](repeating: 0, count: classCount)
        for byte in 0..<256 {
            aClass[Int(classOf[byte])] = Int32(a.classOf[byte])
            bClass[Int(classOf[byte])] = Int32(b.classOf[byte])
        }
        let empty = RegularAutomaton(classOf: classOf, classCount: classCount, transitions: [], accepting: [])
        guard a.stateCount > 0 else { return (empty, false) }
        let bStart: Int32 = b.stateCount > 0 ? 0 : -1
        if bStart < 0 && !negateSecond { return (empty, false) }
        // Whether the product so far follows `a` (see above); `paired[x]`: `a`'s state x is in a pair.
        var followsA = !negateSecond
        var paired = [Bool](repeating: false, count: followsA ? a.stateCount : 0)
        if followsA { paired[0] = true }

        func key(_ x: Int32, _ y: Int32) -> UInt64 { UInt64(UInt32(bitPattern: x)) << 32 | UInt64(UInt32(bitPattern: y)) }
        var index = IntegerMap()
        index.set(0, for: key(0, bStart))
        var pairs: [(Int32, Int32)] = [(0, bStart)]
        var transitions: [Int32] = []
        var accepting: [Bool] = []
        let aWidth = a.classCount, bWidth = b.classCount
        var i = 0
        while i < pairs.count {
            let (x, y) = pairs[i]
            let bAccepts = y >= 0 && b.isAccepting(Int(y))
            let accepts = a.isAccepting(Int(x)) && (negateSecond ? !bAccepts : bAccepts)
            accepting.append(accepts)
            if followsA && accepts != a.isAccepting(Int(x)) { followsA = false }
            let aRow = Int(x) * aWidth, bRow = Int(y) * bWidth
            // Neighbouring classes often lead to the same pair: look the last one up once.
            var lastKey = UInt64.max, lastID: Int32 = -1
            for c in 0..<classCount {
                let nx = a.transitions[aRow + Int(aClass[c])]
                let ny: Int32 = y >= 0 ? b.transitions[bRow + Int(bClass[c])] : -1
                if nx < 0 || (ny < 0 && !negateSecond) {
                    if nx >= 0 { followsA = false }
                    transitions.append(-1)
                    continue
                }
                let k = key(nx, ny)
                if k == lastKey {
                    transitions.append(lastID)
                    continue
                }
                let id: Int32
                if let known = index.value(for: k) {
                    id = known
                } else {
                    guard pairs.count < limits.maxRegularStates else {
                        throw GrammarError(.limitExceeded, "an intersection or difference needs more than \(limits.maxRegularStates) automaton states")
                    }
                    id = Int32(pairs.count)
                    index.set(id, for: k)
                    pairs.append((nx, ny))
                    if followsA {
                        if paired[Int(nx)] { followsA = false } else { paired[Int(nx)] = true }
                    }
                }
                transitions.append(id)
                lastKey = k
                lastID = id
            }
            i += 1
        }
        if followsA { return (a, true) }
        return (RegularAutomaton(classOf: classOf, classCount: classCount, transitions: transitions, accepting: accepting).trimmed(), false)
    }

    /// The same automaton without states that cannot reach acceptance (renumbered; the
    /// start state stays 0, or the automaton becomes empty).
    func trimmed() -> RegularAutomaton {
        let n = stateCount, width = classCount
        // Predecessors in compressed rows: those of `t` are `predecessors[predecessorStart[t]..<predecessorStart[t + 1]]`
        // (a target repeated by neighbouring classes is listed once).
        var predecessorStart = [Int32](repeating: 0, count: n + 1)
        var predecessors: [Int32] = []
        transitions.withUnsafeBufferPointer { table in
            predecessorStart.withUnsafeMutableBufferPointer { start in
                for s in 0..<n {
                    var previous: Int32 = -1
                    for c in 0..<width {
                        let t = table[s * width + c]
                        if t >= 0, t != previous { start[Int(t) + 1] += 1 }
                        previous = t
                    }
                }
                for t in 0..<n { start[t + 1] += start[t] }
            }
            var fill = predecessorStart
            predecessors = [Int32](repeating: 0, count: Int(predecessorStart[n]))
            predecessors.withUnsafeMutableBufferPointer { list in
                fill.withUnsafeMutableBufferPointer { fill in
                    for s in 0..<n {
                        var previous: Int32 = -1
                        for c in 0..<width {
                            let t = table[s * width + c]
                            if t >= 0, t != previous {
                                list[Int(fill[Int(t)])] = Int32(s)
                                fill[Int(t)] += 1
                            }
                            previous = t
                        }
                    }
                }
            }
        }
        var live = accepting
        var liveCount = 0
        var stack: [Int32] = []
        for s in 0..<n where accepting[s] { stack.append(Int32(s)); liveCount += 1 }
        while let s = stack.popLast() {
            for i in Int(predecessorStart[Int(s)])..<Int(predecessorStart[Int(s) + 1]) where !live[Int(predecessors[i])] {
                live[Int(predecessors[i])] = true
                liveCount += 1
                stack.append(predecessors[i])
            }
        }
        if liveCount == n { return self }
        guard n > 0, live[0] else {
            return RegularAutomaton(classOf: classOf, classCount: classCount, transitions: [], accepting: [])
        }
        var newIndex = [Int32](repeating: -1, count: n)
        var count: Int32 = 0
        for s in 0..<n where live[s] { newIndex[s] = count; count += 1 }
        var newTransitions = [Int32](repeating: -1, count: Int(count) * width)
        var newAccepting: [Bool] = []
        newAccepting.reserveCapacity(Int(count))
        transitions.withUnsafeBufferPointer { table in
            newTransitions.withUnsafeMutableBufferPointer { out in
                var row = 0
                for s in 0..<n where live[s] {
                    for c in 0..<width {
                        let t = table[s * width + c]
                        if t >= 0 { out[row + c] = newIndex[Int(t)] }
                    }
                    row += width
                }
            }
        }
        for s in 0..<n where live[s] { newAccepting.append(accepting[s]) }
        return RegularAutomaton(classOf: classOf, classCount: classCount, transitions: newTransitions, accepting: newAccepting)
    }
}
