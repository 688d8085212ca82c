import Grammar

/// `L − W` for a regular language `L` given by its minimal automaton and a finite set of words
/// `W`, built directly instead of as a product: the key exclusions of objects open to other
/// members (`json-char* − ("name1" | "name2" | …)`, spelled as JSON string contents).
///
/// While the bytes read spell a prefix of some excluded word, the product's state is a pair
/// (trie node, state of `L`), and the trie node fixes the state of `L` (the one the prefix
/// leads to). Once they leave the trie, the product's state is the state of `L` alone. So the
/// product is a *head*, one state per trie node, whose edges off the trie lead into an
/// unchanged copy of `L`'s automaton, and which accepts where `L` does except at the ends of
/// the words. The head is trimmed and minimized bottom up (it is a tree: a node's row is final
/// once its children's are), merging a node into a state of `L` or into an earlier node with
/// the same acceptance and targets; since `L`'s automaton is minimal, the result is minimal
/// too (up to a start state equivalent to another state, which would need `L − W` to be a
/// residual of `L` or of itself: the start is then kept as a state of its own). No subset
/// construction, no minimization of the product.
///
/// The head is sparse: a head state is its base state (the state of `L` its prefixes lead to)
/// and its trie edges, which replace the base state's targets on their bytes. Rows are compared
/// by hashes over the 256 bytes that `Base` computes once per language (a head row's hash is
/// its base row's, adjusted on the trie edges' bytes), so the cost is the trie's edges and the
/// edges of the states copied, not states times byte classes.
struct WordExclusion {
    /// A language's minimal automaton prepared for exclusions (once per language: the
    /// `RegularAutomatonCache` keeps it): its rows' hashes, its edges, its states by row hash.
    struct Base: Sendable {
        /// The minimal, trimmed automaton of the language.
        let dfa: RegularAutomaton
        /// Per state, the hash of its row: `entryHash(byte, target)` summed over the 256 bytes,
        /// plus `entryHash(256, 1 or 0)` for acceptance.
        let rowHashes: [UInt64]
        /// Per state, how many bytes have a target.
        let targetCounts: [Int32]
        /// The byte edges of state `s` as maximal ranges: `edges[edgeStart[s]..<edgeStart[s + 1]]`.
        let edgeStart: [Int32]
        let edges: [ByteNFA.ByteEdge]
        /// The states by row hash, open addressing (-1: an empty slot).
        private let slots: [Int32]

        /// Prepares `dfa`, whose byte edges are `edges[edgeStart[s]..<edgeStart[s + 1]]` (as a
        /// `SplicedAutomaton` holds them).
        init(_ dfa: RegularAutomaton, edgeStart: [Int32], edges: [ByteNFA.ByteEdge]) {
            self.dfa = dfa
            self.edgeStart = edgeStart
            self.edges = edges
            let n = dfa.stateCount
            var rowHashes = [UInt64](repeating: 0, count: n)
            var targetCounts = [Int32](repeating: 0, count: n)
            for s in 0..<n {
                var hash = WordExclusion.entryHash(256, dfa.accepting[s] ? 1 : 0)
                var covered = 0
                var byte = 0
                for e in Int(edgeStart[s])..<Int(edgeStart[s + 1]) {
                    let edge = edges[e]
                    while byte < Int(edge.low) { hash &+= WordExclusion.entryHash(byte, -1); byte += 1 }
                    while byte <= Int(edge.high) { hash &+= WordExclusion.entryHash(byte, edge.target); byte += 1 }
                    covered += Int(edge.high) - Int(edge.low) + 1
                }
                while byte < 256 { hash &+= WordExclusion.entryHash(byte, -1); byte += 1 }
                rowHashes[s] = hash
                targetCounts[s] = Int32(covered)
            }
            var size = 16
            while size < 2 * n { size <<= 1 }
            var slots = [Int32](repeating: -1, count: size)
            for s in 0..<n {
                var slot = Int(truncatingIfNeeded: rowHashes[s]) & (size - 1)
                while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
                slots[slot] = Int32(s)
            }
            self.rowHashes = rowHashes
            self.targetCounts = targetCounts
            self.slots = slots
        }

        /// Prepares `spliced`'s automaton (with the edges it holds).
        init(_ spliced: SplicedAutomaton) {
            self.init(spliced.dfa, edgeStart: spliced.edgeStart, edges: spliced.edges)
        }

