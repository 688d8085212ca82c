import Grammar

/// The counted regions of a `ByteNFA` (see `LengthCounter`) and the guards of their states.
///
/// A counted region reads the strings of a regular language `L` whose length in units lies in
/// `[min, max]` without unrolling the bound: its states are those of the automaton of `L ∩ unit*`
/// (times the automaton of `unit*`, which tells where each unit starts), and the matcher keeps
/// *c*, the number of units started since the region was entered, beside its configuration.
/// Each state *q* of the region carries a guard `lower ≤ c ≤ upper`: *q* still has a completion
/// within the bound exactly when its guard holds. The region's exit state (reading the first
/// byte after the region, e.g. the closing quote) carries `min ≤ c ≤ max`. A step drops the
/// stacks whose guard fails (`ConfigurationSpace.step(_:count:_:)`), so counted configurations
/// stay free of dead ends, like all others.
///
/// The guard of a state *q* with completions of lengths `Comp(q)` (in units) is exact in these
/// cases, which are the only ones the automaton compiler counts:
/// * `L = unit*` (a plain string): `Comp(q)` is every length from `s(q)`, the shortest
///   completion, on, so the guard is `c ≤ max − s(q)`; the exit checks `min`;
/// * a finite `max`: `L` is first intersected with `unit{min,}` (`min` unrolled), so any
///   completion is long enough and the guard is again `c ≤ max − s(q)`;
/// * no `max`: a completion of at least `min − c` units exists when *q* reaches a cycle, or
///   when its longest completion is that long: `c ≥ min − longest(q)`.
struct LengthGuards: Sendable {
    /// One state's guard.
    struct Guard: Sendable, Hashable {
        /// The region the state belongs to.
        var region: Int32
        /// The smallest count at which the state has a completion (`Int.min`: any).
        var lower: Int
        /// The largest count at which the state has a completion (`Int.max`: any).
        var upper: Int
        /// Whether the next byte read from the state starts a unit (the count goes up by one).
        var startsUnit: Bool

        /// Whether the state is alive at count `c`.
        @inline(__always)
        func holds(_ c: Int) -> Bool { lower <= c && c <= upper }
    }

    /// One counted region.
    struct Region: Sendable, Hashable {
        /// The counts at which some guard of the region changes: sorted, distinct (a guard
        /// `[lower, upper]` changes at `lower` and at `upper + 1`).
        var changes: [Int]
        /// The largest `lower` and smallest `upper` over the guards of the states plain text
        /// can reach (see `PlainTextSlices`; the exit state too unless it reads a byte plain text
        /// never holds, like the closing quote): between them, plain text reads as if there
        /// were no counter.
        var plainHoldFrom: Int
        var plainHoldThrough: Int
        /// The fewest units the region reads.
        var minimum: Int
        /// The byte that enters the region (the last byte of the literal before it; every path
        /// into the region reads it just before), or nil when the region follows no literal.
        var entry: UInt8?
        /// The smallest count at which some guard of the region may fail other than the exit's
        /// `min` (`Int.max`: none; 0 when a guard inside the region has a lower bound).
        var failsFrom: Int
        /// The byte the exit state reads when its guard has a lower bound (`min` above 0): a
        /// string closed too early fails there.
        var guardedExit: UInt8?
    }

    /// The guard of each state of a counted region, by NFA state.
    var guards: [Int32: Guard] = [:]
    /// The regions, by index.
    var regions: [Region] = []

    /// Whether the automaton has counted regions.
    var isEmpty: Bool { regions.isEmpty }
}

/// The automaton of a counted region: a DFA of `L ∩ unit*`, which states start a unit, and
/// each state's completion lengths in units. Built once per process for a region's language
/// (`RegularAutomatonCache.countedAutomaton`) and copied into every grammar that counts it.
struct CountedAutomaton: Sendable {
    /// The DFA (trimmed: every state has a completion).
    var dfa: RegularAutomaton
    /// Per state: whether the next byte starts a unit.
    var startsUnit: [Bool]
    /// Per state: the fewest units of a completion.
    var shortest: [Int]
    /// Per state: the most units of a completion, or nil when there is no most (a cycle).
    var longest: [Int?]
    /// Per state: whether every plain-text string keeps it alive (`plainTextUniversalStates`).
    var plainTextUniversal: [Bool]

