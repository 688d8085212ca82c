import Grammar

/// Builds a `ByteNFA` from a `Grammar` (Thompson construction with rule calls).
///
/// Character classes become UTF-8 byte-range paths. `intersection` and `difference` operands
/// are compiled on their own (rule references inlined), determinized, combined as DFAs and
/// spliced in. Shared rules (`Grammar.Rule.isShared`) come first, copied from a
/// `SharedRulePrefix` built once per process. Repetitions are expanded, within
/// `CompileLimits.maxNFAStates`, except those the grammar's `LengthCounter` counts (see
/// `LengthGuards`).
struct NFABuilder {
    /// Per state, its rule (the shared prefix's states first).
    var stateRules: [Int32] = []
    /// Per state, whether it accepts every plain-text string (`ByteNFA.acceptsAllPlainText`).
    var acceptsAllPlainText: [Bool] = []
    /// The edges added so far, each with its state, in the order they were added: grouped
    /// into per-state lists, in that order, when the build is done (`finishedLists`). A state's
    /// lists are never read while building (a fragment copy reads the log).
    var byteLog: [(state: Int32, edge: ByteNFA.ByteEdge)] = []
    var epsilonLog: [(state: Int32, edge: Int32)] = []
    var callLog: [(state: Int32, edge: ByteNFA.CallEdge)] = []
    /// The shared prefix the states start with, if any.
    var prefix: SharedRulePrefix?
    /// The automaton's rule of each grammar rule, by the grammar rule's index (references are
    /// resolved through `Grammar.index(of:)`).
    var automatonRules: [Int32] = []
    var limits: CompileLimits
    var currentRule: Int32 = 0
    let grammar: Grammar
    /// Determinized regular parts that refer to rules, by expression: one used in many places
    /// is determinized once per build. (Those that refer to no rule are looked up in
    /// `RegularAutomatonCache` alone: keeping them here too hashed each expression three
    /// more times, to insert it and to grow the table, for a second use that seldom comes.)
    var regularCache: [ExpressionKey: SplicedAutomaton] = [:]
    /// The counted regions built so far.
    var counters = LengthGuards()
    /// The lazily built automata so far.
    var lazyRegions: [LazyRegion] = []
    /// The spliced copies of trim automata so far (`ByteNFA.trimBlocks`).
    var trimBlocks: [TrimBlock] = []
    /// Automata spliced outside any `buildFragment` (their states' byte lists are theirs alone):
    /// `finishedLists` places their edges without the log. Inside a fragment they are logged,
    /// since a repetition's copies are made from the log.
    var directSplices: [(first: Int32, edgeStart: [Int32], edges: [ByteNFA.ByteEdge])] = []
    /// How many `buildFragment` calls are under way.
    var fragmentDepth = 0
    /// The automata of counted regions, by content expression (a bound used in many places is
    /// built once).
    var countedCache: [ExpressionKey: CountedAutomaton] = [:]

    init(grammar: Grammar, limits: CompileLimits) {
        self.grammar = grammar
        self.limits = limits
    }

    static func build(_ grammar: Grammar, limits: CompileLimits) throws(GrammarError) -> ByteNFA {
        var builder = NFABuilder(grammar: grammar, limits: limits)
        return try builder.run()
    }

    mutating func run() throws(GrammarError) -> ByteNFA {
        guard grammar.rule(named: grammar.root) != nil else {
            throw GrammarError(.invalidGrammar, "the root rule '\(grammar.root)' is not defined")
        }
        // Shared rules first, from the process-wide prefix; then the others, in grammar order.
        var rules: [(name: String, start: Int32, final: Int32)] = []
        automatonRules = Array(repeating: -1, count: grammar.rules.count)
        var sharedStateCount = 0
        let shared = grammar.rules.indices.filter { grammar.rules[$0].isShared }
        if !shared.isEmpty {
            let prefix = SharedRulePrefix.prefix(for: shared.map { grammar.rules[$0].body }, limits: limits)
            try checkRoom(for: prefix.stateCount)
            stateRules = prefix.stateRules
            acceptsAllPlainText = prefix.acceptsAllPlainText
            sharedStateCount = prefix.stateCount
            self.prefix = prefix
            for rule in prefix.rules {
                automatonRules[shared[rule.body]] = Int32(rules.count)
                rules.append((grammar.rules[shared[rule.body]].name, rule.start, rule.final))
            }
        }
        let ordinary = grammar.rules.indices.filter { automatonRules[$0] < 0 }
        for (i, index) in ordinary.enumerated() { automatonRules[index] = Int32(rules.count + i) }
        for index in ordinary {
            let rule = grammar.rules[index]
            currentRule = Int32(rules.count)
            let start = try newState()
            let final = try newState()
            try build(rule.body, from: start, to: final)
            rules.append((rule.name, start, final))
        }
        let root = automatonRules[grammar.index(of: grammar.root)!]
        let lists = finishedLists()
        return ByteNFA(stateRules: stateRules, acceptsAllPlainText: acceptsAllPlainText, byteEdges: lists.byte,
                       epsilonEdges: lists.epsilon, callEdges: lists.call, rules: rules, root: root,
                       sharedStateCount: sharedStateCount, sharedPrefix: prefix, counters: counters, lazyRegions: lazyRegions,
                       trimBlocks: trimBlocks)
    }

