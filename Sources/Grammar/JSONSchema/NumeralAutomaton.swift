/// A deterministic automaton over the bytes of JSON number lexemes (`0-9 . - + e E`), used to
/// combine numeric constraints that a regular expression cannot state without recursion:
/// divisibility (`multipleOf`, and its negation) with bounds, excluded values and integrality.
/// Automata are built from rule-free expressions (subset construction) or directly
/// (`divisibility`), combined by products, and written out as right-linear rules.
struct NumeralAutomaton {
    /// The alphabet: digits 0–9, then `.`, `-`, `+`, `e`, `E`.
    static let symbols: [UInt8] = Array("0123456789.-+eE".utf8)
    static let symbolCount = 15

    /// The symbol index of `byte`, if it is one.
    static func symbol(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: return Int(byte - 0x30)
        case 0x2E: return 10
        case 0x2D: return 11
        case 0x2B: return 12
        case 0x65: return 13
        case 0x45: return 14
        default: return nil
        }
    }

    /// `transitions[state * symbolCount + symbol]`: the next state, or -1.
    var transitions: [Int32]
    var accepting: [Bool]
    var stateCount: Int { accepting.count }

    init(transitions: [Int32], accepting: [Bool]) {
        self.transitions = transitions
        self.accepting = accepting
    }

    /// The part of `automaton` over the numeral alphabet.
    init(_ automaton: ByteAutomaton) {
        var transitions: [Int32] = []
        transitions.reserveCapacity(automaton.stateCount * NumeralAutomaton.symbolCount)
        for state in 0..<automaton.stateCount {
            for byte in NumeralAutomaton.symbols { transitions.append(automaton.next(state, byte)) }
        }
        self.init(transitions: transitions, accepting: automaton.accepting)
    }

    /// The automaton over bytes (other bytes lead nowhere), to embed in a grammar.
    var byteAutomaton: ByteAutomaton {
        ByteAutomaton(symbols: NumeralAutomaton.symbols, transitions: transitions, accepting: accepting)
    }

    func next(_ state: Int, _ symbol: Int) -> Int {
        Int(transitions[state * NumeralAutomaton.symbolCount + symbol])
    }

    // MARK: From expressions

    /// The automaton of a rule-free expression over the numeral alphabet; nil when it uses
    /// rules or more than `maxStates` states.
    static func from(_ expression: Expression, maxStates: Int) -> NumeralAutomaton? {
        var nfa = NFA()
        let start = nfa.newState(), final = nfa.newState()
        guard nfa.build(expression, start, final, maxStates: maxStates) else { return nil }
        return nfa.determinize(start: start, final: final, maxStates: maxStates)
    }

    /// A Thompson NFA over the numeral alphabet.
    private struct NFA {
        var edges: [[(symbol: Int, target: Int)]] = []
        var epsilon: [[Int]] = []

        mutating func newState() -> Int {
            edges.append([])
            epsilon.append([])
            return edges.count - 1
        }

        mutating func build(_ e: Expression, _ from: Int, _ to: Int, maxStates: Int) -> Bool {
            guard edges.count < maxStates * 8 else { return false }
            switch e {
            case .empty: epsilon[from].append(to)
            case .nothing: break
            case .literal(let bytes):
                var current = from
                for (i, byte) in bytes.enumerated() {
                    guard let symbol = NumeralAutomaton.symbol(byte) else { return true }
                    let next = i == bytes.count - 1 ? to : newState()
                    edges[current].append((symbol, next))
                    current = next
                }
                if bytes.isEmpty { epsilon[from].append(to) }
            case .byteClass(let ranges):
                for (symbol, byte) in NumeralAutomaton.symbols.enumerated() where ranges.contains(where: { $0.contains(byte) }) {
                    edges[from].append((symbol, to))
                }
            case .characterClass(let set):
                for (symbol, byte) in NumeralAutomaton.symbols.enumerated() where set.contains(UInt32(byte)) {
                    edges[from].append((symbol, to))
                }
            case .ruleReference: return false
            case .sequence(let parts):
                var current = from
                for (i, part) in parts.enumerated() {
                    let next = i == parts.count - 1 ? to : newState()
                    guard build(part, current, next, maxStates: maxStates) else { return false }
                    current = next
                }
                if parts.isEmpty { epsilon[from].append(to) }
            case .choice(let parts):
                for part in parts {
                    let entry = newState()
                    epsilon[from].append(entry)
                    guard build(part, entry, to, maxStates: maxStates) else { return false }
                }
            case .repetition(let inner, let min, let max):
                var current = from
                for _ in 0..<min {
                    let next = newState()
                    guard build(inner, current, next, maxStates: maxStates) else { return false }
                    current = next
                }
                if let max {
                    guard max >= min else { return true }
                    for _ in min..<max {
                        epsilon[current].append(to)
                        let next = newState()
                        guard build(inner, current, next, maxStates: maxStates) else { return false }
                        current = next
                    }
                    epsilon[current].append(to)
                } else {
                    let hub = newState()
                    epsilon[current].append(hub)
                    let back = newState()
                    guard build(inner, hub, back, maxStates: maxStates) else { return false }
                    epsilon[back].append(hub)
                    epsilon[hub].append(to)
                }
            case .intersection(let parts):
                guard var combined = NumeralAutomaton.from(parts[0], maxStates: maxStates) else { return false }
                for part in parts.dropFirst() {
                    guard let other = NumeralAutomaton.from(part, maxStates: maxStates),
                          let product = combined.product(other, maxStates: maxStates, { $0 && $1 }) else { return false }
                    combined = product
                }
                splice(combined, from, to)
            case .difference(let a, let b):
                guard let left = NumeralAutomaton.from(a, maxStates: maxStates), let right = NumeralAutomaton.from(b, maxStates: maxStates),
                      let product = left.product(right, maxStates: maxStates, { $0 && !$1 }) else { return false }
                splice(product, from, to)
            case .automaton(let automaton):
                splice(NumeralAutomaton(automaton), from, to)
            }
            return true
        }

        /// Copies the automaton in between `from` and `to`.
        mutating func splice(_ dfa: NumeralAutomaton, _ from: Int, _ to: Int) {
            guard dfa.stateCount > 0 else { return }
            let base = edges.count
            for _ in 0..<dfa.stateCount { _ = newState() }
            epsilon[from].append(base)
            for state in 0..<dfa.stateCount {
                if dfa.accepting[state] { epsilon[base + state].append(to) }
                for symbol in 0..<NumeralAutomaton.symbolCount {
                    let target = dfa.next(state, symbol)
                    if target >= 0 { edges[base + state].append((symbol, base + target)) }
                }
            }
        }

        func closure(_ seeds: [Int]) -> [Int] {
            var seen = Set(seeds)
            var stack = seeds
            while let s = stack.popLast() {
                for t in epsilon[s] where seen.insert(t).inserted { stack.append(t) }
            }
            return seen.sorted()
        }

        func determinize(start: Int, final: Int, maxStates: Int) -> NumeralAutomaton? {
            var index: [[Int]: Int32] = [:]
            var sets: [[Int]] = []
            var transitions: [Int32] = []
            var accepting: [Bool] = []
            let first = closure([start])
            index[first] = 0
            sets.append(first)
            var i = 0
            while i < sets.count {
                let set = sets[i]
                accepting.append(set.contains(final))
                for symbol in 0..<NumeralAutomaton.symbolCount {
                    var targets: [Int] = []
                    for s in set { for edge in edges[s] where edge.symbol == symbol { targets.append(edge.target) } }
                    if targets.isEmpty { transitions.append(-1); continue }
                    let next = closure(targets)
                    if let id = index[next] {
                        transitions.append(id)
                    } else {
                        guard sets.count < maxStates else { return nil }
                        index[next] = Int32(sets.count)
                        sets.append(next)
                        transitions.append(Int32(sets.count - 1))
                    }
                }
                i += 1
            }
            return NumeralAutomaton(transitions: transitions, accepting: accepting).trimmed()
        }
    }

    // MARK: Combining

    /// The product automaton, accepting where `accept(a accepts, b accepts)`. Dead states of
    /// `other` are kept as a sink (-1) so differences work.
    func product(_ other: NumeralAutomaton, maxStates: Int, _ accept: (Bool, Bool) -> Bool) -> NumeralAutomaton? {
        guard stateCount > 0 else { return NumeralAutomaton(transitions: [], accepting: []) }
        var index: [Int: Int32] = [:]
        var pairs: [(Int, Int)] = [(0, other.stateCount > 0 ? 0 : -1)]
        func key(_ a: Int, _ b: Int) -> Int { a * (other.stateCount + 1) + (b + 1) }
        index[key(pairs[0].0, pairs[0].1)] = 0
        var transitions: [Int32] = []
        var accepts: [Bool] = []
        var i = 0
        while i < pairs.count {
            let (a, b) = pairs[i]
            accepts.append(accept(accepting[a], b >= 0 && other.accepting[b]))
            for symbol in 0..<NumeralAutomaton.symbolCount {
                let na = next(a, symbol)
                if na < 0 { transitions.append(-1); continue }
                let nb = b >= 0 ? other.next(b, symbol) : -1
                let k = key(na, nb)
                if let id = index[k] {
                    transitions.append(id)
                } else {
                    guard pairs.count < maxStates else { return nil }
                    index[k] = Int32(pairs.count)
                    pairs.append((na, nb))
                    transitions.append(Int32(pairs.count - 1))
                }
            }
            i += 1
        }
        return NumeralAutomaton(transitions: transitions, accepting: accepts).trimmed()
    }

    /// Without states that cannot reach acceptance (the start stays 0, or none remain).
    func trimmed() -> NumeralAutomaton {
        let n = stateCount
        var reverse = [[Int]](repeating: [], count: n)
        for s in 0..<n {
            for symbol in 0..<NumeralAutomaton.symbolCount {
                let t = next(s, symbol)
                if t >= 0 { reverse[t].append(s) }
            }
        }
        var live = accepting
        var stack = (0..<n).filter { accepting[$0] }
        while let s = stack.popLast() {
            for p in reverse[s] where !live[p] {
                live[p] = true
                stack.append(p)
            }
        }
        guard n > 0, live[0] else { return NumeralAutomaton(transitions: [], accepting: []) }
        var renumber = [Int32](repeating: -1, count: n)
        var count: Int32 = 0
        for s in 0..<n where live[s] { renumber[s] = count; count += 1 }
        var newTransitions: [Int32] = []
        var newAccepting: [Bool] = []
        for s in 0..<n where live[s] {
            for symbol in 0..<NumeralAutomaton.symbolCount {
                let t = next(s, symbol)
                newTransitions.append(t >= 0 ? renumber[t] : -1)
            }
            newAccepting.append(accepting[s])
        }
        return NumeralAutomaton(transitions: newTransitions, accepting: newAccepting)
    }

    // MARK: Divisibility

    /// Plain numerals (`-?int(.digits)?`, fractions as `fractions` allow) whose value v makes
    /// v × 10^scale an integer divisible by every `required` factor and by no `forbidden` one
    /// (a non-integer is divisible by nothing). The remainder is kept modulo `modulus`, which
    /// every factor divides.
    static func divisibility(modulus m: Int, scale: Int, required: [Int], forbidden: [Int], fractions: NumberLanguage.Fractions,
                             maxStates: Int) -> NumeralAutomaton? {
        func accepts(_ remainder: Int, pending: Int) -> Bool {
            var r = remainder
            for _ in 0..<pending where r != 0 { r = r * 10 % m }
            return required.allSatisfy { r % $0 == 0 } && !forbidden.contains { r % $0 == 0 }
        }
        let nonMultiples = required.isEmpty && fractions == .any
        // States: 0 start, 1 after "-", 2 a leading "0"; I(r) integral digits with remainder r;
        // D(r) just after "."; F(p, r) p fraction digits read (1…scale); Z(r) zeros beyond the
        // scale; X a nonzero digit beyond the scale (value × 10^scale not an integer). At scale
        // 0, D(r) and Z(r) only tell whether r is accepted: two states each, not m.
        let tail = scale == 0 ? 2 : m
        func key(_ r: Int) -> Int { scale == 0 ? (accepts(r, pending: 0) ? 1 : 0) : r }
        let integralBase = 3, dotBase = 3 + m, fractionBase = 3 + m + tail
        let zeroBase = fractionBase + scale * m
        let beyond = zeroBase + tail
        let count = beyond + 1
        guard count <= maxStates else { return nil }
        var transitions = [Int32](repeating: -1, count: count * symbolCount)
        var accepting = [Bool](repeating: false, count: count)
        func set(_ from: Int, _ symbol: Int, _ to: Int) { transitions[from * symbolCount + symbol] = Int32(to) }
        func integral(_ r: Int) -> Int { integralBase + r }
        func dot(_ r: Int) -> Int { dotBase + key(r) }
        func fraction(_ p: Int, _ r: Int) -> Int { fractionBase + (p - 1) * m + r }
        func zeros(_ r: Int) -> Int { zeroBase + key(r) }
        for start in [0, 1] {
            set(start, 0, 2)
            for d in 1...9 { set(start, d, integral(d % m)) }
        }
        set(0, 11, 1)
        for (state, r) in [(2, 0)] + (0..<m).map({ (integral($0), $0) }) {
            accepting[state] = accepts(r, pending: scale)
            if state != 2 { for d in 0...9 { set(state, d, integral((r * 10 + d) % m)) } }
            if fractions != .none { set(state, 10, dot(r)) }
        }
        /// After reading fraction digits that leave remainder r at the scale: zeros keep it, a
        /// nonzero digit makes a non-multiple.
        func pastScale(_ state: Int, _ r: Int) {
            set(state, 0, zeros(r))
            if nonMultiples { for d in 1...9 { set(state, d, beyond) } }
        }
        for r in 0..<m {
            if scale > 0 {
                for d in 0...9 { set(dot(r), d, fraction(1, (r * 10 + d) % m)) }
                for p in 1...scale {
                    let state = fraction(p, r)
                    accepting[state] = accepts(r, pending: scale - p)
                    if p < scale {
                        for d in 0...9 { set(state, d, fraction(p + 1, (r * 10 + d) % m)) }
                    } else {
                        pastScale(state, r)
                    }
                }
            } else {
                pastScale(dot(r), r)
            }
            accepting[zeros(r)] = accepts(r, pending: 0)
            pastScale(zeros(r), r)
        }
        accepting[beyond] = nonMultiples
        if nonMultiples { for d in 0...9 { set(beyond, d, beyond) } }
        return NumeralAutomaton(transitions: transitions, accepting: accepting).trimmed()
    }

    /// The minimal equivalent automaton (Moore's partition refinement), start state 0.
    func minimized() -> NumeralAutomaton {
        let n = stateCount
        guard n > 1 else { return self }
        // Partition: accepting vs not; refine by the classes of the successors (-1 for dead).
        var classOf = accepting.map { $0 ? 1 : 0 }
        var classCount = Set(classOf).count
        while true {
            var signatures: [[Int]: Int] = [:]
            var next = [Int](repeating: 0, count: n)
            for state in 0..<n {
                var signature = [classOf[state]]
                for symbol in 0..<NumeralAutomaton.symbolCount {
                    let target = self.next(state, symbol)
                    signature.append(target >= 0 ? classOf[target] : -1)
                }
                if let known = signatures[signature] {
                    next[state] = known
                } else {
                    next[state] = signatures.count
                    signatures[signature] = signatures.count
                }
            }
            classOf = next
            if signatures.count == classCount { break }
            classCount = signatures.count
        }
        // Renumber so the start's class is 0, in order of first appearance.
        var renumber: [Int: Int] = [:]
        var order: [Int] = []
        for state in 0..<n where renumber[classOf[state]] == nil {
            renumber[classOf[state]] = order.count
            order.append(state)
        }
        var transitions: [Int32] = []
        var accepts: [Bool] = []
        for representative in order {
            for symbol in 0..<NumeralAutomaton.symbolCount {
                let target = next(representative, symbol)
                transitions.append(target >= 0 ? Int32(renumber[classOf[target]] ?? -1) : -1)
            }
            accepts.append(accepting[representative])
        }
        return NumeralAutomaton(transitions: transitions, accepting: accepts)
    }

    // MARK: Writing out

    /// The automaton's language as a rule-free expression (state elimination), or nil when it
    /// has more than `maxStates` states or the expression would exceed `maxSize` nodes. Being
    /// rule-free, it needs no rule calls per digit (right-linear rules push a call per state
    /// change, which deep numerals would pile up).
    func regularExpression(maxStates: Int = 300, maxSize: Int = 30_000) -> Expression? {
        guard stateCount > 0 else { return .nothing }
        guard stateCount <= maxStates else { return nil }
        let start = stateCount, final = stateCount + 1
        var out: [Int: [Int: Expression]] = [:]
        var into: [Int: Set<Int>] = [:]
        func add(_ from: Int, _ to: Int, _ e: Expression) {
            if let existing = out[from]?[to] {
                out[from, default: [:]][to] = .alternatives([existing, e])
            } else {
                out[from, default: [:]][to] = e
            }
            into[to, default: []].insert(from)
        }
        for state in 0..<stateCount {
            var byTarget: [Int: [UInt8]] = [:]
            for symbol in 0..<NumeralAutomaton.symbolCount {
                let target = next(state, symbol)
                if target >= 0 { byTarget[target, default: []].append(NumeralAutomaton.symbols[symbol]) }
            }
            for (target, bytes) in byTarget { add(state, target, .byteClass(bytes.sorted().map { $0...$0 })) }
            if accepting[state] { add(state, final, .empty) }
        }
        add(start, 0, .empty)
        var remaining = Set(0..<stateCount)
        var size = 0
        while !remaining.isEmpty {
            // Eliminate the state with the fewest paths through it.
            var best = -1, bestCost = Int.max
            for k in remaining {
                let ins = into[k, default: []].filter { $0 != k }.count, outs = (out[k] ?? [:]).keys.filter { $0 != k }.count
                if ins * outs < bestCost { bestCost = ins * outs; best = k }
            }
            let k = best
            remaining.remove(k)
            let loop = out[k]?[k].map { Expression.zeroOrMore($0) } ?? .empty
            let successors = (out[k] ?? [:]).filter { $0.key != k }
            for i in into[k, default: []] where i != k {
                guard let first = out[i]?[k] else { continue }
                for (j, last) in successors {
                    let path = Expression.concat([first, loop, last])
                    size += GrammarSimplifier.size(path)
                    if size > maxSize { return nil }
                    add(i, j, path)
                }
                out[i]?[k] = nil
            }
            for j in successors.keys { into[j]?.remove(k) }
            out[k] = nil
            into[k] = nil
        }
        return out[start]?[final] ?? .nothing
    }

    /// The automaton as right-linear rules named `prefix-sN` (a state's self-loops become a
    /// repetition); returns the start expression.
    func rules(prefix: String) -> (start: Expression, rules: [(name: String, body: Expression)]) {
        guard stateCount > 0 else { return (.nothing, []) }
        func name(_ state: Int) -> String { "\(prefix)-s\(state)" }
        var rules: [(name: String, body: Expression)] = []
        for state in 0..<stateCount {
            var byTarget: [Int: [Int]] = [:]
            var order: [Int] = []
            for symbol in 0..<NumeralAutomaton.symbolCount {
                let target = next(state, symbol)
                guard target >= 0 else { continue }
                if byTarget[target] == nil { order.append(target) }
                byTarget[target, default: []].append(symbol)
            }
            func bytes(_ symbols: [Int]) -> Expression {
                .byteClass(symbols.map { NumeralAutomaton.symbols[$0] }.sorted().map { $0...$0 })
            }
            var alternatives: [Expression] = accepting[state] ? [.empty] : []
            var loop: Expression?
            for target in order {
                let symbols = byTarget[target] ?? []
                if target == state { loop = bytes(symbols); continue }
                alternatives.append(.concat([bytes(symbols), .ruleReference(name(target))]))
            }
            var body = Expression.alternatives(alternatives)
            if let loop { body = .concat([.zeroOrMore(loop), body]) }
            rules.append((name(state), body))
        }
        return (.ruleReference(name(0)), rules)
    }
}