    /// Bytes held by the automaton and its per-state tables.
    var byteCount: Int { dfa.byteCount + dfa.stateCount * (2 + 2 * MemoryLayout<Int>.stride) }

    /// The product of `content` (whose language lies within `units`, the automaton of `unit*`)
    /// and `units`.
    init(content: RegularAutomaton, units: RegularAutomaton, limits: CompileLimits) throws(GrammarError) {
        var boundaries = [Bool](repeating: false, count: 257)
        for b in 1..<256 where content.classOf[b] != content.classOf[b - 1] || units.classOf[b] != units.classOf[b - 1] {
            boundaries[b] = true
        }
        let (classOf, classCount) = RegularAutomaton.byteClasses(boundaries: boundaries)
        var representative = [UInt8](repeating: 0, count: classCount)
        for byte in stride(from: 255, through: 0, by: -1) { representative[Int(classOf[byte])] = UInt8(byte) }
        var transitions: [Int32] = []
        var accepting: [Bool] = []
        var startsUnit: [Bool] = []
        if content.stateCount > 0, units.stateCount > 0 {
            var index = IntegerMap()
            func key(_ x: Int32, _ y: Int32) -> UInt64 { UInt64(UInt32(bitPattern: x)) << 32 | UInt64(UInt32(bitPattern: y)) }
            var pairs: [(Int32, Int32)] = [(0, 0)]
            index.set(0, for: key(0, 0))
            var i = 0
            while i < pairs.count {
                let (x, y) = pairs[i]
                accepting.append(content.isAccepting(Int(x)))
                startsUnit.append(units.isAccepting(Int(y)))
                for c in 0..<classCount {
                    let byte = representative[c]
                    let nx = content.next(Int(x), byte), ny = units.next(Int(y), byte)
                    guard nx >= 0, ny >= 0 else {
                        transitions.append(-1)
                        continue
                    }
                    if let id = index.value(for: key(nx, ny)) {
                        transitions.append(id)
                    } else {
                        guard pairs.count < limits.maxRegularStates else {
                            throw GrammarError(.limitExceeded, "a counted string needs more than \(limits.maxRegularStates) automaton states")
                        }
                        index.set(Int32(pairs.count), for: key(nx, ny))
                        transitions.append(Int32(pairs.count))
                        pairs.append((nx, ny))
                    }
                }
                i += 1
            }
        }
        let product = RegularAutomaton(classOf: classOf, classCount: classCount, transitions: transitions, accepting: accepting)
        // Trimming keeps state 0 and the order of the others; carry `startsUnit` along.
        let trimmed = product.trimmed()
        if trimmed.stateCount == product.stateCount {
            self.startsUnit = startsUnit
        } else {
            let live = CountedAutomaton.coReachable(product)
            self.startsUnit = zip(startsUnit, live).filter(\.1).map(\.0)
        }
        dfa = trimmed
        (shortest, longest) = CountedAutomaton.completionLengths(dfa, startsUnit: self.startsUnit)
        plainTextUniversal = trimmed.plainTextUniversalStates()
    }