    /// The states' edge lists: the prefix's, then those of the log.
    func finishedLists() -> (byte: EdgeLists<ByteNFA.ByteEdge>, epsilon: EdgeLists<Int32>, call: EdgeLists<ByteNFA.CallEdge>) {
        let n = stateRules.count
        return (EdgeLists(prefix?.byteEdges ?? EdgeLists(), appending: byteLog, blocks: directSplices,
                          renumbered: { e, first in .init(low: e.low, high: e.high, target: first + e.target) }, stateCount: n),
                EdgeLists(prefix?.epsilonEdges ?? EdgeLists(), appending: epsilonLog, stateCount: n),
                EdgeLists(prefix?.callEdges ?? EdgeLists(), appending: callLog, stateCount: n))
    }

    mutating func newState() throws(GrammarError) -> Int32 {
        try checkRoom(for: 1)
        stateRules.append(currentRule)
        acceptsAllPlainText.append(false)
        return Int32(stateRules.count - 1)
    }

    /// Throws `limitExceeded` unless `count` more states fit within `CompileLimits.maxNFAStates`.
    func checkRoom(for count: Int) throws(GrammarError) {
        guard stateRules.count + count <= limits.maxNFAStates else {
            throw GrammarError(.limitExceeded, "the grammar needs more than \(limits.maxNFAStates) automaton states (huge repetition counts or schema)")
        }
    }

    mutating func epsilon(_ from: Int32, _ to: Int32) {
        epsilonLog.append((from, to))
    }

    mutating func byteEdge(_ from: Int32, _ low: UInt8, _ high: UInt8, _ to: Int32) {
        byteLog.append((from, .init(low: low, high: high, target: to)))
    }

    /// Adds a path from `from` to `to` matching `e`.
    mutating func build(_ e: Expression, from: Int32, to: Int32) throws(GrammarError) {
        switch e {
        case .empty:
            epsilon(from, to)
        case .nothing:
            break
        case .literal(let bytes):
            var current = from
            for (i, b) in bytes.enumerated() {
                let next = i == bytes.count - 1 ? to : try newState()
                byteEdge(current, b, b, next)
                current = next
            }
            if bytes.isEmpty { epsilon(from, to) }
        case .byteClass(let ranges):
            for r in ranges { byteEdge(from, r.lowerBound, r.upperBound, to) }
        case .characterClass(let set):
            try buildUTF8(set, from: from, to: to)
        case .ruleReference(let name):
            guard let callee = grammar.index(of: name).map({ automatonRules[$0] }) else {
                throw GrammarError(.invalidGrammar, "rule '\(name)' is referenced but not defined")
            }
            callLog.append((from, .init(rule: callee, returnTarget: to)))
        case .sequence(let parts):
            if parts.isEmpty { epsilon(from, to); return }
            var current = from
            var i = 0
            while i < parts.count {
                // A counted repetition reads the literal after it too (its exit; see `LengthGuards`).
                if i + 1 < parts.count, case .literal(let after) = parts[i + 1], !after.isEmpty,
                   let counted = countedParts(of: parts[i]) {
                    let next = i + 1 == parts.count - 1 ? to : try newState()
                    // After a literal (built just before, into the new state `current`), the
                    // literal's last byte is the only way into the region.
                    var entry: UInt8?
                    if i > 0, case .literal(let before) = parts[i - 1], let last = before.last { entry = last }
                    try buildCounted(counted.others, min: counted.min, max: counted.max, after: after, entry: entry,
                                     from: current, to: next)
                    current = next
                    i += 2
                    continue
                }
                let next = i == parts.count - 1 ? to : try newState()
                try build(parts[i], from: current, to: next)
                current = next
                i += 1
            }
        case .choice(let parts):
            try buildChoice(parts, from: from, to: to)
        case .repetition(let inner, let min, let max):
            try buildRepetition(inner, min: min, max: max, from: from, to: to)
        case .lazyAutomaton(let automaton):
            // Its states are built when the output reaches them (`ConfigurationSpace`).
            let entry = try newState()
            lazyRegions.append(LazyRegion(automaton: automaton, entry: entry, exit: to))
            epsilon(from, entry)
        case .intersection, .difference, .automaton:
            let dfa: SplicedAutomaton
            if !e.refersToRules {
                dfa = try RegularAutomatonCache.shared.splicedAutomaton(for: e, limits: limits)
            } else {
                // Rule names are local to a grammar: cache only within this build.
                let key = ExpressionKey(e)
                if let cached = regularCache[key] {
                    dfa = cached
                } else {
                    dfa = SplicedAutomaton(try RegularAutomaton.compile(e, grammar: grammar, limits: limits))
                    regularCache[key] = dfa
                }
            }
            try splice(dfa, from: from, to: to)
        }
    }