        /// The bytes it holds beside the automaton and its edges (shared with a `SplicedAutomaton`).
        var byteCount: Int { rowHashes.count * 8 + targetCounts.count * 4 + slots.count * 4 }

        /// Prepares `dfa` (its edges computed here).
        init(_ dfa: RegularAutomaton) {
            var edgeStart: [Int32] = [0]
            var edges: [ByteNFA.ByteEdge] = []
            let runs = dfa.classRuns()
            for s in 0..<dfa.stateCount {
                dfa.appendEdges(of: s, runs: runs, to: &edges)
                edgeStart.append(Int32(edges.count))
            }
            self.init(dfa, edgeStart: edgeStart, edges: edges)
        }

        /// The byte edges of `state`.
        func edges(of state: Int) -> ArraySlice<ByteNFA.ByteEdge> {
            edges[Int(edgeStart[state])..<Int(edgeStart[state + 1])]
        }

        /// The state whose row hash is `hash` and for which `isEqual` holds, if any.
        func state(hash: UInt64, where isEqual: (Int) -> Bool) -> Int32? {
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 {
                let s = Int(slots[slot])
                if rowHashes[s] == hash, isEqual(s) { return Int32(s) }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    /// The number of states: the head's, then the copies of `L`'s.
    let stateCount: Int
    /// The number of head states (state 0, the start, is the trie's root; every head edge leads
    /// to a larger state).
    let headCount: Int
    /// The state of `L`'s automaton each state from `headCount` on is a copy of.
    let baseStates: [Int32]
    /// Per state of `L`'s automaton, the state that copies it, or -1.
    let copyOf: [Int32]
    /// Per head state, the state of `L`'s automaton its prefixes lead to: its targets are that
    /// state's (their copies), except on the bytes of its trie edges.
    let headBaseStates: [Int32]
    /// Per head state, whether it accepts.
    let headAccepting: [Bool]
    /// The trie edges of head state `h`, by byte: `trieBytes[trieStart[k]..<trieStart[k + 1]]`
    /// for `k = headCount - 1 - h` (the order the head states were created in), leading to
    /// `trieTargets` at the same indices (-1: nowhere).
    private let trieStart: [Int32]
    private let trieBytes: [UInt8]
    private let trieTargets: [Int32]
    /// The byte edges of head state `h` as maximal ranges: `headEdges[headEdgeStart[k]..<headEdgeStart[k + 1]]`
    /// for `k = headCount - 1 - h`.
    private let headEdgeStart: [Int32]
    private let headEdges: [ByteNFA.ByteEdge]

    /// The bytes on which head state `h` may lead elsewhere than its base state does: its trie
    /// edges' bytes.
    func childBytes(ofHead h: Int) -> ArraySlice<UInt8> {
        let k = headCount - 1 - h
        return trieBytes[Int(trieStart[k])..<Int(trieStart[k + 1])]
    }

    /// The byte edges of head state `h`.
    func edges(ofHead h: Int) -> ArraySlice<ByteNFA.ByteEdge> {
        let k = headCount - 1 - h
        return headEdges[Int(headEdgeStart[k])..<Int(headEdgeStart[k + 1])]
    }

    /// The number of byte edges of all head states.
    var headEdgeCount: Int { headEdges.count }

    /// The target of head state `h` on `byte` (-1: none).
    func next(ofHead h: Int, _ byte: UInt8, base: Base) -> Int32 {
        let k = headCount - 1 - h
        for i in Int(trieStart[k])..<Int(trieStart[k + 1]) where trieBytes[i] == byte { return trieTargets[i] }
        let t = base.dfa.next(Int(headBaseStates[h]), byte)
        return t < 0 ? -1 : copyOf[Int(t)]
    }

    /// Whether the result is `L` itself (no word of `W` is in `L`, or `L` is empty).
    var isUnchanged: Bool { headCount == 0 && baseStates.count == copyOf.count }

    /// At most this many words are read as a finite set (`words(of:)`); a larger set goes
    /// through the general product.
    static let maxWords = 4_096

    /// The words of `e` when `e` is a finite language spelled with literals, byte classes,
    /// sequences, choices and classes of few scalars (the encoded names of a key exclusion:
    /// `a/b` is `"a" ("/" | "\\/") "b"`), at most `maxWords` of them; nil otherwise.
    static func words(of e: Expression) -> [[UInt8]]? {
        switch e {
        case .empty: return [[]]
        case .nothing: return []
        case .literal(let bytes): return [bytes]
        case .byteClass(let ranges):
            let size = ranges.reduce(0) { $0 + $1.count }
            guard size <= maxWords else { return nil }
            return ranges.flatMap { range in range.map { [$0] } }
        case .characterClass(let set):
            guard set.count <= maxWords else { return nil }
            return set.ranges.flatMap { range in
                range.compactMap { Unicode.Scalar($0).map { Array(String($0).utf8) } }
            }
        case .choice(let parts):
            var all: [[UInt8]] = []
            for part in parts {
                guard let some = words(of: part) else { return nil }
                all += some
                guard all.count <= maxWords else { return nil }
            }
            return all
        case .sequence(let parts):
            var all: [[UInt8]] = [[]]
            for part in parts {
                guard let tails = words(of: part), all.count * tails.count <= maxWords else { return nil }
                all = all.flatMap { head in tails.map { head + $0 } }
            }
            return all
        case .repetition, .ruleReference, .intersection, .difference, .automaton, .lazyAutomaton:
            return nil
        }
    }

    /// `L(base) − words` (minimal, as `base.dfa` is).
    init(_ base: Base, excluding words: [[UInt8]], limits: CompileLimits) throws(GrammarError) {
        let n = base.dfa.stateCount
        guard n > 0 else {
            self.init(headCount: 0, baseStates: [], copyOf: [])
            return
        }
        // The trie, as far as `L` stays alive along it: node 0 is the root.
        var trie = Trie(baseStart: 0)
        for word in words {
            var node: Int32 = 0
            var alive = true
            for byte in word {
                let next = base.dfa.next(Int(trie.nodes[Int(node)].baseState), byte)
                if next < 0 { alive = false; break }
                node = try trie.child(of: node, byte: byte, baseState: next, limits: limits)
            }
            if alive { trie.nodes[Int(node)].isWordEnd = true }
        }

        // Bottom up (children are created after their parents): each node's row — its base
        // state's with the trie edges changed — then the state it is equal to, or a new head
        // state. Targets are canonical ids: a base state `s` is `s`, the k-th head state kept
        // `n + k`, none -1. The root stays a head state unless it is the base's start (no word
        // of `W` is in `L`).
        var canonical = [Int32](repeating: -1, count: trie.count)
        var heads = HeadRows(capacity: trie.count)
        var headTable = HeadTable(capacity: trie.count)
        // The node being built: its trie edges by byte (canonical targets).
        var bytes: [UInt8] = []
        var targets: [Int32] = []
        for node in stride(from: trie.count - 1, through: 0, by: -1) {
            let baseState = Int(trie.nodes[node].baseState)
            var hash = base.rowHashes[baseState]
            var targetCount = Int(base.targetCounts[baseState])
            bytes.removeAll(keepingCapacity: true)
            targets.removeAll(keepingCapacity: true)
            var child = trie.nodes[node].firstChild
            while child >= 0 {
                let byte = trie.nodes[Int(child)].byte
                let (old, target) = (base.dfa.next(baseState, byte), canonical[Int(child)])
                hash = hash &- WordExclusion.entryHash(Int(byte), old) &+ WordExclusion.entryHash(Int(byte), target)
                targetCount += (target >= 0 ? 1 : 0) - (old >= 0 ? 1 : 0)
                // Insertion by byte (siblings are few).
                var i = bytes.count
                bytes.append(byte)
                targets.append(target)
                while i > 0, bytes[i - 1] > byte {
                    bytes[i] = bytes[i - 1]
                    targets[i] = targets[i - 1]
                    i -= 1
                }
                bytes[i] = byte
                targets[i] = target
                child = trie.nodes[Int(child)].nextSibling
            }
            let baseAccepts = base.dfa.accepting[baseState]
            let accepts = baseAccepts && !trie.nodes[node].isWordEnd
            if accepts != baseAccepts {
                hash = hash &- WordExclusion.entryHash(256, 1) &+ WordExclusion.entryHash(256, 0)
            }
            guard accepts || targetCount > 0 else { continue }
            let row = HeadRows.Row(baseState: baseState, accepts: accepts, bytes: bytes, targets: targets)
            let known = base.state(hash: hash) { s in row.isEqual(toBaseState: s, base: base) }
                ?? headTable.find(hash: hash, where: { h in heads.isEqual(h, row, base: base) }).map { Int32(n) + $0 }
            if node == 0, known == 0 {
                let all = (0..<Int32(n)).map { $0 }
                self.init(headCount: 0, baseStates: all, copyOf: all)
                return
            }
            if node != 0, let known {
                canonical[node] = known
                continue
            }
            let id = heads.append(row)
            headTable.insert(id, hash: hash)
            canonical[node] = Int32(n) + id
        }
        guard canonical[0] >= 0 else {
            // `L ⊆ W`: the empty language.
            self.init(headCount: 0, baseStates: [], copyOf: [Int32](repeating: -1, count: n))
            return
        }
        let headCount = heads.count
        // The head's edges (canonical targets, in creation order), then the base states they
        // reach and those these reach, numbered in the order found: head state k (created
        // bottom up, the root last) becomes `headCount - 1 - k`, the root 0.
        var edges: [ByteNFA.ByteEdge] = []
        let edgeStart = heads.edges(base: base, into: &edges)
        var copyOf = [Int32](repeating: -1, count: n)
        var baseStates: [Int32] = []
        copyOf.withUnsafeMutableBufferPointer { copyOf in
            var stack: [Int32] = []
            for edge in edges where edge.target < Int32(n) && copyOf[Int(edge.target)] < 0 {
                copyOf[Int(edge.target)] = Int32(headCount + baseStates.count)
                baseStates.append(edge.target)
                stack.append(edge.target)
            }
            base.edges.withUnsafeBufferPointer { baseEdges in
                while let s = stack.popLast() {
                    for e in Int(base.edgeStart[Int(s)])..<Int(base.edgeStart[Int(s) + 1]) {
                        let t = baseEdges[e].target
                        guard copyOf[Int(t)] < 0 else { continue }
                        copyOf[Int(t)] = Int32(headCount + baseStates.count)
                        baseStates.append(t)
                        stack.append(t)
                    }
                }
            }
        }
        // Targets in the final numbering, in place (the head's records stay in creation order).
        var trieTargets = heads.targets
        copyOf.withUnsafeBufferPointer { copyOf in
            let last = Int32(headCount - 1), n = Int32(n)
            func final(_ t: Int32) -> Int32 { t < 0 ? -1 : t < n ? copyOf[Int(t)] : last - (t - n) }
            edges.withUnsafeMutableBufferPointer { edges in
                for i in edges.indices { edges[i].target = final(edges[i].target) }
            }
            trieTargets.withUnsafeMutableBufferPointer { targets in
                for i in targets.indices { targets[i] = final(targets[i]) }
            }
        }
        self.init(headCount: headCount, baseStates: baseStates, copyOf: copyOf, headBaseStates: heads.baseStates.reversed(),
                  headAccepting: heads.accepting.reversed(), trieStart: heads.trieStart, trieBytes: heads.bytes,
                  trieTargets: trieTargets, headEdgeStart: edgeStart, headEdges: edges)
    }

    private init(headCount: Int, baseStates: [Int32], copyOf: [Int32], headBaseStates: [Int32] = [], headAccepting: [Bool] = [],
                 trieStart: [Int32] = [0], trieBytes: [UInt8] = [], trieTargets: [Int32] = [],
                 headEdgeStart: [Int32] = [0], headEdges: [ByteNFA.ByteEdge] = []) {
        self.stateCount = headCount + baseStates.count
        self.headCount = headCount
        self.baseStates = baseStates
        self.copyOf = copyOf
        self.headBaseStates = headBaseStates
        self.headAccepting = headAccepting
        self.trieStart = trieStart
        self.trieBytes = trieBytes
        self.trieTargets = trieTargets
        self.headEdgeStart = headEdgeStart
        self.headEdges = headEdges
    }

    /// The automaton of `L(base) − words` as a table: the base's byte classes with every byte of
    /// a word on its own, the head's states first, then the copies of `L`'s.
    static func automaton(_ base: Base, excluding words: [[UInt8]], limits: CompileLimits) throws(GrammarError) -> RegularAutomaton {
        let exclusion = try WordExclusion(base, excluding: words, limits: limits)
        if exclusion.isUnchanged { return base.dfa }
        var boundaries = [Bool](repeating: false, count: 257)
        for byte in 1..<256 where base.dfa.classOf[byte] != base.dfa.classOf[byte - 1] { boundaries[byte] = true }
        for word in words {
            for byte in word {
                boundaries[Int(byte)] = true
                boundaries[Int(byte) + 1] = true
            }
        }
        let (classOf, classCount) = RegularAutomaton.byteClasses(boundaries: boundaries)
        var representative = [UInt8](repeating: 0, count: classCount)
        for byte in stride(from: 255, through: 0, by: -1) { representative[Int(classOf[byte])] = UInt8(byte) }
        var transitions = [Int32](repeating: -1, count: exclusion.stateCount * classCount)
        var accepting = exclusion.headAccepting
        for h in 0..<exclusion.headCount {
            for c in 0..<classCount { transitions[h * classCount + c] = exclusion.next(ofHead: h, representative[c], base: base) }
        }
        for (i, s) in exclusion.baseStates.enumerated() {
            let row = (exclusion.headCount + i) * classCount
            for c in 0..<classCount {
                let t = base.dfa.next(Int(s), representative[c])
                if t >= 0 { transitions[row + c] = exclusion.copyOf[Int(t)] }
            }
            accepting.append(base.dfa.accepting[Int(s)])
        }
        return RegularAutomaton(classOf: classOf, classCount: classCount, transitions: transitions, accepting: accepting)
    }

    /// The hash of entry `index` of a row holding `value` (a byte's target, or acceptance at
    /// 256): a row's hash is the sum of its entries', so changing an entry changes it by a
    /// difference.
    @inline(__always)
    static func entryHash(_ index: Int, _ value: Int32) -> UInt64 {
        var x = UInt64(UInt32(truncatingIfNeeded: index)) << 32 | UInt64(UInt32(bitPattern: value))
        x = (x ^ (x >> 31)) &* 0x7FB5_D329_728E_A185
        x = (x ^ (x >> 27)) &* 0x81DA_DEF4_BC2D_D44D
        return x ^ (x >> 33)
    }
}

/// The trie of the excluded words, each node with the base state its prefix leads to.
private struct Trie {
    struct Node {
        var baseState: Int32
        var byte: UInt8 = 0
        var isWordEnd = false
        var firstChild: Int32 = -1
        var nextSibling: Int32 = -1
    }

    var nodes: [Node]

    init(baseStart: Int32) { nodes = [Node(baseState: baseStart)] }

    var count: Int { nodes.count }

    /// The child of `node` on `byte`, created (leading to `baseState`) if new.
    mutating func child(of node: Int32, byte: UInt8, baseState state: Int32, limits: CompileLimits) throws(GrammarError) -> Int32 {
        var child = nodes[Int(node)].firstChild
        while child >= 0 {
            if nodes[Int(child)].byte == byte { return child }
            child = nodes[Int(child)].nextSibling
        }
        guard count < limits.maxRegularStates else {
            throw GrammarError(.limitExceeded, "an intersection or difference needs more than \(limits.maxRegularStates) automaton states")
        }
        let id = Int32(count)
        nodes.append(Node(baseState: state, byte: byte, nextSibling: nodes[Int(node)].firstChild))
        nodes[Int(node)].firstChild = id
        return id
    }
}

/// The head states kept, in the order created: each its base state, acceptance and trie edges
/// by byte (canonical targets).
private struct HeadRows {
    /// A head row being built: its base state's row with `targets` on `bytes` (ascending).
    struct Row {
        var baseState: Int
        var accepts: Bool
        var bytes: [UInt8]
        var targets: [Int32]

        /// The target on `byte` (canonical).
        func next(_ byte: UInt8, base: WordExclusion.Base) -> Int32 {
            for i in bytes.indices where bytes[i] == byte { return targets[i] }
            return base.dfa.next(baseState, byte)
        }

        /// Whether the row is base state `s`'s, byte for byte.
        func isEqual(toBaseState s: Int, base: WordExclusion.Base) -> Bool {
            guard accepts == base.dfa.accepting[s] else { return false }
            if s == baseState { return zip(bytes, targets).allSatisfy { base.dfa.next(s, $0) == $1 } }
            return (0...255).allSatisfy { next(UInt8($0), base: base) == base.dfa.next(s, UInt8($0)) }
        }
    }

    var baseStates: [Int32] = []
    var accepting: [Bool] = []
    var bytes: [UInt8] = []
    var targets: [Int32] = []
    /// Head state `k`'s trie edges are at `trieStart[k]..<trieStart[k + 1]` in `bytes` and `targets`.
    private(set) var trieStart: [Int32] = [0]

    init(capacity: Int) {
        baseStates.reserveCapacity(capacity)
        accepting.reserveCapacity(capacity)
        bytes.reserveCapacity(capacity)
        targets.reserveCapacity(capacity)
        trieStart.reserveCapacity(capacity + 1)
    }

    var count: Int { baseStates.count }

    /// The indices of head state `k`'s trie edges in `bytes` and `targets`.
    func trieRange(_ k: Int) -> Range<Int> { Int(trieStart[k])..<Int(trieStart[k + 1]) }

    /// The target of head state `k` on `byte` (canonical).
    func next(_ k: Int, _ byte: UInt8, base: WordExclusion.Base) -> Int32 {
        for i in trieRange(k) where bytes[i] == byte { return targets[i] }
        return base.dfa.next(Int(baseStates[k]), byte)
    }

    /// Keeps `row` as a new head state; its index.
    mutating func append(_ row: Row) -> Int32 {
        baseStates.append(Int32(row.baseState))
        accepting.append(row.accepts)
        for i in row.bytes.indices {
            bytes.append(row.bytes[i])
            targets.append(row.targets[i])
        }
        trieStart.append(Int32(bytes.count))
        return Int32(baseStates.count - 1)
    }

    /// Whether head state `k`'s row is `row`, byte for byte (with the same base state, only
    /// the trie edges' bytes can differ).
    func isEqual(_ k: Int32, _ row: Row, base: WordExclusion.Base) -> Bool {
        let k = Int(k)
        guard accepting[k] == row.accepts else { return false }
        if Int(baseStates[k]) == row.baseState {
            return trieRange(k).allSatisfy { next(k, bytes[$0], base: base) == row.next(bytes[$0], base: base) }
                && row.bytes.allSatisfy { next(k, $0, base: base) == row.next($0, base: base) }
        }
        return (0...255).allSatisfy { next(k, UInt8($0), base: base) == row.next(UInt8($0), base: base) }
    }

    /// The byte edges of every head state as maximal ranges (canonical targets), appended to
    /// `out` in creation order: each its base state's edges with the trie edges' bytes
    /// replaced. Head state `k`'s are `out[start[k]..<start[k + 1]]` for the `start` returned.
    func edges(base: WordExclusion.Base, into out: inout [ByteNFA.ByteEdge]) -> [Int32] {
        var start: [Int32] = [0]
        start.reserveCapacity(count + 1)
        var capacity = 2 * bytes.count
        for k in 0..<count {
            let s = Int(baseStates[k])
            capacity += Int(base.edgeStart[s + 1] - base.edgeStart[s])
        }
        out.reserveCapacity(capacity)
        base.edges.withUnsafeBufferPointer { baseEdges in
            bytes.withUnsafeBufferPointer { bytes in
                targets.withUnsafeBufferPointer { targets in
                    for k in 0..<count {
                        let first = out.count
                        @inline(__always) func add(_ low: Int, _ high: Int, _ target: Int32) {
                            guard target >= 0 else { return }
                            let last = out.count - 1
                            if last >= first, out[last].target == target, Int(out[last].high) + 1 == low {
                                out[last].high = UInt8(high)
                            } else {
                                out.append(.init(low: UInt8(low), high: UInt8(high), target: target))
                            }
                        }
                        var i = Int(trieStart[k])
                        let end = Int(trieStart[k + 1])
                        let s = Int(baseStates[k])
                        for e in Int(base.edgeStart[s])..<Int(base.edgeStart[s + 1]) {
                            let edge = baseEdges[e]
                            var low = Int(edge.low)
                            while i < end, Int(bytes[i]) <= Int(edge.high) {
                                let byte = Int(bytes[i])
                                if byte >= low {
                                    if byte > low { add(low, byte - 1, edge.target) }
                                    low = byte + 1
                                }
                                add(byte, byte, targets[i])
                                i += 1
                            }
                            if low <= Int(edge.high) { add(low, Int(edge.high), edge.target) }
                        }
                        while i < end {
                            add(Int(bytes[i]), Int(bytes[i]), targets[i])
                            i += 1
                        }
                        start.append(Int32(out.count))
                    }
                }
            }
        }
        return start
    }
}

/// The head states by row hash: open addressing over head indices.
private struct HeadTable {
    private var slots: [Int32]
    private var slotHashes: [UInt64]
    private let mask: Int

    init(capacity: Int) {
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        slotHashes = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    /// The head state whose row hash is `hash` and for which `isEqual` holds, if any.
    func find(hash: UInt64, where isEqual: (Int32) -> Bool) -> Int32? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 {
            if slotHashes[slot] == hash, isEqual(slots[slot]) { return slots[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Files head state `id` under `hash`.
    mutating func insert(_ id: Int32, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = id
        slotHashes[slot] = hash
    }
}