    /// Whether every state has completions of every length in units from its shortest
    /// through `limit` — then a guard `c ≤ max − shortest` is exact under a `min` too, with
    /// `min ≤ max ≤ limit`: any count it admits has a completion ending within both bounds.
    /// False when finding out would take more than `maxWork` edge visits.
    ///
    /// The states with a completion of exactly `L` units, level by level: the accepting states
    /// for 0, then the states one unit before level `L − 1`, each level closed under the
    /// bytes inside a unit (which weigh nothing). A level equal to the one before repeats
    /// forever, which ends the walk early.
    func completesAtEveryLength(through limit: Int, maxWork: Int = 50_000_000) -> Bool {
        let n = dfa.stateCount
        guard n > 0 else { return true }
        // Predecessors in compressed rows (a predecessor listed once per target).
        var predecessorStart = [Int](repeating: 0, count: n + 1)
        var pairs: [(source: Int32, target: Int32)] = []
        for s in 0..<n {
            var seen = Set<Int32>()
            for c in 0..<dfa.classCount {
                let t = dfa.transitions[s * dfa.classCount + c]
                if t >= 0, seen.insert(t).inserted {
                    pairs.append((Int32(s), t))
                    predecessorStart[Int(t) + 1] += 1
                }
            }
        }
        for t in 0..<n { predecessorStart[t + 1] += predecessorStart[t] }
        var fill = predecessorStart
        var predecessors = [Int32](repeating: 0, count: pairs.count)
        for (source, target) in pairs {
            predecessors[fill[Int(target)]] = source
            fill[Int(target)] += 1
        }
        /// Adds the states reaching `level` through bytes inside a unit.
        func closeWithinUnits(_ level: inout [Bool], from seeds: [Int32]) {
            var stack = seeds
            while let t = stack.popLast() {
                for i in predecessorStart[Int(t)]..<predecessorStart[Int(t) + 1] {
                    let p = Int(predecessors[i])
                    if !startsUnit[p], !level[p] {
                        level[p] = true
                        stack.append(Int32(p))
                    }
                }
            }
        }
        var level = dfa.accepting
        closeWithinUnits(&level, from: (0..<n).filter { dfa.accepting[$0] }.map { Int32($0) })
        var work = 0
        for length in 0...Swift.max(limit, 0) {
            if length > 0 {
                var next = [Bool](repeating: false, count: n)
                var seeds: [Int32] = []
                for t in 0..<n where level[t] {
                    for i in predecessorStart[t]..<predecessorStart[t + 1] {
                        let p = Int(predecessors[i])
                        if startsUnit[p], !next[p] {
                            next[p] = true
                            seeds.append(Int32(p))
                        }
                    }
                }
                closeWithinUnits(&next, from: seeds)
                if next == level { return true }
                level = next
                work += predecessors.count
                if work > maxWork { return false }
            }
            for q in 0..<n where shortest[q] <= length && !level[q] { return false }
        }
        return true
    }

    /// Which states of `dfa` reach an accepting state.
    private static func coReachable(_ dfa: RegularAutomaton) -> [Bool] {
        var live = dfa.accepting
        var changed = true
        while changed {
            changed = false
            for s in 0..<dfa.stateCount where !live[s] {
                for c in 0..<dfa.classCount {
                    let t = dfa.transitions[s * dfa.classCount + c]
                    if t >= 0, live[Int(t)] { live[s] = true; changed = true; break }
                }
            }
        }
        return live
    }