    /// Adds the alternatives `parts` between `from` and `to`. Alternatives that start with the
    /// same literal byte share the edge reading it (b·x | b·y = b·(x | y), applied again to the
    /// remainders), so a choice of literals — enums, keys, numerals, the clock times of a
    /// `date-time` — becomes a prefix tree: after a shared prefix the automaton is in one state
    /// rather than one per alternative, which keeps configurations small and shared.
    mutating func buildChoice(_ parts: [Expression], from: Int32, to: Int32) throws(GrammarError) {
        let leading = parts.map(NFABuilder.leadingByte(of:))
        // How many alternatives start with each byte (only needed when two might share one).
        var starting: [Int32] = []
        if leading.lazy.compactMap({ $0 }).count > 1 {
            starting = [Int32](repeating: 0, count: 256)
            for case let byte? in leading { starting[Int(byte)] += 1 }
        }
        var groups: [(byte: UInt8, remainders: [Expression])] = []
        for (index, part) in parts.enumerated() {
            if let byte = leading[index], !starting.isEmpty, starting[Int(byte)] > 1 {
                if let g = groups.firstIndex(where: { $0.byte == byte }) {
                    groups[g].remainders.append(NFABuilder.remainder(afterLeadingByteOf: part))
                } else {
                    groups.append((byte, [NFABuilder.remainder(afterLeadingByteOf: part)]))
                }
                continue
            }
            // A fresh entry state keeps alternatives from sharing loops.
            let entry = try newState()
            epsilon(from, entry)
            try build(part, from: entry, to: to)
        }
        for group in groups {
            let entry = try newState()
            epsilon(from, entry)
            let next = try newState()
            byteEdge(entry, group.byte, group.byte, next)
            try buildChoice(group.remainders, from: next, to: to)
        }
    }

    /// The first byte of `e`, when `e` starts with a literal byte.
    static func leadingByte(of e: Expression) -> UInt8? {
        switch e {
        case .literal(let bytes): return bytes.first
        case .sequence(let parts):
            guard case .literal(let bytes)? = parts.first else { return nil }
            return bytes.first
        default: return nil
        }
    }

    /// `e` without its leading literal byte (`e` must have one).
    static func remainder(afterLeadingByteOf e: Expression) -> Expression {
        switch e {
        case .literal(let bytes):
            return bytes.count == 1 ? .empty : .literal(Array(bytes.dropFirst()))
        case .sequence(let parts):
            guard case .literal(let bytes)? = parts.first else { return e }
            let rest = bytes.count == 1 ? Array(parts.dropFirst()) : [.literal(Array(bytes.dropFirst()))] + parts.dropFirst()
            return rest.isEmpty ? .empty : rest.count == 1 ? rest[0] : .sequence(rest)
        default:
            return e
        }
    }

    mutating func buildRepetition(_ inner: Expression, min: Int, max: Int?, from: Int32, to: Int32) throws(GrammarError) {
        if let max, max < min { return }
        guard min <= limits.maxNFAStates, (max ?? 0) <= limits.maxNFAStates else {
            throw GrammarError(.limitExceeded, "repetition count \(max ?? min) is too large")
        }
        var current = from
        // The first copy is built from the expression, the others copied from it (unless it
        // holds counted or lazily built regions: then each is built).
        var template: Fragment?
        func buildCopy(from: Int32, to: Int32) throws(GrammarError) {
            if let template {
                try copy(template, from: from, to: to)
            } else {
                template = try buildFragment(inner, from: from, to: to)
            }
        }
        for _ in 0..<min {
            let next = try newState()
            try buildCopy(from: current, to: next)
            current = next
        }
        if let max {
            // (e (e (e)?)?)? — each optional copy may stop early.
            for _ in min..<max {
                epsilon(current, to)
                let next = try newState()
                try buildCopy(from: current, to: next)
                current = next
            }
            epsilon(current, to)
        } else {
            // e*: a loop through a fresh hub state.
            let hub = try newState()
            epsilon(current, hub)
            let back = try newState()
            try build(inner, from: hub, to: back)
            epsilon(back, hub)
            epsilon(hub, to)
        }
    }

