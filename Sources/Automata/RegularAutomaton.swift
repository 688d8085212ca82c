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

    func isAccepting(_ state: Int) -> Bool { accepting[state] }

    func next(_ state: Int, _ byte: UInt8) -> Int32 {
        transitions[state * classCount + Int(classOf[Int(byte)])]
    }

    /// The outgoing edges of `state` as maximal byte ranges.
    func edges(of state: Int) -> [ByteNFA.ByteEdge] {
        var out: [ByteNFA.ByteEdge] = []
        var b = 0
        while b < 256 {
            let t = next(state, UInt8(b))
            var e = b
            while e + 1 < 256, next(state, UInt8(e + 1)) == t { e += 1 }
            if t >= 0 { out.append(.init(low: UInt8(b), high: UInt8(e), target: t)) }
            b = e + 1
        }
        return out
    }

    /// Compiles a regular expression (rule references are inlined; recursion is an error).
    static func compile(_ e: Expression, grammar: Grammar, limits: CompileLimits) throws(GrammarError) -> RegularAutomaton {
        switch e {
        case .intersection(let parts):
            let dfas = try parts.map { (p: Expression) throws(GrammarError) -> RegularAutomaton in
                try compile(p, grammar: grammar, limits: limits)
            }
            return try product(dfas, negated: Array(repeating: false, count: dfas.count), limits: limits)
        case .difference(let a, let b):
            let da = try compile(a, grammar: grammar, limits: limits)
            let db = try compile(b, grammar: grammar, limits: limits)
            return try product([da, db], negated: [false, true], limits: limits)
        default:
            let inlined = try inline(e, grammar: grammar, visiting: [])
            let nfa = try NFABuilder.build(Grammar(inlined), limits: limits)
            return try determinize(nfa, limits: limits)
        }
    }

    /// Replaces rule references by their bodies.
    static func inline(_ e: Expression, grammar: Grammar, visiting: Set<String>) throws(GrammarError) -> Expression {
        switch e {
        case .empty, .nothing, .literal, .byteClass, .characterClass: return e
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
        for s in nfa.states {
            for e in s.byteEdges {
                boundaries[Int(e.low)] = true
                boundaries[Int(e.high) + 1] = true
            }
        }
        let (classOf, classCount) = byteClasses(boundaries: boundaries)
        var representative = [UInt8](repeating: 0, count: classCount)
        for b in stride(from: 255, through: 0, by: -1) { representative[Int(classOf[b])] = UInt8(b) }

        let root = nfa.rules[Int(nfa.root)]
        func closure(_ seeds: [Int32]) -> [Int32] {
            var seen = Set<Int32>(seeds)
            var stack = seeds
            while let s = stack.popLast() {
                for t in nfa.states[Int(s)].epsilonEdges where seen.insert(t).inserted { stack.append(t) }
            }
            return seen.sorted()
        }
        var index: [[Int32]: Int32] = [:]
        var sets: [[Int32]] = []
        var transitions: [Int32] = []
        var accepting: [Bool] = []
        let start = closure([root.start])
        index[start] = 0
        sets.append(start)
        var i = 0
        while i < sets.count {
            let set = sets[i]
            accepting.append(set.contains(root.final))
            for c in 0..<classCount {
                let b = representative[c]
                var targets: [Int32] = []
                for s in set {
                    for e in nfa.states[Int(s)].byteEdges where e.low <= b && b <= e.high { targets.append(e.target) }
                }
                if targets.isEmpty { transitions.append(-1); continue }
                let next = closure(targets)
                if let id = index[next] {
                    transitions.append(id)
                } else {
                    guard sets.count < limits.maxRegularStates else {
                        throw GrammarError(.limitExceeded, "an intersection or difference needs more than \(limits.maxRegularStates) automaton states")
                    }
                    let id = Int32(sets.count)
                    index[next] = id
                    sets.append(next)
                    transitions.append(id)
                }
            }
            i += 1
        }
        return RegularAutomaton(classOf: classOf, classCount: classCount, transitions: transitions, accepting: accepting).trimmed()
    }

    /// The product automaton: accepts when every non-negated operand accepts and no negated one does.
    static func product(_ dfas: [RegularAutomaton], negated: [Bool], limits: CompileLimits) throws(GrammarError) -> RegularAutomaton {
        var boundaries = [Bool](repeating: false, count: 257)
        for d in dfas {
            for b in 1..<256 where d.classOf[b] != d.classOf[b - 1] { boundaries[b] = true }
        }
        let (classOf, classCount) = byteClasses(boundaries: boundaries)
        var representative = [UInt8](repeating: 0, count: classCount)
        for b in stride(from: 255, through: 0, by: -1) { representative[Int(classOf[b])] = UInt8(b) }

        var index: [[Int32]: Int32] = [:]
        var tuples: [[Int32]] = []
        var transitions: [Int32] = []
        var accepting: [Bool] = []
        let start = dfas.map { $0.stateCount > 0 ? Int32(0) : -1 }
        if zip(start, negated).contains(where: { $0.0 < 0 && !$0.1 }) {
            return RegularAutomaton(classOf: classOf, classCount: classCount, transitions: [], accepting: [])
        }
        index[start] = 0
        tuples.append(start)
        var i = 0
        while i < tuples.count {
            let tuple = tuples[i]
            var accepts = true
            for (k, s) in tuple.enumerated() {
                let a = s >= 0 && dfas[k].isAccepting(Int(s))
                if a == negated[k] { accepts = false; break }
            }
            accepting.append(accepts)
            for c in 0..<classCount {
                let b = representative[c]
                var next: [Int32] = []
                var dead = false
                for (k, s) in tuple.enumerated() {
                    let t: Int32 = s >= 0 ? dfas[k].next(Int(s), b) : -1
                    if t < 0 && !negated[k] { dead = true; break }
                    next.append(t)
                }
                if dead { transitions.append(-1); continue }
                if let id = index[next] {
                    transitions.append(id)
                } else {
                    guard tuples.count < limits.maxRegularStates else {
                        throw GrammarError(.limitExceeded, "an intersection or difference needs more than \(limits.maxRegularStates) automaton states")
                    }
                    let id = Int32(tuples.count)
                    index[next] = id
                    tuples.append(next)
                    transitions.append(id)
                }
            }
            i += 1
        }
        return RegularAutomaton(classOf: classOf, classCount: classCount, transitions: transitions, accepting: accepting).trimmed()
    }

    /// The same automaton without states that cannot reach acceptance (renumbered; the
    /// start state stays 0, or the automaton becomes empty).
    func trimmed() -> RegularAutomaton {
        let n = stateCount
        var reverse = [[Int32]](repeating: [], count: n)
        for s in 0..<n {
            for c in 0..<classCount {
                let t = transitions[s * classCount + c]
                if t >= 0 { reverse[Int(t)].append(Int32(s)) }
            }
        }
        var live = accepting
        var stack = (0..<n).filter { accepting[$0] }.map(Int32.init)
        while let s = stack.popLast() {
            for p in reverse[Int(s)] where !live[Int(p)] {
                live[Int(p)] = true
                stack.append(p)
            }
        }
        guard n > 0, live[0] else {
            return RegularAutomaton(classOf: classOf, classCount: classCount, transitions: [], accepting: [])
        }
        var newIndex = [Int32](repeating: -1, count: n)
        var count: Int32 = 0
        for s in 0..<n where live[s] { newIndex[s] = count; count += 1 }
        var newTransitions: [Int32] = []
        newTransitions.reserveCapacity(Int(count) * classCount)
        var newAccepting: [Bool] = []
        for s in 0..<n where live[s] {
            for c in 0..<classCount {
                let t = transitions[s * classCount + c]
                newTransitions.append(t >= 0 ? newIndex[Int(t)] : -1)
            }
            newAccepting.append(accepting[s])
        }
        return RegularAutomaton(classOf: classOf, classCount: classCount, transitions: newTransitions, accepting: newAccepting)
    }
}