    /// The fewest and most units of a completion from each state (edges from a state that
    /// starts a unit weigh 1, the others 0).
    private static func completionLengths(_ dfa: RegularAutomaton, startsUnit: [Bool]) -> ([Int], [Int?]) {
        let n = dfa.stateCount
        var successors: [[Int32]] = Array(repeating: [], count: n)
        var predecessors: [[Int32]] = Array(repeating: [], count: n)
        for s in 0..<n {
            var seen = Set<Int32>()
            for c in 0..<dfa.classCount {
                let t = dfa.transitions[s * dfa.classCount + c]
                if t >= 0, seen.insert(t).inserted {
                    successors[s].append(t)
                    predecessors[Int(t)].append(Int32(s))
                }
            }
        }
        // Shortest: 0-1 breadth-first search backwards from the accepting states.
        var shortest = [Int](repeating: .max, count: n)
        var deque: [Int32] = []
        var head = 0
        var front: [Int32] = []
        for s in 0..<n where dfa.accepting[s] {
            shortest[s] = 0
            deque.append(Int32(s))
        }
        while head < deque.count || !front.isEmpty {
            let s = front.popLast() ?? { defer { head += 1 }; return deque[head] }()
            for p in predecessors[Int(s)] {
                let w = startsUnit[Int(p)] ? 1 : 0
                let d = shortest[Int(s)] + w
                if d < shortest[Int(p)] {
                    shortest[Int(p)] = d
                    if w == 0 { front.append(p) } else { deque.append(p) }
                }
            }
        }
        // Longest: nil for states that reach a cycle; otherwise a longest path in the acyclic
        // rest, by depth-first post-order.
        var longest = [Int?](repeating: nil, count: n)
        var state = [UInt8](repeating: 0, count: n)  // 0 new, 1 on the path, 2 done
        var cyclic = [Bool](repeating: false, count: n)
        for root in 0..<n where state[root] == 0 {
            var stack: [(Int32, Int)] = [(Int32(root), 0)]
            state[root] = 1
            while let (s, next) = stack.last {
                if next < successors[Int(s)].count {
                    stack[stack.count - 1].1 += 1
                    let t = successors[Int(s)][next]
                    if state[Int(t)] == 0 {
                        state[Int(t)] = 1
                        stack.append((t, 0))
                    } else if state[Int(t)] == 1 {
                        cyclic[Int(s)] = true
                    }
                    continue
                }
                stack.removeLast()
                state[Int(s)] = 2
                let w = startsUnit[Int(s)] ? 1 : 0
                var best: Int? = dfa.accepting[Int(s)] ? 0 : nil
                for t in successors[Int(s)] {
                    if cyclic[Int(t)] { cyclic[Int(s)] = true }
                    if let l = longest[Int(t)] { best = max(best ?? 0, l + w) }
                }
                longest[Int(s)] = cyclic[Int(s)] ? nil : best
            }
        }
        return (shortest, longest)
    }
}

extension NFABuilder {
    /// The parts of a counted repetition: `e` is `unit{min,max}` or an intersection with one
    /// such operand, with bounds the grammar's `LengthCounter` counts.
    func countedParts(of e: Expression) -> (others: [Expression], min: Int, max: Int?)? {
        guard let counter = grammar.lengthCounter else { return nil }
        func counted(_ e: Expression, intersected: Bool) -> (min: Int, max: Int?)? {
            guard case .repetition(.ruleReference(let name), let min, let max) = e, name == counter.unitRule,
                  counter.counts(min: min, max: max, intersected: intersected), min <= max ?? min else { return nil }
            return (min, max)
        }
        if let bounds = counted(e, intersected: false) { return ([], bounds.min, bounds.max) }
        guard case .intersection(let parts) = e,
              let index = parts.firstIndex(where: { counted($0, intersected: true) != nil }),
              let bounds = counted(parts[index], intersected: true) else { return nil }
        var others = parts
        others.remove(at: index)
        return (others, bounds.min, bounds.max)
    }