    /// The states and edges one `build` added between two existing states, to be copied
    /// between others: the copies of a bounded repetition.
    struct Fragment {
        /// The states the build created: `first..<end`.
        var first: Int32
        var end: Int32
        /// The states it was built between.
        var from: Int32
        var to: Int32
        /// The edges it added (of its states and of `from`): these ranges of the logs.
        var bytes: Range<Int>
        var epsilons: Range<Int>
        var calls: Range<Int>
    }

    /// Builds `e` from `from` to `to` like `build`, returning the fragment to copy, or nil when
    /// the build registered counted or lazily built regions (side tables a copy would miss).
    mutating func buildFragment(_ e: Expression, from: Int32, to: Int32) throws(GrammarError) -> Fragment? {
        let first = Int32(stateRules.count)
        let logCounts = (byteLog.count, epsilonLog.count, callLog.count)
        let regionCounts = (counters.regions.count, lazyRegions.count)
        fragmentDepth += 1
        defer { fragmentDepth -= 1 }
        try build(e, from: from, to: to)
        guard regionCounts == (counters.regions.count, lazyRegions.count) else { return nil }
        return Fragment(first: first, end: Int32(stateRules.count), from: from, to: to, bytes: logCounts.0..<byteLog.count,
                        epsilons: logCounts.1..<epsilonLog.count, calls: logCounts.2..<callLog.count)
    }

    /// Adds a copy of `fragment` between `from` and `to`: the same states and edges as
    /// building its expression there (each state's edges in the same order).
    mutating func copy(_ fragment: Fragment, from: Int32, to: Int32) throws(GrammarError) {
        let count = Int(fragment.end - fragment.first)
        try checkRoom(for: count)
        let offset = Int32(stateRules.count) - fragment.first
        func mapped(_ target: Int32) -> Int32 {
            if target >= fragment.first && target < fragment.end { return target + offset }
            if target == fragment.to { return to }
            if target == fragment.from { return from }
            return target
        }
        // The state of the copy an edge of `state` belongs to (-1: none; the build adds edges
        // only to its own states and to `from`).
        func copied(_ state: Int32) -> Int32 {
            if state >= fragment.first && state < fragment.end { return state + offset }
            return state == fragment.from ? from : -1
        }
        for s in Int(fragment.first)..<Int(fragment.end) {
            stateRules.append(currentRule)
            acceptsAllPlainText.append(acceptsAllPlainText[s])
        }
        for i in fragment.bytes {
            let (state, e) = byteLog[i]
            let c = copied(state)
            if c >= 0 { byteLog.append((c, .init(low: e.low, high: e.high, target: mapped(e.target)))) }
        }
        for i in fragment.epsilons {
            let (state, t) = epsilonLog[i]
            let c = copied(state)
            if c >= 0 { epsilonLog.append((c, mapped(t))) }
        }
        for i in fragment.calls {
            let (state, e) = callLog[i]
            let c = copied(state)
            if c >= 0 { callLog.append((c, .init(rule: e.rule, returnTarget: mapped(e.returnTarget)))) }
        }
    }

    /// Adds byte paths for the UTF-8 encodings of every scalar in `set`.
    mutating func buildUTF8(_ set: ScalarSet, from: Int32, to: Int32) throws(GrammarError) {
        for seq in UTF8Ranges.sequences(for: set) {
            var current = from
            for (i, r) in seq.enumerated() {
                let next = i == seq.count - 1 ? to : try newState()
                byteEdge(current, r.lowerBound, r.upperBound, next)
                current = next
            }
        }
    }

    /// Copies a DFA into the NFA between `from` and `to`.
    mutating func splice(_ automaton: SplicedAutomaton, from: Int32, to: Int32) throws(GrammarError) {
        let count = automaton.stateCount
        guard count > 0 else { return }
        // The automaton's states become consecutive NFA states from `base`.
        let base = Int32(stateRules.count)
        try checkRoom(for: count)
        stateRules.append(contentsOf: repeatElement(currentRule, count: count))
        acceptsAllPlainText += automaton.plainTextUniversal
        if fragmentDepth == 0 {
            directSplices.append((base, automaton.edgeStart, automaton.edges))
        } else {
            logEdges(of: automaton, from: base)
        }
        for s in 0..<count where automaton.accepting[s] { epsilonLog.append((base + Int32(s), to)) }
        epsilon(from, base)
        if automaton.isTrim { trimBlocks.append(TrimBlock(first: base, count: Int32(count), exit: to)) }
    }

