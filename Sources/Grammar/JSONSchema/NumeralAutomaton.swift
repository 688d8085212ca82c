/// A deterministic automaton over the bytes of JSON number lexemes (`0-9 . - + e E`), used to
/// combine numeric constraints that a regular expression cannot state without recursion:
/// divisibility (`multipleOf`, and its negation) with bounds, excluded values and integrality.
/// Automata are built from rule-free expressions (subset construction) or directly
/// (`divisibility`), combined by products, and embedded in the grammar as they are
/// (`Expression.automaton`).
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
            case .ruleReference, .lazyAutomaton: return false
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
                          let product = combined.product(other, .intersection, maxStates: maxStates) else { return false }
                    combined = product
                }
                splice(combined, from, to)
            case .difference(let a, let b):
                guard let left = NumeralAutomaton.from(a, maxStates: maxStates), let right = NumeralAutomaton.from(b, maxStates: maxStates),
                      let product = left.product(right, .difference, maxStates: maxStates) else { return false }
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

    /// How a product accepts, from whether each side accepts.
    enum Combination {
        /// Both accept (a string dead on either side is dead).
        case intersection
        /// Either accepts (a string is dead only when dead on both sides).
        case union
        /// The first accepts and the second does not (dead when dead on the first side).
        case difference

        func accepts(_ a: Bool, _ b: Bool) -> Bool {
            switch self {
            case .intersection: a && b
            case .union: a || b
            case .difference: a && !b
            }
        }
    }

    /// The product automaton (reachable pairs of states, -1 for a side that is dead), trimmed;
    /// nil when it needs more than `maxStates` states.
    func product(_ other: NumeralAutomaton, _ combination: Combination, maxStates: Int) -> NumeralAutomaton? {
        let width = NumeralAutomaton.symbolCount
        let first: (Int32, Int32) = (stateCount > 0 ? 0 : -1, other.stateCount > 0 ? 0 : -1)
        switch combination {
        case .intersection where first.0 < 0 || first.1 < 0, .difference where first.0 < 0, .union where first.0 < 0 && first.1 < 0:
            return NumeralAutomaton(transitions: [], accepting: [])
        default: break
        }
        var index = StateIndex()
        index.insert(StateIndex.key(first), id: 0)
        var pairs: [(Int32, Int32)] = [first]
        var transitions: [Int32] = []
        var accepts: [Bool] = []
        var i = 0
        while i < pairs.count {
            let (a, b) = pairs[i]
            accepts.append(combination.accepts(a >= 0 && accepting[Int(a)], b >= 0 && other.accepting[Int(b)]))
            for symbol in 0..<width {
                let na: Int32 = a >= 0 ? successor(a, symbol) : -1
                let nb: Int32 = b >= 0 ? other.successor(b, symbol) : -1
                let dead = switch combination {
                case .intersection: na < 0 || nb < 0
                case .union: na < 0 && nb < 0
                case .difference: na < 0
                }
                if dead { transitions.append(-1); continue }
                if let id = index.id(of: StateIndex.key((na, nb))) {
                    transitions.append(id)
                } else {
                    guard pairs.count < maxStates else { return nil }
                    index.insert(StateIndex.key((na, nb)), id: Int32(pairs.count))
                    pairs.append((na, nb))
                    transitions.append(Int32(pairs.count - 1))
                }
            }
            i += 1
        }
        return NumeralAutomaton(transitions: transitions, accepting: accepts).trimmed()
    }

    /// The target of `state` on `symbol`, or -1.
    private func successor(_ state: Int32, _ symbol: Int) -> Int32 {
        transitions[Int(state) * NumeralAutomaton.symbolCount + symbol]
    }

    /// Without states that cannot reach acceptance or be reached (renumbered in the order of
    /// the original; the start stays 0, or none remain).
    func trimmed() -> NumeralAutomaton {
        let n = stateCount, width = NumeralAutomaton.symbolCount
        guard n > 0 else { return self }
        // Reachable from the start.
        var reachable = [Bool](repeating: false, count: n)
        reachable[0] = true
        var stack: [Int32] = [0]
        while let s = stack.popLast() {
            for symbol in 0..<width {
                let t = successor(s, symbol)
                if t >= 0, !reachable[Int(t)] { reachable[Int(t)] = true; stack.append(t) }
            }
        }
        // Co-reachable, over predecessor lists in flat form: those of `t` are
        // `predecessors[predecessorStart[t]..<predecessorStart[t + 1]]`.
        var predecessorStart = [Int32](repeating: 0, count: n + 1)
        for s in 0..<n where reachable[s] {
            for symbol in 0..<width {
                let t = successor(Int32(s), symbol)
                if t >= 0 { predecessorStart[Int(t) + 1] += 1 }
            }
        }
        for t in 0..<n { predecessorStart[t + 1] += predecessorStart[t] }
        var fill = predecessorStart
        var predecessors = [Int32](repeating: 0, count: Int(predecessorStart[n]))
        for s in 0..<n where reachable[s] {
            for symbol in 0..<width {
                let t = Int(successor(Int32(s), symbol))
                if t >= 0 { predecessors[Int(fill[t])] = Int32(s); fill[t] += 1 }
            }
        }
        var live = [Bool](repeating: false, count: n)
        for s in 0..<n where reachable[s] && accepting[s] { live[s] = true; stack.append(Int32(s)) }
        while let s = stack.popLast() {
            for p in predecessors[Int(predecessorStart[Int(s)])..<Int(predecessorStart[Int(s) + 1])] where !live[Int(p)] {
                live[Int(p)] = true
                stack.append(p)
            }
        }
        guard live[0] else { return NumeralAutomaton(transitions: [], accepting: []) }
        if !live.contains(false) { return self }
        var renumber = [Int32](repeating: -1, count: n)
        var count: Int32 = 0
        for s in 0..<n where live[s] { renumber[s] = count; count += 1 }
        var newTransitions: [Int32] = []
        newTransitions.reserveCapacity(Int(count) * width)
        var newAccepting: [Bool] = []
        newAccepting.reserveCapacity(Int(count))
        for s in 0..<n where live[s] {
            for symbol in 0..<width {
                let t = successor(Int32(s), symbol)
                newTransitions.append(t >= 0 ? renumber[Int(t)] : -1)
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

    /// The minimal equivalent automaton (Moore's partition refinement), start state 0. A
    /// state's signature — its block and its successors' blocks, 1 + 15 numbers — is one
    /// `SIMD16` value, found in an open-addressing table of states: a round hashes no arrays.
    func minimized() -> NumeralAutomaton {
        let n = stateCount, width = NumeralAutomaton.symbolCount
        guard n > 1 else { return self }
        // Blocks: accepting or not; refined by the blocks of the successors (-1 for dead).
        var blockOf = accepting.map { Int32($0 ? 1 : 0) }
        var blockCount = Set(blockOf).count
        var next = [Int32](repeating: 0, count: n)
        var signatures = [SIMD16<Int32>](repeating: .zero, count: n)
        // Slots hold a state with a signature seen this round, and its block (-1: empty).
        var slotCount = 16
        while slotCount < 2 * n { slotCount <<= 1 }
        var slotState = [Int32](repeating: -1, count: slotCount)
        let mixers = SIMD16<Int32>((0..<16).map { Int32(truncatingIfNeeded: 0x9E37_79B1 &* ($0 * 2 + 1)) })
        while true {
            for i in 0..<slotCount { slotState[i] = -1 }
            var count: Int32 = 0
            for state in 0..<n {
                var signature = SIMD16<Int32>(repeating: -1)
                signature[0] = blockOf[state]
                for symbol in 0..<width {
                    let target = successor(Int32(state), symbol)
                    if target >= 0 { signature[symbol + 1] = blockOf[Int(target)] }
                }
                signatures[state] = signature
                let mixed = (signature &* mixers).wrappedSum()
                var slot = Int(UInt32(bitPattern: mixed &* -0x61C8_8647) >> 7) & (slotCount - 1)
                while true {
                    let other = slotState[slot]
                    if other < 0 {
                        slotState[slot] = Int32(state)
                        next[state] = count
                        count += 1
                        break
                    }
                    if signatures[Int(other)] == signature {
                        next[state] = next[Int(other)]
                        break
                    }
                    slot = (slot + 1) & (slotCount - 1)
                }
            }
            swap(&blockOf, &next)
            if Int(count) == blockCount { break }
            blockCount = Int(count)
        }
        // Blocks are numbered in order of first member, so the start's block is 0.
        var representative = [Int32](repeating: -1, count: blockCount)
        for state in 0..<n where representative[Int(blockOf[state])] < 0 { representative[Int(blockOf[state])] = Int32(state) }
        var newTransitions: [Int32] = []
        newTransitions.reserveCapacity(blockCount * width)
        var newAccepting: [Bool] = []
        newAccepting.reserveCapacity(blockCount)
        for state in representative {
            for symbol in 0..<width {
                let target = successor(state, symbol)
                newTransitions.append(target >= 0 ? blockOf[Int(target)] : -1)
            }
            newAccepting.append(accepting[Int(state)])
        }
        return NumeralAutomaton(transitions: newTransitions, accepting: newAccepting)
    }
}

/// The ids of states known by a 64-bit key (a pair of states in a product, -1 for a dead side;
/// a packed `BoundedNumerals.State`): open addressing over flat arrays, doubling at half load.
struct StateIndex {
    private var keys = [UInt64](repeating: 0, count: 64)
    /// The id of the key in each slot, -1 for an empty slot.
    private var ids = [Int32](repeating: -1, count: 64)
    private var count = 0

    /// The key of a pair of states.
    static func key(_ pair: (Int32, Int32)) -> UInt64 {
        UInt64(UInt32(bitPattern: pair.0 &+ 1)) << 32 | UInt64(UInt32(bitPattern: pair.1 &+ 1))
    }

    private func slot(of key: UInt64) -> Int {
        let mask = ids.count - 1
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while ids[slot] >= 0 && keys[slot] != key { slot = (slot + 1) & mask }
        return slot
    }

    /// The id of `key`, if inserted.
    func id(of key: UInt64) -> Int32? {
        let id = ids[slot(of: key)]
        return id >= 0 ? id : nil
    }

    /// Records `key` (not yet inserted) with `id`.
    mutating func insert(_ key: UInt64, id: Int32) {
        if 2 * (count + 1) > ids.count {
            let (oldKeys, oldIDs) = (keys, ids)
            keys = [UInt64](repeating: 0, count: 2 * oldIDs.count)
            ids = [Int32](repeating: -1, count: 2 * oldIDs.count)
            for i in 0..<oldIDs.count where oldIDs[i] >= 0 {
                let s = slot(of: oldKeys[i])
                keys[s] = oldKeys[i]
                ids[s] = oldIDs[i]
            }
        }
        let s = slot(of: key)
        keys[s] = key
        ids[s] = id
        count += 1
    }
}
