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
/// residual of `L` or of itself: the start is then kept as a state of its own). No subset construction, no minimization of the
/// product: the cost is the trie's nodes and `L`'s states, times the byte classes.
struct WordExclusion {
    /// The automaton of `L − W`: the head's states first (state 0, the start, is the trie's
    /// root), then the states of `L` reachable from them.
    let automaton: RegularAutomaton
    /// The number of head states.
    let headCount: Int
    /// The state of `L`'s automaton each state from `headCount` on is a copy of.
    let baseStates: [Int32]
    /// Per head state, the state of `L`'s automaton its prefixes lead to: its targets are that
    /// state's, except on the bytes of `childBytes(ofHead:)`.
    let headBaseStates: [Int32]
    /// The bytes leading from head state `h` to the next trie nodes:
    /// `childBytes[childStart[h]..<childStart[h + 1]]`.
    private let childStart: [Int32]
    private let childBytes: [UInt8]

    /// The bytes on which head state `h` leads elsewhere than its base state
    /// (`headBaseStates[h]`) does: the trie's edges from it.
    func childBytes(ofHead h: Int) -> ArraySlice<UInt8> {
        childBytes[Int(childStart[h])..<Int(childStart[h + 1])]
    }

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

    /// `L(base) − words`, for a trimmed `base` (the result is minimal when `base` is).
    init(_ base: RegularAutomaton, excluding words: [[UInt8]], limits: CompileLimits) throws(GrammarError) {
        let n = base.stateCount
        guard n > 0 else {
            self.init(automaton: base, headCount: 0, baseStates: [])
            return
        }
        // Byte classes: the base's, with every byte of a word on its own (a trie edge).
        var boundaries = [Bool](repeating: false, count: 257)
        for byte in 1..<256 where base.classOf[byte] != base.classOf[byte - 1] { boundaries[byte] = true }
        for word in words {
            for byte in word {
                boundaries[Int(byte)] = true
                boundaries[Int(byte) + 1] = true
            }
        }
        let (classOf, classCount) = RegularAutomaton.byteClasses(boundaries: boundaries)
        var baseClass = [Int](repeating: 0, count: classCount)
        for byte in 0..<256 { baseClass[Int(classOf[byte])] = Int(base.classOf[byte]) }

        // The trie, as far as `L` stays alive along it: node 0 is the root.
        var trie = Trie(baseStart: 0)
        for word in words {
            var node: Int32 = 0
            var alive = true
            for byte in word {
                let next = base.next(Int(trie.nodes[Int(node)].baseState), byte)
                if next < 0 { alive = false; break }
                node = try trie.child(of: node, byte: byte, baseState: next, limits: limits)
            }
            if alive { trie.nodes[Int(node)].isWordEnd = true }
        }

        // One row per base state, then one per head state kept: a target per class, then
        // acceptance (1 or 0). Targets are canonical ids: a base state `s` is `s`, the k-th head
        // state kept `n + k`, none -1. A head row is its base state's with the trie edges
        // changed, and so is its hash (a sum over the entries), so only those are rehashed.
        let width = classCount + 1
        var rows = [Int32](repeating: -1, count: (n + trie.count) * width)
        var hashes = [UInt64](repeating: 0, count: n + trie.count)
        // Per base state, how many classes have a target (a head row with none, not accepting,
        // is dead).
        var targetCounts = [Int](repeating: 0, count: n)
        var table = RowTable(capacity: n + trie.count)
        var canonical = [Int32](repeating: -1, count: trie.count)
        var headCount = 0
        // Per head state in the order created: its base state, and its trie edges' bytes.
        var createdBase: [Int32] = []
        var createdChildBytes: [UInt8] = []
        var createdChildEnd: [Int32] = []
        var rootIsBaseStart = false
        rows.withUnsafeMutableBufferPointer { rows in
            hashes.withUnsafeMutableBufferPointer { hashes in
                base.transitions.withUnsafeBufferPointer { transitions in
                    for s in 0..<n {
                        let row = s * width, baseRow = s * base.classCount
                        var hash: UInt64 = 0
                        var targets = 0
                        for c in 0..<classCount {
                            let t = transitions[baseRow + baseClass[c]]
                            rows[row + c] = t
                            hash &+= RowTable.entryHash(c, t)
                            if t >= 0 { targets += 1 }
                        }
                        targetCounts[s] = targets
                        let accepts: Int32 = base.accepting[s] ? 1 : 0
                        rows[row + classCount] = accepts
                        hashes[s] = hash &+ RowTable.entryHash(classCount, accepts)
                        table.insert(Int32(s), hash: hashes[s], rows: UnsafeBufferPointer(rows), width: width)
                    }
                }
                // Bottom up (children are created after their parents): each node's row, then
                // the state it is equivalent to, or a new head state. The root stays a head
                // state unless it is equivalent to the base's start (no word of `W` is in `L`).
                for node in stride(from: trie.count - 1, through: 0, by: -1) {
                    let id = n + headCount
                    let row = id * width
                    let baseState = Int(trie.nodes[node].baseState)
                    let baseRow = baseState * width
                    var hash = hashes[baseState]
                    var targets = targetCounts[baseState]
                    (rows.baseAddress! + row).update(from: rows.baseAddress! + baseRow, count: width)
                    var child = trie.nodes[node].firstChild
                    while child >= 0 {
                        let c = Int(classOf[Int(trie.nodes[Int(child)].byte)])
                        let (old, target) = (rows[row + c], canonical[Int(child)])
                        hash = hash &- RowTable.entryHash(c, old) &+ RowTable.entryHash(c, target)
                        targets += (target >= 0 ? 1 : 0) - (old >= 0 ? 1 : 0)
                        rows[row + c] = target
                        child = trie.nodes[Int(child)].nextSibling
                    }
                    let accepts: Int32 = base.accepting[baseState] && !trie.nodes[node].isWordEnd ? 1 : 0
                    hash = hash &- RowTable.entryHash(classCount, rows[row + classCount]) &+ RowTable.entryHash(classCount, accepts)
                    rows[row + classCount] = accepts
                    guard accepts != 0 || targets > 0 else { continue }
                    hashes[id] = hash
                    let known = table.find(Int32(id), hash: hash, rows: UnsafeBufferPointer(rows), width: width)
                    if node == 0, known == 0 {
                        rootIsBaseStart = true
                        break
                    }
                    if node != 0, let known {
                        canonical[node] = known
                        continue
                    }
                    table.insert(Int32(id), hash: hash, rows: UnsafeBufferPointer(rows), width: width)
                    canonical[node] = Int32(id)
                    headCount += 1
                    createdBase.append(Int32(baseState))
                    child = trie.nodes[node].firstChild
                    while child >= 0 {
                        createdChildBytes.append(trie.nodes[Int(child)].byte)
                        child = trie.nodes[Int(child)].nextSibling
                    }
                    createdChildEnd.append(Int32(createdChildBytes.count))
                }
            }
        }
        if rootIsBaseStart {
            self.init(automaton: base, headCount: 0, baseStates: (0..<Int32(n)).map { $0 })
            return
        }
        guard canonical[0] >= 0 else {
            // `L ⊆ W`: the empty language.
            self.init(automaton: RegularAutomaton(classOf: classOf, classCount: classCount, transitions: [], accepting: []),
                      headCount: 0, baseStates: [])
            return
        }
        // The base states the head reaches, and those they reach. Head state k (created bottom
        // up, the root last) becomes `headCount - 1 - k`: the root is state 0 and every head
        // edge leads to a larger state; the base states reached follow.
        var final = [Int32](repeating: -1, count: n + headCount)
        for k in 0..<headCount { final[n + k] = Int32(headCount - 1 - k) }
        var baseStates: [Int32] = []
        rows.withUnsafeBufferPointer { rows in
            final.withUnsafeMutableBufferPointer { final in
                var stack: [Int32] = []
                func reach(_ t: Int32) {
                    guard t >= 0, t < Int32(n), final[Int(t)] < 0 else { return }
                    final[Int(t)] = Int32(headCount + baseStates.count)
                    baseStates.append(t)
                    stack.append(t)
                }
                for k in 0..<headCount {
                    for c in 0..<classCount { reach(rows[(n + k) * width + c]) }
                }
                while let s = stack.popLast() {
                    for c in 0..<classCount { reach(rows[Int(s) * width + c]) }
                }
            }
        }
        let stateCount = headCount + baseStates.count
        var transitions = [Int32](repeating: -1, count: stateCount * classCount)
        var accepting = [Bool](repeating: false, count: stateCount)
        rows.withUnsafeBufferPointer { rows in
            final.withUnsafeBufferPointer { final in
                transitions.withUnsafeMutableBufferPointer { out in
                    for state in 0..<stateCount {
                        let source = (state < headCount ? n + (headCount - 1 - state) : Int(baseStates[state - headCount])) * width
                        let row = state * classCount
                        for c in 0..<classCount {
                            let t = rows[source + c]
                            if t >= 0 { out[row + c] = final[Int(t)] }
                        }
                        accepting[state] = rows[source + classCount] != 0
                    }
                }
            }
        }
        // The head's records in the final order (the reverse of creation).
        var childStart: [Int32] = [0]
        var childBytes: [UInt8] = []
        for k in stride(from: headCount - 1, through: 0, by: -1) {
            childBytes += createdChildBytes[Int(k == 0 ? 0 : createdChildEnd[k - 1])..<Int(createdChildEnd[k])]
            childStart.append(Int32(childBytes.count))
        }
        self.init(automaton: RegularAutomaton(classOf: classOf, classCount: classCount, transitions: transitions, accepting: accepting),
                  headCount: headCount, baseStates: baseStates, headBaseStates: createdBase.reversed(),
                  childStart: childStart, childBytes: childBytes)
    }