    /// Appends the byte edges of `automaton`'s states to the log, as states from `base` on.
    mutating func logEdges(of automaton: SplicedAutomaton, from base: Int32) {
        let count = automaton.stateCount
        // Room for the edges at once, at least doubling: `reserveCapacity` alone allocates
        // exactly what is asked, so with one splice after another every splice copied the log.
        let first = byteLog.count, needed = first + automaton.edges.count
        if byteLog.capacity < needed { byteLog.reserveCapacity(max(needed, 2 * byteLog.capacity)) }
        // The edges written in place, renumbered (an append per edge checked the log's
        // uniqueness and capacity each time).
        byteLog.append(contentsOf: repeatElement((state: 0, edge: ByteNFA.ByteEdge(low: 0, high: 0, target: 0)), count: automaton.edges.count))
        byteLog.withUnsafeMutableBufferPointer { log in
            automaton.edges.withUnsafeBufferPointer { edges in
                automaton.edgeStart.withUnsafeBufferPointer { edgeStart in
                    var k = first
                    for s in 0..<count {
                        let state = base + Int32(s)
                        for i in Int(edgeStart[s])..<Int(edgeStart[s + 1]) {
                            let e = edges[i]
                            log[k] = (state, .init(low: e.low, high: e.high, target: base + e.target))
                            k += 1
                        }
                    }
                }
            }
        }
    }
}

/// Splits scalar ranges into UTF-8 byte-range sequences (as in RE2 / regex-automata).
enum UTF8Ranges {
    /// Sequences of byte ranges whose concatenations are exactly the UTF-8 encodings of `set`.
    /// A set's range may span the surrogate code points (U+D800…U+DFFF: `ScalarSet` merges
    /// ranges across them, since they are never members); they have no UTF-8 encoding
    /// (`ED A0 80` is not UTF-8), so ranges are split around them.
    static func sequences(for set: ScalarSet) -> [[ClosedRange<UInt8>]] {
        var out: [[ClosedRange<UInt8>]] = []
        for r in set.ranges {
            if r.lowerBound < 0xD800 { split(r.lowerBound, min(r.upperBound, 0xD7FF), into: &out) }
            if r.upperBound > 0xDFFF { split(max(r.lowerBound, 0xE000), r.upperBound, into: &out) }
        }
        return out
    }

    private static let boundaries: [UInt32] = [0x7F, 0x7FF, 0xFFFF, 0x10FFFF]

    private static func split(_ low: UInt32, _ high: UInt32, into out: inout [[ClosedRange<UInt8>]]) {
        // Split at encoding-length boundaries first.
        for b in boundaries where low <= b && high > b {
            split(low, b, into: &out)
            split(b + 1, high, into: &out)
            return
        }
        let n = length(low)
        if n == 1 {
            out.append([UInt8(low)...UInt8(high)])
            return
        }
        // Split until all but the leading byte span full continuation ranges.
        for i in 1..<n {
            let m: UInt32 = (1 << (6 * UInt32(i))) - 1
            if low & ~m != high & ~m {
                if low & m != 0 {
                    split(low, low | m, into: &out)
                    split((low | m) + 1, high, into: &out)
                    return
                }
                if high & m != m {
                    split(low, (high & ~m) - 1, into: &out)
                    split(high & ~m, high, into: &out)
                    return
                }
            }
        }
        let a = encode(low), b = encode(high)
        out.append((0..<n).map { a[$0]...b[$0] })
    }

    private static func length(_ s: UInt32) -> Int {
        s < 0x80 ? 1 : s < 0x800 ? 2 : s < 0x10000 ? 3 : 4
    }

    private static func encode(_ s: UInt32) -> [UInt8] {
        switch length(s) {
        case 1: return [UInt8(s)]
        case 2: return [UInt8(0xC0 | (s >> 6)), UInt8(0x80 | (s & 0x3F))]
        case 3: return [UInt8(0xE0 | (s >> 12)), UInt8(0x80 | ((s >> 6) & 0x3F)), UInt8(0x80 | (s & 0x3F))]
        default:
            return [UInt8(0xF0 | (s >> 18)), UInt8(0x80 | ((s >> 12) & 0x3F)),
                    UInt8(0x80 | ((s >> 6) & 0x3F)), UInt8(0x80 | (s & 0x3F))]
        }
    }
}