    /// Adds a counted region between `from` and `to`: `others ∩ unit{min,max}` followed by the
    /// literal `after` (non-empty), which its exit state reads.
    /// `entry`: the byte of the edge that is the only way into `from` (the last byte of a literal
    /// before the region), or nil.
    mutating func buildCounted(_ others: [Expression], min: Int, max: Int?, after: [UInt8], entry: UInt8?, from: Int32,
                               to: Int32) throws(GrammarError) {
        let unit = Expression.ruleReference(grammar.lengthCounter!.unitRule)
        /// The region of `others ∩ unit{minimum,}`: from this build's cache, else from the
        /// process-wide one under the content with the grammar's rules inlined (rule names are
        /// local to a grammar; their bodies are not), so a region is built once per process.
        func countedRegion(unrolling minimum: Int) throws(GrammarError) -> CountedAutomaton {
            let content = ExpressionKey(.intersection(others + [.repetition(unit, min: minimum, max: nil)]))
            if let known = countedCache[content] { return known }
            let unitBody = try RegularAutomaton.inline(unit, grammar: grammar, visiting: [])
            let inlinedOthers = try others.map { (e: Expression) throws(GrammarError) in
                try RegularAutomaton.inline(e, grammar: grammar, visiting: [])
            }
            let region = try RegularAutomatonCache.shared.countedAutomaton(
                for: .intersection(inlinedOthers + [.repetition(unitBody, min: minimum, max: nil)]),
                units: .repetition(unitBody, min: 0, max: nil), limits: limits)
            countedCache[content] = region
            return region
        }
        // The part the automaton enforces: the counter checks `min`, unless a pattern or format
        // under a `max` has states with completions of some lengths but not of all longer ones
        // (then a completion short enough may be too short): there `min` is unrolled.
        var region = try countedRegion(unrolling: 0)
        var unrolledMin = 0
        if !others.isEmpty, let max, min > 0, !region.completesAtEveryLength(through: max) {
            unrolledMin = min
            region = try countedRegion(unrolling: min)
        }
        let n = region.dfa.stateCount
        var guards: [LengthGuards.Guard] = []
        let regionIndex = Int32(counters.regions.count)
        for q in 0..<n {
            var lower = Int.min, upper = Int.max
            if let max {
                upper = max - region.shortest[q]
            } else if let longest = region.longest[q] {
                lower = min - longest
            }
            guards.append(.init(region: regionIndex, lower: lower, upper: upper, startsUnit: region.startsUnit[q]))
        }
        let exit = LengthGuards.Guard(region: regionIndex, lower: unrolledMin > 0 ? Int.min : min, upper: max ?? Int.max, startsUnit: false)
        // An empty language (or one whose entry is already out of bounds) adds no path.
        guard n > 0, guards[0].holds(0) else { return }
        var changes = Set<Int>()
        var plainHoldFrom = Int.min, plainHoldThrough = Int.max
        let exitReadsPlainText = PlainText.next(0, after[0]) >= 0 || (0x80...0xBF).contains(after[0])
        for g in guards + (exitReadsPlainText ? [exit] : []) {
            plainHoldFrom = Swift.max(plainHoldFrom, g.lower)
            plainHoldThrough = Swift.min(plainHoldThrough, g.upper)
        }
        for g in guards + [exit] {
            if g.lower != Int.min { changes.insert(g.lower) }
            if g.upper != Int.max { changes.insert(g.upper + 1) }
        }
        var failsFrom = Int.max
        for g in guards + [exit] {
            if g.upper != Int.max { failsFrom = Swift.min(failsFrom, Swift.max(g.upper + 1, 0)) }
        }
        if guards.contains(where: { $0.lower > 0 }) { failsFrom = 0 }
        counters.regions.append(.init(changes: changes.sorted(), plainHoldFrom: plainHoldFrom, plainHoldThrough: plainHoldThrough,
                                      minimum: min, entry: entry, failsFrom: failsFrom, guardedExit: exit.lower > 0 ? after[0] : nil))
        var mapped: [Int32] = []
        mapped.reserveCapacity(n)
        for q in 0..<n {
            let state = try newState()
            mapped.append(state)
            counters.guards[state] = guards[q]
        }
        for (q, universal) in region.plainTextUniversal.enumerated() where universal {
            acceptsAllPlainText[Int(mapped[q])] = true
        }
        let exitState = try newState()
        counters.guards[exitState] = exit
        epsilon(from, mapped[0])
        let runs = region.dfa.classRuns()
        var edges: [ByteNFA.ByteEdge] = []
        for q in 0..<n {
            edges.removeAll(keepingCapacity: true)
            region.dfa.appendEdges(of: q, runs: runs, to: &edges)
            for edge in edges {
                byteEdge(mapped[q], edge.low, edge.high, mapped[Int(edge.target)])
            }
            if region.dfa.isAccepting(q) { epsilon(mapped[q], exitState) }
        }
        try build(.literal(after), from: exitState, to: to)
    }
}