    private init(automaton: RegularAutomaton, headCount: Int, baseStates: [Int32], headBaseStates: [Int32] = [],
                 childStart: [Int32] = [0], childBytes: [UInt8] = []) {
        self.automaton = automaton
        self.headCount = headCount
        self.baseStates = baseStates
        self.headBaseStates = headBaseStates
        self.childStart = childStart
        self.childBytes = childBytes
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

/// An open-addressing set of row ids, by the contents of their rows (`width` entries from
/// `id * width`) and their hashes (sums of `entryHash` over the entries).
private struct RowTable {
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

    /// The hash of entry `index` of a row holding `value`: a row's hash is the sum of its
    /// entries', so changing an entry changes it by a difference.
    @inline(__always)
    static func entryHash(_ index: Int, _ value: Int32) -> UInt64 {
        var x = UInt64(UInt32(truncatingIfNeeded: index)) << 32 | UInt64(UInt32(bitPattern: value))
        x = (x ^ (x >> 31)) &* 0x7FB5_D329_728E_A185
        x = (x ^ (x >> 27)) &* 0x81DA_DEF4_BC2D_D44D
        return x ^ (x >> 33)
    }

    private static func equal(_ rows: UnsafeBufferPointer<Int32>, _ a: Int, _ b: Int, _ width: Int) -> Bool {
        for i in 0..<width where rows[a + i] != rows[b + i] { return false }
        return true
    }

    /// The id of a row equal to row `id`'s (whose hash is `hash`), if one was inserted.
    func find(_ id: Int32, hash: UInt64, rows: UnsafeBufferPointer<Int32>, width: Int) -> Int32? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 {
            if slotHashes[slot] == hash, RowTable.equal(rows, Int(slots[slot]) * width, Int(id) * width, width) { return slots[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Inserts row `id` (an equal row already inserted stays the one found).
    mutating func insert(_ id: Int32, hash: UInt64, rows: UnsafeBufferPointer<Int32>, width: Int) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 {
            if slotHashes[slot] == hash, RowTable.equal(rows, Int(slots[slot]) * width, Int(id) * width, width) { return }
            slot = (slot + 1) & mask
        }
        slots[slot] = id
        slotHashes[slot] = hash
    }
}
